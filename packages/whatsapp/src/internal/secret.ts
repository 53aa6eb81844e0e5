import { createHash, timingSafeEqual } from "node:crypto"
import { Redacted } from "effect"

/** Unwraps a secret given either as `Redacted` or as a plain string. */
export const reveal = (secret: Redacted.Redacted<string> | string): string =>
  Redacted.isRedacted(secret) ? Redacted.value(secret as Redacted.Redacted<string>) : (secret as string)

/** Compares two strings in time independent of where they differ (hashing first also hides their lengths). */
export const constantTimeEquals = (a: string, b: string): boolean =>
  timingSafeEqual(createHash("sha256").update(a, "utf8").digest(), createHash("sha256").update(b, "utf8").digest())
