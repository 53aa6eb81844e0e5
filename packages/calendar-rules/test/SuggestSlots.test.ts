import { describe, expect, it } from "vitest"
import type { CalendarRules, SlotQuery } from "../src/index.js"
import { bookableSlots, dayPartOf, defaultCalendarRules, suggestSlots } from "../src/index.js"

const query = (now: string, extra: Partial<SlotQuery> = {}): SlotQuery => ({
  busy: [],
  allDayDates: [],
  category: null,
  now,
  ...extra
})
const monday = "2026-01-19T09:00:00Z"

describe("suggestSlots", () => {
  it("spreads over the earliest days, two a day in different parts of the day, eight in all", () => {
    expect(suggestSlots(defaultCalendarRules, query(monday)).map((slot) => slot.start)).toEqual([
      "2026-01-20T10:00:00+00:00",
      "2026-01-20T13:00:00+00:00",
      "2026-01-21T10:00:00+00:00",
      "2026-01-21T13:00:00+00:00",
      "2026-01-22T10:00:00+00:00",
      "2026-01-22T13:00:00+00:00",
      "2026-01-23T10:00:00+00:00",
      "2026-01-23T13:00:00+00:00"
    ])
  })

  it("offers only bookable slots", () => {
    const q = query(monday, { busy: [{ start: "2026-01-20T09:00:00Z", end: "2026-01-20T14:00:00Z" }] })
    const bookable = new Set(bookableSlots(defaultCalendarRules, q).map((slot) => slot.start))
    const suggested = suggestSlots(defaultCalendarRules, q)
    expect(suggested.length).toBeGreaterThan(0)
    for (const slot of suggested) expect(bookable.has(slot.start)).toBe(true)
    // Tuesday keeps only 14:30 and 15:00 (ending by 18:00) after the busy day plus its 30-minute buffer.
    expect(suggested.slice(0, 3).map((slot) => slot.start)).toEqual([
      "2026-01-20T14:30:00+00:00",
      "2026-01-20T15:00:00+00:00",
      "2026-01-21T10:00:00+00:00"
    ])
  })

  it("uses morning, afternoon and evening when three a day are allowed", () => {
    const rules: CalendarRules = {
      ...defaultCalendarRules,
      working_hours: { ...defaultCalendarRules.working_hours, tuesday: { start: "10:00", end: "21:00" } },
      max_slots_per_day: 3
    }
    const tuesday = suggestSlots(rules, query(monday, { category: "SMALL" })).filter((slot) =>
      slot.start.startsWith("2026-01-20")
    )
    expect(tuesday.map((slot) => slot.start.slice(11, 16))).toEqual(["10:00", "12:00", "17:00"])
  })

  it("respects max_slots_per_day, max_suggestions and limit, and never goes above 10", () => {
    const onePerDay = suggestSlots({ ...defaultCalendarRules, max_slots_per_day: 1 }, query(monday))
    expect(onePerDay).toHaveLength(8)
    expect(new Set(onePerDay.map((slot) => slot.start.slice(0, 10))).size).toBe(8)
    expect(suggestSlots({ ...defaultCalendarRules, max_suggestions: 3 }, query(monday))).toHaveLength(3)
    expect(suggestSlots(defaultCalendarRules, { ...query(monday), limit: 5 })).toHaveLength(5)
    expect(suggestSlots(defaultCalendarRules, { ...query(monday), limit: 50 })).toHaveLength(10)
    expect(suggestSlots({ ...defaultCalendarRules, max_suggestions: 40 }, query(monday))).toHaveLength(10)
    expect(suggestSlots(defaultCalendarRules, { ...query(monday), limit: 0 })).toEqual([])
  })

  it("returns suggestions in start order, without repeats", () => {
    const slots = suggestSlots({ ...defaultCalendarRules, max_slots_per_day: 3 }, { ...query(monday), limit: 10 })
    const sorted = [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    expect(slots).toEqual(sorted)
    expect(new Set(slots.map((slot) => slot.start)).size).toBe(slots.length)
  })

  it("returns nothing when nothing is bookable (the host then asks for preferred windows)", () => {
    const busy = [{ start: "2026-01-01T00:00:00Z", end: "2026-06-01T00:00:00Z" }]
    expect(suggestSlots(defaultCalendarRules, query(monday, { busy }))).toEqual([])
  })
})

describe("dayPartOf", () => {
  it.each([
    [0, "morning"],
    [11 * 60 + 59, "morning"],
    [12 * 60, "afternoon"],
    [16 * 60 + 59, "afternoon"],
    [17 * 60, "evening"],
    [23 * 60, "evening"]
  ] as const)("%i minutes is %s", (minute, part) => {
    expect(dayPartOf(minute)).toBe(part)
  })
})

describe("the README example", () => {
  it("offers what the README says", async () => {
    const { decodeCalendarRules } = await import("../src/index.js")
    const decoded = decodeCalendarRules(`
timezone: "Europe/London"
working_hours:
  monday:    { start: "10:00", end: "18:00" }
  tuesday:   { start: "10:00", end: "18:00" }
  wednesday: { closed: true }
session_durations_minutes: { default: 180, SMALL: 120, MEDIUM: 180, LARGE: 240, XL: 360 }
buffer_minutes: 30
lookahead_days: 60
minimum_advance_hours: 24
`)
    if (decoded._tag === "Left") throw new Error(decoded.left.message)
    const slots = suggestSlots(decoded.right, {
      busy: [{ start: "2026-03-30T11:00:00Z", end: "2026-03-30T12:30:00Z" }],
      allDayDates: ["2026-03-31"],
      category: "LARGE",
      now: "2026-03-26T12:00:00Z"
    })
    expect(slots).toHaveLength(8)
    expect(slots.slice(0, 3)).toEqual([
      { start: "2026-03-30T14:00:00+01:00", end: "2026-03-30T18:00:00+01:00" },
      { start: "2026-04-06T10:00:00+01:00", end: "2026-04-06T14:00:00+01:00" },
      { start: "2026-04-06T14:00:00+01:00", end: "2026-04-06T18:00:00+01:00" }
    ])
  })
})
