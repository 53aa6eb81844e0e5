import { createHash } from "node:crypto"

/**
 * The event id of a hold: the same lead and slot always give the same id, so a retried or re-sent
 * insert cannot create a second event (Google answers 409 instead). Calendar ids allow the base32hex
 * alphabet (a–v, 0–9), 5–1024 characters; a hex digest is a subset of it.
 */
export const holdEventId = (leadId: string, startIso: string, endIso: string): string =>
  `tb${createHash("sha256").update(`${leadId}\u0000${startIso}\u0000${endIso}`).digest("hex").slice(0, 40)}`

const LEAD_TAG = /\[LEAD-([A-Za-z0-9_-]+)\]/i

/** The lead id from a `[LEAD-<id>]` tag in a title or description (the convention artists already use). */
export const leadIdFromTag = (...texts: ReadonlyArray<string | undefined>): string | undefined => {
  for (const text of texts) {
    const match = text === undefined ? null : LEAD_TAG.exec(text)
    if (match?.[1] !== undefined) return match[1]
  }
  return undefined
}
