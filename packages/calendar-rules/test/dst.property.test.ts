import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { CalendarRules, DayHours, SlotQuery } from "../src/index.js"
import { bookableSlots, defaultCalendarRules, suggestSlots } from "../src/index.js"
import {
  DAY,
  exactInstant,
  firstAtLeast,
  HOUR,
  isoAt,
  MINUTE,
  offset,
  offsetsOnDate,
  transitions,
  wall,
  writtenOffset
} from "./support/oracle.js"

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const
const minutes = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
const hhmm = (quarter: number): string =>
  `${String(Math.floor(quarter / 4)).padStart(2, "0")}:${String((quarter % 4) * 15).padStart(2, "0")}`

/** Opening hours in quarter hours, from any time of day (so the changes at 01:00–03:00 fall inside). */
const dayHours: fc.Arbitrary<DayHours | null> = fc.option(
  fc
    .integer({ min: 0, max: 95 })
    .chain((start) =>
      fc.integer({ min: start + 1, max: 96 }).map((end) => ({ start: hhmm(start), end: end === 96 ? "24:00" : hhmm(end) }))
    ),
  { freq: 4 }
)

interface Scenario {
  readonly rules: CalendarRules
  readonly query: SlotQuery
  readonly duration: number
}

const scenario = (zone: string, anchors: ReadonlyArray<number>, maxLookahead: number): fc.Arbitrary<Scenario> =>
  fc
    .record({
      anchor: fc.constantFrom(...anchors),
      shiftMinutes: fc.integer({ min: -4 * 24 * 60, max: 24 * 60 }),
      week: fc.tuple(dayHours, dayHours, dayHours, dayHours, dayHours, dayHours, dayHours),
      step: fc.constantFrom(15, 20, 30, 45, 60, 90),
      duration: fc.integer({ min: 2, max: 32 }).map((quarters) => quarters * 15),
      buffer: fc.constantFrom(0, 15, 30, 60),
      advance: fc.constantFrom(0, 1, 2.5, 24),
      lookahead: fc.integer({ min: 0, max: maxLookahead }),
      block: fc.boolean(),
      allDay: fc.uniqueArray(fc.integer({ min: 0, max: maxLookahead }), { maxLength: 2 }),
      busy: fc.array(
        fc.record({
          from: fc.integer({ min: -24 * 60, max: (maxLookahead + 1) * 24 * 60 }),
          length: fc.integer({ min: 0, max: 8 * 60 }),
          writtenAt: fc.integer({ min: -48, max: 56 }).map((q) => q * 15)
        }),
        { maxLength: 12 }
      )
    })
    .map((s) => {
      const now = s.anchor + s.shiftMinutes * MINUTE
      const today = Math.floor(wall(zone, now) / DAY) * DAY
      const working_hours = Object.fromEntries(WEEKDAYS.map((day, i) => [day, s.week[i] ?? null])) as CalendarRules["working_hours"]
      const rules: CalendarRules = {
        ...defaultCalendarRules,
        timezone: zone,
        working_hours,
        session_durations_minutes: { ...defaultCalendarRules.session_durations_minutes, default: s.duration },
        buffer_minutes: s.buffer,
        lookahead_days: s.lookahead,
        minimum_advance_hours: s.advance,
        block_all_day_events: s.block,
        slot_step_minutes: s.step
      }
      const query: SlotQuery = {
        now: isoAt(now, 0),
        category: null,
        allDayDates: s.allDay.map((k) => new Date(today + k * DAY).toISOString().slice(0, 10)),
        busy: s.busy.map((b) => ({
          start: isoAt(now + b.from * MINUTE, b.writtenAt),
          end: isoAt(now + (b.from + b.length) * MINUTE, b.writtenAt)
        }))
      }
      return { rules, query, duration: s.duration }
    })

/** The slow oracle: every grid time of every open date, checked rule by rule. */
const expectedSlots = ({ rules, query, duration }: Scenario): ReadonlyArray<readonly [number, number]> => {
  const zone = rules.timezone
  const now = Date.parse(query.now)
  const today = Math.floor(wall(zone, now) / DAY) * DAY
  const busy = query.busy.map((b) => [Date.parse(b.start), Date.parse(b.end)] as const)
  const buffer = rules.buffer_minutes * MINUTE
  const out: Array<readonly [number, number]> = []
  for (let k = 0; k <= rules.lookahead_days; k++) {
    const date = today + k * DAY
    if (rules.block_all_day_events && query.allDayDates.includes(new Date(date).toISOString().slice(0, 10))) continue
    const hours = rules.working_hours[WEEKDAYS[new Date(date).getUTCDay()]!]
    if (hours === null) continue
    const offsets = offsetsOnDate(zone, date)
    const open = minutes(hours.start)
    const close = minutes(hours.end)
    const closing = firstAtLeast(zone, date + close * MINUTE, offsets)
    for (let m = open; m < close; m += rules.slot_step_minutes) {
      const start = exactInstant(zone, date + m * MINUTE, offsets)
      if (start === undefined) continue
      const end = start + duration * MINUTE
      if (start < now + rules.minimum_advance_hours * HOUR || end > closing) continue
      if (busy.some(([b0, b1]) => start - buffer < b1 && b0 < end + buffer)) continue
      out.push([start, end])
    }
  }
  return out
}

/** Invariants read straight off each returned slot. */
const checkSlots = (s: Scenario): void => {
  const { rules, query, duration } = s
  const zone = rules.timezone
  const slots = bookableSlots(rules, query)
  const now = Date.parse(query.now)
  const today = Math.floor(wall(zone, now) / DAY) * DAY
  const buffer = rules.buffer_minutes * MINUTE
  let previous = Number.NEGATIVE_INFINITY
  for (const slot of slots) {
    expect(slot.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/)
    const start = Date.parse(slot.start)
    const end = Date.parse(slot.end)
    // Written with the zone's real offset at each end.
    expect(writtenOffset(slot.start)).toBe(offset(zone, start))
    expect(writtenOffset(slot.end)).toBe(offset(zone, end))
    // Sorted and unique.
    expect(start).toBeGreaterThan(previous)
    previous = start
    // Exactly its duration.
    expect(end - start).toBe(duration * MINUTE)
    // On the local grid of an open day, within the lookahead, with notice.
    const startWall = wall(zone, start)
    const date = Math.floor(startWall / DAY) * DAY
    const hours = rules.working_hours[WEEKDAYS[new Date(date).getUTCDay()]!]
    expect(hours).not.toBeNull()
    const open = minutes(hours!.start)
    const close = minutes(hours!.end)
    const minute = (startWall - date) / MINUTE
    expect(minute).toBeGreaterThanOrEqual(open)
    expect((minute - open) % rules.slot_step_minutes).toBe(0)
    expect(date).toBeGreaterThanOrEqual(today)
    expect(date).toBeLessThanOrEqual(today + rules.lookahead_days * DAY)
    expect(start).toBeGreaterThanOrEqual(now + rules.minimum_advance_hours * HOUR)
    // The first occurrence of that wall time (never the repeat of an overlap hour).
    expect(wall(zone, start - HOUR)).not.toBe(startWall)
    expect(wall(zone, start - HOUR / 2)).not.toBe(startWall)
    // Ends by closing time: no moment of the session shows closing time or later on the clock.
    const changes = offset(zone, start) !== offset(zone, end - 1000)
    const probes = changes ? Math.ceil((end - start) / (5 * MINUTE)) : 0
    for (let i = 0; i <= probes; i++) {
      const t = Math.min(start + i * 5 * MINUTE, end - 1000)
      expect(wall(zone, t)).toBeLessThan(date + close * MINUTE)
    }
    expect(wall(zone, end - 1000)).toBeLessThan(date + close * MINUTE)
    // Clear of every busy interval by the buffer on both sides.
    for (const b of query.busy) {
      const b0 = Date.parse(b.start)
      const b1 = Date.parse(b.end)
      expect(start - buffer < b1 && b0 < end + buffer).toBe(false)
    }
    if (rules.block_all_day_events) expect(query.allDayDates).not.toContain(new Date(date).toISOString().slice(0, 10))
  }
  // And nothing bookable is missing: the engine agrees with the oracle slot for slot.
  expect(slots.map((slot) => [Date.parse(slot.start), Date.parse(slot.end)])).toEqual(expectedSlots(s))
  // Suggestions are a subset, in order, at most 10.
  const suggested = suggestSlots(rules, query)
  expect(suggested.length).toBeLessThanOrEqual(10)
  const all = slots.map((slot) => slot.start)
  let cursor = -1
  for (const slot of suggested) {
    const at = all.indexOf(slot.start)
    expect(at).toBeGreaterThan(cursor)
    cursor = at
  }
}

const ZONES = ["Europe/London", "America/New_York", "Australia/Sydney"] as const

describe("bookableSlots across every daylight-saving change of 2025–2030", () => {
  for (const zone of ZONES) {
    const changes = transitions(zone, 2025, 2030)

    it(`${zone}: finds all ${changes.length} changes (two a year)`, () => {
      expect(changes).toHaveLength(12)
    })

    it(`${zone}: slots are on the local grid, inside working hours, exact length, clear of busy ± buffer, sorted, complete`, () => {
      fc.assert(fc.property(scenario(zone, changes, 5), checkSlots), { numRuns: 120 })
    })
  }
})

describe("bookableSlots in every IANA zone", () => {
  const zones = Intl.supportedValuesOf("timeZone")
  const anchors = Array.from({ length: 6 * 24 }, (_, i) => Date.UTC(2025, i % 12, 1 + Math.floor(i / 12) * 2, 12))
  it(`holds the same invariants in all ${zones.length} zones`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones).chain((zone) => scenario(zone, anchors, 2)),
        checkSlots
      ),
      { numRuns: 300 }
    )
  })

  it("holds them on the change days of zones that shift by half an hour or at midnight", () => {
    for (const zone of ["Australia/Lord_Howe", "America/Santiago", "America/Havana", "Asia/Beirut", "Africa/Cairo"]) {
      const changes = transitions(zone, 2025, 2027)
      if (changes.length === 0) continue
      fc.assert(fc.property(scenario(zone, changes, 2), checkSlots), { numRuns: 25 })
    }
  })
})
