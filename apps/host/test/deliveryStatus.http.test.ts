import type { WebhookStatusEvent } from "@tattoo-bot/whatsapp"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { startTestHost, type TestHost } from "../../../test/support/TestHost.js"
import { applyDeliveryStatuses, DeliveryStatuses } from "../src/webhooks/DeliveryStatus.js"
import { newNumber } from "./support/journey.js"

/** Delivery status callbacks (`statuses` in a WhatsApp webhook) for messages the bot sent. */
describe(`delivery status callbacks (${databaseKind})`, () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost({}, { worker: false })
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  /** A sent client message in the outbox, with Meta's id. */
  const sentMessage = async () => {
    const from = newNumber()
    const lead = await host.query<{ id: number }>("INSERT INTO leads (wa_from, status) VALUES ($1, 'QUALIFYING') RETURNING id", [from])
    const waMessageId = `wamid.out.${randomUUID()}`
    const row = await host.query<{ id: number }>(
      `INSERT INTO outbox (lead_id, channel, kind, recipient, audience, payload, status, wa_message_id, sent_at)
       VALUES ($1, 'whatsapp', 'consultation', $2, 'client', $3::jsonb, 'SENT', $4, now()) RETURNING id`,
      [lead[0]!.id, from, JSON.stringify({ message: { _tag: "Text", body: "Next question" }, leadStatus: "QUALIFYING" }), waMessageId]
    )
    return { outboxId: row[0]!.id, leadId: lead[0]!.id, from, waMessageId }
  }
  const status = (id: string, to: string, value: string, extra: Record<string, unknown> = {}) => ({
    id,
    status: value,
    timestamp: String(Math.floor(Date.now() / 1000)),
    recipient_id: to,
    ...extra
  })
  const post = async (statuses: ReadonlyArray<Record<string, unknown>>) => {
    const res = await host.whatsapp({ statuses })
    expect(res.status).toBe(200)
    return ((await res.json()) as { results: Array<{ status_id: string; outcome: string }> }).results.map((r) => r.outcome)
  }
  const rowOf = async (id: number) =>
    (await host.query<{ status: string; deliveryStatus: string | null; lastError: string | null }>(
      "SELECT status, delivery_status, last_error FROM outbox WHERE id = $1",
      [id]
    ))[0]!

  it("moves a message forward through sent, delivered and read, and never back", async () => {
    const m = await sentMessage()
    expect(await post([status(m.waMessageId, m.from, "delivered")])).toEqual(["delivered"])
    expect((await rowOf(m.outboxId)).deliveryStatus).toBe("delivered")
    // A late "sent" arrives after "delivered": stale, nothing changes.
    expect(await post([status(m.waMessageId, m.from, "sent")])).toEqual(["stale"])
    expect((await rowOf(m.outboxId)).deliveryStatus).toBe("delivered")
    expect(await post([status(m.waMessageId, m.from, "read")])).toEqual(["read"])
    expect(await post([status(m.waMessageId, m.from, "delivered")])).toEqual(["stale"])
    expect(await rowOf(m.outboxId)).toMatchObject({ status: "SENT", deliveryStatus: "read" })
  })

  it("answers an unknown message id with outcome unknown (200), changing nothing", async () => {
    const id = `wamid.out.${randomUUID()}`
    expect(await post([status(id, newNumber(), "read")])).toEqual(["unknown"])
    expect(await host.query("SELECT id FROM outbox WHERE wa_message_id = $1", [id])).toEqual([])
  })

  it("ends at read when sent, delivered and read arrive 30 times at once, in any order", async () => {
    const m = await sentMessage()
    const order = ["read", "sent", "delivered"]
    const outcomes = (
      await Promise.all(Array.from({ length: 30 }, (_, i) => post([status(m.waMessageId, m.from, order[i % 3]!)])))
    ).flat()
    expect((await rowOf(m.outboxId)).deliveryStatus).toBe("read")
    // Each status moved the row at most once; "read" exactly once.
    expect(outcomes.filter((o) => o === "read")).toHaveLength(1)
    expect(outcomes.filter((o) => o === "delivered").length).toBeLessThanOrEqual(1)
    expect(outcomes.filter((o) => o === "sent").length).toBeLessThanOrEqual(1)
    expect(outcomes.filter((o) => o !== "read" && o !== "delivered" && o !== "sent").every((o) => o === "stale")).toBe(true)
  })

  it("holds a client message that failed with 131047 (window closed), to go out with the client's next message", async () => {
    const m = await sentMessage()
    const failed = status(m.waMessageId, m.from, "failed", {
      errors: [{ code: 131047, title: "Re-engagement message", message: "Re-engagement message", error_data: { details: "More than 24 hours" } }]
    })
    expect(await post([failed])).toEqual(["held"])
    const row = await rowOf(m.outboxId)
    expect(row).toMatchObject({ status: "HELD", deliveryStatus: "failed" })
    expect(row.lastError).toContain("131047")
    const events = await host.query<{ eventType: string }>("SELECT event_type FROM system_events WHERE lead_id = $1", [m.leadId])
    expect(events.map((e) => e.eventType)).toContain("whatsapp.window_closed")
  })

  it("records any other failure as an error event for the artist's attention", async () => {
    const m = await sentMessage()
    const failed = status(m.waMessageId, m.from, "failed", { errors: [{ code: 131026, title: "Message undeliverable" }] })
    expect(await post([failed])).toEqual(["failed"])
    expect(await rowOf(m.outboxId)).toMatchObject({ status: "SENT", deliveryStatus: "failed" })
    const events = await host.query<{ eventType: string; level: string }>("SELECT event_type, level FROM system_events WHERE lead_id = $1", [
      m.leadId
    ])
    expect(events).toContainEqual({ eventType: "whatsapp.delivery_failed", level: "ERROR" })
  })

  /** A status event as the webhook hands it on. */
  const statusEvent = (id: string, to: string, value: "sent" | "delivered" | "read"): WebhookStatusEvent => ({
    _tag: "Status",
    id,
    recipientId: to,
    status: { id, status: value, timestamp: Math.floor(Date.now() / 1000), recipient_id: to },
    phoneNumberId: "123456789",
    displayPhoneNumber: "15550001111",
    businessAccountId: "987654321",
    contactName: null,
    timestamp: Math.floor(Date.now() / 1000)
  })

  it("one statement for several messages: each moves forward on its own, a stale one and an unknown one change nothing", async () => {
    const fresh = await sentMessage()
    const ahead = await sentMessage()
    await host.query("UPDATE outbox SET delivery_status = 'read' WHERE id = $1", [ahead.outboxId])
    const unknown = `wamid.out.${randomUUID()}`
    const outcomes = await host.run(
      applyDeliveryStatuses([
        statusEvent(fresh.waMessageId, fresh.from, "delivered"),
        statusEvent(ahead.waMessageId, ahead.from, "delivered"),
        statusEvent(unknown, newNumber(), "read")
      ])
    )
    expect(outcomes).toEqual(["delivered", "stale", "unknown"])
    expect((await rowOf(fresh.outboxId)).deliveryStatus).toBe("delivered")
    expect((await rowOf(ahead.outboxId)).deliveryStatus).toBe("read")
  })

  it("40 callbacks for 40 messages at once: each applied once, in fewer statements than callbacks", async () => {
    const messages = await Promise.all(Array.from({ length: 40 }, () => sentMessage()))
    // Which transaction wrote each row: callbacks that shared a statement share its transaction id.
    await host.query("CREATE TABLE IF NOT EXISTS status_writes (outbox_id int, txid bigint)")
    await host.query(`
      CREATE OR REPLACE FUNCTION note_status_write() RETURNS trigger AS $$
      BEGIN INSERT INTO status_writes VALUES (NEW.id, txid_current()); RETURN NEW; END $$ LANGUAGE plpgsql`)
    await host.query("CREATE TRIGGER note_status_write AFTER UPDATE OF delivery_status ON outbox FOR EACH ROW EXECUTE FUNCTION note_status_write()")
    try {
      const service = await host.run(DeliveryStatuses)
      // Straight to the service, all at once, so they queue behind one another and share statements.
      const outcomes = await host.run(
        Effect.forEach(messages, (m) => service.process(statusEvent(m.waMessageId, m.from, "delivered")), { concurrency: "unbounded" })
      )
      expect(outcomes).toEqual(messages.map(() => "delivered"))
      const writes = await host.query<{ outboxId: number; txid: string }>("SELECT outbox_id, txid FROM status_writes WHERE outbox_id = ANY($1::int[])", [
        messages.map((m) => m.outboxId)
      ])
      expect(writes.map((w) => w.outboxId).sort((a, b) => a - b)).toEqual(messages.map((m) => m.outboxId).sort((a, b) => a - b))
      expect(new Set(writes.map((w) => w.txid)).size).toBeLessThan(40)
      // Over HTTP too: 40 webhooks at once, one "read" each.
      const results = await Promise.all(messages.map((m) => post([status(m.waMessageId, m.from, "read")])))
      expect(results.flat()).toEqual(messages.map(() => "read"))
    } finally {
      await host.query("DROP TRIGGER note_status_write ON outbox")
    }
  })

  it("a callback that fails fails only itself: the rest of its statement is written again one by one, and Meta's retry succeeds", async () => {
    const messages = await Promise.all(Array.from({ length: 12 }, () => sentMessage()))
    const bad = messages[5]!
    await host.query(`
      CREATE OR REPLACE FUNCTION fail_marked_status() RETURNS trigger AS $$
      BEGIN IF NEW.wa_message_id = '${bad.waMessageId}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`)
    await host.query("CREATE TRIGGER fail_marked_status BEFORE UPDATE OF delivery_status ON outbox FOR EACH ROW EXECUTE FUNCTION fail_marked_status()")
    let dropped = false
    try {
      const service = await host.run(DeliveryStatuses)
      const exits = await host.run(
        Effect.forEach(messages, (m) => Effect.exit(service.process(statusEvent(m.waMessageId, m.from, "delivered"))), { concurrency: "unbounded" })
      )
      expect(exits.map((e) => e._tag)).toEqual(messages.map((m) => (m === bad ? "Failure" : "Success")))
      const rows = await host.query<{ id: number; deliveryStatus: string | null }>("SELECT id, delivery_status FROM outbox WHERE id = ANY($1::int[])", [
        messages.map((m) => m.outboxId)
      ])
      for (const row of rows) expect(row.deliveryStatus).toBe(row.id === bad.outboxId ? null : "delivered")
      // Over HTTP the bad one answers 500 (Meta retries); once the fault is gone, the retry is applied.
      expect((await host.whatsapp({ statuses: [status(bad.waMessageId, bad.from, "delivered")] })).status).toBe(500)
      await host.query("DROP TRIGGER fail_marked_status ON outbox")
      dropped = true
      expect(await post([status(bad.waMessageId, bad.from, "delivered")])).toEqual(["delivered"])
    } finally {
      if (!dropped) await host.query("DROP TRIGGER fail_marked_status ON outbox")
    }
  })
})
