import { createHmac, timingSafeEqual } from "node:crypto"
import type { Redacted } from "effect"
import { reveal } from "./internal/secret.js"

/**
 * Meta signs every webhook delivery: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`.
 * The signature covers the exact bytes received, so it must be checked before the body is parsed.
 */

const PREFIX = "sha256="

const hmac = (rawBody: Uint8Array, secret: string) => createHmac("sha256", secret).update(rawBody).digest()

/** Produces the `X-Hub-Signature-256` header value Meta would send for this body (tests, the chat tool). */
export const signWebhookBody = (rawBody: Uint8Array | string, appSecret: Redacted.Redacted<string> | string): string =>
  PREFIX + hmac(typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody, reveal(appSecret)).toString("hex")

/**
 * Checks `X-Hub-Signature-256` against the raw body in constant time. Returns false, never throws, for a missing or
 * malformed header and for an empty app secret (anyone could compute an HMAC with an empty key).
 */
export const verifyWebhookSignature = (
  rawBody: Uint8Array,
  header: string | undefined,
  appSecret: Redacted.Redacted<string> | string
): boolean => {
  try {
    const secret = reveal(appSecret)
    if (secret === "" || header === undefined) return false
    const value = header.trim()
    if (value.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return false
    const hex = value.slice(PREFIX.length)
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false
    return timingSafeEqual(Buffer.from(hex, "hex"), hmac(rawBody, secret))
  } catch {
    return false
  }
}
