import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { databaseKind, testDatabaseLayer } from "../../../test/support/TestDatabase.js"
import { runMigrations } from "../src/db/Migrations.js"

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
})
