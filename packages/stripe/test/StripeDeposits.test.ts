import { assert, describe, it } from "@effect/vitest"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { type FakeStripe, type FakeStripeOptions, startFakeStripe } from "../../../test/fakes/stripe-api.js"
import { type DepositCheckoutRequest, depositIdempotencyKey, StripeDeposits } from "../src/index.js"

const SECRET = "sk_test_51TattooBotFakeKey"
const NOW = new Date("2026-12-01T10:00:00.000Z")
const NOW_S = NOW.getTime() / 1000

const withFake = (options: FakeStripeOptions = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => startFakeStripe({ secretKey: SECRET, now: () => NOW.getTime(), ...options })),
    (fake) => Effect.promise(() => fake.close())
  )

const depositsFor = (fake: FakeStripe, options: Partial<StripeDeposits.Options> = {}) =>
  StripeDeposits.make({ secretKey: Redacted.make(SECRET), apiBaseUrl: fake.baseUrl, ...options }).pipe(Effect.orDie)

const request = (overrides: Partial<DepositCheckoutRequest> = {}): DepositCheckoutRequest => ({
  leadId: 42,
  amountPence: 5000,
  description: "Tattoo deposit: lead #42",
  slot: { start: "2026-12-03T10:00:00.000Z", end: "2026-12-03T13:00:00.000Z" },
  expiresAt: new Date(NOW.getTime() + 2 * 3600_000),
  successUrl: "https://booking.example.test/deposit/success?session_id={CHECKOUT_SESSION_ID}",
  cancelUrl: "https://booking.example.test/deposit/cancelled",
  idempotencyKey: depositIdempotencyKey(42, 1),
  now: NOW,
  ...overrides
})

const sessionPosts = (fake: FakeStripe) =>
  fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions")

describe("StripeDeposits.createDepositCheckout (real SDK against the fake API)", () => {
  it.scopedLive("sends exactly the deposit session fields, the auth header and the idempotency key", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      const result = yield* deposits.createDepositCheckout(request())

      const [sent] = fake.requests
      assert.strictEqual(fake.requests.length, 1)
      assert(sent !== undefined)
      assert.strictEqual(sent.method, "POST")
      assert.strictEqual(sent.path, "/v1/checkout/sessions")
      assert.strictEqual(sent.headers.authorization, `Bearer ${SECRET}`)
      assert.strictEqual(sent.headers["idempotency-key"], "lead-42-deposit-1")
      assert.strictEqual(sent.headers["stripe-version"], "2026-10-28.endive")
      assert.strictEqual(sent.headers["content-type"], "application/x-www-form-urlencoded")

      const slotStart = "2026-12-03T10:00:00.000Z"
      const slotEnd = "2026-12-03T13:00:00.000Z"
      assert.deepStrictEqual(Object.fromEntries(sent.form), {
        mode: "payment",
        "line_items[0][price_data][currency]": "gbp",
        "line_items[0][price_data][unit_amount]": "5000",
        "line_items[0][price_data][product_data][name]": "Tattoo deposit: lead #42",
        "line_items[0][quantity]": "1",
        client_reference_id: "42",
        "metadata[lead_id]": "42",
        "metadata[slot_start]": slotStart,
        "metadata[slot_end]": slotEnd,
        "payment_intent_data[description]": "Tattoo deposit: lead #42",
        "payment_intent_data[metadata][lead_id]": "42",
        "payment_intent_data[metadata][slot_start]": slotStart,
        "payment_intent_data[metadata][slot_end]": slotEnd,
        expires_at: String(NOW_S + 7200),
        success_url: "https://booking.example.test/deposit/success?session_id={CHECKOUT_SESSION_ID}",
        cancel_url: "https://booking.example.test/deposit/cancelled"
      })

      const stored = fake.sessions.get(result.sessionId)
      assert(stored !== undefined)
      assert.match(result.sessionId, /^cs_test_/)
      assert.strictEqual(result.url, stored.url)
      assert.strictEqual(result.amountTotal, 5000)
      assert.strictEqual(result.currency, "gbp")
      assert.strictEqual(result.expiresAt.getTime(), NOW.getTime() + 7200_000)
    })
  )

  it.scopedLive("omits slot metadata without a slot and records the phone only when given", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      yield* deposits.createDepositCheckout(request({ slot: null, idempotencyKey: "a" }))
      yield* deposits.createDepositCheckout(request({ slot: undefined, customerPhone: "447700900123", idempotencyKey: "b" }))
      const [first, second] = sessionPosts(fake)
      assert.deepStrictEqual(first?.params.metadata, { lead_id: "42" })
      assert.deepStrictEqual(second?.params.metadata, { lead_id: "42", customer_phone: "447700900123" })
    })
  )

  it.scopedLive("clamps an expiry under 30 minutes up to 31 minutes, and Stripe accepts it", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      const result = yield* deposits.createDepositCheckout(request({ expiresAt: new Date(NOW.getTime() + 5 * 60_000) }))
      assert.strictEqual(sessionPosts(fake)[0]?.form.get("expires_at"), String(NOW_S + 31 * 60))
      assert.strictEqual(result.expiresAt.getTime(), NOW.getTime() + 31 * 60_000)
    })
  )

  it.scopedLive("clamps an expiry beyond 24 hours down to 23 h 59 min, given as an ISO string", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      const later = new Date(NOW.getTime() + 48 * 3600_000).toISOString()
      yield* deposits.createDepositCheckout(request({ expiresAt: later }))
      assert.strictEqual(sessionPosts(fake)[0]?.form.get("expires_at"), String(NOW_S + 24 * 3600 - 60))
    })
  )

  it.scopedLive("reads now from the Clock when none is passed", () =>
    Effect.gen(function* () {
      const fake = yield* withFake({ now: Date.now })
      const deposits = yield* depositsFor(fake)
      const before = Math.floor(Date.now() / 1000)
      // 10 minutes is too soon: the clamp must be computed from the live clock to land at now + 31 min.
      yield* deposits.createDepositCheckout(request({ now: undefined, expiresAt: new Date(Date.now() + 600_000) }))
      const after = Math.ceil(Date.now() / 1000)
      const sent = Number(sessionPosts(fake)[0]?.form.get("expires_at"))
      assert(sent >= before + 31 * 60 && sent <= after + 31 * 60, `expires_at ${sent} not 31 min after ${before}..${after}`)
    })
  )

  it.scopedLive("the same idempotency key sent twice yields one session", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      const first = yield* deposits.createDepositCheckout(request())
      const second = yield* deposits.createDepositCheckout(request())
      assert.strictEqual(second.sessionId, first.sessionId)
      assert.strictEqual(fake.sessions.size, 1)
      assert.strictEqual(sessionPosts(fake).length, 2)
    })
  )

  it.scopedLive("SDK retries after 500s reuse the idempotency key and create one session", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake, { maxNetworkRetries: 2 })
      fake.failNext(500, undefined, 2)
      const result = yield* deposits.createDepositCheckout(request())
      const attempts = sessionPosts(fake)
      assert.deepStrictEqual(
        attempts.map((r) => [r.status, r.idempotencyKey]),
        [
          [500, "lead-42-deposit-1"],
          [500, "lead-42-deposit-1"],
          [200, "lead-42-deposit-1"]
        ]
      )
      assert.deepStrictEqual([...fake.sessions.keys()], [result.sessionId])
    })
  )

  it.scopedLive("500s beyond the retry budget fail as a retryable StripeRequestFailed", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake, { maxNetworkRetries: 1 })
      fake.failNext(500, undefined, 2)
      const error = yield* Effect.flip(deposits.createDepositCheckout(request()))
      assert.strictEqual(error._tag, "StripeRequestFailed")
      if (error._tag !== "StripeRequestFailed") return
      assert.strictEqual(error.status, 500)
      assert.strictEqual(error.type, "api_error")
      assert.strictEqual(error.retryable, true)
      assert.strictEqual(error.operation, "createDepositCheckout")
      assert.match(error.requestId ?? "", /^req_/)
      assert.strictEqual(sessionPosts(fake).length, 2)
      assert.strictEqual(fake.sessions.size, 0)
    })
  )

  it.scopedLive("a 400 is mapped with Stripe's type, code and param, and not retried", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake, { maxNetworkRetries: 2 })
      fake.failNext(400, {
        error: {
          type: "invalid_request_error",
          code: "parameter_invalid_integer",
          param: "line_items[0][price_data][unit_amount]",
          message: "Invalid integer: 50.5"
        }
      })
      const error = yield* Effect.flip(deposits.createDepositCheckout(request()))
      assert.deepInclude(error, {
        _tag: "StripeRequestFailed",
        status: 400,
        type: "invalid_request_error",
        code: "parameter_invalid_integer",
        param: "line_items[0][price_data][unit_amount]",
        retryable: false,
        message: "Invalid integer: 50.5"
      })
      assert.strictEqual(fake.requests.length, 1)
    })
  )

  it.scopedLive("a 429 is retryable for the caller but not retried by the SDK", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake, { maxNetworkRetries: 2 })
      fake.failNext(429)
      const error = yield* Effect.flip(deposits.createDepositCheckout(request()))
      assert.deepInclude(error, { _tag: "StripeRequestFailed", status: 429, type: "rate_limit_error", retryable: true })
      assert.strictEqual(fake.requests.length, 1)
    })
  )

  it.scopedLive("a rejected secret key is StripeAuthFailed, without retries", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* StripeDeposits.make({
        secretKey: Redacted.make("sk_test_wrong"),
        apiBaseUrl: fake.baseUrl,
        maxNetworkRetries: 2
      }).pipe(Effect.orDie)
      const error = yield* Effect.flip(deposits.createDepositCheckout(request()))
      assert.deepInclude(error, { _tag: "StripeAuthFailed", status: 401, operation: "createDepositCheckout" })
      assert.strictEqual(fake.requests.length, 1)
    })
  )

  it.scopedLive("re-using a key with a different amount is StripeIdempotencyConflict", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      yield* deposits.createDepositCheckout(request())
      const error = yield* Effect.flip(deposits.createDepositCheckout(request({ amountPence: 7500 })))
      assert.deepInclude(error, { _tag: "StripeIdempotencyConflict", idempotencyKey: "lead-42-deposit-1", status: 400 })
      assert.strictEqual(fake.sessions.size, 1)
    })
  )

  it.scopedLive("a 409 idempotency_error (request in flight) is StripeIdempotencyConflict too", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake, { maxNetworkRetries: 0 })
      fake.failNext(409, { error: { type: "idempotency_error", message: "There is currently another in-progress request" } })
      const error = yield* Effect.flip(deposits.createDepositCheckout(request()))
      assert.deepInclude(error, { _tag: "StripeIdempotencyConflict", status: 409 })
    })
  )

  it.scopedLive("connection refused is StripeConnectionFailed", () =>
    Effect.gen(function* () {
      const fake = yield* Effect.promise(() => startFakeStripe())
      yield* Effect.promise(() => fake.close())
      const deposits = yield* depositsFor(fake, { maxNetworkRetries: 0 })
      const error = yield* Effect.flip(deposits.createDepositCheckout(request()))
      assert.deepInclude(error, { _tag: "StripeConnectionFailed", timedOut: false, operation: "createDepositCheckout" })
    })
  )

  it.scopedLive("a slow answer past timeoutMs is StripeConnectionFailed with timedOut", () =>
    Effect.gen(function* () {
      const fake = yield* withFake({ latencyMs: 1000 })
      const deposits = yield* depositsFor(fake, { maxNetworkRetries: 0, timeoutMs: 100 })
      const started = Date.now()
      const error = yield* Effect.flip(deposits.createDepositCheckout(request()))
      assert.deepInclude(error, { _tag: "StripeConnectionFailed", timedOut: true })
      assert(Date.now() - started < 900, "the timeout did not cut the request short")
    })
  )

  it.scopedLive("a 2xx that is not the session we asked for is StripeResponseInvalid", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake, { maxNetworkRetries: 0 })
      fake.failNext(200, { hello: "world" })
      const notASession = yield* Effect.flip(deposits.createDepositCheckout(request({ idempotencyKey: "x1" })))
      assert.strictEqual(notASession._tag, "StripeResponseInvalid")
      fake.failNext(200, {
        id: "cs_test_wrongamount",
        object: "checkout.session",
        url: "https://checkout.stripe.com/c/pay/cs_test_wrongamount",
        status: "open",
        payment_status: "unpaid",
        amount_total: 500,
        currency: "gbp",
        expires_at: NOW_S + 7200
      })
      const wrongAmount = yield* Effect.flip(deposits.createDepositCheckout(request({ idempotencyKey: "x2" })))
      assert.strictEqual(wrongAmount._tag, "StripeResponseInvalid")
      assert.include(wrongAmount.message, "expected 5000 gbp")
    })
  )

  it.scopedLive("rejects bad arguments before sending anything", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      const bad: ReadonlyArray<Partial<DepositCheckoutRequest>> = [
        { amountPence: 0 },
        { amountPence: 12.5 },
        { amountPence: 29 },
        { leadId: -1 },
        { leadId: 1.5 },
        { description: "   " },
        { successUrl: "booking.example.test/ok" },
        { cancelUrl: "javascript:alert(1)" },
        { slot: { start: "2026-12-03T13:00:00Z", end: "2026-12-03T10:00:00Z" } },
        { slot: { start: "tuesday", end: "2026-12-03T10:00:00Z" } },
        { idempotencyKey: "" },
        { idempotencyKey: "k".repeat(256) },
        { expiresAt: "not a date" },
        { now: new Date(Number.NaN) }
      ]
      for (const overrides of bad) {
        const error = yield* Effect.flip(deposits.createDepositCheckout(request(overrides)))
        assert.strictEqual(error._tag, "StripeCheckoutInvalid", JSON.stringify(overrides))
      }
      assert.strictEqual(fake.requests.length, 0)
    })
  )
})

describe("StripeDeposits.retrieveCheckout / expireCheckout", () => {
  it.scopedLive("retrieves a session with its lead and slot, by GET and without an idempotency key", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      const created = yield* deposits.createDepositCheckout(request())
      const session = yield* deposits.retrieveCheckout(created.sessionId)
      assert.deepInclude(session, {
        sessionId: created.sessionId,
        status: "open",
        paymentStatus: "unpaid",
        amountTotal: 5000,
        currency: "gbp",
        leadId: 42,
        paymentIntentId: null,
        slot: { start: "2026-12-03T10:00:00.000Z", end: "2026-12-03T13:00:00.000Z" }
      })
      const get = fake.requests[1]
      assert.strictEqual(get?.method, "GET")
      assert.strictEqual(get?.path, `/v1/checkout/sessions/${created.sessionId}`)
      assert.strictEqual(get?.headers["idempotency-key"], undefined)
    })
  )

  it.scopedLive("an unknown session is a 404 resource_missing", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      const error = yield* Effect.flip(deposits.retrieveCheckout("cs_test_doesnotexist"))
      assert.deepInclude(error, {
        _tag: "StripeRequestFailed",
        operation: "retrieveCheckout",
        status: 404,
        code: "resource_missing",
        retryable: false
      })
    })
  )

  it.scopedLive("expires an open session, and a second release returns the expired session", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      const created = yield* deposits.createDepositCheckout(request())
      const expired = yield* deposits.expireCheckout(created.sessionId)
      assert.strictEqual(expired.status, "expired")
      assert.strictEqual(expired.url, null)
      assert.strictEqual(fake.sessions.get(created.sessionId)?.status, "expired")
      const again = yield* deposits.expireCheckout(created.sessionId)
      assert.strictEqual(again.status, "expired")
      assert.deepStrictEqual(
        fake.requests.slice(1).map((r) => `${r.method} ${r.path.replace(created.sessionId, ":id")} ${r.status}`),
        [
          "POST /v1/checkout/sessions/:id/expire 200",
          "POST /v1/checkout/sessions/:id/expire 400",
          "GET /v1/checkout/sessions/:id 200"
        ]
      )
    })
  )

  it.scopedLive("releasing a session the client already paid reports it as complete and paid", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      const created = yield* deposits.createDepositCheckout(request())
      fake.paySession(created.sessionId, { paymentIntentId: "pi_3PaidBeforeRelease" })
      const session = yield* deposits.expireCheckout(created.sessionId)
      assert.deepInclude(session, { status: "complete", paymentStatus: "paid", paymentIntentId: "pi_3PaidBeforeRelease" })
    })
  )

  it.scopedLive("expiring an unknown session fails instead of pretending", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      const error = yield* Effect.flip(deposits.expireCheckout("cs_test_unknown"))
      assert.deepInclude(error, { _tag: "StripeRequestFailed", status: 404, operation: "expireCheckout" })
    })
  )

  it.scopedLive("refuses something that is not a session id without a request", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const deposits = yield* depositsFor(fake)
      for (const id of ["", "pi_123", "cs_test_../../v1/charges", "cs_test_a b"]) {
        const retrieve = yield* Effect.flip(deposits.retrieveCheckout(id))
        const expire = yield* Effect.flip(deposits.expireCheckout(id))
        assert.strictEqual(retrieve._tag, "StripeCheckoutInvalid")
        assert.strictEqual(expire._tag, "StripeCheckoutInvalid")
      }
      assert.strictEqual(fake.requests.length, 0)
    })
  )
})

describe("StripeDeposits layers", () => {
  it.scopedLive("layerConfig reads the key and base URL from Config", () =>
    Effect.gen(function* () {
      const fake = yield* withFake()
      const layer = StripeDeposits.layerConfig({
        secretKey: Config.redacted("STRIPE_SECRET_KEY"),
        apiBaseUrl: Config.string("STRIPE_API_BASE_URL"),
        maxNetworkRetries: Config.integer("STRIPE_MAX_RETRIES")
      }).pipe(
        Layer.provide(
          Layer.setConfigProvider(
            ConfigProvider.fromMap(
              new Map([
                ["STRIPE_SECRET_KEY", SECRET],
                ["STRIPE_API_BASE_URL", fake.baseUrl],
                ["STRIPE_MAX_RETRIES", "0"]
              ])
            )
          )
        )
      )
      const result = yield* Effect.flatMap(StripeDeposits, (deposits) => deposits.createDepositCheckout(request())).pipe(
        Effect.provide(layer)
      )
      assert.strictEqual(fake.sessions.has(result.sessionId), true)
      assert.strictEqual(fake.requests[0]?.headers.authorization, `Bearer ${SECRET}`)
    })
  )

  it.effect("invalid options fail as ConfigError naming the option", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<[Partial<StripeDeposits.Options>, string]> = [
        [{ apiBaseUrl: "127.0.0.1:4010" }, "apiBaseUrl"],
        [{ apiBaseUrl: "ftp://127.0.0.1:4010" }, "apiBaseUrl"],
        [{ apiBaseUrl: "http://127.0.0.1:4010/stripe" }, "apiBaseUrl"],
        [{ maxNetworkRetries: -1 }, "maxNetworkRetries"],
        [{ maxNetworkRetries: 1.5 }, "maxNetworkRetries"],
        [{ timeoutMs: 0 }, "timeoutMs"],
        [{ secretKey: Redacted.make(" ") }, "secretKey"]
      ]
      for (const [options, option] of cases) {
        const error = yield* Effect.flip(
          Layer.build(StripeDeposits.layer({ secretKey: Redacted.make(SECRET), ...options })).pipe(Effect.scoped)
        )
        assert.strictEqual(error._op, "InvalidData", JSON.stringify(options))
        if (error._op === "InvalidData") assert.deepStrictEqual(error.path, [option])
      }
    })
  )
})
