import * as Data from "effect/Data"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import Stripe from "stripe"

/** A Stripe event whose signature checked out. Decode it with `decodeStripeEvent` before acting on it. */
export type StripeEvent = Stripe.Event

/** Why a webhook delivery was refused. */
export type StripeSignatureProblem =
  | "header-missing"
  | "header-malformed"
  | "signature-mismatch"
  | "timestamp-outside-tolerance"
  | "payload-not-json"
  | "payload-not-event"
  | "secret-missing"
  | "tolerance-invalid"

/**
 * A webhook delivery that must not be trusted. Answer 400: Stripe keeps retrying for up to three days,
 * which is what we want if the secret was misconfigured and gets fixed.
 */
export class StripeSignatureInvalid extends Data.TaggedError("StripeSignatureInvalid")<{
  readonly reason: StripeSignatureProblem
  readonly message: string
}> {}

/** Options for `verifyStripeWebhook`. */
export interface VerifyStripeWebhookOptions {
  /** Maximum age of the signed timestamp, in seconds. Default 300 (Stripe's). Must be > 0. */
  readonly toleranceSeconds?: number | undefined
  /** The time of receipt, for deterministic tests; defaults to the system clock. */
  readonly now?: Date | undefined
}

/** Stripe's own default tolerance, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300

const secretValue = (secret: Redacted.Redacted<string> | string): string =>
  Redacted.isRedacted(secret) ? Redacted.value(secret) : secret

const problem = (reason: StripeSignatureProblem, message: string) =>
  Either.left(new StripeSignatureInvalid({ reason, message }))

// The SDK reports every signature problem with the same class; its messages are the only way to tell them apart.
const classify = (message: string): StripeSignatureProblem => {
  if (message.includes("No stripe-signature header")) return "header-missing"
  if (message.includes("Unable to extract timestamp and signatures")) return "header-malformed"
  // A header without any v1 entry (e.g. only v0, or only t=) cannot match whatever the secret.
  if (message.includes("No signatures found with expected scheme")) return "header-malformed"
  if (message.includes("Timestamp outside the tolerance zone")) return "timestamp-outside-tolerance"
  return "signature-mismatch"
}

const firstLine = (message: string) => message.split("\n")[0]?.trim() ?? message

/**
 * Verifies a Stripe webhook delivery against the raw request body and the `Stripe-Signature` header
 * (HMAC-SHA256, constant-time compare, timestamp tolerance) with the SDK's `constructEvent`. Fails closed.
 */
export const verifyStripeWebhook = (
  rawBody: Uint8Array | string,
  signatureHeader: string | undefined,
  secret: Redacted.Redacted<string> | string,
  options?: VerifyStripeWebhookOptions
): Either.Either<StripeEvent, StripeSignatureInvalid> => {
  const tolerance = options?.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
  // SDK 23 treats a tolerance of 0 as "skip the timestamp check", which would accept replays forever.
  if (!Number.isFinite(tolerance) || tolerance <= 0) {
    return problem("tolerance-invalid", `toleranceSeconds must be a positive number of seconds, got ${tolerance}`)
  }
  const key = secretValue(secret)
  if (key.trim() === "") return problem("secret-missing", "The webhook signing secret is empty")
  if (signatureHeader === undefined || signatureHeader.trim() === "") {
    return problem("header-missing", "No Stripe-Signature header was provided")
  }
  const receivedAt = options?.now?.getTime() ?? Date.now()
  let event: unknown
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signatureHeader, key, tolerance, undefined, receivedAt)
  } catch (error) {
    // The signature is checked before parsing, so a SyntaxError means a correctly signed body that is not JSON.
    if (error instanceof SyntaxError) return problem("payload-not-json", "The signed body is not JSON")
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      return problem(classify(error.message), firstLine(error.message))
    }
    throw error
  }
  if (
    typeof event !== "object" ||
    event === null ||
    typeof (event as { id?: unknown }).id !== "string" ||
    typeof (event as { type?: unknown }).type !== "string"
  ) {
    return problem("payload-not-event", "The signed body is JSON but not an event (no string id and type)")
  }
  return Either.right(event as StripeEvent)
}

/**
 * Produces a valid `Stripe-Signature` header for a payload (`t=<unix>,v1=<hex>`), for tests and demos.
 * `timestamp` is unix seconds or a Date; it defaults to now.
 */
export const signStripePayload = (
  payload: string | Uint8Array,
  secret: Redacted.Redacted<string> | string,
  timestamp?: number | Date
): string =>
  Stripe.webhooks.generateTestHeaderString({
    payload: typeof payload === "string" ? payload : new TextDecoder().decode(payload),
    secret: secretValue(secret),
    timestamp:
      timestamp === undefined
        ? Math.floor(Date.now() / 1000)
        : typeof timestamp === "number"
          ? timestamp
          : Math.floor(timestamp.getTime() / 1000)
  })
