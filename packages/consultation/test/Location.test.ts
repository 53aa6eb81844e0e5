import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { describe, expect, it } from "vitest"
import {
  defaultConsultationConfig,
  type LocationRejection,
  matchCountry,
  parseLocation,
  regionMinimumPence,
  regionOf
} from "../src/index.js"
import { priorInputs, priorVectors } from "./vectors.js"

type Expected = readonly [city: string | null, country: string | null] | LocationRejection

const PRIOR: Readonly<Record<string, Expected>> = {
  flexible: "flexible",
  anywhere: "flexible",
  any: "flexible",
  wherever: "flexible",
  "doesn't matter": "flexible",
  "doesnt matter": "flexible",
  "don't care": "flexible",
  "dont care": "flexible",
  "London UK": ["London", "United Kingdom"],
  "london uk": ["London", "United Kingdom"], // prior kept "london"
  London: ["London", "United Kingdom"],
  RandomCity: ["RandomCity", null],
  "United Kingdom": [null, "United Kingdom"],
  UK: [null, "United Kingdom"],
  "Paris France": ["Paris", "France"],
  "": "empty",
  A: "not_a_place",
  "New York USA": ["New York", "United States"],
  "LONDON UK": ["London", "United Kingdom"],
  "London, United Kingdom": ["London", "United Kingdom"], // prior: city "London,"
  Manchester: ["Manchester", "United Kingdom"],
  Birmingham: ["Birmingham", "United Kingdom"],
  Glasgow: ["Glasgow", "United Kingdom"],
  Edinburgh: ["Edinburgh", "United Kingdom"],
  "E1 6AN": "postcode", // prior: a city named "E1 6AN"
  "London 🇬🇧": ["London", "United Kingdom"], // prior: city "London 🇬🇧", no country
  "🇬🇧 London": ["London", "United Kingdom"],
  idk: "not_a_place", // prior: a city named "idk"
  Germany: [null, "Germany"], // prior: "flexible" ("any" inside Germany)
  Albany: ["Albany", null], // prior: "flexible"
  "Brittany France": ["Brittany", "France"], // prior: "flexible"
  "London, UK": ["London", "United Kingdom"],
  "Northern Ireland": [null, "United Kingdom"], // prior: city "Northern", country Ireland
  "Belfast Northern Ireland": ["Belfast", "United Kingdom"], // prior: "Belfast Northern", Ireland
  "not sure": "not_a_place",
  Berlin: ["Berlin", "Germany"],
  us: [null, "United States"],
  "Austin US": ["Austin", "United States"],
  Dublin: ["Dublin", "Ireland"],
  "New Zealand": [null, "New Zealand"], // prior: a city named "New Zealand"
  "Tokyo Japan": ["Tokyo", "Japan"] // prior: a city named "Tokyo Japan"
}

const check = (input: string, expected: Expected) => {
  const r = parseLocation(input)
  if (typeof expected === "string") {
    expect(Either.isLeft(r) && r.left.reason).toBe(expected)
  } else {
    expect(Either.isRight(r)).toBe(true)
    if (Either.isRight(r)) expect([r.right.city, r.right.country]).toEqual(expected)
  }
}

describe("parseLocation", () => {
  it("covers every input the prior system was tested with", () => {
    expect(priorInputs("parse_location_input", "is_valid_location").filter((i) => !(i in PRIOR))).toEqual([])
  })

  it.each(Object.entries(PRIOR))("prior input %o → %o", check)

  it.each([
    ["I'm in London", ["London", "United Kingdom"]],
    ["based in Leeds, England", ["Leeds", "United Kingdom"]],
    ["Cardiff Wales", ["Cardiff", "United Kingdom"]],
    ["Sao Paulo", ["Sao Paulo", null]],
    ["Tiffany", ["Tiffany", null]],
    ["Berlin Germany", ["Berlin", "Germany"]],
    ["company town", ["Company Town", null]],
    ["many places", ["Many Places", null]],
    ["Sydney, New South Wales", ["Sydney", "Australia"]],
    ["Berlin, Deutschland", ["Berlin", "Germany"]],
    ["anywhere in the UK", [null, "United Kingdom"]],
    ["Come see us in Leeds", ["Come see us in Leeds", null]],
    ["U.K.", [null, "United Kingdom"]]
  ] as const)("%o → %o", check)

  it("tells whether the country was inferred from the city", () => {
    expect(parseLocation("London")).toEqual(
      Either.right({ city: "London", country: "United Kingdom", countryInferred: true })
    )
    expect(parseLocation("London UK")).toMatchObject(Either.right({ countryInferred: false }))
  })

  it("an explicit country answer wins", () => {
    expect(parseLocation("London", "Canada")).toEqual(Either.right({ city: "London", country: "Canada", countryInferred: false }))
    expect(parseLocation("", "Deutschland")).toEqual(Either.right({ city: null, country: "Germany", countryInferred: false }))
    expect(parseLocation("Leeds", "Narnia")).toEqual(Either.right({ city: "Leeds", country: "Narnia", countryInferred: false }))
    expect(parseLocation("Leeds", "idk")).toEqual(Either.right({ city: "Leeds", country: "United Kingdom", countryInferred: true }))
    expect(parseLocation("Springfield", "idk")).toEqual(Either.right({ city: "Springfield", country: null, countryInferred: false }))
  })
})

describe("matchCountry", () => {
  it.each([
    ["UK", "United Kingdom"],
    ["U.K.", "United Kingdom"],
    ["uk", "United Kingdom"],
    ["England", "United Kingdom"],
    ["united kingdom", "United Kingdom"],
    ["Great Britain", "United Kingdom"],
    ["Northern Ireland", "United Kingdom"],
    ["Ireland", "Ireland"],
    ["Germany", "Germany"],
    ["I live in Berlin, Germany", "Germany"],
    ["us", "United States"],
    ["USA", "United States"],
    ["Austin, US", "United States"],
    ["🇫🇷", "France"],
    ["Czech Republic", "Czechia"]
  ])("%o → %o", (input, country) => {
    expect(matchCountry(input)).toEqual(Option.some(country))
  })

  // Matching ignores case, and compatibility forms read as the letters they stand for (the text is NFKC-normalised
  // before the quick substring test that skips most patterns, so that test never hides a match).
  it.each([
    ["GERMANY", "Germany"],
    ["dEnMaRk", "Denmark"],
    ["Denmar\u212A", "Denmark"], // KELVIN SIGN, folds to k
    ["Auſtria", "Austria"], // LONG S
    ["ＧＥＲＭＡＮＹ", "Germany"], // fullwidth
    ["berlin,germany", "Germany"]
  ])("%o → %o (case and compatibility forms)", (input, country) => {
    expect(matchCountry(input)).toEqual(Option.some(country))
  })

  it.each(["any", "anywhere", "Albany", "Tiffany", "company", "come see us", "Jupiter", "", "Brittany"])(
    "%o is no country",
    (input) => {
      expect(matchCountry(input)).toEqual(Option.none())
    }
  )
})

describe("regionOf", () => {
  const ours: Readonly<Record<string, string>> = { Czechia: "EUROPE" } // prior: ROW (only "Czech Republic" listed)
  it.each(priorVectors("country_to_region").map((v) => [v.input as string, ours[v.input as string] ?? (v.expect as string)]))(
    "prior input %o → %o",
    (country, region) => {
      expect(regionOf(country)).toBe(region)
    }
  )

  it.each([
    ["U.K.", "UK"],
    ["england", "UK"],
    ["United Kingdom", "UK"],
    ["Deutschland", "EUROPE"],
    ["Czech Republic", "EUROPE"],
    ["Japan", "ROW"],
    ["", "ROW"],
    [null, "ROW"],
    ["Narnia", "ROW"]
  ] as const)("%o → %o", (country, region) => {
    expect(regionOf(country)).toBe(region)
  })

  it("takes the first region that lists a country, by region name or any spelling of the country", () => {
    const config = {
      ...defaultConsultationConfig,
      regions: [
        { name: "NORDICS", minimumBudgetPence: 80000, countries: ["Danmark", "Norway"] },
        { name: "EUROPE", minimumBudgetPence: 50000, countries: ["Denmark", "Germany"] }
      ]
    }
    expect(regionOf("denmark", config)).toBe("NORDICS")
    expect(regionOf("Germany", config)).toBe("EUROPE")
    expect(regionOf("europe", config)).toBe("EUROPE")
    expect(regionOf("Japan", config)).toBe(config.defaultRegion.name)
    // The default config is unaffected by the other one.
    expect(regionOf("Denmark")).toBe("EUROPE")
  })

  it("follows the config's region lists", () => {
    const config = {
      ...defaultConsultationConfig,
      regions: [...defaultConsultationConfig.regions, { name: "NORTH_AMERICA", minimumBudgetPence: 70000, countries: ["USA", "Canada"] }]
    }
    expect(regionOf("United States", config)).toBe("NORTH_AMERICA")
    expect(regionOf("u.s.a.", config)).toBe("NORTH_AMERICA")
    expect(regionMinimumPence("NORTH_AMERICA", config)).toBe(70000)
    expect(regionMinimumPence("UK")).toBe(40000)
    expect(regionMinimumPence("ROW")).toBe(60000)
    expect(regionMinimumPence("MARS")).toBe(60000)
  })
})
