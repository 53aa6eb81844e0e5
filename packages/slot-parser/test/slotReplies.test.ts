import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { AMBIGUITY_REASONS, MATCHED_BY, parseSlotReply, REJECT_REASONS, type SlotParseResult } from "../src/index.js"

interface Case {
  readonly set: string
  readonly timeZone: string
  readonly now: string
  readonly slots: ReadonlyArray<{ readonly start: string; readonly end: string }>
  readonly reply: string
  readonly origin: string
  readonly expect:
    | { readonly tag: "Matched"; readonly index: number; readonly matchedBy: string }
    | { readonly tag: "Ambiguous"; readonly candidates: ReadonlyArray<number>; readonly reason: string }
    | { readonly tag: "Rejected"; readonly reason: string }
}

const { cases } = JSON.parse(readFileSync(new URL("./fixtures/slot-replies.json", import.meta.url), "utf8")) as {
  readonly cases: ReadonlyArray<Case>
}

const expected = (e: Case["expect"]): SlotParseResult =>
  (e.tag === "Matched"
    ? { _tag: "Matched", index: e.index, matchedBy: e.matchedBy }
    : e.tag === "Ambiguous"
      ? { _tag: "Ambiguous", candidates: e.candidates, reason: e.reason }
      : { _tag: "Rejected", reason: e.reason }) as SlotParseResult

const label = (c: Case): string => `${JSON.stringify(c.reply.length > 40 ? `${c.reply.slice(0, 40)}…` : c.reply)} [${c.set}]`

describe("labelled slot replies", () => {
  it.each(cases.map((c) => [label(c), c] as const))("%s", (_, c) => {
    const result = parseSlotReply(c.reply, { slots: c.slots, timeZone: c.timeZone, now: c.now })
    expect(result, `reply ${JSON.stringify(c.reply)} (${c.origin})`).toEqual(expected(c.expect))
  })
})

describe("the labelled set itself", () => {
  it("holds at least 300 replies written by us", () => {
    expect(cases.filter((c) => c.origin === "ours").length).toBeGreaterThanOrEqual(300)
  })

  it("answers all 179 inputs of the prior system's vector file", () => {
    const answered = new Set(cases.filter((c) => c.origin.startsWith("prior-vector:")).map((c) => c.origin))
    const all = Array.from({ length: 179 }, (_, i) => `prior-vector:${i}`)
    expect(all.filter((o) => !answered.has(o))).toEqual([])
  })

  it("exercises every matchedBy and reason of the vocabularies", () => {
    const seen = new Set(cases.map((c) => (c.expect.tag === "Matched" ? c.expect.matchedBy : c.expect.reason)))
    expect([...MATCHED_BY, ...AMBIGUITY_REASONS, ...REJECT_REASONS].filter((k) => !seen.has(k))).toEqual([])
  })

  it("offers 3–8 slots in several zones, including both London DST changes and New York", () => {
    const ours = cases.filter((c) => c.origin === "ours" && c.set !== "invalid")
    expect(new Set(ours.map((c) => c.timeZone))).toEqual(
      new Set(["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"])
    )
    for (const c of ours) expect(c.slots.length).toBeGreaterThanOrEqual(3)
    for (const c of ours) expect(c.slots.length).toBeLessThanOrEqual(8)
  })
})
