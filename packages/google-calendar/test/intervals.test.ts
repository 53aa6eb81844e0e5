import { assert, describe, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import { holdEventId, leadIdFromTag } from "../src/internal/eventId.js"
import { datesOf, mergeSpans, type Span, splitRange } from "../src/internal/intervals.js"

const DAY = 86_400_000
const span = fc
  .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 500 }))
  .map(([s, len]): Span => [s, s + len])

/** Whether minute-ish point `t` is covered by any span. */
const covered = (spans: ReadonlyArray<Span>, t: number) => spans.some(([s, e]) => t >= s && t < e)

describe("splitRange", () => {
  it.prop("chunks are contiguous, cover [min, max) exactly and are at most maxDays long", [
    fc.integer({ min: 0, max: 1000 * DAY }),
    fc.integer({ min: 1, max: 400 * DAY }),
    fc.integer({ min: 1, max: 90 })
  ], ([min, length, maxDays]) => {
    const chunks = splitRange(min, min + length, maxDays)
    assert.strictEqual(chunks[0]![0], min)
    assert.strictEqual(chunks[chunks.length - 1]![1], min + length)
    chunks.forEach(([s, e], i) => {
      assert.isAbove(e, s)
      assert.isAtMost(e - s, maxDays * DAY)
      if (i > 0) assert.strictEqual(s, chunks[i - 1]![1])
    })
    assert.strictEqual(chunks.length, Math.ceil(length / (maxDays * DAY)))
  })

  it("an empty or inverted range has no chunks", () => {
    assert.deepStrictEqual(splitRange(5, 5), [])
    assert.deepStrictEqual(splitRange(6, 5), [])
  })
})

describe("mergeSpans", () => {
  it.prop("the result is sorted, disjoint, non-touching and covers exactly the same points", [fc.array(span, { maxLength: 40 })], ([spans]) => {
    const merged = mergeSpans(spans)
    merged.forEach(([s, e], i) => {
      assert.isAbove(e, s)
      if (i > 0) assert.isAbove(s, merged[i - 1]![1])
    })
    for (let t = 0; t <= 10_500; t += 7) assert.strictEqual(covered(merged, t), covered(spans, t))
  })

  it("joins a block cut at a chunk boundary back into one", () => {
    assert.deepStrictEqual(mergeSpans([[10, 20], [0, 10], [30, 40]]), [[0, 20], [30, 40]])
  })
})

describe("datesOf", () => {
  it("lists every day of an all-day event, end exclusive, across a month end", () => {
    assert.deepStrictEqual(datesOf("2026-11-29", "2026-12-02"), ["2026-11-29", "2026-11-30", "2026-12-01"])
    assert.deepStrictEqual(datesOf("2026-12-05", "2026-12-06"), ["2026-12-05"])
  })
})

describe("holdEventId", () => {
  it.prop("is a valid Calendar id, stable for the same input and different for another slot", [
    fc.string({ minLength: 1 }),
    fc.integer({ min: 0, max: 2_000_000_000_000 })
  ], ([lead, ms]) => {
    const start = new Date(ms).toISOString()
    const end = new Date(ms + 3_600_000).toISOString()
    const id = holdEventId(lead, start, end)
    assert.match(id, /^[a-v0-9]{5,1024}$/)
    assert.strictEqual(holdEventId(lead, start, end), id)
    assert.notStrictEqual(holdEventId(lead, end, new Date(ms + 7_200_000).toISOString()), id)
  })

  it("leadIdFromTag reads [LEAD-<id>] case-insensitively from title or description", () => {
    assert.strictEqual(leadIdFromTag("Sleeve [lead-42]", undefined), "42")
    assert.strictEqual(leadIdFromTag("Sleeve", "booked [LEAD-7] by phone"), "7")
    assert.strictEqual(leadIdFromTag("LEAD-7 without brackets", undefined), undefined)
  })
})
