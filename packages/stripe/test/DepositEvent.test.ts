import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { decodeStripeEvent, signStripePayload, verifyStripeWebhook } from "../src/index.js"
import { charge, checkoutSession, PAYMENT_INTENT_ID, SESSION_ID, stripeEvent } from "./fixtures/events.js"

const CREATED = new Date(1796119260 * 1000)
const SLOT = { start: "2026-12-03T10:00:00.000Z", end: "2026-12-03T13:00:00.000Z" }

const decoded = (event: unknown) => {
  const result = decodeStripeEvent(event)
  assert(Either.isRight(result), Either.isLeft(result) ? result.left.message : "")
  return result.right
}

const invalid = (event: unknown) => {
  const result = decodeStripeEvent(event)
  assert(Either.isLeft(result), `expected StripeEventInvalid, got ${JSON.stringify(Either.getOrUndefined(result))}`)
  assert.strictEqual(result.left._tag, "StripeEventInvalid")
  return result.left
}

describe("decodeStripeEvent: handled types", () => {
  it("checkout.session.completed (paid)", () => {
    assert.deepStrictEqual(decoded(stripeEvent("checkout.session.completed", checkoutSession())), {
      _tag: "CheckoutCompleted",
      eventId: "evt_1QxTattooEvent000000001",
      sessionId: SESSION_ID,
      leadId: 42,
      paymentStatus: "paid",
      amountTotal: 5000,
      currency: "gbp",
      paymentIntentId: PAYMENT_INTENT_ID,
      slot: SLOT,
      created: CREATED
    })
  })

  it("checkout.session.completed with a delayed method is unpaid, with an expanded PaymentIntent", () => {
    const event = stripeEvent(
      "checkout.session.completed",
      checkoutSession({ payment_status: "unpaid", payment_intent: { id: "pi_3Expanded", object: "payment_intent" } })
    )
    const result = decoded(event)
    assert.strictEqual(result._tag, "CheckoutCompleted")
    if (result._tag !== "CheckoutCompleted") return
    assert.strictEqual(result.paymentStatus, "unpaid")
    assert.strictEqual(result.paymentIntentId, "pi_3Expanded")
  })

  it("checkout.session.async_payment_succeeded and async_payment_failed", () => {
    const succeeded = decoded(stripeEvent("checkout.session.async_payment_succeeded", checkoutSession()))
    const failed = decoded(
      stripeEvent("checkout.session.async_payment_failed", checkoutSession({ payment_status: "unpaid" }), {
        id: "evt_1Failed"
      })
    )
    assert.deepInclude(succeeded, { _tag: "AsyncPaymentSucceeded", leadId: 42, amountTotal: 5000, paymentStatus: "paid" })
    assert.deepInclude(failed, { _tag: "AsyncPaymentFailed", eventId: "evt_1Failed", leadId: 42, paymentStatus: "unpaid" })
  })

  it("checkout.session.expired", () => {
    const session = checkoutSession({ status: "expired", payment_status: "unpaid", payment_intent: null, url: null })
    assert.deepStrictEqual(decoded(stripeEvent("checkout.session.expired", session)), {
      _tag: "CheckoutExpired",
      eventId: "evt_1QxTattooEvent000000001",
      sessionId: SESSION_ID,
      leadId: 42,
      slot: SLOT,
      created: CREATED
    })
  })

  it("charge.refunded, full and partial, with and without our metadata", () => {
    assert.deepStrictEqual(decoded(stripeEvent("charge.refunded", charge())), {
      _tag: "ChargeRefunded",
      eventId: "evt_1QxTattooEvent000000001",
      chargeId: "ch_3QxTattooDeposit0001abcd",
      paymentIntentId: PAYMENT_INTENT_ID,
      amountRefunded: 5000,
      currency: "gbp",
      fullyRefunded: true,
      leadId: 42,
      created: CREATED
    })
    const partial = decoded(stripeEvent("charge.refunded", charge({ amount_refunded: 2000, refunded: false, metadata: {} })))
    assert.deepInclude(partial, { _tag: "ChargeRefunded", amountRefunded: 2000, fullyRefunded: false })
    assert.notProperty(partial, "leadId")
  })

  it("uses metadata.lead_id when client_reference_id is absent, and the reverse", () => {
    const metadataOnly = checkoutSession({ client_reference_id: null })
    const referenceOnly = checkoutSession({ metadata: {} })
    assert.deepInclude(decoded(stripeEvent("checkout.session.completed", metadataOnly)), { leadId: 42 })
    assert.deepInclude(decoded(stripeEvent("checkout.session.completed", referenceOnly)), { leadId: 42, slot: null })
  })

  it("a half-written slot is read as no slot rather than refusing a payment", () => {
    const session = checkoutSession({ metadata: { lead_id: "42", slot_start: "2026-12-03T10:00:00.000Z" } })
    assert.deepInclude(decoded(stripeEvent("checkout.session.completed", session)), { slot: null })
  })

  it("other event types are Ignored with their id and type", () => {
    const event = stripeEvent("payment_intent.succeeded", { id: PAYMENT_INTENT_ID, object: "payment_intent" }, { id: "evt_1Other" })
    assert.deepStrictEqual(decoded(event), { _tag: "Ignored", eventId: "evt_1Other", type: "payment_intent.succeeded" })
    // Names that exist on every object's prototype must not be mistaken for handled types.
    assert.deepInclude(decoded(stripeEvent("constructor", {})), { _tag: "Ignored", type: "constructor" })
    assert.deepInclude(decoded(stripeEvent("toString", {})), { _tag: "Ignored" })
  })
})

describe("decodeStripeEvent: invalid events are typed errors, never crashes", () => {
  it("a session without any lead id", () => {
    const error = invalid(
      stripeEvent("checkout.session.completed", checkoutSession({ client_reference_id: null, metadata: {} }))
    )
    assert.strictEqual(error.eventId, "evt_1QxTattooEvent000000001")
    assert.strictEqual(error.type, "checkout.session.completed")
    assert.include(error.message, "no lead id")
  })

  it("lead ids that are not positive integers", () => {
    for (const raw of ["1.5", "0", "-3", " 42", "42abc", "4e1", "99999999999999999999"]) {
      const session = checkoutSession({ client_reference_id: raw, metadata: { lead_id: raw } })
      const error = invalid(stripeEvent("checkout.session.expired", session))
      assert.include(error.message, "malformed lead id", raw)
    }
  })

  it("client_reference_id and metadata.lead_id naming different leads", () => {
    const session = checkoutSession({ client_reference_id: "42", metadata: { lead_id: "43" } })
    assert.include(invalid(stripeEvent("checkout.session.completed", session)).message, "two leads")
  })

  it("a completed session without amount or currency", () => {
    invalid(stripeEvent("checkout.session.completed", checkoutSession({ amount_total: null })))
    invalid(stripeEvent("checkout.session.async_payment_succeeded", checkoutSession({ currency: null })))
  })

  it("a handled type whose object is something else", () => {
    invalid(stripeEvent("checkout.session.completed", charge()))
    invalid(stripeEvent("charge.refunded", checkoutSession()))
    invalid(stripeEvent("checkout.session.completed", checkoutSession({ payment_status: "refunded_somehow" })))
  })

  it("a refund on a charge without a PaymentIntent", () => {
    assert.include(invalid(stripeEvent("charge.refunded", charge({ payment_intent: null }))).message, "no payment_intent")
  })

  it("things that are not events at all", () => {
    for (const value of [null, 42, "evt", [], {}, { id: "evt_1", type: "x" }, { id: 1, type: "x", created: 1, data: { object: {} } }]) {
      invalid(value)
    }
    const partial = invalid({ id: "evt_1Partial", type: "checkout.session.completed" })
    assert.strictEqual(partial.eventId, "evt_1Partial")
  })
})

describe("verify then decode", () => {
  it("a signed delivery of a paid session becomes CheckoutCompleted", () => {
    const body = JSON.stringify(stripeEvent("checkout.session.completed", checkoutSession()))
    const header = signStripePayload(body, "whsec_e2e", 1796119260)
    const result = Either.flatMap(
      Either.mapLeft(verifyStripeWebhook(body, header, "whsec_e2e", { now: new Date(1796119261_000) }), (e) => e.message),
      (event) => Either.mapLeft(decodeStripeEvent(event), (e) => e.message)
    )
    assert.deepInclude(Either.getOrThrow(result), { _tag: "CheckoutCompleted", leadId: 42, amountTotal: 5000 })
  })
})
