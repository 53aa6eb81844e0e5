import { readReply } from "./internal/reading.js"
import { type Calendar, rejected, resolve } from "./internal/resolve.js"
import { normalise, tokenise } from "./internal/text.js"
import { type LocalParts, localPartsIn, parseInstant } from "./internal/zone.js"
import type { SlotParseResult } from "./SlotParseResult.js"

/** Replies longer than this are not read (a slot choice is a short message). */
export const MAX_REPLY_LENGTH = 1000

/** Options of {@link parseSlotReply}. */
export interface ParseSlotReplyOptions {
  /** The offered slots in the order they were shown, ISO-8601 instants with an offset. */
  readonly slots: ReadonlyArray<{ readonly start: string; readonly end: string }>
  /** The artist's IANA time zone: every day, date and time is compared on its wall clock. */
  readonly timeZone: string
  /** The current instant, ISO-8601 with an offset (for "today", "next Tuesday" and past slots). */
  readonly now: string
}

const calendarOf = (options: ParseSlotReplyOptions): Calendar | "no_slots" | "invalid_options" => {
  if (typeof options !== "object" || options === null) return "invalid_options"
  const { slots, timeZone, now } = options
  if (!Array.isArray(slots) || typeof timeZone !== "string") return "invalid_options"
  const local = localPartsIn(timeZone)
  const nowMs = parseInstant(now)
  if (local === null || Number.isNaN(nowMs)) return "invalid_options"
  if (slots.length === 0) return "no_slots"
  const parts: Array<LocalParts> = []
  const future: Array<boolean> = []
  for (const slot of slots as ReadonlyArray<unknown>) {
    if (typeof slot !== "object" || slot === null) return "invalid_options"
    const { start, end } = slot as { start?: unknown; end?: unknown }
    const startMs = parseInstant(start)
    const endMs = parseInstant(end)
    if (Number.isNaN(startMs) || Number.isNaN(endMs) || endMs <= startMs) return "invalid_options"
    parts.push(local(startMs))
    future.push(startMs > nowMs)
  }
  return { slots: parts, future, now: local(nowMs) }
}

/**
 * Map a client's free-text reply to one of the offered slots, or say why not. Pure: never reads a
 * clock and never throws; invalid options give `Rejected` with `invalid_options` / `no_slots`.
 */
export const parseSlotReply = (reply: string, options: ParseSlotReplyOptions): SlotParseResult => {
  const cal = calendarOf(options)
  if (typeof cal === "string") return rejected(cal)
  if (typeof reply !== "string") return rejected("empty")
  if (reply.length > MAX_REPLY_LENGTH) return rejected("too_long")
  const text = normalise(reply)
  if (text.length === 0) return rejected("empty")
  return resolve(readReply(tokenise(text)), cal)
}
