import * as Data from "effect/Data"

/** Which `StripeDeposits` call an error came from, so logs and alerts say what was being attempted. */
export type StripeOperation = "createDepositCheckout" | "retrieveCheckout" | "expireCheckout"

/**
 * Stripe answered with an error (4xx other than auth and idempotency, or 5xx once the SDK's own
 * retries were used up). `retryable` tells the caller whether trying again later can help
 * (rate limits, 5xx, lock conflicts) or whether the request itself must change (bad parameters).
 */
export class StripeRequestFailed extends Data.TaggedError("StripeRequestFailed")<{
  readonly operation: StripeOperation
  /** HTTP status Stripe answered with. */
  readonly status: number | null
  /** Stripe's error type, e.g. `invalid_request_error`, `api_error`, `rate_limit_error`. */
  readonly type: string | null
  /** Stripe's error code, e.g. `resource_missing`, `parameter_invalid_integer`. */
  readonly code: string | null
  /** The request parameter Stripe blamed, when it named one. */
  readonly param: string | null
  /** Stripe's `request-id`: quote it to Stripe support or find it in the dashboard logs. */
  readonly requestId: string | null
  readonly retryable: boolean
  readonly message: string
}> {}

/** No answer from Stripe: connection refused or reset, DNS failure, or the timeout was reached. Always worth retrying later. */
export class StripeConnectionFailed extends Data.TaggedError("StripeConnectionFailed")<{
  readonly operation: StripeOperation
  /** True when the configured timeout ended the request (as opposed to a network failure). */
  readonly timedOut: boolean
  readonly message: string
}> {}

/** Stripe refused the secret key (401) or the key lacks the permission for the call (403): fix `STRIPE_SECRET_KEY`. */
export class StripeAuthFailed extends Data.TaggedError("StripeAuthFailed")<{
  readonly operation: StripeOperation
  readonly status: number | null
  readonly requestId: string | null
  readonly message: string
}> {}

/**
 * The idempotency key was already used with different parameters (400), or a request with the same
 * key is still in flight (409). The first is a caller bug (build a new key when the amount or slot
 * changes); the second resolves itself.
 */
export class StripeIdempotencyConflict extends Data.TaggedError("StripeIdempotencyConflict")<{
  readonly operation: StripeOperation
  readonly idempotencyKey: string | null
  readonly status: number | null
  readonly requestId: string | null
  readonly message: string
}> {}

/** Stripe (or whatever `apiBaseUrl` points at) answered 2xx with a body that is not the object we asked for. */
export class StripeResponseInvalid extends Data.TaggedError("StripeResponseInvalid")<{
  readonly operation: StripeOperation
  readonly message: string
}> {}

/** The arguments were rejected before any request was sent (bad amount, URL, key, dates or session id). */
export class StripeCheckoutInvalid extends Data.TaggedError("StripeCheckoutInvalid")<{
  readonly operation: StripeOperation
  readonly message: string
}> {}

/** Every failure a `StripeDeposits` call can end with. */
export type StripeDepositsError =
  | StripeRequestFailed
  | StripeConnectionFailed
  | StripeAuthFailed
  | StripeIdempotencyConflict
  | StripeResponseInvalid
  | StripeCheckoutInvalid
