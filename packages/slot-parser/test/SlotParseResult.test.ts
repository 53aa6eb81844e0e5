import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import {
  AMBIGUITY_REASONS,
  MATCHED_BY,
  parseSlotReply,
  REJECT_REASONS,
  SlotParseInput,
  SlotParseResult
} from "../src/index.js"

const input = {
  reply: "Thursday 2pm",
  timeZone: "Europe/London",
  now: "2026-01-14T09:00:00Z",
  slots: [
    { start: "2026-01-15T10:00:00+00:00", end: "2026-01-15T13:00:00+00:00" },
    { start: "2026-01-15T14:00:00+00:00", end: "2026-01-15T17:00:00+00:00" },
    { start: "2026-01-16T14:00:00+00:00", end: "2026-01-16T17:00:00+00:00" }
  ]
}

describe("SlotParseResult schema", () => {
  it("round-trips every kind of result the parser returns", () => {
    for (const reply of ["2", "2pm", "hello", "Thursday 2pm", "Friday"]) {
      const result = parseSlotReply(reply, input)
      const encoded = Schema.encodeSync(SlotParseResult)(result)
      expect(Schema.decodeUnknownSync(SlotParseResult)(JSON.parse(JSON.stringify(encoded)))).toEqual(result)
    }
  })

  it("refuses values outside the vocabularies and negative indices", () => {
    const decode = Schema.decodeUnknownEither(SlotParseResult)
    expect(Either.isLeft(decode({ _tag: "Matched", index: 0, matchedBy: "hash" }))).toBe(true)
    expect(Either.isLeft(decode({ _tag: "Matched", index: -1, matchedBy: "number" }))).toBe(true)
    expect(Either.isLeft(decode({ _tag: "Rejected", reason: "no_intent" }))).toBe(true)
    expect(Either.isRight(decode({ _tag: "Ambiguous", candidates: [0, 2], reason: "several_slots_match" }))).toBe(true)
  })

  it("decodes a stored parser input and replays it to the same result", () => {
    const stored = Schema.decodeUnknownSync(SlotParseInput)(JSON.parse(JSON.stringify(input)))
    expect(parseSlotReply(stored.reply, stored)).toEqual({ _tag: "Matched", index: 1, matchedBy: "weekday_time" })
  })

  it("keeps the vocabularies small and free of duplicates", () => {
    for (const vocabulary of [MATCHED_BY, AMBIGUITY_REASONS, REJECT_REASONS]) {
      expect(new Set(vocabulary).size).toBe(vocabulary.length)
      expect(vocabulary.length).toBeLessThanOrEqual(16)
    }
  })
})

describe("time zones", () => {
  it("compares in the artist's zone, not in the offset the slot string carries", () => {
    // 13:00Z on 31 March 2026 is 14:00 in London (BST); the same instant written three ways.
    for (const start of ["2026-03-31T13:00:00Z", "2026-03-31T14:00:00+01:00", "2026-03-31T09:00:00-04:00"]) {
      const slots = [{ start, end: "2026-03-31T16:00:00Z" }, { start: "2026-03-27T14:00:00Z", end: "2026-03-27T17:00:00Z" }]
      expect(parseSlotReply("Tuesday 2pm", { slots, timeZone: "Europe/London", now: "2026-03-24T12:00:00Z" })).toEqual({
        _tag: "Matched",
        index: 0,
        matchedBy: "weekday_time"
      })
    }
  })

  it("gives the same answer whatever the host process's own zone is", () => {
    const slots = [
      { start: "2026-07-07T23:30:00Z", end: "2026-07-08T02:30:00Z" },
      { start: "2026-07-09T10:00:00Z", end: "2026-07-09T13:00:00Z" }
    ]
    const options = { slots, timeZone: "America/New_York", now: "2026-07-06T12:00:00Z" }
    const original = process.env.TZ
    try {
      process.env.TZ = "Pacific/Kiritimati"
      // 23:30Z on Tuesday 7 July is 19:30 on Tuesday in New York (and already Wednesday in Kiritimati).
      expect(parseSlotReply("Tuesday evening", options)).toEqual({ _tag: "Matched", index: 0, matchedBy: "weekday_daypart" })
    } finally {
      if (original === undefined) delete process.env.TZ
      else process.env.TZ = original
    }
  })
})
