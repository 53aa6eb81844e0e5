import Stripe from "stripe"
import {
  StripeAuthFailed,
  StripeConnectionFailed,
  StripeIdempotencyConflict,
  StripeRequestFailed,
  type StripeOperation
} from "../StripeErrors.js"

type MappedError = StripeRequestFailed | StripeConnectionFailed | StripeAuthFailed | StripeIdempotencyConflict

const orNull = <A>(value: A | undefined): A | null => (value === undefined ? null : value)

/** Retrying later can help for throttling, lock conflicts and server-side failures; never for other 4xx. */
const isRetryableStatus = (status: number | null, shouldRetryHeader: string | undefined): boolean => {
  if (shouldRetryHeader === "true") return true
  if (shouldRetryHeader === "false") return false
  return status === null || status === 409 || status === 429 || status >= 500
}

/**
 * Maps whatever the SDK threw to our tagged errors. Returns `undefined` for something that is not a
 * Stripe error at all (a bug), which the caller turns into a defect.
 */
export const mapStripeError = (
  operation: StripeOperation,
  idempotencyKey: string | null,
  error: unknown
): MappedError | undefined => {
  if (!(error instanceof Stripe.errors.StripeError)) return undefined
  const status = orNull(error.statusCode)
  const requestId = orNull(error.requestId)
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const timedOut = /timeout/i.test(error.message)
    return new StripeConnectionFailed({ operation, timedOut, message: error.message })
  }
  if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
    return new StripeAuthFailed({ operation, status, requestId, message: error.message })
  }
  // A 409 idempotency_error arrives as a plain StripeAPIError, so the raw type decides, not the class.
  if (error instanceof Stripe.errors.StripeIdempotencyError || error.rawType === "idempotency_error") {
    return new StripeIdempotencyConflict({ operation, idempotencyKey, status, requestId, message: error.message })
  }
  const shouldRetry = error.headers?.["stripe-should-retry"]
  return new StripeRequestFailed({
    operation,
    status,
    type: orNull(error.rawType),
    code: orNull(error.code),
    param: orNull(error.param),
    requestId,
    retryable: error instanceof Stripe.errors.StripeRateLimitError || isRetryableStatus(status, shouldRetry),
    message: error.message
  })
}
