import { SqlClient } from "@effect/sql"
import type { WebhookMessageEvent } from "@tattoo-bot/whatsapp"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { startTestHost, type TestHost, textMessage } from "../../../test/support/TestHost.js"
import { processClientMessages } from "../src/conversation/Inbound.js"
import { InboundBatcher } from "../src/conversation/InboundBatcher.js"
import { takeBatch } from "../src/db/GroupCommit.js"
import { withWriteBuffer } from "../src/db/WriteBuffer.js"
import { newNumber } from "./support/journey.js"

describe("takeBatch (which waiting messages share the next transaction)", () => {
  const m = (from: string, n: number) => ({ from, n })
  const from = (x: { readonly from: string }) => x.from

  it("takes messages in arrival order, at most one per sender; a sender's later messages keep their place", () => {
    const waiting = [m("a", 1), m("b", 2), m("a", 3), m("c", 4), m("b", 5), m("a", 6)]
    const { batch, rest } = takeBatch(waiting, from, new Set(), 64)
    expect(batch.map((x) => x.n)).toEqual([1, 2, 4])
    expect(rest.map((x) => x.n)).toEqual([3, 5, 6])
    // The next batch continues each sender's order.
    expect(takeBatch(rest, from, new Set(), 64).batch.map((x) => x.n)).toEqual([3, 5])
  })

  it("skips every message of a sender still in a running transaction", () => {
    const { batch, rest } = takeBatch([m("a", 1), m("b", 2), m("a", 3)], from, new Set(["a"]), 64)
    expect(batch.map((x) => x.n)).toEqual([2])
    expect(rest.map((x) => x.n)).toEqual([1, 3])
  })

  it("takes at most `max`, leaving the rest in order", () => {
    const waiting = Array.from({ length: 10 }, (_, i) => m(`s${i}`, i))
    const { batch, rest } = takeBatch(waiting, from, new Set(), 4)
    expect(batch.map((x) => x.n)).toEqual([0, 1, 2, 3])
    expect(rest.map((x) => x.n)).toEqual([4, 5, 6, 7, 8, 9])
  })

  it("takes nothing when every waiting sender is busy", () => {
    expect(takeBatch([m("a", 1), m("a", 2)], from, new Set(["a"]), 64).batch).toEqual([])
  })
})

/** A message event as the webhook hands it on. */
const event = (from: string, body: string, timestamp: number, id = `wamid.${randomUUID()}`): WebhookMessageEvent => ({
  _tag: "Message",
  id,
  from,
  message: { from, id, timestamp, type: "text", text: { body } },
  phoneNumberId: "106540352242922",
  displayPhoneNumber: "15550000000",
  businessAccountId: "102290129340398",
  contactName: null,
  timestamp
})

describe(`inbound group commit (${databaseKind})`, () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost({}, { worker: false })
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  it("40 first messages from 40 new numbers at once: each processed once on its own new lead, in fewer transactions than messages", async () => {
    const numbers = Array.from({ length: 40 }, () => newNumber())
    const responses = await Promise.all(numbers.map((from) => host.whatsapp({ messages: [textMessage(from, "Hi, I'd like a tattoo")] })))
    expect(responses.map((r) => r.status)).toEqual(numbers.map(() => 200))
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{ results: Array<{ outcome: string; lead_id: number }> }>
    expect(bodies.map((b) => b.results[0]!.outcome)).toEqual(numbers.map(() => "Processed"))
    const leads = await host.query<{ id: number; waFrom: string; status: string }>(
      "SELECT id, wa_from, status FROM leads WHERE wa_from = ANY($1::text[]) ORDER BY id",
      [numbers]
    )
    expect(leads.map((l) => l.waFrom).sort()).toEqual([...numbers].sort())
    expect(new Set(leads.map((l) => l.status))).toEqual(new Set(["QUALIFYING"]))
    // Each answer names the lead its message went to.
    expect(bodies.map((b) => b.results[0]!.lead_id).sort((a, b) => a - b)).toEqual(leads.map((l) => l.id))
    const claims = await host.query<{ leadId: number; processedAt: Date }>(
      "SELECT lead_id, processed_at FROM processed_messages WHERE lead_id = ANY($1::int[])",
      [leads.map((l) => l.id)]
    )
    expect(claims).toHaveLength(40)
    // now() is the transaction's start: messages that shared a transaction share their processed_at.
    expect(new Set(claims.map((c) => c.processedAt.getTime())).size).toBeLessThan(40)
    const welcomes = await host.query<{ n: number }>(
      "SELECT count(DISTINCT lead_id)::int AS n FROM outbox WHERE lead_id = ANY($1::int[]) AND audience = 'client'",
      [leads.map((l) => l.id)]
    )
    expect(welcomes[0]!.n).toBe(40)
  })

  it("a message that fails rolls back only itself: the rest of its batch is processed, it answers 500, and the retry processes it", async () => {
    await host.query(`
      CREATE OR REPLACE FUNCTION fail_marked_message() RETURNS trigger AS $$
      BEGIN
        IF NEW.body = 'fail this one' THEN RAISE EXCEPTION 'injected failure'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`)
    await host.query("CREATE TRIGGER fail_marked BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION fail_marked_message()")
    const numbers = Array.from({ length: 20 }, () => newNumber())
    const failing = textMessage(numbers[7]!, "fail this one")
    const inputs = numbers.map((from, i) => (i === 7 ? failing : textMessage(from, "Hello")))
    const bodyOf = (i: number) => (i === 7 ? "fail this one" : "Hello")
    const batcher = await host.run(InboundBatcher)
    // Straight to the batcher, all at once, so they queue behind one another and share transactions.
    const exits = await host.run(
      Effect.forEach(inputs, (input, i) => Effect.exit(batcher.process(event(input.from, bodyOf(i), Number(input.timestamp), input.id))), {
        concurrency: "unbounded"
      })
    )
    expect(exits.map((e) => e._tag)).toEqual(inputs.map((_, i) => (i === 7 ? "Failure" : "Success")))
    const claimed = await host.query<{ messageId: string }>("SELECT message_id FROM processed_messages WHERE message_id = ANY($1::text[])", [
      inputs.map((i) => i.id)
    ])
    expect(claimed.map((c) => c.messageId).sort()).toEqual(inputs.filter((_, i) => i !== 7).map((i) => i.id).sort())
    // Nothing of the failed message stayed: no claim, no lead, no stored message.
    expect(await host.query("SELECT id FROM leads WHERE wa_from = $1", [numbers[7]])).toEqual([])
    // Over HTTP it answers 500 (Meta retries), and once the fault is gone the retry is processed.
    const failed = await host.whatsapp({ messages: [failing] })
    expect(failed.status).toBe(500)
    await host.query("DROP TRIGGER fail_marked ON messages")
    const retried = await host.whatsapp({ messages: [failing] })
    expect(retried.status).toBe(200)
    expect(((await retried.json()) as { results: Array<{ outcome: string }> }).results[0]!.outcome).toBe("Processed")
    const stored = await host.query<{ body: string }>(
      "SELECT m.body FROM messages m JOIN leads l ON l.id = m.lead_id WHERE l.wa_from = $1 AND m.direction = 'in'",
      [numbers[7]]
    )
    expect(stored.map((s) => s.body)).toEqual(["fail this one"])
  })

  it("one batch: claims, a duplicate, a new enquiry, held messages released or cancelled per lead, and an out-of-order message", async () => {
    const seed = async (status: string, lastWa: number) => {
      const from = newNumber()
      const rows = await host.query<{ id: number }>(
        `INSERT INTO leads (wa_from, status, consultation, last_client_wa_timestamp, last_client_message_at)
         VALUES ($1, $2, NULL, $3, now() - interval '25 hours') RETURNING id`,
        [from, status, lastWa]
      )
      return { id: rows[0]!.id, from }
    }
    const hold = (leadId: number, from: string, kind: string, leadStatus: string) =>
      host.query<{ id: number }>(
        `INSERT INTO outbox (lead_id, channel, kind, recipient, audience, payload, status)
         VALUES ($1, 'whatsapp', $2, $3, 'client', $4::jsonb, 'HELD') RETURNING id`,
        [leadId, kind, from, JSON.stringify({ message: { _tag: "Text", body: "held" }, leadStatus })]
      )
    const now = Math.floor(Date.now() / 1000)
    // A: waiting for approval; its held courtesy reply still fits and goes out when the client writes.
    const a = await seed("PENDING_APPROVAL", now - 100)
    const [heldA] = await hold(a.id, a.from, "copy.pending_approval", "PENDING_APPROVAL")
    // B: moved on from AWAITING_DEPOSIT; its held deposit link is obsolete and is cancelled, not released.
    const b = await seed("PENDING_APPROVAL", now - 100)
    const [heldB] = await hold(b.id, b.from, "copy.deposit_link", "AWAITING_DEPOSIT")
    // E: its message is older than the last one seen: stored, nothing released.
    const e = await seed("PENDING_APPROVAL", now - 10)
    const [heldE] = await hold(e.id, e.from, "copy.pending_approval", "PENDING_APPROVAL")
    const c = newNumber()
    const duplicateId = `wamid.${randomUUID()}`
    await host.query("INSERT INTO processed_messages (message_id, event_type) VALUES ($1, 'message.text')", [duplicateId])
    const d = newNumber()
    const events = [
      event(a.from, "any news?", now),
      event(b.from, "hello again", now),
      event(c, "Hi there", now),
      event(d, "Hi", now, duplicateId),
      event(e.from, "an old one", now - 50)
    ]
    const outcomes = await host.run(
      Effect.flatMap(SqlClient.SqlClient, (sql) => processClientMessages(events).pipe(withWriteBuffer, sql.withTransaction))
    )
    expect(outcomes.map((o) => o._tag)).toEqual(["Processed", "Processed", "Processed", "Duplicate", "OutOfOrder"])
    const outboxStatus = async (id: number) => (await host.query<{ status: string }>("SELECT status FROM outbox WHERE id = $1", [id]))[0]!.status
    expect(await outboxStatus(heldA!.id)).toBe("PENDING")
    expect(await outboxStatus(heldB!.id)).toBe("CANCELLED")
    expect(await outboxStatus(heldE!.id)).toBe("HELD")
    const claims = await host.query<{ messageId: string; leadId: number | null; outcome: string | null }>(
      "SELECT message_id, lead_id, outcome FROM processed_messages WHERE message_id = ANY($1::text[])",
      [events.map((ev) => ev.id)]
    )
    const claimOf = (id: string) => claims.find((x) => x.messageId === id)!
    expect(claimOf(events[0]!.id).leadId).toBe(a.id)
    expect(claimOf(events[1]!.id).leadId).toBe(b.id)
    expect(claimOf(events[4]!.id)).toMatchObject({ leadId: e.id, outcome: "out_of_order" })
    // The duplicate's claim is the earlier one, untouched; the new enquiry got a lead of its own.
    expect(claimOf(duplicateId).leadId).toBeNull()
    const newLead = await host.query<{ id: number; status: string }>("SELECT id, status FROM leads WHERE wa_from = $1", [c])
    expect(newLead).toHaveLength(1)
    expect(claimOf(events[2]!.id).leadId).toBe(newLead[0]!.id)
    expect(await host.query("SELECT id FROM leads WHERE wa_from = $1", [d])).toEqual([])
    // Every processed message is stored on its lead; the out-of-order one too, and its lead's clock is not rewound.
    const stored = await host.query<{ waMessageId: string }>("SELECT wa_message_id FROM messages WHERE wa_message_id = ANY($1::text[])", [
      events.map((ev) => ev.id)
    ])
    expect(stored.map((s) => s.waMessageId).sort()).toEqual([events[0]!.id, events[1]!.id, events[2]!.id, events[4]!.id].sort())
    const eRow = await host.query<{ lastClientWaTimestamp: string }>("SELECT last_client_wa_timestamp FROM leads WHERE id = $1", [e.id])
    expect(Number(eRow[0]!.lastClientWaTimestamp)).toBe(now - 10)
  })

  it("two messages of one client in one call are processed one after the other, in the order given", async () => {
    const a = newNumber()
    const b = newNumber()
    const now = Math.floor(Date.now() / 1000)
    // The last one is older than the one before it: out of order once that one has been processed.
    const events = [event(a, "Hi, I'd like a tattoo", now), event(b, "Hello", now), event(a, "Jo", now + 2), event(a, "late", now + 1)]
    const outcomes = await host.run(
      Effect.flatMap(SqlClient.SqlClient, (sql) => processClientMessages(events).pipe(withWriteBuffer, sql.withTransaction))
    )
    expect(outcomes.map((o) => o._tag)).toEqual(["Processed", "Processed", "Processed", "OutOfOrder"])
    // One lead for the client, whose conversation took both messages in turn: the first started it, the second answered.
    const leads = await host.query<{ id: number; status: string; lastClientWaTimestamp: string; consultation: { answers: Record<string, unknown> } }>(
      "SELECT id, status, last_client_wa_timestamp, consultation FROM leads WHERE wa_from = $1",
      [a]
    )
    expect(leads).toHaveLength(1)
    expect(leads[0]!.status).toBe("QUALIFYING")
    expect(Number(leads[0]!.lastClientWaTimestamp)).toBe(now + 2)
    expect(Object.keys(leads[0]!.consultation.answers)).toHaveLength(1)
    const stored = await host.query<{ body: string }>("SELECT body FROM messages WHERE lead_id = $1 AND direction = 'in' ORDER BY id", [leads[0]!.id])
    expect(stored.map((m) => m.body)).toEqual(["Hi, I'd like a tattoo", "Jo", "late"])
    expect(outcomes[0]).toMatchObject({ leadId: leads[0]!.id })
    expect(outcomes[2]).toMatchObject({ leadId: leads[0]!.id })
  })
})
