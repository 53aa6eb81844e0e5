import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { databaseKind, testDatabaseLayer } from "../../../test/support/TestDatabase.js"
import { claimDue, enqueue } from "../src/outbox/Outbox.js"

const text = (body: string) => ({ message: { _tag: "Text", body } })

describe(`outbox claim order (${databaseKind})`, () => {
  layer(testDatabaseLayer(), { excludeTestServices: true, timeout: "120 seconds" })((it) => {
    it.effect("keeps a client's messages in order, and the artist's notices in order per lead only", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const [a] = yield* sql<{ id: number }>`INSERT INTO leads (wa_from, status) VALUES ('447700900101', 'QUALIFYING') RETURNING id`
        const [b] = yield* sql<{ id: number }>`INSERT INTO leads (wa_from, status) VALUES ('447700900102', 'QUALIFYING') RETURNING id`
        const artist = "447700900999"
        const row = (leadId: number, audience: "client" | "artist", recipient: string, body: string) =>
          ({ leadId, channel: "whatsapp", kind: body, recipient, audience, payload: text(body) }) as const
        yield* enqueue([
          row(a!.id, "artist", artist, "artist-a-1"),
          row(a!.id, "artist", artist, "artist-a-2"),
          row(b!.id, "artist", artist, "artist-b-1"),
          row(a!.id, "client", "447700900101", "client-a-1"),
          row(a!.id, "client", "447700900101", "client-a-2")
        ])
        const claimed = yield* claimDue(10)
        expect(claimed.map((r) => r.kind).sort()).toEqual(["artist-a-1", "artist-b-1", "client-a-1"])
        // Nothing else is due until those are done.
        expect(yield* claimDue(10)).toEqual([])
      })
    )
  })
})
