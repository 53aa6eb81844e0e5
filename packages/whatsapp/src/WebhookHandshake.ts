import { Either, type Redacted, Schema } from "effect"
import { constantTimeEquals, reveal } from "./internal/secret.js"

/** Why a subscription handshake (`GET /webhooks/whatsapp`) was refused; answer it with 403. */
export class WebhookHandshakeRejected extends Schema.TaggedError<WebhookHandshakeRejected>()(
  "WebhookHandshakeRejected",
  {
    reason: Schema.Literal("mode", "verify_token", "challenge"),
    message: Schema.String
  }
) {}

// Meta's challenge is a number; anything outside this conservative set is refused rather than echoed back.
const CHALLENGE = /^[A-Za-z0-9._~-]{1,512}$/

/**
 * Answers Meta's subscription handshake. Reads the dotted parameters `hub.mode` (must be `subscribe`),
 * `hub.verify_token` (compared in constant time) and `hub.challenge`; Right carries the challenge to echo back.
 */
export const verifyHandshake = (
  params: Readonly<Record<string, string | undefined>>,
  verifyToken: Redacted.Redacted<string> | string
): Either.Either<string, WebhookHandshakeRejected> => {
  const mode = params["hub.mode"]
  const token = params["hub.verify_token"]
  const challenge = params["hub.challenge"]
  if (mode !== "subscribe") {
    return Either.left(
      new WebhookHandshakeRejected({ reason: "mode", message: `hub.mode must be "subscribe"` })
    )
  }
  const expected = reveal(verifyToken)
  // Both checks always run, so the answer time does not tell an empty configuration from a wrong token.
  const tokenMatches = constantTimeEquals(token ?? "", expected)
  if (expected === "" || token === undefined || !tokenMatches) {
    return Either.left(
      new WebhookHandshakeRejected({ reason: "verify_token", message: "hub.verify_token does not match" })
    )
  }
  if (challenge === undefined || !CHALLENGE.test(challenge)) {
    return Either.left(
      new WebhookHandshakeRejected({ reason: "challenge", message: "hub.challenge is missing or malformed" })
    )
  }
  return Either.right(challenge)
}
