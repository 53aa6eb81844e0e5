import { Migrator } from "@effect/sql"
import { Effect } from "effect"
import m0001 from "./migrations/0001_initial.js"
import m0002 from "./migrations/0002_outbox_claim_indexes.js"
import m0003 from "./migrations/0003_lead_search_indexes.js"

/** Forward-only migrations, in order. Never edit one that has shipped: add the next number. */
export const migrations = {
  "0001_initial": m0001,
  "0002_outbox_claim_indexes": m0002,
  "0003_lead_search_indexes": m0003
}

/** Runs every pending migration (the migrator locks its table, so concurrent starts are safe). */
export const runMigrations = Migrator.make({})({ loader: Migrator.fromRecord(migrations) }).pipe(
  Effect.tap((applied) =>
    applied.length > 0
      ? Effect.logInfo("database: migrations applied").pipe(
          Effect.annotateLogs({ migrations: applied.map(([id, name]) => `${id}_${name}`).join(",") })
        )
      : Effect.void
  )
)
