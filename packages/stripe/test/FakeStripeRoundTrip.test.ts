import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as Redacted from "effect/Redacted"
import { startFakeStripe } from "../../../test/fakes/stripe-api.js"
import { decodeStripeEvent, signStripePayload, StripeDeposits, verifyStripeWebhook } from "../src/index.js"

const SECRET = "sk_test_roundtrip"
const WEBHOOK_SECRET = Redacted.make("whsec_roundtrip")

describe("create → pay → signed webhook → decode, with the shared fake", () => {
  it.scopedLive("the fake's events decode to the session we created", () =>
    Effect.gen(function* () {
      const fake = yield* Effect.acquireRelease(
        Effect.promise(() => startFakeStripe({ secretKey: SECRET })),
        (f) => Effect.promise(() => f.close())
      )
      const deposits = yield* StripeDeposits.make({ secretKey: Redacted.make(SECRET), apiBaseUrl: fake.baseUrl })
      const created = yield* deposits.createDepositCheckout({
        leadId: 7,
        amountPence: 15000,
        description: "Tattoo deposit: lead #7",
        slot: { start: "2026-12-04T14:00:00Z", end: "2026-12-04T16:00:00Z" },
        expiresAt: new Date(Date.now() + 3600_000),
        successUrl: "https://booking.example.test/ok",
        cancelUrl: "https://booking.example.test/cancel",
        idempotencyKey: "lead-7-deposit-1"
      })
      fake.paySession(created.sessionId, { paymentIntentId: "pi_3RoundTrip" })

      const deliver = (event: Record<string, unknown>) => {
        const body = JSON.stringify(event)
        const verified = verifyStripeWebhook(body, signStripePayload(body, WEBHOOK_SECRET), WEBHOOK_SECRET)
        assert(Either.isRight(verified))
        return Either.getOrThrow(decodeStripeEvent(verified.right))
      }

      assert.deepInclude(deliver(fake.event("checkout.session.completed", created.sessionId)), {
        _tag: "CheckoutCompleted",
        sessionId: created.sessionId,
        leadId: 7,
        paymentStatus: "paid",
        amountTotal: 15000,
        currency: "gbp",
        paymentIntentId: "pi_3RoundTrip",
        slot: { start: "2026-12-04T14:00:00Z", end: "2026-12-04T16:00:00Z" }
      })
      assert.deepInclude(deliver(fake.event("charge.refunded", created.sessionId, { amountRefunded: 5000 })), {
        _tag: "ChargeRefunded",
        paymentIntentId: "pi_3RoundTrip",
        amountRefunded: 5000,
        fullyRefunded: false,
        leadId: 7
      })
    })
  )
})

describe("decodeStripeEvent on arbitrary input", () => {
  it("never throws, whatever JSON arrives", () => {
    const handledTypes = fc.constantFrom(
      "checkout.session.completed",
      "checkout.session.expired",
      "checkout.session.async_payment_failed",
      "charge.refunded",
      "invoice.paid"
    )
    const eventLike = fc.record({
      id: fc.oneof(fc.string(), fc.integer()),
      type: fc.oneof(handledTypes, fc.string()),
      created: fc.oneof(fc.integer(), fc.string()),
      data: fc.record({ object: fc.jsonValue() })
    })
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), eventLike), (value) => {
        const result = decodeStripeEvent(value)
        assert(Either.isEither(result))
        // Anything decoded as a deposit event must have come from one of the handled types.
        if (Either.isRight(result) && result.right._tag !== "Ignored") {
          assert.include(["checkout.session.completed", "checkout.session.expired", "checkout.session.async_payment_failed", "charge.refunded"], (value as { type: string }).type)
        }
      })
    )
  })
})
