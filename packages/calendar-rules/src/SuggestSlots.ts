import type { CalendarRules } from "./CalendarRules.js"
import { SUGGESTIONS_CEILING } from "./CalendarRules.js"
import type { Candidate } from "./internal/engine.js"
import { computeCandidates } from "./internal/engine.js"
import type { Slot, SuggestQuery } from "./Slot.js"

/** Part of the day a local start time falls in: before 12:00, 12:00–16:59, from 17:00. */
export type DayPart = "morning" | "afternoon" | "evening"

/** The part of the day of a local start time given in minutes after midnight. */
export const dayPartOf = (minuteOfDay: number): DayPart =>
  minuteOfDay < 12 * 60 ? "morning" : minuteOfDay < 17 * 60 ? "afternoon" : "evening"

const DAY_PARTS: ReadonlyArray<DayPart> = ["morning", "afternoon", "evening"]

const wholeIn = (value: unknown, min: number, max: number, fallback: number): number =>
  typeof value === "number" && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback

const overlaps = (a: Candidate, b: Candidate): boolean => a.start < b.end && b.start < a.end

/**
 * Choose up to `cap` of one day's slots: one per part of the day first (so "Tuesday afternoon"
 * names exactly one offered slot), then the earliest others; at each step a slot that does not
 * overlap those already chosen is preferred, so the options are real alternatives.
 */
const pickDay = (day: ReadonlyArray<Candidate>, cap: number): ReadonlyArray<Candidate> => {
  const picked: Array<Candidate> = []
  const choose = (pool: ReadonlyArray<Candidate>): void => {
    if (picked.length >= cap) return
    const free = pool.filter((candidate) => !picked.includes(candidate))
    const choice = free.find((candidate) => !picked.some((other) => overlaps(candidate, other))) ?? free[0]
    if (choice !== undefined) picked.push(choice)
  }
  for (const part of DAY_PARTS) choose(day.filter((candidate) => dayPartOf(candidate.minute) === part))
  while (picked.length < cap && picked.length < day.length) choose(day)
  return day.filter((candidate) => picked.includes(candidate))
}

/**
 * The slots to offer: earliest days first, at most `max_slots_per_day` on a day (in distinct
 * parts of the day when possible), at most `limit` (default `max_suggestions`) and never more
 * than 10, the rows a WhatsApp list can hold. In start order.
 */
export const suggestSlots = (rules: CalendarRules, query: SuggestQuery): ReadonlyArray<Slot> => {
  const total = wholeIn(query?.limit ?? rules?.max_suggestions, 0, SUGGESTIONS_CEILING, 8)
  const perDay = wholeIn(rules?.max_slots_per_day, 1, SUGGESTIONS_CEILING, 2)
  const candidates = computeCandidates(rules, query)
  const out: Array<Slot> = []
  let index = 0
  while (index < candidates.length && out.length < total) {
    const date = candidates[index]!.date
    let next = index
    while (next < candidates.length && candidates[next]!.date === date) next++
    for (const candidate of pickDay(candidates.slice(index, next), Math.min(perDay, total - out.length))) {
      out.push({ start: candidate.startIso, end: candidate.endIso })
    }
    index = next
  }
  return out
}
