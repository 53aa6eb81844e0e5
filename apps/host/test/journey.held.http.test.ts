import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { type TestHost, textMessage } from "../../../test/support/TestHost.js"
import { approve, type Journey, leadRow, listsTo, offered, postStripe, seedLead, settle, startJourney, templatesTo, textsTo } from "./support/journey.js"

/**
 * Messages held in the outbox for a closed 24-hour window were written for the lead's status at
 * the time. When the lead leaves that status, a held deposit link or slot list is obsolete and is
 * cancelled (with the reason); messages that still hold (the payment confirmation, the rejection)
 * go out as before.
 */
describe(`held messages made obsolete by a status change (${databaseKind})`, () => {
  let j: Journey
  let host: TestHost
  beforeAll(async () => {
    j = await startJourney()
    host = j.host
  }, 120_000)
  afterAll(async () => {
    await j?.close()
  })

  const closeWindow = (id: number) => host.query("UPDATE leads SET last_client_message_at = now() - interval '25 hours' WHERE id = $1", [id])
  const outboxOf = (id: number, kind: string) =>
    host.query<{ status: string; lastError: string | null; payload: { leadStatus?: string } }>(
      "SELECT status, last_error, payload FROM outbox WHERE lead_id = $1 AND kind = $2 ORDER BY id",
      [id, kind]
    )

  it("a deposit link held for the window is cancelled once the client pays; their next message does not release it", async () => {
    const { id, from } = await seedLead(host)
    await approve(host, id)
    await offered(host, id)
    await host.whatsapp({ messages: [textMessage(from, "1")] })
    // The window closes before the deposit link goes out: the template is sent, the link held.
    await closeWindow(id)
    await settle(host)
    const lead = await leadRow(host, id)
    expect(lead.stripeCheckoutUrl).toBeTruthy()
    const held = await outboxOf(id, "copy.deposit_link")
    expect(held.map((r) => [r.status, r.payload.leadStatus])).toEqual([["HELD", "AWAITING_DEPOSIT"]])

    // The client pays through the link they had from the template conversation.
    j.stripe.paySession(lead.stripeCheckoutSessionId!)
    expect((await postStripe(host, j.stripe.event("checkout.session.completed", lead.stripeCheckoutSessionId!))).status).toBe(200)
    await settle(host)
    expect((await leadRow(host, id)).status).toBe("BOOKING_PENDING")
    const cancelled = await outboxOf(id, "copy.deposit_link")
    expect(cancelled.map((r) => r.status)).toEqual(["CANCELLED"])
    expect(cancelled[0]!.lastError).toMatch(/obsolete.*AWAITING_DEPOSIT.*BOOKING_PENDING/)
    // The confirmation went out (as its template: the window is closed).
    expect(templatesTo(j.graph, from).at(-1)).toBe("deposit_received_next_steps")
    expect((await outboxOf(id, "copy.payment_confirmation")).map((r) => r.status)).toEqual(["SENT"])

    await host.whatsapp({ messages: [textMessage(from, "Thanks! See you then")] })
    await settle(host)
    expect(textsTo(j.graph, from).some((t) => t.includes(lead.stripeCheckoutUrl!))).toBe(false)
    expect((await outboxOf(id, "copy.deposit_link")).map((r) => r.status)).toEqual(["CANCELLED"])
    expect(await host.query("SELECT id FROM outbox WHERE lead_id = $1 AND status = 'HELD'", [id])).toEqual([])
  })

  it("a slot list held for the window is cancelled when the lead is rejected; the held rejection is not", async () => {
    const { id, from } = await seedLead(host)
    await closeWindow(id)
    await approve(host, id)
    await offered(host, id)
    expect(templatesTo(j.graph, from)).toEqual(["next_steps_reply_to_continue"])
    expect((await outboxOf(id, "slot_offer")).map((r) => r.status)).toEqual(["HELD"])

    const rejected = await host.admin("POST", `/admin/leads/${id}/reject`, { reason: "Not taking this style" })
    expect(rejected.status).toBe(200)
    await settle(host)
    const offer = await outboxOf(id, "slot_offer")
    expect(offer.map((r) => r.status)).toEqual(["CANCELLED"])
    expect(offer[0]!.lastError).toMatch(/obsolete.*AWAITING_DEPOSIT.*REJECTED/)

    expect((await outboxOf(id, "copy.rejected")).map((r) => r.status)).toEqual(["HELD"])

    await host.whatsapp({ messages: [textMessage(from, "hello?")] })
    await settle(host)
    expect(listsTo(j.graph, from)).toEqual([])
    expect((await outboxOf(id, "slot_offer")).map((r) => r.status)).toEqual(["CANCELLED"])
  })

  it("a held deposit link whose lead is still waiting for the deposit goes out when the client writes", async () => {
    const { id, from } = await seedLead(host)
    await approve(host, id)
    await offered(host, id)
    await host.whatsapp({ messages: [textMessage(from, "1")] })
    await closeWindow(id)
    await settle(host)
    const lead = await leadRow(host, id)
    expect((await outboxOf(id, "copy.deposit_link")).map((r) => r.status)).toEqual(["HELD"])
    await host.whatsapp({ messages: [textMessage(from, "ok")] })
    await settle(host)
    expect(textsTo(j.graph, from).some((t) => t.includes(lead.stripeCheckoutUrl!))).toBe(true)
    expect((await outboxOf(id, "copy.deposit_link")).map((r) => r.status)).toEqual(["SENT"])
  })
})
