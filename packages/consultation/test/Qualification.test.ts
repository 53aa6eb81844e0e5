import * as DateTime from "effect/DateTime"
import { describe, expect, it } from "vitest"
import {
  type Answer,
  type ConsultationAnswers,
  defaultConsultationConfig as config,
  formatTourDates,
  qualificationStatus,
  qualify,
  sizeCategoryOf
} from "../src/index.js"
import { priorVectors } from "./vectors.js"

const dims = (w: number, h: number): Answer => ({ raw: `${w}x${h}cm`, parsed: { _tag: "Dimensions", widthCm: w, heightCm: h } })
const complexity = (level: 1 | 2 | 3): Answer => ({ raw: String(level), parsed: { _tag: "Complexity", level } })
const coverup = (value: boolean): Answer => ({ raw: value ? "yes" : "no", parsed: { _tag: "YesNo", value } })
const placement = (text: string): Answer => ({ raw: text, parsed: { _tag: "Text", text } })
const budget = (pence: number): Answer => ({ raw: String(pence / 100), parsed: { _tag: "Budget", pence } })
const city = (c: string | null, country: string | null): Answer => ({
  raw: c ?? country ?? "",
  parsed: { _tag: "Location", city: c, country, countryInferred: false }
})

interface Shape {
  readonly dimensions: readonly [number, number] | null
  readonly complexity_level: 1 | 2 | 3 | null
  readonly is_coverup: boolean
  readonly placement: string | null
}

const answersOf = (s: Shape): ConsultationAnswers => ({
  ...(s.dimensions === null ? {} : { dimensions: dims(s.dimensions[0], s.dimensions[1]) }),
  ...(s.complexity_level === null ? {} : { complexity: complexity(s.complexity_level) }),
  coverup: coverup(s.is_coverup),
  ...(s.placement === null ? {} : { placement: placement(s.placement) })
})

describe("size category", () => {
  it("uses the area thresholds 50 / 150 / 300 cm²", () => {
    expect(sizeCategoryOf(49.99, config)).toBe("SMALL")
    expect(sizeCategoryOf(50, config)).toBe("MEDIUM")
    expect(sizeCategoryOf(149, config)).toBe("MEDIUM")
    expect(sizeCategoryOf(150, config)).toBe("LARGE")
    expect(sizeCategoryOf(299, config)).toBe("LARGE")
    expect(sizeCategoryOf(300, config)).toBe("XL")
  })

  // The prior vectors, with our answer where the prior one was a substring bug.
  const ours: Readonly<Record<string, string>> = { "inside of wrist": "SMALL", backhand: "SMALL" }
  it.each(priorVectors("estimate_category").map((v) => [v.input as Shape, v.expect as string] as const))(
    "prior vector %o → %s (or our fix)",
    (input, expected) => {
      const want = (input.placement !== null ? ours[input.placement] : undefined) ?? expected
      expect(qualify(answersOf(input), config).sizeCategory).toBe(want)
    }
  )

  it("hard placements are whole words", () => {
    expect(qualify(answersOf({ dimensions: [5, 5], complexity_level: 1, is_coverup: false, placement: "ribs" }), config)).toMatchObject(
      { sizeCategory: "MEDIUM", hardPlacement: true }
    )
    expect(
      qualify(answersOf({ dimensions: [5, 5], complexity_level: 1, is_coverup: false, placement: "inside forearm" }), config)
    ).toMatchObject({ sizeCategory: "SMALL", hardPlacement: false })
  })

  it("bumps can be switched off in the config", () => {
    const off = { ...config, categoryBumps: { coverUp: false, highComplexity: false, hardPlacements: [] } }
    expect(qualify(answersOf({ dimensions: [5, 5], complexity_level: 3, is_coverup: true, placement: "ribs" }), off).sizeCategory).toBe(
      "SMALL"
    )
  })
})

describe("XL days and deposits", () => {
  it.each(priorVectors("estimate_days_for_xl").filter((v) => (v.input as Shape).dimensions !== null).map((v) => [v.input as Shape, v.expect as number] as const))(
    "prior vector %o → %s days",
    (input, days) => {
      const q = qualify(answersOf(input), config)
      expect(q.sizeCategory).toBe("XL")
      expect(q.estimatedDays).toBe(days)
      expect(q.depositAmountPence).toBe(20000 * days)
    }
  )

  it.each([
    [[5, 8], 1, "SMALL", 15000],
    [[8, 12], 2, "MEDIUM", 15000],
    [[10, 15], 2, "LARGE", 20000],
    [[15, 20], 2, "XL", 30000],
    [[25, 25], 2, "XL", 50000]
  ] as const)("%o complexity %s → %s, deposit %s", (d, c, category, deposit) => {
    const q = qualify({ dimensions: dims(d[0], d[1]), complexity: complexity(c), coverup: coverup(false) }, config)
    expect(q).toMatchObject({ sizeCategory: category, depositAmountPence: deposit })
    expect(q.estimatedDays === null).toBe(category !== "XL")
  })

  it("caps XL at four days", () => {
    const q = qualify(answersOf({ dimensions: [30, 30], complexity_level: 3, is_coverup: true, placement: "full back" }), config)
    expect(q).toMatchObject({ estimatedDays: 4, depositAmountPence: 80000 })
  })
})

describe("region minimum and status", () => {
  it.each([
    ["UK", 39999, true],
    ["UK", 40000, false],
    ["Germany", 49999, true],
    ["France", 50000, false],
    ["Japan", 59999, true],
    [null, 60000, false]
  ] as const)("%s with %s pence → below minimum: %s", (country, pence, below) => {
    const q = qualify({ budget: budget(pence), location_city: city(null, country) }, config)
    expect(q.belowMinimum).toBe(below)
    expect(qualificationStatus(q)).toBe(below ? "NEEDS_FOLLOW_UP" : "PENDING_APPROVAL")
  })

  it("the country answer wins over the city's country", () => {
    const q = qualify(
      {
        location_city: city("London", "United Kingdom"),
        location_country: { raw: "France", parsed: { _tag: "Country", country: "France", recognised: true } }
      },
      config
    )
    expect(q).toMatchObject({ city: "London", country: "France", region: "EUROPE", regionMinimumPence: 50000 })
  })

  it("cover-up wins over everything", () => {
    const q = qualify({ coverup: coverup(true), budget: budget(100), location_city: city("London", "United Kingdom") }, config)
    expect(qualificationStatus(q)).toBe("NEEDS_ARTIST_REPLY")
  })

  it("without a cover-up answer, a cover-up mentioned in any answer counts", () => {
    const q = qualify({ idea: placement("cover up my old tattoo") }, config)
    expect(q.coverUp).toBe(true)
    expect(qualify({ idea: placement("I discovered a rose") }, config).coverUp).toBe(false)
  })
})

describe("tour decision", () => {
  const tour = {
    ...config,
    tourSchedule: [
      { city: "Berlin", country: "Germany", startDate: "2026-02-19", endDate: "2026-02-24" },
      { city: "London", startDate: "2026-03-02", endDate: "2026-03-02" }
    ]
  }
  const at = (c: string) => ({ location_city: city(c, null) })
  const now = DateTime.unsafeMake("2026-02-20T12:00:00Z")

  it("no schedule → studio for everyone", () => {
    expect(qualify(at("Anywhere Town"), config).tour).toEqual({ _tag: "Studio" })
  })

  it("on a running or upcoming stop → on tour", () => {
    expect(qualify(at("berlin"), tour, now).tour).toMatchObject({ _tag: "OnTour", stop: { city: "Berlin" } })
  })

  it("elsewhere → the next open stop is offered, with en_GB dates", () => {
    expect(qualify(at("Leeds"), tour, now).tour).toEqual({
      _tag: "Offer",
      stop: tour.tourSchedule[0],
      dates: "19–24 February 2026"
    })
  })

  it("all stops over → waitlist", () => {
    const q = qualify(at("Leeds"), tour, new Date("2026-04-01T00:00:00Z"))
    expect(q.tour).toEqual({ _tag: "Waitlist" })
    expect(qualificationStatus(q)).toBe("WAITLISTED")
  })

  it("formats tour dates", () => {
    expect(formatTourDates({ startDate: "2026-03-02", endDate: "2026-03-02" })).toBe("2 March 2026")
    expect(formatTourDates({ startDate: "2026-02-28", endDate: "2026-03-03" })).toBe("28 February – 3 March 2026")
    expect(formatTourDates({ startDate: "2026-12-30", endDate: "2027-01-02" })).toBe("30 December 2026 – 2 January 2027")
  })
})
