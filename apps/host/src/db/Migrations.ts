import { Migrator, SqlClient } from "@effect/sql"
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

/**
 * The migrator's own table, created by one instance at a time. The migrator creates it when a lookup
 * fails, so two instances starting on a new database would both try and one would fail to start
 * (a duplicate `pg_type` key); here the creation waits on a transaction-scoped advisory lock, and the
 * definition is the migrator's.
 */
const ensureMigrationsTable = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.gen(function* () {
    yield* sql`SELECT pg_advisory_xact_lock(hashtext('effect_sql_migrations'))`
    yield* sql`CREATE TABLE IF NOT EXISTS effect_sql_migrations (
      migration_id integer primary key,
      created_at timestamp with time zone not null default now(),
      name text not null
    )`
  }).pipe(sql.withTransaction)
)

/**
 * Runs every pending migration. Concurrent starts are safe: the table is created under a lock (above), and
 * the migrator locks it while it runs, so a second instance waits and then finds nothing left to apply.
 */
export const runMigrations = ensureMigrationsTable.pipe(
  Effect.zipRight(Migrator.make({})({ loader: Migrator.fromRecord(migrations) })),
  Effect.tap((applied) =>
    applied.length > 0
      ? Effect.logInfo("database: migrations applied").pipe(
          Effect.annotateLogs({ migrations: applied.map(([id, name]) => `${id}_${name}`).join(",") })
        )
      : Effect.void
  )
)
