import { describe, expect, it } from "vitest"
import type { CalendarRules, Slot, SlotQuery } from "../src/index.js"
import { bookableSlots, defaultCalendarRules, isBookable } from "../src/index.js"


/** The prior system's effective rules (Sat 10:00–16:00, 21 days), with our grid and caps. */
const priorRules: CalendarRules = {
  ...defaultCalendarRules,
  working_hours: { ...defaultCalendarRules.working_hours, saturday: { start: "10:00", end: "16:00" } },
  lookahead_days: 21
}

const query = (now: string, extra: Partial<SlotQuery> = {}): SlotQuery => ({
  busy: [],
  allDayDates: [],
  category: null,
  now,
  ...extra
})

const starts = (slots: ReadonlyArray<Slot>): ReadonlyArray<string> => slots.map((slot) => slot.start)
const onDate = (slots: ReadonlyArray<Slot>, date: string): ReadonlyArray<string> =>
  starts(slots)
    .filter((start) => start.startsWith(date))
    .map((start) => start.slice(11, 16))

/** Half-hour grid from `from` to `to` inclusive, as HH:MM. */
const grid = (from: string, to: string, step = 30): ReadonlyArray<string> => {
  const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))
  const out: Array<string> = []
  for (let m = toMinutes(from); m <= toMinutes(to); m += step) {
    out.push(`${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`)
  }
  return out
}

describe("bookableSlots: the prior system's scenarios, answered correctly", () => {
  it("prod_default_mon_morning: every weekday and Saturday slot from tomorrow, none ending after closing", () => {
    const slots = bookableSlots(priorRules, query("2026-01-19T09:00:00+00:00"))
    // 24 h notice → Tue 20 Jan; 21 days → Mon 9 Feb. 15 weekdays × 11 starts (10:00–15:00) + 3 Saturdays × 7 (10:00–13:00).
    expect(slots).toHaveLength(15 * 11 + 3 * 7)
    expect(slots[0]).toEqual({ start: "2026-01-20T10:00:00+00:00", end: "2026-01-20T13:00:00+00:00" })
    expect(slots.at(-1)).toEqual({ start: "2026-02-09T15:00:00+00:00", end: "2026-02-09T18:00:00+00:00" })
    expect(onDate(slots, "2026-01-21")).toEqual(grid("10:00", "15:00"))
    expect(onDate(slots, "2026-01-24")).toEqual(grid("10:00", "13:00"))
    expect(onDate(slots, "2026-01-25")).toEqual([])
    // The prior system offered 16:00 starts that ran to 19:00.
    expect(starts(slots).some((start) => start.includes("T16:00"))).toBe(false)
  })

  it("prod_default_fri_afternoon: Saturday's remaining time is too short, Sunday is closed, Monday opens", () => {
    const slots = bookableSlots(priorRules, query("2026-01-23T15:00:00+00:00"))
    expect(slots[0]?.start).toBe("2026-01-26T10:00:00+00:00")
  })

  it("prod_default_sat_late: Monday 10:00 is first", () => {
    expect(bookableSlots(priorRules, query("2026-01-24T23:30:00+00:00"))[0]?.start).toBe("2026-01-26T10:00:00+00:00")
  })

  it("dst_spring_forward: after 29 March the slots are 10:00 BST (+01:00), not 10:00 GMT", () => {
    const slots = bookableSlots(priorRules, query("2026-03-26T12:00:00+00:00"))
    expect(onDate(slots, "2026-03-27")).toEqual(grid("12:00", "15:00"))
    expect(slots.find((slot) => slot.start.startsWith("2026-03-30"))).toEqual({
      start: "2026-03-30T10:00:00+01:00",
      end: "2026-03-30T13:00:00+01:00"
    })
    expect(slots.filter((slot) => slot.start.startsWith("2026-03-30")).at(-1)).toEqual({
      start: "2026-03-30T15:00:00+01:00",
      end: "2026-03-30T18:00:00+01:00"
    })
    expect(slots.filter((slot) => slot.start >= "2026-03-30" && !slot.start.endsWith("+01:00"))).toEqual([])
  })

  it("dst_fall_back: morning slots survive the change to GMT (the prior system dropped them)", () => {
    const slots = bookableSlots(priorRules, query("2026-10-22T11:00:00+00:00"))
    expect(slots[0]?.start).toBe("2026-10-23T12:00:00+01:00")
    expect(onDate(slots, "2026-10-26")).toEqual(grid("10:00", "15:00"))
    expect(slots.find((slot) => slot.start.startsWith("2026-10-26"))?.start).toBe("2026-10-26T10:00:00+00:00")
  })

  it("duration_240 / category_xl: the category sets the length and the last start", () => {
    const large = bookableSlots(priorRules, query("2026-01-19T09:00:00+00:00", { category: "LARGE" }))
    expect(onDate(large, "2026-01-21")).toEqual(grid("10:00", "14:00"))
    expect(large.every((slot) => Date.parse(slot.end) - Date.parse(slot.start) === 240 * 60_000)).toBe(true)
    const xl = bookableSlots(priorRules, query("2026-01-19T09:00:00+00:00", { category: "XL" }))
    expect(onDate(xl, "2026-01-21")).toEqual(grid("10:00", "12:00"))
    // Saturday 10:00–16:00 holds exactly one 6-hour session.
    expect(onDate(xl, "2026-01-24")).toEqual(["10:00"])
  })

  it("recheck_selected_slot_window: a slot just offered is still bookable (the prior re-check always failed)", () => {
    const q = query("2026-01-19T09:00:00+00:00")
    const chosen = bookableSlots(priorRules, q)[10]!
    expect(isBookable(priorRules, chosen, q)).toBe(true)
    expect(isBookable(priorRules, chosen, { ...q, busy: [{ start: chosen.start, end: chosen.end }] })).toBe(false)
  })

  it("is_within_working_hours: a session is judged by its whole length in London time", () => {
    const q = query("2026-01-05T09:00:00Z")
    const slot = (start: string, minutes: number): Slot => ({
      start,
      end: new Date(Date.parse(start) + minutes * 60_000).toISOString()
    })
    expect(isBookable(priorRules, slot("2026-01-19T14:00:00Z", 180), q)).toBe(true)
    expect(isBookable(priorRules, slot("2026-01-19T08:00:00Z", 180), q)).toBe(false)
    expect(isBookable(priorRules, slot("2026-01-19T10:00:00Z", 180), q)).toBe(true)
    expect(isBookable(priorRules, slot("2026-01-19T16:00:00Z", 180), q)).toBe(false)
    expect(isBookable(priorRules, slot("2026-01-24T16:00:00Z", 180), q)).toBe(false)
    expect(isBookable(priorRules, slot("2026-01-25T12:00:00Z", 180), q)).toBe(false)
    const summer = query("2026-07-06T09:00:00Z")
    expect(isBookable(priorRules, slot("2026-07-20T09:30:00Z", 180), summer)).toBe(true)
    expect(isBookable(priorRules, slot("2026-07-20T17:30:00Z", 180), summer)).toBe(false)
  })
})

describe("bookableSlots: rules", () => {
  const monday = "2026-01-19T09:00:00Z"
  const tuesday = "2026-01-20"

  it("opens only listed days", () => {
    const rules: CalendarRules = {
      ...defaultCalendarRules,
      working_hours: { ...defaultCalendarRules.working_hours, tuesday: null, sunday: { start: "12:00", end: "16:00" } }
    }
    const slots = bookableSlots(rules, query(monday))
    expect(onDate(slots, tuesday)).toEqual([])
    expect(onDate(slots, "2026-01-25")).toEqual(["12:00", "12:30", "13:00"])
    expect(onDate(slots, "2026-01-24")).toEqual([])
  })

  it("keeps the buffer on both sides of a busy interval, and touching the buffer edge is allowed", () => {
    const busy = [{ start: "2026-01-20T13:00:00Z", end: "2026-01-20T14:00:00Z" }]
    expect(onDate(bookableSlots(defaultCalendarRules, query(monday, { busy })), tuesday)).toEqual(["14:30", "15:00"])
    expect(onDate(bookableSlots(defaultCalendarRules, query(monday, { busy, category: "SMALL" })), tuesday)).toEqual([
      "10:00",
      "10:30",
      "14:30",
      "15:00",
      "15:30",
      "16:00"
    ])
    const noBuffer = { ...defaultCalendarRules, buffer_minutes: 0 }
    expect(onDate(bookableSlots(noBuffer, query(monday, { busy, category: "SMALL" })), tuesday)).toEqual([
      "10:00",
      "10:30",
      "11:00",
      "14:00",
      "14:30",
      "15:00",
      "15:30",
      "16:00"
    ])
  })

  it("merges overlapping, unsorted busy input written with different offsets", () => {
    const busy = [
      { start: "2026-01-20T14:00:00+01:00", end: "2026-01-20T15:00:00+01:00" }, // 13:00–14:00 London
      { start: "2026-01-20T11:00:00Z", end: "2026-01-20T13:30:00Z" },
      { start: "2026-01-20T07:00:00-05:00", end: "2026-01-20T07:15:00-05:00" } // 12:00–12:15 London
    ]
    const slots = bookableSlots(defaultCalendarRules, query(monday, { busy, category: "SMALL" }))
    // Busy 11:00–14:00 plus 30 minutes each side: nothing may overlap 10:30–14:30.
    expect(onDate(slots, tuesday)).toEqual(["14:30", "15:00", "15:30", "16:00"])
    const single = [{ start: "2026-01-20T11:00:00Z", end: "2026-01-20T14:00:00Z" }]
    expect(bookableSlots(defaultCalendarRules, query(monday, { busy: single, category: "SMALL" }))).toEqual(slots)
  })

  it("reads an offset-less busy time as the artist's wall clock", () => {
    const busy = [{ start: "2026-07-21T10:00:00", end: "2026-07-21T17:00:00" }]
    const slots = bookableSlots(defaultCalendarRules, query("2026-07-19T09:00:00Z", { busy }))
    expect(onDate(slots, "2026-07-21")).toEqual([])
    const justBefore = [{ start: "2026-07-21T13:30:00", end: "2026-07-21T18:00:00" }]
    expect(onDate(bookableSlots(defaultCalendarRules, query("2026-07-19T09:00:00Z", { busy: justBefore })), "2026-07-21")).toEqual([
      "10:00"
    ])
  })

  it("requires minimum_advance_hours of notice, inclusive", () => {
    expect(bookableSlots(defaultCalendarRules, query("2026-01-19T10:00:00Z"))[0]?.start).toBe("2026-01-20T10:00:00+00:00")
    expect(bookableSlots(defaultCalendarRules, query("2026-01-19T10:00:01Z"))[0]?.start).toBe("2026-01-20T10:30:00+00:00")
    const twoHours = { ...defaultCalendarRules, minimum_advance_hours: 2.5 }
    expect(bookableSlots(twoHours, query("2026-01-19T09:00:00Z"))[0]?.start).toBe("2026-01-19T11:30:00+00:00")
  })

  it("stops at lookahead_days after today's local date, counted in the artist's zone", () => {
    const rules = { ...defaultCalendarRules, lookahead_days: 1, minimum_advance_hours: 0 }
    const slots = bookableSlots(rules, query(monday))
    expect([...new Set(slots.map((slot) => slot.start.slice(0, 10)))]).toEqual(["2026-01-19", "2026-01-20"])
    // 23:30 UTC on Sunday 19 July is already Monday 20 July in London.
    const sameDay = { ...rules, lookahead_days: 0 }
    const late = bookableSlots(sameDay, query("2026-07-19T23:30:00Z"))
    expect(late.map((slot) => slot.start.slice(0, 10))).toContain("2026-07-20")
    expect(new Set(late.map((slot) => slot.start.slice(0, 10)))).toEqual(new Set(["2026-07-20"]))
  })

  it("blocks all-day dates unless block_all_day_events is false", () => {
    const q = query(monday, { allDayDates: [tuesday] })
    expect(onDate(bookableSlots(defaultCalendarRules, q), tuesday)).toEqual([])
    expect(onDate(bookableSlots(defaultCalendarRules, q), "2026-01-21")).toHaveLength(11)
    expect(onDate(bookableSlots({ ...defaultCalendarRules, block_all_day_events: false }, q), tuesday)).toHaveLength(11)
  })

  it("takes the session length from the category, in any case; unknown or null gives the default", () => {
    const last = (category: string | null) => onDate(bookableSlots(defaultCalendarRules, query(monday, { category })), tuesday).at(-1)
    expect(last("SMALL")).toBe("16:00")
    expect(last("small")).toBe("16:00")
    expect(last("MEDIUM")).toBe("15:00")
    expect(last("LARGE")).toBe("14:00")
    expect(last("XL")).toBe("12:00")
    expect(last(null)).toBe("15:00")
    expect(last("HUGE")).toBe("15:00")
  })

  it("never lets a session end after closing", () => {
    const rules: CalendarRules = { ...defaultCalendarRules, slot_step_minutes: 45 }
    for (const category of ["SMALL", "MEDIUM", "LARGE", "XL"]) {
      for (const slot of bookableSlots(rules, query(monday, { category }))) {
        expect(slot.end.slice(11, 16) <= "18:00").toBe(true)
        expect(slot.end.slice(0, 10)).toBe(slot.start.slice(0, 10))
      }
    }
    // Grid from opening in 45-minute steps: 10:00, 10:45, …, 14:30 (15:15 would end 18:15).
    expect(onDate(bookableSlots(rules, query(monday)), tuesday)).toEqual(grid("10:00", "14:30", 45))
  })

  it("writes every time with the zone's offset for that instant", () => {
    const ny: CalendarRules = { ...defaultCalendarRules, timezone: "America/New_York" }
    const slots = bookableSlots(ny, query("2026-03-05T12:00:00Z"))
    expect(slots.find((slot) => slot.start.startsWith("2026-03-06"))?.start).toBe("2026-03-06T10:00:00-05:00")
    expect(slots.find((slot) => slot.start.startsWith("2026-03-09"))?.start).toBe("2026-03-09T10:00:00-04:00")
    for (const slot of slots) expect(slot.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00[+-]\d{2}:\d{2}$/)
  })

  it("handles the gap hour: a grid time the clock skips is not offered, the rest of the day is", () => {
    const night: CalendarRules = {
      ...defaultCalendarRules,
      working_hours: { ...defaultCalendarRules.working_hours, sunday: { start: "00:00", end: "06:00" } },
      minimum_advance_hours: 0
    }
    // London skips 01:00–02:00 on Sunday 29 March 2026.
    const slots = bookableSlots(night, query("2026-03-28T12:00:00Z", { category: "SMALL" }))
    expect(onDate(slots, "2026-03-29")).toEqual(["00:00", "00:30", "02:00", "02:30", "03:00", "03:30", "04:00"])
    // 00:00 GMT + 2 h = 03:00 BST: sessions last real time, not wall-clock time.
    expect(slots.find((slot) => slot.start === "2026-03-29T00:00:00+00:00")?.end).toBe("2026-03-29T03:00:00+01:00")
  })

  it("handles the repeated hour: each grid time once, at its first occurrence, and the session still ends by closing", () => {
    const night: CalendarRules = {
      ...defaultCalendarRules,
      working_hours: { ...defaultCalendarRules.working_hours, sunday: { start: "00:00", end: "03:00" } },
      minimum_advance_hours: 0,
      slot_step_minutes: 60
    }
    // London repeats 01:00–02:00 on Sunday 25 October 2026; the working night lasts 4 real hours.
    const slots = bookableSlots(night, query("2026-10-24T12:00:00Z", { category: "SMALL" }))
    // 02:00 exists once (GMT) and would end at 04:00, after closing (03:00 GMT).
    expect(slots.filter((slot) => slot.start.startsWith("2026-10-25"))).toEqual([
      { start: "2026-10-25T00:00:00+01:00", end: "2026-10-25T01:00:00+00:00" },
      { start: "2026-10-25T01:00:00+01:00", end: "2026-10-25T02:00:00+00:00" }
    ])
  })
})

describe("bookableSlots: bad input never throws", () => {
  const monday = "2026-01-19T09:00:00Z"
  it.each([
    ["an unreadable now", query("next tuesday")],
    ["an impossible date", query("2026-02-30T10:00:00Z")],
    ["an unreadable busy entry", query(monday, { busy: [{ start: "soon", end: "later" }] })],
    ["a busy entry that ends before it starts", query(monday, { busy: [{ start: "2026-01-21T12:00:00Z", end: "2026-01-21T11:00:00Z" }] })],
    ["an unreadable all-day date", query(monday, { allDayDates: ["2026-13-01"] })]
  ])("%s gives no slots (fail closed)", (_name, q) => {
    expect(bookableSlots(defaultCalendarRules, q)).toEqual([])
  })

  it("an unknown zone in an undecoded rules object gives no slots", () => {
    expect(bookableSlots({ ...defaultCalendarRules, timezone: "Mars/Base" }, query(monday))).toEqual([])
  })

  it("a slot without an offset or unreadable is not bookable", () => {
    const q = query(monday)
    expect(isBookable(defaultCalendarRules, { start: "2026-01-20T10:00:00", end: "2026-01-20T13:00:00" }, q)).toBe(false)
    expect(isBookable(defaultCalendarRules, { start: "x", end: "y" }, q)).toBe(false)
  })
})
