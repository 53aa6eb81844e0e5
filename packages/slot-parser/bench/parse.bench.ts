import { bench, describe } from "vitest"
import { parseSlotReply } from "../src/index.js"

// Eight offered slots over two weeks in London, across nothing unusual: the common case.
const options = {
  timeZone: "Europe/London",
  now: "2026-01-14T09:00:00Z",
  slots: [
    "2026-01-15T10:00:00+00:00", "2026-01-15T14:00:00+00:00", "2026-01-16T11:00:00+00:00",
    "2026-01-19T14:00:00+00:00", "2026-01-20T10:30:00+00:00", "2026-01-21T16:00:00+00:00",
    "2026-01-23T14:00:00+00:00", "2026-01-24T10:00:00+00:00"
  ].map((start) => ({ start, end: new Date(Date.parse(start) + 3 * 3_600_000).toISOString() }))
}

// A realistic mix: mostly numbers, then days and times, some chit-chat and traps.
const replies = [
  "2", "3", "1", "option 4", "#5", "3 please", "the second one", "last one", "two",
  "Thursday 2pm", "tomorrow morning", "Friday afternoon", "the 19th", "Monday at 2", "4pm",
  "2pm", "next Friday", "16/01", "Thursday the 15th at 2", "thrusday", "not Friday, Monday works",
  "1 or 2", "either", "thanks!", "how much is it?", "I have 3 questions", "4:00pm", "14.00",
  "Mondays are bad for me", "after the wedding"
]

// One benchmark iteration parses every reply of the mix once, so per-sample timer overhead is
// amortised: parses per second = hz × replies.length (30).
describe("parseSlotReply, 8 offered slots", () => {
  bench(`realistic mix, ${replies.length} parses per iteration`, () => {
    for (const reply of replies) parseSlotReply(reply, options)
  }, { time: 3000 })

  bench("bare number, 1 parse per iteration", () => {
    parseSlotReply("3", options)
  }, { time: 1000 })
})
