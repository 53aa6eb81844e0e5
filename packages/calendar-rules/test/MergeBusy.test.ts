import { describe, expect, it } from "vitest"
import { mergeBusy } from "../src/index.js"

describe("mergeBusy", () => {
  it("sorts, merges overlapping and touching intervals across offsets, in UTC", () => {
    expect(
      mergeBusy([
        { start: "2026-01-20T15:00:00Z", end: "2026-01-20T16:00:00Z" },
        { start: "2026-01-20T11:00:00+01:00", end: "2026-01-20T12:00:00+01:00" }, // 10:00–11:00Z
        { start: "2026-01-20T10:30:00Z", end: "2026-01-20T12:00:00Z" },
        { start: "2026-01-20T12:00:00Z", end: "2026-01-20T12:30:00Z" }
      ])
    ).toEqual([
      { start: "2026-01-20T10:00:00.000Z", end: "2026-01-20T12:30:00.000Z" },
      { start: "2026-01-20T15:00:00.000Z", end: "2026-01-20T16:00:00.000Z" }
    ])
  })

  it("reads offset-less values in the given zone and leaves unreadable entries out", () => {
    expect(
      mergeBusy(
        [
          { start: "2026-07-20T10:00:00", end: "2026-07-20T11:00:00" },
          { start: "nope", end: "2026-07-20T11:00:00Z" },
          { start: "2026-07-20T11:00:00Z", end: "2026-07-20T10:00:00Z" }
        ],
        "Europe/London"
      )
    ).toEqual([{ start: "2026-07-20T09:00:00.000Z", end: "2026-07-20T10:00:00.000Z" }])
  })

  it("returns nothing for nothing", () => {
    expect(mergeBusy([])).toEqual([])
  })
})
