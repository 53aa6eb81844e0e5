import type { CalendarRules, DayHours } from "../CalendarRules.js"
import type { BusyInterval, SlotQuery } from "../Slot.js"
import { instantOf, parseIso, parseLocalDate } from "./instant.js"
import { minutesOf } from "./time.js"
import { isoWithOffset, isValidTimeZone, MS, ZoneOffsets } from "./zone.js"

/** One bookable session with the local facts the suggestion step needs. */
export interface Candidate {
  /** Start instant (epoch ms). */
  readonly start: number
  /** End instant (epoch ms). */
  readonly end: number
  /** Naive midnight of the local date the session is on. */
  readonly date: number
  /** Local start time, minutes after midnight. */
  readonly minute: number
  readonly startIso: string
  readonly endIso: string
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const

const CATEGORIES = new Set(["SMALL", "MEDIUM", "LARGE", "XL"])

/** Session length in minutes for a category; unknown or missing categories get the default. */
export const sessionMinutes = (rules: CalendarRules, category: string | null | undefined): number => {
  const durations = rules.session_durations_minutes
  const key = typeof category === "string" ? category.trim().toUpperCase() : ""
  return CATEGORIES.has(key) ? durations[key as "SMALL" | "MEDIUM" | "LARGE" | "XL"] : durations.default
}

/** Busy intervals, merged: parallel sorted arrays of disjoint [start, end) instants. */
export interface MergedIntervals {
  readonly starts: ReadonlyArray<number>
  readonly ends: ReadonlyArray<number>
}

/** Read, widen by `pad` on both sides, sort and merge; `undefined` when an entry cannot be read. */
export const mergeIntervals = (
  busy: ReadonlyArray<BusyInterval>,
  zone: ZoneOffsets,
  pad: number
): MergedIntervals | undefined => {
  const count = busy.length
  const from = new Float64Array(count)
  const to = new Float64Array(count)
  for (let i = 0; i < count; i++) {
    const entry = busy[i]
    const start = parseIso(entry?.start)
    const end = parseIso(entry?.end)
    if (start === undefined || end === undefined) return undefined
    const startsAt = instantOf(start, zone)
    const endsAt = instantOf(end, zone)
    if (endsAt < startsAt) return undefined
    from[i] = startsAt - pad
    to[i] = endsAt + pad
  }
  // The union only depends on the sorted starts and the sorted ends, not on which end belongs
  // to which start, so both sort natively as numbers. Sweep them: a start at the same instant as
  // an end goes first, which joins touching intervals.
  from.sort()
  to.sort()
  const starts: Array<number> = []
  const ends: Array<number> = []
  let i = 0
  let j = 0
  let depth = 0
  while (j < count) {
    if (i < count && from[i]! <= to[j]!) {
      if (depth === 0) starts.push(from[i]!)
      depth++
      i++
    } else {
      depth--
      if (depth === 0) ends.push(to[j]!)
      j++
    }
  }
  return { starts, ends }
}

/** Whether [start, end) meets any merged interval. A zero-length interval still counts once widened. */
const overlapsAny = (merged: MergedIntervals, start: number, end: number): boolean => {
  const { starts, ends } = merged
  // First interval that ends after `start`.
  let lo = 0
  let hi = ends.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ends[mid]! > start) hi = mid
    else lo = mid + 1
  }
  return lo < starts.length && starts[lo]! < end
}

const asNumber = (value: unknown, fallback: number): number =>
  typeof value === "number" && Number.isFinite(value) ? value : fallback

/**
 * Every bookable session, in start order. Returns an empty list, never throws, when the
 * input cannot be trusted: unknown zone, unreadable `now`, or any unreadable busy or
 * all-day entry (the calendar state is then unknown, so nothing is offered).
 */
export const computeCandidates = (rules: CalendarRules, query: SlotQuery): ReadonlyArray<Candidate> => {
  const timeZone = rules?.timezone
  if (typeof timeZone !== "string" || !isValidTimeZone(timeZone)) return []
  const nowParts = parseIso(query?.now)
  if (nowParts === undefined) return []

  const lookaheadDays = Math.max(0, Math.floor(asNumber(rules.lookahead_days, 0)))
  const durationMs = Math.max(1, asNumber(sessionMinutes(rules, query.category), 1)) * MS.MINUTE
  const step = Math.max(1, Math.floor(asNumber(rules.slot_step_minutes, 30)))
  const bufferMs = Math.max(0, asNumber(rules.buffer_minutes, 0)) * MS.MINUTE
  const advanceMs = Math.max(0, asNumber(rules.minimum_advance_hours, 0)) * MS.HOUR

  // Offsets are needed from a day before today to a day after the last session can end.
  const anchor = nowParts.offset === undefined ? nowParts.naive : nowParts.naive - nowParts.offset
  const zone = new ZoneOffsets(timeZone, anchor - 2 * MS.DAY, anchor + (lookaheadDays + 3) * MS.DAY + durationMs)

  const now = instantOf(nowParts, zone)
  const today = Math.floor(zone.wall(now) / MS.DAY) * MS.DAY
  const lastDate = today + lookaheadDays * MS.DAY
  const earliestStart = now + advanceMs

  const busy = mergeIntervals(Array.isArray(query.busy) ? query.busy : [], zone, bufferMs)
  if (busy === undefined) return []

  const blockedDates = new Set<number>()
  if (rules.block_all_day_events !== false) {
    for (const text of Array.isArray(query.allDayDates) ? query.allDayDates : []) {
      const date = parseLocalDate(text)
      if (date === undefined) return []
      blockedDates.add(date)
    }
  }

  const out: Array<Candidate> = []
  for (let date = today; date <= lastDate; date += MS.DAY) {
    if (blockedDates.has(date)) continue
    const hours: DayHours | null | undefined = rules.working_hours?.[WEEKDAYS[new Date(date).getUTCDay()]!]
    if (hours === null || hours === undefined) continue
    const open = minutesOf(hours.start)
    const close = minutesOf(hours.end)
    if (!(close > open)) continue
    // The first moment the wall clock shows closing time (the earlier one if it shows twice).
    const closing = zone.firstAtOrAfter(date + close * MS.MINUTE)
    for (let minute = open; minute < close; minute += step) {
      // A grid time the clock skips (spring forward) does not exist, so it is not offered.
      const start = zone.exactly(date + minute * MS.MINUTE)
      if (start === undefined || start < earliestStart) continue
      const end = start + durationMs
      if (end > closing) break
      if (overlapsAny(busy, start, end)) continue
      out.push({
        start,
        end,
        date,
        minute,
        startIso: isoWithOffset(start, zone.offset(start)),
        endIso: isoWithOffset(end, zone.offset(end))
      })
    }
  }
  return out
}
