import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as YAML from "yaml"
import { CalendarRules, CalendarRulesError, decodeCalendarRules, defaultCalendarRules } from "../src/index.js"

const shippedPath = fileURLToPath(new URL("../../../config/calendar_rules.yml", import.meta.url))

const decodeOk = (text: string): CalendarRules => {
  const result = decodeCalendarRules(text)
  if (Either.isLeft(result)) throw new Error(`expected rules, got: ${result.left.message}`)
  return result.right
}

const decodeError = (text: string): CalendarRulesError => {
  const result = decodeCalendarRules(text)
  if (Either.isRight(result)) throw new Error("expected an error, got rules")
  return result.left
}

const london = 'timezone: "Europe/London"\n'

describe("decodeCalendarRules: the shipped file", () => {
  it("decodes config/calendar_rules.yml from disk to exactly the documented defaults", () => {
    const rules = decodeOk(readFileSync(shippedPath, "utf8"))
    expect(rules).toEqual(defaultCalendarRules)
  })

  it("holds the runbook's values", () => {
    const rules = decodeOk(readFileSync(shippedPath, "utf8"))
    expect(rules.timezone).toBe("Europe/London")
    expect(rules.session_durations_minutes).toEqual({ default: 180, SMALL: 120, MEDIUM: 180, LARGE: 240, XL: 360 })
    expect([rules.buffer_minutes, rules.lookahead_days, rules.minimum_advance_hours]).toEqual([30, 60, 24])
    expect(rules.working_hours.monday).toEqual({ start: "10:00", end: "18:00" })
    expect(rules.working_hours.friday).toEqual({ start: "10:00", end: "18:00" })
    expect(rules.working_hours.saturday).toBeNull()
    expect(rules.working_hours.sunday).toBeNull()
  })
})

describe("decodeCalendarRules: accepted forms", () => {
  it("reads the runbook's Step 6 snippet, filling our keys with their defaults", () => {
    const rules = decodeOk(`timezone: "Europe/London"
working_hours:
  monday:    { start: "10:00", end: "18:00" }
  tuesday:   { start: "10:00", end: "18:00" }
  # ... etc
session_durations_minutes:
  default: 180
  SMALL: 120
  MEDIUM: 180
  LARGE: 240
  XL: 360
buffer_minutes: 30
lookahead_days: 60
minimum_advance_hours: 24
`)
    expect(rules.working_hours.tuesday).toEqual({ start: "10:00", end: "18:00" })
    expect(rules.working_hours.wednesday).toBeNull()
    expect(rules.block_all_day_events).toBe(true)
    expect(rules.slot_step_minutes).toBe(30)
    expect(rules.max_slots_per_day).toBe(2)
    expect(rules.max_suggestions).toBe(8)
  })

  it("closes a day that is absent, null, empty or { closed: true }", () => {
    const rules = decodeOk(`${london}working_hours:
  monday: null
  tuesday:
  wednesday: { closed: true }
  thursday: { closed: false, start: "09:00", end: "17:00" }
`)
    expect(rules.working_hours.monday).toBeNull()
    expect(rules.working_hours.tuesday).toBeNull()
    expect(rules.working_hours.wednesday).toBeNull()
    expect(rules.working_hours.thursday).toEqual({ start: "09:00", end: "17:00" })
    expect(rules.working_hours.friday).toBeNull()
  })

  it("reads the prior system's custom-config case (New York, Monday only, 120 min, buffer 15, 14 days)", () => {
    const rules = decodeOk(`timezone: America/New_York
working_hours:
  monday: { start: "09:00", end: "17:00" }
session_durations_minutes: { default: 120 }
buffer_minutes: 15
lookahead_days: 14
`)
    expect(rules.timezone).toBe("America/New_York")
    expect(rules.working_hours.tuesday).toBeNull()
    // Categories not listed take the default length, not the shipped per-category values.
    expect(rules.session_durations_minutes).toEqual({ default: 120, SMALL: 120, MEDIUM: 120, LARGE: 120, XL: 120 })
    expect(rules.minimum_advance_hours).toBe(24)
    expect(rules.block_all_day_events).toBe(true)
  })

  it("accepts 24:00 as a closing time", () => {
    const rules = decodeOk(`${london}working_hours:\n  friday: { start: "18:00", end: "24:00" }\n`)
    expect(rules.working_hours.friday).toEqual({ start: "18:00", end: "24:00" })
  })

  it("round-trips: encoding the defaults to YAML and decoding gives them back", () => {
    const encoded = Schema.encodeSync(CalendarRules)(defaultCalendarRules)
    expect(decodeOk(YAML.stringify(encoded))).toEqual(defaultCalendarRules)
  })
})

describe("decodeCalendarRules: errors name the field and the problem", () => {
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    [
      "hour 25",
      `${london}working_hours:\n  monday: { start: "10:00", end: "25:00" }\n`,
      'working_hours.monday.end: "25:00" is not a time (HH:MM)'
    ],
    [
      "a number instead of a time",
      `${london}working_hours:\n  monday: { start: 10, end: "18:00" }\n`,
      "working_hours.monday.start: 10 is not a time (HH:MM)"
    ],
    ["unknown zone", 'timezone: "Mars/Base"\nworking_hours: {}\n', 'timezone: "Mars/Base" is not an IANA time zone'],
    ["offset instead of zone", 'timezone: "+01:00"\nworking_hours: {}\n', 'timezone: "+01:00" is not an IANA time zone'],
    [
      "end before start",
      `${london}working_hours:\n  monday: { start: "18:00", end: "10:00" }\n`,
      'working_hours.monday.end: "10:00" is not after start "18:00"'
    ],
    [
      "end equal to start",
      `${london}working_hours:\n  monday: { start: "10:00", end: "10:00" }\n`,
      'working_hours.monday.end: "10:00" is not after start "10:00"'
    ],
    [
      "negative buffer",
      `${london}working_hours: {}\nbuffer_minutes: -5\n`,
      "buffer_minutes: -5 is not a whole number of minutes from 0 to 1440"
    ],
    [
      "more than 10 suggestions",
      `${london}working_hours: {}\nmax_suggestions: 12\n`,
      "max_suggestions: 12 is not a whole number from 1 to 10 (a WhatsApp list holds 10 rows)"
    ],
    [
      "zero-minute session",
      `${london}working_hours: {}\nsession_durations_minutes: { default: 0 }\n`,
      "session_durations_minutes.default: 0 is not a whole number of minutes from 1 to 1440"
    ],
    [
      "closed and open at once",
      `${london}working_hours:\n  monday: { closed: true, start: "10:00", end: "18:00" }\n`,
      "working_hours.monday.closed: a closed day cannot also have start/end hours"
    ],
    ["missing zone", "working_hours: {}\n", "timezone: is missing"],
    ["missing end", `${london}working_hours:\n  monday: { start: "10:00" }\n`, "working_hours.monday.end: is missing"],
    ["not a boolean", `${london}working_hours: {}\nblock_all_day_events: "sometimes"\n`, 'block_all_day_events: "sometimes" is not true or false'],
    ["a list for the week", `${london}working_hours: [1, 2]\n`, "working_hours: [1,2] is not a mapping (key: value)"],
    ["an empty file", "", "(root): the file has no settings"],
    ["a scalar file", "hello", "(root): the file must be a mapping of settings (key: value)"]
  ]

  it.each(cases)("%s", (_name, text, message) => {
    const error = decodeError(text)
    expect(error).toBeInstanceOf(CalendarRulesError)
    expect(error._tag).toBe("CalendarRulesError")
    expect(error.message).toBe(message)
  })

  it("reports every problem at once, each with its path", () => {
    const error = decodeError(`timezone: Europe/Lundon
working_hours:
  Monday: { start: "10:00", end: "18:00" }
  tuesday: { start: "9am", end: "18:00" }
bufer_minutes: 30
`)
    expect(error.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(["timezone", "working_hours.Monday", "working_hours.tuesday.start", "bufer_minutes"])
    )
    expect(error.issues).toHaveLength(4)
    expect(error.issues.find((issue) => issue.path === "bufer_minutes")?.problem).toMatch(/^is not a known setting/)
  })

  it("reports YAML syntax errors with the line", () => {
    const error = decodeError("timezone: Europe/London\nworking_hours:\n  monday: { start: \"10:00\"\n")
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]?.path).toBe("(root)")
    expect(error.message).toMatch(/^\(root\): not valid YAML: .*line \d+/)
  })

  it("refuses duplicate keys instead of silently keeping the last", () => {
    const error = decodeError(`${london}working_hours: {}\nbuffer_minutes: 30\nbuffer_minutes: 0\n`)
    expect(error.message).toMatch(/not valid YAML/)
  })
})
