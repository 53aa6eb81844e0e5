import { bench, describe } from "vitest"
import type { CalendarRules, SlotQuery } from "../src/index.js"
import { bookableSlots, defaultCalendarRules, suggestSlots } from "../src/index.js"

// 90 days from 1 March 2026 (crossing the 29 March change to BST), Monday to Saturday.
const rules: CalendarRules = {
  ...defaultCalendarRules,
  working_hours: { ...defaultCalendarRules.working_hours, saturday: { start: "10:00", end: "16:00" } },
  lookahead_days: 90
}
const now = Date.parse("2026-03-01T09:00:00Z")

// A fixed-seed generator so every run measures the same calendar.
let seed = 0x2545f491
const random = (): number => {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 0x1_0000_0000
}

const busy = Array.from({ length: 2_000 }, () => {
  const start = now + Math.floor(random() * 90 * 24 * 4) * 15 * 60_000
  const end = start + (1 + Math.floor(random() * 16)) * 15 * 60_000
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() }
})

const query: SlotQuery = { busy, allDayDates: ["2026-04-03", "2026-05-04"], category: "MEDIUM", now: new Date(now).toISOString() }
const free: SlotQuery = { ...query, busy: [] }

// Longer runs than the default so a busy shared machine still yields a stable median.
const options = { time: 3_000, warmupTime: 1_000 }

describe("90 days ahead", () => {
  bench("bookableSlots, 2,000 busy intervals", () => {
    bookableSlots(rules, query)
  }, options)
  bench("suggestSlots, 2,000 busy intervals", () => {
    suggestSlots(rules, query)
  }, options)
  bench("bookableSlots, empty calendar", () => {
    bookableSlots(rules, free)
  }, options)
})
