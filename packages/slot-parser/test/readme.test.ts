import { describe, expect, it } from "vitest"
import { parseSlotReply } from "../src/index.js"

// The README's example, kept honest.
const options = {
  timeZone: "Europe/London",
  now: "2026-01-14T09:00:00Z",
  slots: [
    { start: "2026-01-15T10:00:00+00:00", end: "2026-01-15T13:00:00+00:00" },
    { start: "2026-01-15T14:00:00+00:00", end: "2026-01-15T17:00:00+00:00" },
    { start: "2026-01-16T14:00:00+00:00", end: "2026-01-16T17:00:00+00:00" }
  ]
}

describe("README example", () => {
  it.each([
    ["2", { _tag: "Matched", index: 1, matchedBy: "number" }],
    ["tomorrow morning", { _tag: "Matched", index: 0, matchedBy: "relative_day_daypart" }],
    ["Fri 2pm", { _tag: "Matched", index: 2, matchedBy: "weekday_time" }],
    ["2pm", { _tag: "Ambiguous", candidates: [1, 2], reason: "several_slots_match" }],
    ["1 or 3", { _tag: "Ambiguous", candidates: [0, 2], reason: "multiple_choices" }],
    ["4:00pm", { _tag: "Rejected", reason: "time_not_offered" }],
    ["7", { _tag: "Rejected", reason: "out_of_range" }],
    ["how much is it?", { _tag: "Rejected", reason: "chit_chat" }],
    ["Tuesday is not good, Thursday then", { _tag: "Ambiguous", candidates: [0, 1], reason: "several_slots_match" }],
    ["Thursday is not good", { _tag: "Matched", index: 2, matchedBy: "only_remaining" }]
  ] as const)("%s", (reply, expected) => {
    expect(parseSlotReply(reply, options)).toEqual(expected)
  })
})
