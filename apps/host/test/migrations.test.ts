import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { it as plainIt } from "vitest"
import { databaseKind, hasRealPostgres, scratchDatabaseUrl, testDatabaseLayer } from "../../../test/support/TestDatabase.js"
import { migrations, runMigrations } from "../src/db/Migrations.js"

describe(`migrations (${databaseKind})`, () => {
  layer(testDatabaseLayer(), { excludeTestServices: true, timeout: "120 seconds" })((it) => {
    it.effect("create every table, and a second run applies nothing", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ tableName: string }>`
          SELECT table_name AS "tableName" FROM information_schema.tables
          WHERE table_schema = 'public' ORDER BY table_name`
        const names = rows.map((r) => r.tableName)
        for (const table of ["leads", "lead_answers", "messages", "processed_messages", "attachments", "outbox", "system_events", "slot_holds", "action_tokens", "stripe_events"]) {
          expect(names).toContain(table)
        }
        expect(yield* runMigrations).toEqual([])
      })
    )

    it.effect("index the admin lead search with pg_trgm where the server has it, and apply either way", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const applied = yield* sql<{ name: string }>`SELECT name FROM effect_sql_migrations ORDER BY migration_id`
        expect(applied.map((r) => r.name)).toContain("lead_search_indexes")
        const available = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'pg_trgm'`
        const indexes = yield* sql<{ indexname: string }>`
          SELECT indexname FROM pg_indexes WHERE tablename = 'leads' AND indexname LIKE '%trgm%' ORDER BY indexname`
        if (available[0]!.n === 0) {
          expect(indexes).toEqual([])
          return
        }
        expect(indexes.map((r) => r.indexname)).toEqual(["leads_client_name_trgm_idx", "leads_wa_from_trgm_idx"])
        // The list's own predicates can use them (the planner would pick a scan on a table this small; with
        // `*` no other index covers the query, so none can stand in through a full index scan).
        const plans = yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`SET LOCAL enable_seqscan = off`
            const name = yield* sql<Record<string, string>>`EXPLAIN SELECT * FROM leads WHERE client_name ILIKE ${"%morgan%"}`
            const number = yield* sql<Record<string, string>>`EXPLAIN SELECT * FROM leads WHERE wa_from LIKE ${"%7700900%"}`
            return [name, number].map((rows) => rows.map((r) => Object.values(r)[0]).join("\n"))
          })
        )
        expect(plans[0]).toContain("leads_client_name_trgm_idx")
        expect(plans[1]).toContain("leads_wa_from_trgm_idx")
      })
    )

    it.effect("slot holds cannot overlap (exclusion constraint)", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const [a] = yield* sql<{ id: number }>`INSERT INTO leads (wa_from, status) VALUES ('447700900001', 'AWAITING_DEPOSIT') RETURNING id`
        const [b] = yield* sql<{ id: number }>`INSERT INTO leads (wa_from, status) VALUES ('447700900002', 'AWAITING_DEPOSIT') RETURNING id`
        yield* sql`INSERT INTO slot_holds (lead_id, starts_at, ends_at, state) VALUES (${a!.id}, '2030-01-07T10:00:00Z', '2030-01-07T13:00:00Z', 'HELD')`
        const overlap = yield* sql`INSERT INTO slot_holds (lead_id, starts_at, ends_at, state) VALUES (${b!.id}, '2030-01-07T12:00:00Z', '2030-01-07T15:00:00Z', 'HELD')`.pipe(
          Effect.flip
        )
        expect((overlap.cause as { code?: string }).code).toBe("23P01")
        // Back to back is fine, and a released hold frees its time.
        yield* sql`INSERT INTO slot_holds (lead_id, starts_at, ends_at, state) VALUES (${b!.id}, '2030-01-07T13:00:00Z', '2030-01-07T15:00:00Z', 'HELD')`
        yield* sql`UPDATE slot_holds SET state = 'RELEASED' WHERE lead_id = ${a!.id}`
        yield* sql`INSERT INTO slot_holds (lead_id, starts_at, ends_at, state) VALUES (${b!.id}, '2030-01-07T10:00:00Z', '2030-01-07T12:00:00Z', 'HELD')`
      })
    )
  })

  // Two instances started at once on a new database (a deploy of two instances, or a restart racing a job run):
  // both must come up, and every migration must run exactly once. Needs a server with several connections.
  plainIt.runIf(hasRealPostgres)(
    "two instances migrating a new database at the same moment both start, and each migration runs once",
    async () => {
      for (let round = 0; round < 5; round++) {
        const results = await Effect.runPromise(
          Effect.scoped(
            Effect.gen(function* () {
              const url = Option.getOrThrow(yield* scratchDatabaseUrl)
              const instance = () =>
                runMigrations.pipe(Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 2 })), Effect.either)
              const [a, b] = yield* Effect.all([instance(), instance()], { concurrency: 2 })
              const applied = yield* Effect.flatMap(SqlClient.SqlClient, (sql) =>
                sql<{ migrationId: number }>`SELECT migration_id AS "migrationId" FROM effect_sql_migrations ORDER BY migration_id`
              ).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })))
              return { a, b, applied: applied.map((r) => r.migrationId) }
            })
          )
        )
        expect(results.a._tag, JSON.stringify(results.a)).toBe("Right")
        expect(results.b._tag, JSON.stringify(results.b)).toBe("Right")
        const ran = [...(results.a._tag === "Right" ? results.a.right : []), ...(results.b._tag === "Right" ? results.b.right : [])]
        // Between them the two ran every migration once.
        expect(ran.map(([id]) => id).sort((x, y) => x - y)).toEqual(Object.keys(migrations).map((_, i) => i + 1))
        expect(results.applied).toEqual(Object.keys(migrations).map((_, i) => i + 1))
      }
    },
    120_000
  )
})
