import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parseSlotReply, type SlotParseResult } from "../src/index.js"

const ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"] as const
const NOW = Date.parse("2026-03-20T09:00:00Z")
const HOUR = 3_600_000

/** 1–10 offered slots within three weeks after `now`, on the half hour, in a random zone. */
const offers = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    starts: fc.array(fc.integer({ min: 1, max: 21 * 48 }), { minLength: 1, maxLength: 10 })
  })
  .map(({ timeZone, starts }) => ({
    timeZone,
    now: new Date(NOW).toISOString(),
    slots: starts.map((half) => ({
      start: new Date(NOW + (half * HOUR) / 2).toISOString(),
      end: new Date(NOW + (half * HOUR) / 2 + 3 * HOUR).toISOString()
    }))
  }))

const WORDS = [
  "1", "2", "3", "9", "option", "#", "the", "second", "one", "last", "monday", "tue", "thrusday", "friday",
  "next", "this", "tomorrow", "today", "morning", "afternoon", "evening", "2pm", "14:00", "14.00", "at",
  "2", "noon", "or", "and", ",", "not", "can't", "either", "any", "14th", "14/03", "march", "the", "3rd",
  "please", "£200", "wedding", "no", "problem", "but", "😀", "\u00a0", "３"
]
const replyish = fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((ws) => ws.join(" "))

const indicesOf = (r: SlotParseResult): ReadonlyArray<number> =>
  r._tag === "Matched" ? [r.index] : r._tag === "Ambiguous" ? r.candidates : []

describe("parseSlotReply properties", () => {
  it("never throws on arbitrary unicode", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), offers, (reply, o) => {
        parseSlotReply(reply, o)
      }),
      { numRuns: 2000 }
    )
  })

  it("never throws on huge strings and rejects them as too long", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1001, maxLength: 20_000 }), offers, (reply, o) => {
        expect(parseSlotReply(reply, o)).toEqual({ _tag: "Rejected", reason: "too_long" })
      }),
      { numRuns: 50 }
    )
    expect(parseSlotReply("1".repeat(1_000_000), { slots: [], timeZone: "UTC", now: "x" })._tag).toBe("Rejected")
  })

  it("never throws on garbage options", () => {
    const garbage = fc.anything()
    fc.assert(
      fc.property(garbage, garbage, garbage, (slots, timeZone, now) => {
        const r = parseSlotReply("1", { slots, timeZone, now } as never)
        expect(r._tag).toBe("Rejected")
      }),
      { numRuns: 500 }
    )
  })

  it("keeps Matched.index and every candidate within range, candidates ascending and distinct", () => {
    fc.assert(
      fc.property(fc.oneof(replyish, fc.string({ maxLength: 40 })), offers, (reply, o) => {
        const r = parseSlotReply(reply, o)
        for (const i of indicesOf(r)) {
          expect(Number.isInteger(i)).toBe(true)
          expect(i).toBeGreaterThanOrEqual(0)
          expect(i).toBeLessThan(o.slots.length)
        }
        if (r._tag === "Ambiguous") {
          expect(r.candidates.length).toBeGreaterThan(1)
          expect([...r.candidates].sort((a, b) => a - b)).toEqual([...new Set(r.candidates)])
        }
      }),
      { numRuns: 3000 }
    )
  })

  it("matches a bare valid number n to index n-1", () => {
    fc.assert(
      fc.property(offers, fc.nat(), fc.constantFrom("", " ", ".", ")", "!", " please"), (o, k, suffix) => {
        const n = (k % o.slots.length) + 1
        expect(parseSlotReply(`${n}${suffix}`, o)).toEqual({ _tag: "Matched", index: n - 1, matchedBy: "number" })
      }),
      { numRuns: 1000 }
    )
  })

  it("never reads a clock time as a list number", () => {
    const clock = fc
      .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }), form: fc.nat(10) })
      .map(({ h, m, form }) => {
        const h12 = ((h + 11) % 12) + 1
        const mm = String(m).padStart(2, "0")
        const hh = String(h).padStart(2, "0")
        const forms = [
          `${h12}:${mm}`, `${h12}.${mm}`, `${hh}:${mm}`, `${hh}.${mm}`, `${h12}:${mm} am`, `${h12}:${mm}pm`,
          `${h12}pm`, `${h12} am`, `${h12} o'clock`, `${hh}h`, `at ${h12}`
        ]
        return forms[form % forms.length]!
      })
    fc.assert(
      fc.property(clock, offers, (reply, o) => {
        const r = parseSlotReply(reply, o)
        expect(r._tag === "Matched" && (r.matchedBy === "number" || r.matchedBy === "option_number")).toBe(false)
      }),
      { numRuns: 3000 }
    )
  })
})
