import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { eventually, type TestHost, textMessage } from "../../../test/support/TestHost.js"
import { ARTIST_NUMBER, approve, body, checkoutRequests, type Journey, leadRow, offered, postStripe, seedLead, settle, startJourney, textsTo } from "./support/journey.js"

/** One Stripe event as the fake builds it (`fake.event(...)`). */
type StripeEvent = Record<string, unknown> & { id: string; data: { object: Record<string, unknown> } }

describe(`Stripe webhook on the deposit journey (${databaseKind})`, () => {
  let j: Journey
  let host: TestHost
  beforeAll(async () => {
    j = await startJourney()
    host = j.host
  }, 120_000)
  afterAll(async () => {
    await j?.close()
  })

  /** A lead with a held slot and an open Checkout Session. */
  const leadWithCheckout = async () => {
    const lead = await seedLead(host)
    await approve(host, lead.id)
    await offered(host, lead.id)
    await host.whatsapp({ messages: [textMessage(lead.from, "1")] })
    await settle(host)
    const row = await leadRow(host, lead.id)
    if (row.stripeCheckoutSessionId === null) throw new Error(`no checkout for lead ${lead.id}`)
    return { ...lead, sessionId: row.stripeCheckoutSessionId }
  }

  const event = (type: string, sessionId: string) => j.stripe.event(type, sessionId) as StripeEvent
  const count = async (sql: string, params: ReadonlyArray<unknown>) => (await host.query<{ n: number }>(sql, params))[0]!.n
  const holdStates = async (id: number) => (await host.query<{ state: string }>("SELECT state FROM slot_holds WHERE lead_id = $1 ORDER BY id", [id])).map((h) => h.state)

  it("processes one event id once, also when it arrives 20 times at once", async () => {
    const lead = await leadWithCheckout()
    j.stripe.paySession(lead.sessionId)
    const paid = event("checkout.session.completed", lead.sessionId)
    const responses = await Promise.all(Array.from({ length: 20 }, () => postStripe(host, paid)))
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200))
    const again = await postStripe(host, paid)
    expect(again.status).toBe(200)
    expect((await body(again)).type).toBe("duplicate")
    expect(await count("SELECT count(*)::int AS n FROM stripe_events WHERE event_id = $1", [paid.id])).toBe(1)
    expect(await count("SELECT count(*)::int AS n FROM lead_events WHERE lead_id = $1 AND event = 'DepositPaid'", [lead.id])).toBe(1)
    await settle(host)
    expect(await count("SELECT count(*)::int AS n FROM outbox WHERE lead_id = $1 AND kind = 'copy.payment_confirmation'", [lead.id])).toBe(1)
    expect(await count("SELECT count(*)::int AS n FROM outbox WHERE lead_id = $1 AND kind = 'create_hold'", [lead.id])).toBe(1)
    expect((await leadRow(host, lead.id)).status).toBe("BOOKING_PENDING")
    // The same payment again under a new event id (Stripe resends differently) is recorded, not re-applied.
    const resent = event("checkout.session.completed", lead.sessionId)
    expect((await postStripe(host, resent)).status).toBe(200)
    expect(await count("SELECT count(*)::int AS n FROM outbox WHERE lead_id = $1 AND kind = 'copy.payment_confirmation'", [lead.id])).toBe(1)
  })

  it("never moves a paid lead backwards when the expiry arrives after the payment", async () => {
    const lead = await leadWithCheckout()
    j.stripe.paySession(lead.sessionId)
    expect((await postStripe(host, event("checkout.session.completed", lead.sessionId))).status).toBe(200)
    const late = await postStripe(host, event("checkout.session.expired", lead.sessionId))
    expect(late.status).toBe(200)
    expect((await body(late)).outcome).toBe("not_applied")
    expect((await leadRow(host, lead.id)).status).toBe("BOOKING_PENDING")
    expect(await holdStates(lead.id)).toEqual(["BOOKED"])
  })

  it("flags a wrong amount to the artist and does not apply it", async () => {
    const lead = await leadWithCheckout()
    j.stripe.paySession(lead.sessionId)
    const wrong = event("checkout.session.completed", lead.sessionId)
    wrong.data.object.amount_total = 100
    expect((await postStripe(host, wrong)).status).toBe(200)
    const row = await leadRow(host, lead.id)
    expect(row.status).toBe("AWAITING_DEPOSIT")
    expect(row.depositPaid).toBe(false)
    expect(row.flaggedReason).toMatch(/payment_amount_mismatch/)
    await settle(host)
    expect(textsTo(j.graph, ARTIST_NUMBER).some((t) => t.includes(`Lead #${lead.id}`) && t.includes("Needs your decision"))).toBe(true)
    expect(await holdStates(lead.id)).toEqual(["HELD"])
  })

  it("answers a bad signature with 400 and changes nothing", async () => {
    const lead = await leadWithCheckout()
    j.stripe.paySession(lead.sessionId)
    const paid = event("checkout.session.completed", lead.sessionId)
    const wrongSecret = await postStripe(host, paid, "whsec_not_the_secret")
    expect(wrongSecret.status).toBe(400)
    expect((await body(wrongSecret)).error).toBe("invalid_signature")
    const missing = await fetch(`${host.url}/webhooks/stripe`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(paid) })
    expect(missing.status).toBe(400)
    expect(await count("SELECT count(*)::int AS n FROM stripe_events WHERE event_id = $1", [paid.id])).toBe(0)
    expect((await leadRow(host, lead.id)).status).toBe("AWAITING_DEPOSIT")
  })

  it("releases the hold on checkout.session.expired, and keeps and flags a payment that arrives after it", async () => {
    const lead = await leadWithCheckout()
    const expired = await postStripe(host, event("checkout.session.expired", lead.sessionId))
    expect(expired.status).toBe(200)
    expect((await body(expired)).status).toBe("DEPOSIT_EXPIRED")
    expect(await holdStates(lead.id)).toEqual(["RELEASED"])
    await settle(host)
    expect(textsTo(j.graph, lead.from).some((t) => /deposit link has expired/i.test(t))).toBe(true)
    expect(textsTo(j.graph, ARTIST_NUMBER).some((t) => t.includes(`Lead #${lead.id}`) && t.includes("expired"))).toBe(true)

    j.stripe.paySession(lead.sessionId)
    const late = event("checkout.session.completed", lead.sessionId)
    expect((await postStripe(host, late)).status).toBe(200)
    const row = await leadRow(host, lead.id)
    expect(row.status).toBe("DEPOSIT_EXPIRED")
    expect(row.flaggedReason).toMatch(/payment_in_unexpected_status/)
    expect(await count("SELECT count(*)::int AS n FROM stripe_events WHERE event_id = $1", [late.id])).toBe(1)
    await settle(host)
    expect(textsTo(j.graph, ARTIST_NUMBER).some((t) => t.includes(`Lead #${lead.id}`) && t.includes("Needs your decision"))).toBe(true)
  })

  it("refunds a paid lead on charge.refunded and deletes its calendar event", async () => {
    const lead = await leadWithCheckout()
    j.stripe.paySession(lead.sessionId)
    await postStripe(host, event("checkout.session.completed", lead.sessionId))
    await settle(host)
    const calendarEvent = j.google.calendar.events.find((e) => e.extendedProperties?.private?.leadId === String(lead.id))
    expect(calendarEvent?.status).toBe("tentative")
    const refunded = await postStripe(host, j.stripe.event("charge.refunded", lead.sessionId))
    expect(refunded.status).toBe(200)
    expect((await body(refunded)).status).toBe("REFUNDED")
    await settle(host)
    expect(calendarEvent?.status).toBe("cancelled")
    expect(await holdStates(lead.id)).toEqual(["RELEASED"])
    expect(textsTo(j.graph, ARTIST_NUMBER).some((t) => t.includes(`Lead #${lead.id}`) && t.includes("refunded"))).toBe(true)
  })

  it("waits for an async payment: succeeded books it, failed tells the artist and keeps the lead", async () => {
    const lead = await leadWithCheckout()
    const pending = await postStripe(host, event("checkout.session.completed", lead.sessionId))
    expect((await body(pending)).outcome).toBe("pending")
    expect((await leadRow(host, lead.id)).status).toBe("AWAITING_DEPOSIT")
    j.stripe.paySession(lead.sessionId)
    const succeeded = await postStripe(host, event("checkout.session.async_payment_succeeded", lead.sessionId))
    expect((await body(succeeded)).status).toBe("BOOKING_PENDING")

    const other = await leadWithCheckout()
    const failed = await postStripe(host, event("checkout.session.async_payment_failed", other.sessionId))
    expect(failed.status).toBe(200)
    expect((await leadRow(host, other.id)).status).toBe("AWAITING_DEPOSIT")
    await settle(host)
    expect(textsTo(j.graph, ARTIST_NUMBER).some((t) => t.includes(`Lead #${other.id}`) && t.includes("payment failed"))).toBe(true)
    expect(await count("SELECT count(*)::int AS n FROM system_events WHERE lead_id = $1 AND event_type = 'payment.failed'", [other.id])).toBe(1)
  })

  it("creates one Checkout Session per deposit attempt even when Stripe fails and the send is retried", async () => {
    const lead = await seedLead(host)
    await approve(host, lead.id)
    await offered(host, lead.id)
    // The SDK retries twice itself; the third 500 makes the outbox retry with the same idempotency key.
    j.stripe.failNext(500, undefined, 3)
    await host.whatsapp({ messages: [textMessage(lead.from, "1")] })
    await settle(host)
    expect((await leadRow(host, lead.id)).stripeCheckoutSessionId).toBeNull()
    const row = await leadRow(host, lead.id)
    expect(row.chosenSlotStart).not.toBeNull()
    await eventually(async () => {
      await settle(host)
      return (await leadRow(host, lead.id)).stripeCheckoutSessionId
    }, 30_000)
    const requests = checkoutRequests(j.stripe, lead.id)
    expect(new Set(requests.map((r) => r.idempotencyKey))).toEqual(new Set([`lead-${lead.id}-deposit-1`]))
    expect([...j.stripe.sessions.values()].filter((s) => s.client_reference_id === String(lead.id)).length).toBe(1)
  })
})

describe(`send-deposit with the calendar disabled (${databaseKind})`, () => {
  let j: Journey
  let host: TestHost
  beforeAll(async () => {
    j = await startJourney({ FEATURE_CALENDAR_ENABLED: "false" })
    host = j.host
  }, 120_000)
  afterAll(async () => {
    await j?.close()
  })

  it("sends a deposit link directly, with the amount override, and refuses a lead in the wrong status with 400", async () => {
    const lead = await seedLead(host)
    const early = await host.admin("POST", `/admin/leads/${lead.id}/send-deposit`, { amount_pence: 9_900 })
    expect(early.status).toBe(400)
    expect(await body(early)).toEqual({ error: "invalid_transition", message: "Cannot send deposit for lead in status PENDING_APPROVAL" })
    expect(checkoutRequests(j.stripe, lead.id)).toEqual([])

    await approve(host, lead.id)
    expect((await leadRow(host, lead.id)).offeredSlots).toBeNull()
    expect(j.google.requestsTo("/calendar/v3/")).toEqual([])
    const sent = await host.admin("POST", `/admin/leads/${lead.id}/send-deposit`, { amount_pence: 9_900 })
    expect(sent.status).toBe(200)
    await settle(host)
    const created = checkoutRequests(j.stripe, lead.id)
    expect(created.length).toBe(1)
    const params = created[0]!.params as { line_items: Array<{ price_data: { unit_amount: string; currency: string } }>; metadata: Record<string, string> }
    expect(params.line_items[0]!.price_data).toMatchObject({ unit_amount: "9900", currency: "gbp" })
    expect(params.metadata.slot_start).toBeUndefined()
    const row = await leadRow(host, lead.id)
    expect(row.depositAmountPence).toBe(9_900)
    expect(textsTo(j.graph, lead.from).some((t) => t.includes(row.stripeCheckoutUrl!) && t.includes("99.00"))).toBe(true)

    const bad = await host.admin("POST", `/admin/leads/${lead.id}/send-deposit`, { amount_pence: -5 })
    expect(bad.status).toBe(400)
    const missing = await host.admin("POST", "/admin/leads/999999/send-deposit", {})
    expect(missing.status).toBe(404)
  })
})
