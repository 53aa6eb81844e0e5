/** Stripe rejects a Checkout Session whose `expires_at` is less than 30 minutes after creation. */
export const MIN_EXPIRY_SECONDS = 30 * 60
/** Stripe rejects a Checkout Session whose `expires_at` is more than 24 hours after creation. */
export const MAX_EXPIRY_SECONDS = 24 * 60 * 60
/**
 * Stripe measures the window from the moment it receives the request, which is later than our `now`
 * (network time, SDK retries with backoff) and on a clock that may differ slightly from ours. Keeping
 * one minute away from both edges means a clamped value is never rejected for being on the edge.
 */
export const EXPIRY_SAFETY_MARGIN_SECONDS = 60

/** Clamps a wanted expiry (ms) into Stripe's accepted window relative to `nowMs`; returns unix seconds. */
export const clampExpiresAt = (wantedMs: number, nowMs: number): number => {
  const earliest = Math.ceil(nowMs / 1000) + MIN_EXPIRY_SECONDS + EXPIRY_SAFETY_MARGIN_SECONDS
  const latest = Math.floor(nowMs / 1000) + MAX_EXPIRY_SECONDS - EXPIRY_SAFETY_MARGIN_SECONDS
  const wanted = Math.floor(wantedMs / 1000)
  return Math.min(latest, Math.max(earliest, wanted))
}
