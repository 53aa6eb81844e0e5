import type { CalendarRules } from "./CalendarRules.js"
import { computeCandidates } from "./internal/engine.js"
import { parseIso } from "./internal/instant.js"
import type { Slot, SlotQuery } from "./Slot.js"

/**
 * Every bookable slot, in start order: the whole session inside that day's working hours, on
 * the start grid, at least `minimum_advance_hours` ahead, within `lookahead_days`, clear of
 * every busy interval by `buffer_minutes`, and not on an all-day-blocked date.
 *
 * Never throws. Unreadable input yields `[]` (fail closed): an unknown zone, an unreadable
 * `now`, or any busy / all-day entry that cannot be read.
 */
export const bookableSlots = (rules: CalendarRules, query: SlotQuery): ReadonlyArray<Slot> =>
  computeCandidates(rules, query).map((candidate) => ({ start: candidate.startIso, end: candidate.endIso }))

const instant = (text: string): number | undefined => {
  const parts = parseIso(text)
  // Offered slots always carry an offset; one without cannot be matched to an instant safely.
  return parts === undefined || parts.offset === undefined ? undefined : parts.naive - parts.offset
}

/** Whether a previously offered slot is still bookable now: the re-check at pick time and at payment time. */
export const isBookable = (rules: CalendarRules, slot: Slot, query: SlotQuery): boolean => {
  const start = instant(slot?.start)
  const end = instant(slot?.end)
  if (start === undefined || end === undefined) return false
  return computeCandidates(rules, query).some((candidate) => candidate.start === start && candidate.end === end)
}
