import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { TattooBotApi } from "./Api.js"
import { funnel } from "./Funnel.js"
import { slotParseStats } from "./SlotParseStats.js"

/** `GET /admin/funnel` and `GET /admin/slot-parse-stats` (authentication is the AdminAuth middleware). */
export const MetricsHandlers = HttpApiBuilder.group(TattooBotApi, "metrics", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return handlers
      .handle("funnel", ({ urlParams }) =>
        funnel(urlParams.days ?? 7).pipe(Effect.provideService(SqlClient.SqlClient, sql), Effect.orDie)
      )
      .handle("slotParseStats", ({ urlParams }) =>
        slotParseStats(urlParams.days ?? 7).pipe(Effect.provideService(SqlClient.SqlClient, sql), Effect.orDie)
      )
  })
)
