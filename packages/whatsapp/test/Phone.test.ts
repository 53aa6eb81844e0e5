import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { maskPhone, normalizeWaId } from "../src/index.js"

describe("normalizeWaId", () => {
  it.each([
    ["+44 7700 900890", "447700900890"],
    ["+44 (0) 7700-900-890", "4407700900890"],
    ["447700900890", "447700900890"],
    ["+1 (415) 555-0100", "14155550100"],
    ["", ""]
  ])("%s → %s", (input, expected) => {
    expect(normalizeWaId(input)).toBe(expected)
  })
})

describe("maskPhone", () => {
  it("keeps the first two and last three digits of a full number", () => {
    expect(maskPhone("447700900890")).toBe("+44\u2022\u2022\u2022\u2022\u2022\u2022\u2022890")
    expect(maskPhone("+44 7700 900890")).toBe("+44\u2022\u2022\u2022\u2022\u2022\u2022\u2022890")
  })

  it("shows exactly the first two and last three digits of 8+ digit numbers, and no digit of shorter ones", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,15}$/), (digits) => {
        const masked = maskPhone(digits)
        const shown = masked.replace(/\D/g, "")
        expect(shown).toBe(digits.length >= 8 ? digits.slice(0, 2) + digits.slice(-3) : "")
        expect(masked.length).toBe(digits.length + 1)
      })
    )
  })
})
