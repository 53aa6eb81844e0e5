import { describe, expect, it } from "vitest"
import { formatSlot, formatSlotLong, ROW_TITLE_MAX } from "../src/index.js"

const spring = { start: "2026-03-31T10:00:00+01:00", end: "2026-03-31T13:00:00+01:00" }
const winter = { start: "2026-01-20T10:00:00+00:00", end: "2026-01-20T13:00:00+00:00" }

describe("formatSlot", () => {
  it("gives a short list-row label in the artist's zone", () => {
    expect(formatSlot(spring, "Europe/London")).toBe("Tue 31 Mar, 10:00")
    expect(formatSlot({ start: "2026-03-31T09:00:00Z", end: "2026-03-31T12:00:00Z" }, "Europe/London")).toBe(
      "Tue 31 Mar, 10:00"
    )
    expect(formatSlot(winter, "America/New_York")).toBe("Tue 20 Jan, 05:00")
  })

  it("does not zero-pad the day (the prior system wrote 'April 01')", () => {
    expect(formatSlot({ start: "2026-04-01T14:00:00+01:00", end: "2026-04-01T17:00:00+01:00" }, "Europe/London")).toBe(
      "Wed 1 Apr, 14:00"
    )
  })

  it.each(["en-GB", "en-US", "de-DE", "es-ES", "pt-BR", "fr-FR", "pl-PL", "ja-JP", "not-a-locale"])(
    "stays within %s's 24-character row title",
    (locale) => {
      for (const start of ["2026-09-30T10:00:00+01:00", "2026-02-28T17:30:00+00:00", "2026-12-23T09:00:00+00:00"]) {
        const label = formatSlot({ start, end: start }, "Europe/London", locale)
        expect(label.length).toBeGreaterThan(0)
        expect(label.length).toBeLessThanOrEqual(ROW_TITLE_MAX)
      }
    }
  )

  it("falls back to the slot's own offset when the zone is unknown, and to the raw text when unreadable", () => {
    expect(formatSlot(spring, "Mars/Base")).toBe("Tue 31 Mar, 10:00")
    expect(formatSlot({ start: "whenever you like, honestly", end: "" }, "Europe/London")).toBe(
      "whenever you like, hones"
    )
  })
})

describe("formatSlotLong", () => {
  it("names day, start–end and the zone abbreviation in force at that date", () => {
    expect(formatSlotLong(spring, "Europe/London")).toBe("Tuesday 31 March, 10:00–13:00 (BST)")
    expect(formatSlotLong(winter, "Europe/London")).toBe("Tuesday 20 January, 10:00–13:00 (GMT)")
  })

  it("labels each slot on its own side of a daylight-saving change", () => {
    const labels = [
      { start: "2026-03-27T12:00:00+00:00", end: "2026-03-27T15:00:00+00:00" },
      { start: "2026-03-30T10:00:00+01:00", end: "2026-03-30T13:00:00+01:00" }
    ].map((slot) => formatSlotLong(slot, "Europe/London"))
    expect(labels).toEqual(["Friday 27 March, 12:00–15:00 (GMT)", "Monday 30 March, 10:00–13:00 (BST)"])
  })

  it("shows both dates when a session runs past midnight", () => {
    expect(
      formatSlotLong({ start: "2026-01-23T22:00:00+00:00", end: "2026-01-24T01:00:00+00:00" }, "Europe/London")
    ).toBe("Friday 23 January, 22:00 – Saturday 24 January, 01:00 (GMT)")
  })

  it("uses the offset as the label when the zone is unknown", () => {
    expect(formatSlotLong(spring, "Mars/Base")).toBe("Tuesday 31 March, 10:00–13:00 (+01:00)")
  })
})
