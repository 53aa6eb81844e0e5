import { randomUUID } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { startTestHost, type TestHost } from "../../../test/support/TestHost.js"
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
})
