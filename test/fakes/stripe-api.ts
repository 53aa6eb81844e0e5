/**
 * A fake of the Stripe API's Checkout Session endpoints, on plain `node:http`, for tests and demos that
 * run the real `stripe` SDK (or `@tattoo-bot/stripe`) against a local server.
 *
 * ```ts
 * import { startFakeStripe } from "../../test/fakes/stripe-api.js"
 * const fake = await startFakeStripe()                 // random port on 127.0.0.1
 * // point the SDK at it: StripeDeposits.layer({ secretKey, apiBaseUrl: fake.baseUrl })
 * //                  or: new Stripe(key, { host: "127.0.0.1", port: fake.port, protocol: "http" })
 * fake.requests        // every request in arrival order: method, path, headers, rawBody, form, params, status
 * fake.sessions        // Map of session id → the session object as the fake stores it
 * fake.failNext(500, undefined, 2)   // the next 2 requests (any endpoint) get a 500 api_error
 * fake.paySession(id)                 // the client paid: status complete, payment_status paid, a PaymentIntent
 * fake.event("checkout.session.completed", id)  // a realistic event object for that session, ready to sign
 * await fake.close()
 * ```
 *
 * Implemented:
 * - `POST /v1/checkout/sessions` (form body, parsed with `URLSearchParams` into nested params). Checks what
 *   Stripe checks for our use: `mode=payment`, line items with `price_data` (currency, integer
 *   `unit_amount`, product name) and `quantity`, one currency, `success_url`, metadata values ≤ 500
 *   chars, and `expires_at` 30 min – 24 h after creation (measured on the fake's `now`). Answers a
 *   realistic `checkout.session` (`id: cs_test_…`, `url`, `amount_total`, `currency`, `expires_at`,
 *   `client_reference_id`, `metadata`, `status: "open"`, `payment_status: "unpaid"`, …).
 * - `Idempotency-Key` as Stripe does it: the same key with the same body replays the stored answer
 *   (header `idempotent-replayed: true`, no second session); the same key with a different body is a 400
 *   `idempotency_error`. Only successful answers are stored; injected failures (`failNext`) are treated as
 *   failures before execution, so a retry with the same key goes through.
 * - `GET /v1/checkout/sessions/:id` (404 `resource_missing` when unknown).
 * - `POST /v1/checkout/sessions/:id/expire` (open → expired; otherwise 400 `invalid_request_error`).
 * - Auth: `Authorization: Bearer <key>`. With `secretKey` set only that key is accepted, otherwise any
 *   `sk_`/`rk_` test or live key; else 401 `authentication_error`.
 * - Every answer carries a `request-id` header (`req_…`), which the SDK exposes as `requestId`.
 * Anything else is a 404 `invalid_request_error` ("Unrecognized request URL").
 */
import { randomBytes } from "node:crypto"
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

/** One request as the fake received it. */
export interface FakeStripeRequest {
  readonly method: string
  /** Path without the query string, e.g. `/v1/checkout/sessions`. */
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  /** The body exactly as sent (form-encoded for POSTs). */
  readonly rawBody: string
  /** The body parsed flat: `form.get("metadata[lead_id]")`. */
  readonly form: URLSearchParams
  /** The body parsed into nested objects/arrays: `params.line_items[0].price_data.unit_amount` (all values are strings). */
  readonly params: Record<string, unknown>
  readonly idempotencyKey: string | undefined
  /** The HTTP status the fake answered with. */
  status: number
}

/** A stored Checkout Session (the JSON the fake answers with). */
export type FakeCheckoutSession = Record<string, unknown> & {
  id: string
  object: "checkout.session"
  status: "open" | "complete" | "expired"
  payment_status: "paid" | "unpaid" | "no_payment_required"
  amount_total: number
  currency: string
  expires_at: number
  created: number
  url: string | null
  client_reference_id: string | null
  metadata: Record<string, string>
  payment_intent: string | null
}

export interface FakeStripeOptions {
  /** Accept only this secret key. Default: any key that looks like a Stripe secret or restricted key. */
  readonly secretKey?: string
  /** The fake's clock in ms (session `created`, `expires_at` validation). Default `Date.now`. */
  readonly now?: () => number
  /** Delay before every answer, in ms (e.g. to exercise client timeouts). Default 0. */
  readonly latencyMs?: number
  /** Port to listen on; default 0 (a free one). */
  readonly port?: number
}

export interface FakeStripe {
  /** `http://127.0.0.1:<port>`: pass as `apiBaseUrl`. */
  readonly baseUrl: string
  readonly host: string
  readonly port: number
  readonly requests: Array<FakeStripeRequest>
  readonly sessions: Map<string, FakeCheckoutSession>
  /** The next `times` requests (default 1), whatever the endpoint, get `status` with `body` (default: a Stripe-shaped error for that status). */
  failNext(status: number, body?: unknown, times?: number, headers?: Record<string, string>): void
  /** Changes the delay before every answer. */
  setLatency(ms: number): void
  /** Marks a session as paid (as if the client completed Checkout) and returns it. */
  paySession(sessionId: string, options?: { readonly paymentIntentId?: string }): FakeCheckoutSession
  /**
   * A realistic Stripe event object for a session: `checkout.session.*` snapshot the session as it is now;
   * `charge.refunded` builds the charge of its PaymentIntent (pay the session first). Sign `JSON.stringify(event)`.
   */
  event(
    type: string,
    sessionId: string,
    options?: { readonly id?: string; readonly created?: number; readonly amountRefunded?: number }
  ): Record<string, unknown>
  close(): Promise<void>
}

const ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
const randomId = (length: number) =>
  Array.from(randomBytes(length), (byte) => ALPHANUM[byte % ALPHANUM.length]).join("")

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"])

/** Parses Stripe's bracketed form keys (`a[b][0][c]=v`) into nested objects and arrays. */
const parseNested = (form: URLSearchParams): Record<string, unknown> => {
  const root: Record<string, unknown> = {}
  for (const [key, value] of form) {
    const path = key.replace(/\]/g, "").split("[")
    if (path.some((segment) => UNSAFE_KEYS.has(segment))) continue
    let node: Record<string, unknown> = root
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        node[segment] = value
        return
      }
      const next = path[index + 1] ?? ""
      if (typeof node[segment] !== "object" || node[segment] === null) {
        node[segment] = /^\d+$/.test(next) ? [] : {}
      }
      node = node[segment] as Record<string, unknown>
    })
  }
  return root
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined
const asString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)
const asInt = (value: unknown): number | undefined =>
  typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : undefined

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "card_error",
  403: "permission_error",
  404: "invalid_request_error",
  409: "idempotency_error",
  429: "rate_limit_error"
}

const defaultErrorBody = (status: number) => ({
  error: {
    type: ERROR_TYPES[status] ?? "api_error",
    message: status >= 500 ? "An unknown error occurred (injected by the fake)." : `Injected ${status} from the fake.`
  }
})

interface Answer {
  readonly status: number
  readonly body: unknown
  readonly headers?: Record<string, string>
}

const stripeError = (status: number, type: string, message: string, extra: Record<string, string> = {}): Answer => ({
  status,
  body: { error: { type, message, ...extra } }
})

/** Starts the fake on 127.0.0.1; see the module comment for what it implements. */
export const startFakeStripe = async (options: FakeStripeOptions = {}): Promise<FakeStripe> => {
  const now = options.now ?? Date.now
  let latencyMs = options.latencyMs ?? 0
  const requests: Array<FakeStripeRequest> = []
  const sessions = new Map<string, FakeCheckoutSession>()
  const paymentIntentMetadata = new Map<string, Record<string, string>>()
  const idempotent = new Map<string, { readonly fingerprint: string; readonly answer: Answer }>()
  const failures: Array<Answer> = []

  const authorised = (headers: IncomingHttpHeaders): boolean => {
    const match = /^Bearer (.+)$/.exec(headers.authorization ?? "")
    const key = match?.[1]
    if (key === undefined) return false
    return options.secretKey === undefined ? /^(sk|rk)_(test|live)_\S+$/.test(key) : key === options.secretKey
  }

  const createSession = (params: Record<string, unknown>): Answer => {
    if (params.mode !== "payment") {
      return stripeError(400, "invalid_request_error", "This fake only implements `mode=payment`.", { param: "mode" })
    }
    const items = params.line_items
    if (!Array.isArray(items) || items.length === 0) {
      return stripeError(400, "invalid_request_error", "Missing required param: line_items.", { param: "line_items" })
    }
    let amount = 0
    let currency: string | undefined
    for (const [index, item] of items.entries()) {
      const priceData = asRecord(asRecord(item)?.price_data)
      const unitAmount = asInt(priceData?.unit_amount)
      const quantity = asInt(asRecord(item)?.quantity)
      const itemCurrency = asString(priceData?.currency)
      const name = asString(asRecord(priceData?.product_data)?.name)
      if (unitAmount === undefined || unitAmount < 0) {
        return stripeError(400, "invalid_request_error", "Invalid integer: unit_amount.", {
          param: `line_items[${index}][price_data][unit_amount]`,
          code: "parameter_invalid_integer"
        })
      }
      if (quantity === undefined || quantity < 1) {
        return stripeError(400, "invalid_request_error", "Invalid quantity.", { param: `line_items[${index}][quantity]` })
      }
      if (itemCurrency === undefined || (currency !== undefined && currency !== itemCurrency)) {
        return stripeError(400, "invalid_request_error", "All line items must share one currency.", {
          param: `line_items[${index}][price_data][currency]`
        })
      }
      if (name === undefined || name === "") {
        return stripeError(400, "invalid_request_error", "Missing required param: product_data[name].", {
          param: `line_items[${index}][price_data][product_data][name]`
        })
      }
      currency = itemCurrency
      amount += unitAmount * quantity
    }
    const successUrl = asString(params.success_url)
    if (successUrl === undefined) {
      return stripeError(400, "invalid_request_error", "Missing required param: success_url.", { param: "success_url" })
    }
    const metadata = (asRecord(params.metadata) ?? {}) as Record<string, string>
    if (Object.values(metadata).some((value) => value.length > 500)) {
      return stripeError(400, "invalid_request_error", "Metadata values can have up to 500 characters.", { param: "metadata" })
    }
    const created = Math.floor(now() / 1000)
    const requestedExpiry = params.expires_at === undefined ? created + 86_400 : asInt(params.expires_at)
    if (requestedExpiry === undefined || requestedExpiry < created + 1800 || requestedExpiry > created + 86_400) {
      return stripeError(
        400,
        "invalid_request_error",
        "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
        { param: "expires_at" }
      )
    }
    const id = `cs_test_a1${randomId(56)}`
    const session: FakeCheckoutSession = {
      id,
      object: "checkout.session",
      after_expiration: null,
      allow_promotion_codes: null,
      amount_subtotal: amount,
      amount_total: amount,
      automatic_tax: { enabled: false, liability: null, provider: null, status: null },
      billing_address_collection: null,
      cancel_url: asString(params.cancel_url) ?? null,
      client_reference_id: asString(params.client_reference_id) ?? null,
      client_secret: null,
      consent: null,
      consent_collection: null,
      created,
      currency: currency ?? "gbp",
      custom_fields: [],
      custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
      customer: null,
      customer_creation: "if_required",
      customer_details: null,
      customer_email: null,
      discounts: [],
      expires_at: requestedExpiry,
      invoice: null,
      livemode: false,
      locale: null,
      metadata,
      mode: "payment",
      payment_intent: null,
      payment_link: null,
      payment_method_collection: "if_required",
      payment_method_options: {},
      payment_method_types: ["card"],
      payment_status: "unpaid",
      phone_number_collection: { enabled: false },
      recovered_from: null,
      shipping_address_collection: null,
      shipping_cost: null,
      shipping_options: [],
      status: "open",
      submit_type: null,
      subscription: null,
      success_url: successUrl,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: "hosted",
      url: `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`
    }
    sessions.set(id, session)
    const intentMetadata = asRecord(asRecord(params.payment_intent_data)?.metadata) as Record<string, string> | undefined
    paymentIntentMetadata.set(id, intentMetadata ?? {})
    return { status: 200, body: session }
  }

  const route = (request: FakeStripeRequest): Answer => {
    if (!authorised(request.headers)) {
      return stripeError(
        401,
        "authentication_error",
        "You did not provide a valid API key. Provide it with an Authorization: Bearer header."
      )
    }
    const { method, path } = request
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const key = request.idempotencyKey
      const fingerprint = `${method} ${path} ${request.rawBody}`
      const stored = key === undefined ? undefined : idempotent.get(key)
      if (stored !== undefined) {
        if (stored.fingerprint !== fingerprint) {
          return stripeError(
            400,
            "idempotency_error",
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`
          )
        }
        return { ...stored.answer, headers: { "idempotent-replayed": "true" } }
      }
      const answer = createSession(request.params)
      if (key !== undefined && answer.status === 200) idempotent.set(key, { fingerprint, answer })
      return answer
    }
    const match = /^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/.exec(path)
    const sessionId = match?.[1] === undefined ? undefined : decodeURIComponent(match[1])
    if (sessionId !== undefined) {
      const session = sessions.get(sessionId)
      const expire = match?.[2] !== undefined
      if ((method === "GET" && !expire) || (method === "POST" && expire)) {
        if (session === undefined) {
          return stripeError(404, "invalid_request_error", `No such checkout.session: '${sessionId}'`, {
            code: "resource_missing",
            param: "session"
          })
        }
        if (expire) {
          if (session.status !== "open") {
            return stripeError(
              400,
              "invalid_request_error",
              `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`
            )
          }
          session.status = "expired"
          session.url = null
        }
        return { status: 200, body: session }
      }
    }
    return stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`)
  }

  const handle = (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Array<Buffer> = []
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
    incoming.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8")
      const url = new URL(incoming.url ?? "/", "http://fake.invalid")
      const form = new URLSearchParams(rawBody)
      const idempotencyHeader = incoming.headers["idempotency-key"]
      const request: FakeStripeRequest = {
        method: incoming.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        rawBody,
        form,
        params: parseNested(form),
        idempotencyKey: typeof idempotencyHeader === "string" ? idempotencyHeader : undefined,
        status: 0
      }
      requests.push(request)
      const answer = failures.shift() ?? route(request)
      request.status = answer.status
      const send = () => {
        if (response.destroyed) return
        response.writeHead(answer.status, {
          "content-type": "application/json",
          "request-id": `req_${randomId(14)}`,
          "stripe-version": String(incoming.headers["stripe-version"] ?? ""),
          ...answer.headers
        })
        response.end(JSON.stringify(answer.body))
      }
      if (latencyMs > 0) setTimeout(send, latencyMs)
      else send()
    })
  }

  const server = createServer(handle)
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  const requireSession = (sessionId: string): FakeCheckoutSession => {
    const session = sessions.get(sessionId)
    if (session === undefined) throw new Error(`The fake has no session ${sessionId}`)
    return session
  }

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    requests,
    sessions,
    failNext(status, body, times = 1, headers) {
      for (let i = 0; i < times; i++) {
        failures.push({ status, body: body ?? defaultErrorBody(status), ...(headers ? { headers } : {}) })
      }
    },
    setLatency(ms) {
      latencyMs = ms
    },
    paySession(sessionId, payOptions) {
      const session = requireSession(sessionId)
      session.status = "complete"
      session.payment_status = "paid"
      session.url = null
      session.payment_intent = payOptions?.paymentIntentId ?? `pi_3${randomId(23)}`
      session.customer_details = { email: "client@example.test", name: "Test Client", phone: null, tax_exempt: "none" }
      return session
    },
    event(type, sessionId, eventOptions) {
      const session = requireSession(sessionId)
      const created = eventOptions?.created ?? Math.floor(now() / 1000)
      let object: Record<string, unknown>
      if (type === "charge.refunded") {
        if (session.payment_intent === null) throw new Error(`Session ${sessionId} is not paid; call paySession first`)
        const refunded = eventOptions?.amountRefunded ?? session.amount_total
        object = {
          id: `ch_3${randomId(23)}`,
          object: "charge",
          amount: session.amount_total,
          amount_captured: session.amount_total,
          amount_refunded: refunded,
          captured: true,
          created,
          currency: session.currency,
          livemode: false,
          metadata: paymentIntentMetadata.get(sessionId) ?? {},
          paid: true,
          payment_intent: session.payment_intent,
          refunded: refunded >= session.amount_total,
          status: "succeeded"
        }
      } else {
        object = structuredClone(session)
      }
      return {
        id: eventOptions?.id ?? `evt_1${randomId(23)}`,
        object: "event",
        api_version: "2026-10-28.endive",
        created,
        data: { object },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type
      }
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        // The SDK keeps sockets alive; close them so the server can stop now.
        server.closeAllConnections()
      })
    }
  }
}
