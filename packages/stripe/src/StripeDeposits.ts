import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { identity } from "effect/Function"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import Stripe from "stripe"
import { checkoutParams } from "./internal/checkoutParams.js"
import { CheckoutSessionObject, paymentIntentIdOf, slotOf } from "./internal/checkoutSession.js"
import { mapStripeError } from "./internal/errorMapping.js"
import { clampExpiresAt } from "./CheckoutExpiry.js"
import { resolveLeadId } from "./internal/leadId.js"
import {
  type StripeAuthFailed,
  StripeCheckoutInvalid,
  type StripeConnectionFailed,
  type StripeIdempotencyConflict,
  type StripeOperation,
  StripeRequestFailed,
  StripeResponseInvalid
} from "./StripeErrors.js"

/** Stripe deposits for leads: creates, reads and expires GBP Checkout Sessions through the official SDK. */
export class StripeDeposits extends Context.Tag("@tattoo-bot/stripe/StripeDeposits")<
  StripeDeposits,
  StripeDeposits.Service
>() {
  /** Builds the service from plain options; invalid options fail with a `ConfigError` naming the option. */
  static readonly make = (options: StripeDeposits.Options): Effect.Effect<StripeDeposits.Service, ConfigError.ConfigError> =>
    make(options)

  /** A layer from plain options (the secret key as a `Redacted`). */
  static readonly layer = (options: StripeDeposits.Options): Layer.Layer<StripeDeposits, ConfigError.ConfigError> =>
    Layer.effect(StripeDeposits, make(options))

  /** A layer from `Config` values, e.g. `{ secretKey: Config.redacted("STRIPE_SECRET_KEY") }`. */
  static readonly layerConfig = (
    config: Config.Config.Wrap<StripeDeposits.Options>
  ): Layer.Layer<StripeDeposits, ConfigError.ConfigError> =>
    Layer.effect(StripeDeposits, Effect.flatMap(Config.unwrap(config), make))
}

export declare namespace StripeDeposits {
  /** How to reach Stripe. */
  export interface Options {
    readonly secretKey: Redacted.Redacted<string>
    /** Where the API lives, e.g. `http://127.0.0.1:4010` for a local fake. Only the origin is used. Default: Stripe. */
    readonly apiBaseUrl?: string | undefined
    /** SDK retries on connection errors, 409 and 5xx; the idempotency key is reused on each. Default 2. */
    readonly maxNetworkRetries?: number | undefined
    /** Per-attempt timeout. Default 80 000 ms (the SDK's). */
    readonly timeoutMs?: number | undefined
  }

  /** The calls the booking flow needs. */
  export interface Service {
    /** Creates the deposit Checkout Session for a lead (one GBP line item, lead id and slot in metadata). */
    readonly createDepositCheckout: (
      request: DepositCheckoutRequest
    ) => Effect.Effect<DepositCheckout, StripeCallError | StripeCheckoutInvalid>
    /** Reads a Checkout Session, e.g. to reconcile after a missed webhook. */
    readonly retrieveCheckout: (sessionId: string) => Effect.Effect<CheckoutSession, StripeCallError | StripeCheckoutInvalid>
    /**
     * Ends an open Checkout Session so it can no longer be paid (the hold was released). A session that is
     * already expired or complete is returned as it is, so releasing twice is harmless and a payment that
     * won the race shows up as `status: "complete"`.
     */
    readonly expireCheckout: (sessionId: string) => Effect.Effect<CheckoutSession, StripeCallError | StripeCheckoutInvalid>
  }
}

/** The failures of a call that reached (or tried to reach) Stripe. */
export type StripeCallError =
  | StripeRequestFailed
  | StripeConnectionFailed
  | StripeAuthFailed
  | StripeIdempotencyConflict
  | StripeResponseInvalid

/** What the booking flow asks for when it needs a deposit link. */
export interface DepositCheckoutRequest {
  readonly leadId: number
  /** The deposit in pence (GBP minor units): 5000 is £50.00. At least 30 (Stripe's GBP minimum). */
  readonly amountPence: number
  readonly currency?: "gbp" | undefined
  /** Shown to the client on the Checkout page, e.g. "Tattoo deposit: lead #42". */
  readonly description: string
  /** The held slot (ISO 8601 instants), stored in metadata so the payment can be matched to the hold. */
  readonly slot?: { readonly start: string; readonly end: string } | null | undefined
  /** When the link should stop working (normally the end of the hold); clamped into Stripe's 30 min – 24 h window. */
  readonly expiresAt: Date | string
  readonly successUrl: string
  readonly cancelUrl: string
  /** Deterministic per deposit attempt (see `depositIdempotencyKey`), so a retried send never makes a second session. */
  readonly idempotencyKey: string
  /** Stored in metadata when given, for reconciliation by the artist. */
  readonly customerPhone?: string | undefined
  /** The clock reading to clamp against; defaults to the `Clock` service. */
  readonly now?: Date | undefined
}

/** The created session: what the client gets sent and what the hold should be aligned with. */
export interface DepositCheckout {
  readonly sessionId: string
  readonly url: string
  /** The expiry Stripe stored (after clamping). */
  readonly expiresAt: Date
  /** In pence, as Stripe computed it; always equal to the requested amount. */
  readonly amountTotal: number
  readonly currency: "gbp"
}

/** A Checkout Session as read back from Stripe. */
export interface CheckoutSession {
  readonly sessionId: string
  readonly url: string | null
  readonly status: "open" | "complete" | "expired" | null
  readonly paymentStatus: "paid" | "unpaid" | "no_payment_required"
  readonly amountTotal: number | null
  readonly currency: string | null
  readonly expiresAt: Date
  /** From `client_reference_id` or `metadata.lead_id`; null when absent, malformed or contradictory. */
  readonly leadId: number | null
  readonly paymentIntentId: string | null
  readonly slot: { readonly start: string; readonly end: string } | null
  readonly metadata: Readonly<Record<string, string>>
}

/** The idempotency key for the `attempt`-th deposit session of a lead: `lead-<id>-deposit-<attempt>`. */
export const depositIdempotencyKey = (leadId: number, attempt: number): string => `lead-${leadId}-deposit-${attempt}`

// ---------------------------------------------------------------------------------------------------
// validation

const HttpUrl = Schema.String.pipe(
  Schema.filter(
    (value) => {
      try {
        const url = new URL(value)
        return url.protocol === "https:" || url.protocol === "http:"
      } catch {
        return false
      }
    },
    { message: () => "must be an absolute http(s) URL" }
  )
)

const Instant = Schema.String.pipe(
  Schema.filter((value) => !Number.isNaN(Date.parse(value)), { message: () => "must be an ISO 8601 instant" })
)

const Slot = Schema.Struct({ start: Instant, end: Instant }).pipe(
  Schema.filter((slot) => Date.parse(slot.end) > Date.parse(slot.start), {
    message: () => "slot end must be after its start"
  })
)

const AnyDate = Schema.Union(Schema.ValidDateFromSelf, Schema.Date)

// Stripe's Checkout metadata values are capped at 500 characters and keys for idempotency at 255.
const Request = Schema.Struct({
  leadId: Schema.Int.pipe(Schema.positive()),
  amountPence: Schema.Int.pipe(Schema.between(30, 99_999_999)),
  currency: Schema.optional(Schema.Literal("gbp")),
  description: Schema.Trim.pipe(Schema.nonEmptyString(), Schema.maxLength(500)),
  slot: Schema.optional(Schema.NullOr(Slot)),
  expiresAt: AnyDate,
  successUrl: HttpUrl,
  cancelUrl: HttpUrl,
  idempotencyKey: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255)),
  customerPhone: Schema.optional(Schema.String.pipe(Schema.nonEmptyString(), Schema.maxLength(500))),
  now: Schema.optional(Schema.ValidDateFromSelf)
})

const decodeRequest = Schema.decodeUnknownEither(Request)
const decodeSessionObject = Schema.decodeUnknownEither(CheckoutSessionObject)

const SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/

const invalid = (operation: StripeOperation, message: string) => new StripeCheckoutInvalid({ operation, message })

const checkSessionId = (operation: StripeOperation, sessionId: string) =>
  SESSION_ID.test(sessionId)
    ? Effect.void
    : Effect.fail(invalid(operation, `sessionId ${JSON.stringify(sessionId.slice(0, 80))} is not a Checkout Session id (cs_…)`))

// ---------------------------------------------------------------------------------------------------
// client configuration

const optionError = (option: string, message: string) => ConfigError.InvalidData([option], message)

/** Turns our options into the SDK's config, refusing values the SDK would silently misread. */
const clientConfig = (options: StripeDeposits.Options): Either.Either<Stripe.StripeConfig, ConfigError.ConfigError> => {
  const config: Stripe.StripeConfig = { appInfo: { name: "@tattoo-bot/stripe" } }
  if (Redacted.value(options.secretKey).trim() === "") {
    return Either.left(optionError("secretKey", "The Stripe secret key is empty"))
  }
  if (options.apiBaseUrl !== undefined) {
    let url: URL
    try {
      url = new URL(options.apiBaseUrl)
    } catch {
      return Either.left(optionError("apiBaseUrl", `Expected an absolute URL, got ${JSON.stringify(options.apiBaseUrl)}`))
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return Either.left(optionError("apiBaseUrl", `Expected http or https, got ${url.protocol}`))
    }
    // The SDK always requests /v1/...: a path here would be dropped without a word, so refuse it.
    if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
      return Either.left(optionError("apiBaseUrl", `Only an origin is supported (no path), got ${options.apiBaseUrl}`))
    }
    const protocol = url.protocol === "http:" ? "http" : "https"
    config.protocol = protocol
    config.host = url.hostname.replace(/^\[(.*)\]$/, "$1")
    config.port = url.port === "" ? (protocol === "http" ? 80 : 443) : Number(url.port)
  }
  if (options.maxNetworkRetries !== undefined) {
    if (!Number.isInteger(options.maxNetworkRetries) || options.maxNetworkRetries < 0 || options.maxNetworkRetries > 10) {
      return Either.left(optionError("maxNetworkRetries", "Expected an integer between 0 and 10"))
    }
    config.maxNetworkRetries = options.maxNetworkRetries
  } else {
    config.maxNetworkRetries = 2
  }
  if (options.timeoutMs !== undefined) {
    if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) {
      return Either.left(optionError("timeoutMs", "Expected a positive integer number of milliseconds"))
    }
    config.timeout = options.timeoutMs
  }
  return Either.right(config)
}

// ---------------------------------------------------------------------------------------------------
// service

const toView = (session: CheckoutSessionObject): CheckoutSession => {
  const metadata = session.metadata ?? {}
  const lead = resolveLeadId(session.client_reference_id, metadata.lead_id)
  return {
    sessionId: session.id,
    url: session.url,
    status: session.status,
    paymentStatus: session.payment_status,
    amountTotal: session.amount_total,
    currency: session.currency,
    expiresAt: new Date(session.expires_at * 1000),
    leadId: lead._tag === "Found" ? lead.leadId : null,
    paymentIntentId: paymentIntentIdOf(session),
    slot: slotOf(session.metadata),
    metadata
  }
}

const make = (options: StripeDeposits.Options): Effect.Effect<StripeDeposits.Service, ConfigError.ConfigError> =>
  Effect.gen(function* () {
    const config = yield* clientConfig(options)
    const stripe = new Stripe(Redacted.value(options.secretKey), config)

    /** Runs one SDK call and maps whatever it throws; anything that is not a Stripe error is a defect. */
    const call = <A>(operation: StripeOperation, idempotencyKey: string | null, run: () => Promise<A>) =>
      Effect.tryPromise({ try: run, catch: identity }).pipe(
        Effect.catchAll((error) => {
          const mapped = mapStripeError(operation, idempotencyKey, error)
          return mapped === undefined ? Effect.die(error) : Effect.fail(mapped)
        })
      )

    const decodeSession = (operation: StripeOperation, raw: unknown) =>
      Either.match(decodeSessionObject(raw), {
        onLeft: (error) =>
          Effect.fail(
            new StripeResponseInvalid({
              operation,
              message: `Not a Checkout Session: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
            })
          ),
        onRight: Effect.succeed
      })

    const retrieve = (operation: StripeOperation, sessionId: string) =>
      call(operation, null, () => stripe.checkout.sessions.retrieve(sessionId)).pipe(
        Effect.flatMap((raw) => decodeSession(operation, raw)),
        Effect.map(toView)
      )

    const createDepositCheckout = Effect.fn("StripeDeposits.createDepositCheckout")(function* (
      request: DepositCheckoutRequest
    ) {
      const operation = "createDepositCheckout"
      const input = yield* Either.mapLeft(decodeRequest(request), (error) =>
        invalid(operation, ParseResult.TreeFormatter.formatErrorSync(error))
      )
      const nowMs = input.now === undefined ? yield* Clock.currentTimeMillis : input.now.getTime()
      const expiresAt = clampExpiresAt(input.expiresAt.getTime(), nowMs)
      const params = checkoutParams(
        {
          leadId: input.leadId,
          amountPence: input.amountPence,
          description: input.description,
          slot: input.slot ?? null,
          successUrl: input.successUrl,
          cancelUrl: input.cancelUrl,
          customerPhone: input.customerPhone
        },
        expiresAt
      )
      const raw = yield* call(operation, input.idempotencyKey, () =>
        stripe.checkout.sessions.create(params, { idempotencyKey: input.idempotencyKey })
      )
      const session = yield* decodeSession(operation, raw)
      // Never hand out a link that would charge something other than the deposit we were asked for.
      if (session.url === null) {
        return yield* new StripeResponseInvalid({ operation, message: `Session ${session.id} has no url` })
      }
      if (session.amount_total !== input.amountPence || session.currency !== "gbp") {
        return yield* new StripeResponseInvalid({
          operation,
          message: `Session ${session.id} charges ${session.amount_total} ${session.currency}, expected ${input.amountPence} gbp`
        })
      }
      return {
        sessionId: session.id,
        url: session.url,
        expiresAt: new Date(session.expires_at * 1000),
        amountTotal: session.amount_total,
        currency: "gbp"
      } satisfies DepositCheckout
    })

    const retrieveCheckout = Effect.fn("StripeDeposits.retrieveCheckout")(function* (sessionId: string) {
      yield* checkSessionId("retrieveCheckout", sessionId)
      return yield* retrieve("retrieveCheckout", sessionId)
    })

    const expireCheckout = Effect.fn("StripeDeposits.expireCheckout")(function* (sessionId: string) {
      const operation = "expireCheckout"
      yield* checkSessionId(operation, sessionId)
      return yield* call(operation, null, () => stripe.checkout.sessions.expire(sessionId)).pipe(
        Effect.flatMap((raw) => decodeSession(operation, raw)),
        Effect.map(toView),
        // Stripe answers 400 when the session is no longer open; look at it instead of failing the release.
        Effect.catchIf(
          (error): error is StripeRequestFailed => error instanceof StripeRequestFailed && error.status === 400,
          (error) =>
            retrieve(operation, sessionId).pipe(
              Effect.flatMap((session) => (session.status === "open" ? Effect.fail(error) : Effect.succeed(session)))
            )
        )
      )
    })

    return StripeDeposits.of({ createDepositCheckout, retrieveCheckout, expireCheckout })
  })
