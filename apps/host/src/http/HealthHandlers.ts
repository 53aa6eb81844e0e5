import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { loadTemplateNames, REQUIRED_TEMPLATES } from "../config/ConfigFiles.js"
import { PanicSwitch } from "../flags/PanicSwitch.js"
import { NotReady, TattooBotApi } from "./Api.js"

/** `/health` (no database access, always 200) and `/ready` (runs `SELECT 1`). */
export const HealthHandlers = HttpApiBuilder.group(TattooBotApi, "health", (handlers) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const panic = yield* PanicSwitch
    const sql = yield* SqlClient.SqlClient
    const configured = yield* loadTemplateNames(config.configDir).pipe(
      Effect.tapError((e) => Effect.logError("template configuration unreadable").pipe(Effect.annotateLogs({ error: e.message }))),
      Effect.orElseSucceed(() => [] as ReadonlyArray<string>)
    )
    const missing = REQUIRED_TEMPLATES.filter((name) => !configured.includes(name))
    if (missing.length > 0) {
      yield* Effect.logWarning("template configuration: required templates missing").pipe(
        Effect.annotateLogs({ templates_missing: missing.join(",") })
      )
    }
    return handlers
      .handle("health", () =>
        Effect.map(panic.current, (panicMode) => ({
          ok: true,
          templates_configured: [...configured],
          templates_missing: [...missing],
          whatsapp_enabled: config.whatsappEnabled,
          features: {
            sheets_enabled: config.features.sheets,
            calendar_enabled: config.features.calendar,
            reminders_enabled: config.features.reminders,
            notifications_enabled: config.features.notifications,
            panic_mode_enabled: panicMode
          },
          calendar_enabled: config.calendarEnabled,
          sheets_enabled: config.sheetsEnabled
        }))
      )
      .handle("ready", () =>
        sql`SELECT 1`.pipe(
          Effect.timeout("3 seconds"),
          Effect.as({ ok: true, database: "connected" }),
          Effect.catchAll((error) =>
            Effect.zipRight(
              Effect.logError("database not ready").pipe(Effect.annotateLogs({ error: String(error) })),
              Effect.fail(new NotReady({ ok: false, database: "disconnected", error: "database unreachable" }))
            )
          )
        )
      )
  })
)
