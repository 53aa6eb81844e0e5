import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { afterAll, bench, describe } from "vitest"
import { startFakeStripe } from "../../../test/fakes/stripe-api.js"
import { decodeStripeEvent, signStripePayload, StripeDeposits, verifyStripeWebhook } from "../src/index.js"
import { checkoutSession, stripeEvent } from "../test/fixtures/events.js"

const WEBHOOK_SECRET = "whsec_bench_0123456789abcdef"
const BODY = JSON.stringify(stripeEvent("checkout.session.completed", checkoutSession()))
const SIGNED_AT = 1796119260
const HEADER = signStripePayload(BODY, WEBHOOK_SECRET, SIGNED_AT)
const RECEIVED = new Date((SIGNED_AT + 1) * 1000)
const PARSED = JSON.parse(BODY) as unknown

describe(`webhook (${BODY.length}-byte checkout.session.completed)`, () => {
  bench("baseline: JSON.parse of the body", () => {
    JSON.parse(BODY)
  })
  bench("verifyStripeWebhook", () => {
    if (Either.isLeft(verifyStripeWebhook(BODY, HEADER, WEBHOOK_SECRET, { now: RECEIVED }))) throw new Error("rejected")
  })
  bench("decodeStripeEvent", () => {
    if (Either.isLeft(decodeStripeEvent(PARSED))) throw new Error("invalid")
  })
  bench("verify + decode", () => {
    const verified = verifyStripeWebhook(BODY, HEADER, WEBHOOK_SECRET, { now: RECEIVED })
    if (Either.isLeft(verified) || Either.isLeft(decodeStripeEvent(verified.right))) throw new Error("failed")
  })
})

const SECRET = "sk_test_bench"
const fake = await startFakeStripe({ secretKey: SECRET })
const deposits = await Effect.runPromise(
  StripeDeposits.make({ secretKey: Redacted.make(SECRET), apiBaseUrl: fake.baseUrl, maxNetworkRetries: 0 })
)
afterAll(() => fake.close())

let counter = 0
const FORM =
  "mode=payment&line_items[0][price_data][currency]=gbp&line_items[0][price_data][unit_amount]=5000" +
  "&line_items[0][price_data][product_data][name]=Deposit&line_items[0][quantity]=1&client_reference_id=42" +
  "&success_url=https%3A%2F%2Fbooking.example.test%2Fok"

describe("createDepositCheckout over HTTP to the local fake (sequential)", () => {
  bench("baseline: plain fetch POST of a session form to the fake", async () => {
    const response = await fetch(`${fake.baseUrl}/v1/checkout/sessions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${SECRET}`,
        "content-type": "application/x-www-form-urlencoded",
        "idempotency-key": `fetch-${counter++}`
      },
      body: FORM
    })
    await response.json()
  })
  bench("StripeDeposits.createDepositCheckout (SDK + validation + decoding)", async () => {
    const n = counter++
    await Effect.runPromise(
      deposits.createDepositCheckout({
        leadId: 42,
        amountPence: 5000,
        description: "Tattoo deposit: lead #42",
        slot: { start: "2026-12-03T10:00:00Z", end: "2026-12-03T13:00:00Z" },
        expiresAt: new Date(Date.now() + 3600_000),
        successUrl: "https://booking.example.test/ok",
        cancelUrl: "https://booking.example.test/cancel",
        idempotencyKey: `lead-42-deposit-${n}`
      })
    )
  })
})
