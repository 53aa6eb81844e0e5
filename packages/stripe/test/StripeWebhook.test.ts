import { createHmac } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { type StripeSignatureProblem, signStripePayload, verifyStripeWebhook } from "../src/index.js"
import { checkoutSession, stripeEvent } from "./fixtures/events.js"

const SECRET = "whsec_test_5f1c9a0b7e2d4c6a8b0e1f2a3b4c5d6e"
const SIGNED_AT = 1796119260
const RECEIVED = new Date((SIGNED_AT + 5) * 1000)
// Non-ASCII on purpose: re-serialising the body (instead of using the raw bytes) would change them.
const BODY = JSON.stringify(
  stripeEvent("checkout.session.completed", checkoutSession({ metadata: { lead_id: "42", note: "Zoë 🐉 — café" } })),
  null,
  2
)

const reason = (result: ReturnType<typeof verifyStripeWebhook>): StripeSignatureProblem | "accepted" =>
  Either.isRight(result) ? "accepted" : result.left.reason

describe("signStripePayload", () => {
  it("produces Stripe's header format: t=<unix>,v1=HMAC-SHA256(secret, \"<t>.<payload>\")", () => {
    const expected = createHmac("sha256", SECRET).update(`${SIGNED_AT}.${BODY}`, "utf8").digest("hex")
    assert.strictEqual(signStripePayload(BODY, SECRET, SIGNED_AT), `t=${SIGNED_AT},v1=${expected}`)
    assert.strictEqual(signStripePayload(BODY, Redacted.make(SECRET), new Date(SIGNED_AT * 1000 + 999)), `t=${SIGNED_AT},v1=${expected}`)
  })
})

describe("verifyStripeWebhook", () => {
  const header = signStripePayload(BODY, SECRET, SIGNED_AT)

  it("accepts a valid delivery and returns the parsed event (string, bytes, Redacted secret)", () => {
    const fromString = verifyStripeWebhook(BODY, header, SECRET, { now: RECEIVED })
    const fromBytes = verifyStripeWebhook(new TextEncoder().encode(BODY), header, Redacted.make(SECRET), { now: RECEIVED })
    for (const result of [fromString, fromBytes]) {
      assert(Either.isRight(result))
      assert.strictEqual(result.right.id, "evt_1QxTattooEvent000000001")
      assert.strictEqual(result.right.type, "checkout.session.completed")
    }
  })

  it("rejects a tampered body", () => {
    const tampered = BODY.replace('"amount_total": 5000', '"amount_total": 1')
    assert.notStrictEqual(tampered, BODY)
    assert.strictEqual(reason(verifyStripeWebhook(tampered, header, SECRET, { now: RECEIVED })), "signature-mismatch")
  })

  it("rejects a body re-serialised after parsing (whitespace changed)", () => {
    const reserialised = JSON.stringify(JSON.parse(BODY))
    assert.strictEqual(reason(verifyStripeWebhook(reserialised, header, SECRET, { now: RECEIVED })), "signature-mismatch")
  })

  it("rejects a signature made with another secret", () => {
    const forged = signStripePayload(BODY, "whsec_someone_else", SIGNED_AT)
    assert.strictEqual(reason(verifyStripeWebhook(BODY, forged, SECRET, { now: RECEIVED })), "signature-mismatch")
  })

  it("rejects a timestamp older than the tolerance, and accepts it just inside", () => {
    const justInside = new Date((SIGNED_AT + 300) * 1000)
    const justOutside = new Date((SIGNED_AT + 301) * 1000)
    assert.strictEqual(reason(verifyStripeWebhook(BODY, header, SECRET, { now: justInside })), "accepted")
    assert.strictEqual(
      reason(verifyStripeWebhook(BODY, header, SECRET, { now: justOutside })),
      "timestamp-outside-tolerance"
    )
    const tenMinutes = new Date((SIGNED_AT + 600) * 1000)
    assert.strictEqual(
      reason(verifyStripeWebhook(BODY, header, SECRET, { now: tenMinutes, toleranceSeconds: 60 })),
      "timestamp-outside-tolerance"
    )
    assert.strictEqual(reason(verifyStripeWebhook(BODY, header, SECRET, { now: tenMinutes, toleranceSeconds: 900 })), "accepted")
  })

  it("refuses tolerance 0 (SDK 23 would skip the timestamp check) and other non-positive values", () => {
    const ancient = new Date((SIGNED_AT + 30 * 86_400) * 1000)
    for (const toleranceSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const result = verifyStripeWebhook(BODY, header, SECRET, { now: ancient, toleranceSeconds })
      assert.strictEqual(reason(result), "tolerance-invalid", String(toleranceSeconds))
    }
  })

  it("rejects missing and malformed headers", () => {
    assert.strictEqual(reason(verifyStripeWebhook(BODY, undefined, SECRET, { now: RECEIVED })), "header-missing")
    assert.strictEqual(reason(verifyStripeWebhook(BODY, "", SECRET, { now: RECEIVED })), "header-missing")
    const v0Only = header.replace("v1=", "v0=")
    for (const bad of ["nonsense", "t=abc", `v1=${"0".repeat(64)}`, `t=${SIGNED_AT}`, v0Only]) {
      assert.strictEqual(reason(verifyStripeWebhook(BODY, bad, SECRET, { now: RECEIVED })), "header-malformed", bad)
    }
    // A well-formed header whose v1 is wrong is a mismatch.
    assert.strictEqual(
      reason(verifyStripeWebhook(BODY, `t=${SIGNED_AT},v1=${"0".repeat(64)}`, SECRET, { now: RECEIVED })),
      "signature-mismatch"
    )
  })

  it("refuses to verify with an empty secret", () => {
    const emptyKeyHeader = signStripePayload(BODY, "x", SIGNED_AT)
    assert.strictEqual(reason(verifyStripeWebhook(BODY, emptyKeyHeader, "", { now: RECEIVED })), "secret-missing")
    assert.strictEqual(reason(verifyStripeWebhook(BODY, emptyKeyHeader, Redacted.make("  "), { now: RECEIVED })), "secret-missing")
  })

  it("a correctly signed body that is not a JSON event is still refused", () => {
    for (const [payload, expected] of [
      ["not json at all", "payload-not-json"],
      ["[1,2,3]", "payload-not-event"],
      ['{"id":"evt_1"}', "payload-not-event"],
      ["42", "payload-not-event"]
    ] as const) {
      const signed = signStripePayload(payload, SECRET, SIGNED_AT)
      assert.strictEqual(reason(verifyStripeWebhook(payload, signed, SECRET, { now: RECEIVED })), expected, payload)
    }
  })

  it("error messages never contain the secret", () => {
    const result = verifyStripeWebhook("tampered", header, SECRET, { now: RECEIVED })
    assert(Either.isLeft(result))
    assert.notInclude(`${result.left.message} ${JSON.stringify(result.left)}`, SECRET)
  })
})
