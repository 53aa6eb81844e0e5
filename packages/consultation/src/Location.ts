import * as Data from "effect/Data"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { type ConsultationConfig, defaultConsultationConfig } from "./ConsultationConfig.js"
import { CITY_COUNTRY, COUNTRIES } from "./internal/countries.js"
import { containsPhrase, letterCount, normalise, tidyName, wordLine } from "./internal/text.js"

/** Where the client is: a city, a canonical country name, or both. */
export interface Location {
  readonly city: string | null
  readonly country: string | null
  /** True when the country was not written but inferred from a well-known city. */
  readonly countryInferred: boolean
}

/** Why a location answer could not be used. */
export type LocationRejection = "empty" | "flexible" | "not_a_place" | "postcode"

/** A location answer that names no place. */
export class LocationNotUnderstood extends Data.TaggedError("LocationNotUnderstood")<{
  readonly input: string
  readonly reason: LocationRejection
}> {}

interface AliasPattern {
  readonly name: string
  readonly length: number
  readonly regex: RegExp
  /**
   * Text every match contains (lower-cased when the pattern ignores case), tested with `includes` before
   * the regex. Only for ASCII words: in NFKC text (what `normalise` gives) an ASCII letter matches, ignoring
   * case, only its own upper or lower case, so `includes` on the lower-cased text never skips a match.
   */
  readonly needle: string | undefined
  readonly ignoreCase: boolean
}

const ASCII = /^[\x20-\x7e]+$/
const longestWord = (alias: string): string => alias.split(" ").reduce((a, b) => (b.length > a.length ? b : a), "")

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

// Whole-word patterns, longest alias first, so "Northern Ireland" is the UK and not Ireland,
// and "Germany" can never be read as "any".
const ALIASES: ReadonlyArray<AliasPattern> = COUNTRIES.flatMap((c) => [
  ...c.aliases.map((alias) => ({
    name: c.name,
    length: alias.length,
    regex: new RegExp(
      `(?<![\\p{L}\\p{N}])${alias.split(" ").map(escapeRegExp).join("[^\\p{L}\\p{N}]+")}(?![\\p{L}\\p{N}])`,
      "iu"
    ),
    needle: ASCII.test(alias) ? longestWord(alias).toLowerCase() : undefined,
    ignoreCase: true
  })),
  ...(c.upper ?? []).map((alias) => ({
    name: c.name,
    length: alias.length,
    regex: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(alias)}(?![\\p{L}\\p{N}])`, "u"),
    needle: alias,
    ignoreCase: false
  }))
]).sort((a, b) => b.length - a.length)

const BY_ISO = new Map(COUNTRIES.map((c) => [c.iso2, c.name]))
const FLAG = /([\u{1F1E6}-\u{1F1FF}])([\u{1F1E6}-\u{1F1FF}])/u
const EMOJI = /\p{Extended_Pictographic}|[\u{1F1E6}-\u{1F1FF}]|[\u{E0020}-\u{E007F}]|\u{FE0F}|\u{200D}/gu

const FLEXIBLE = [
  "flexible",
  "anywhere",
  "any",
  "wherever",
  "whatever",
  "doesn't matter",
  "doesnt matter",
  "don't mind",
  "dont mind",
  "don't care",
  "dont care",
  "no preference",
  "either"
]
const UNKNOWN = ["not sure", "unsure", "idk", "dunno", "don't know", "dont know", "no idea", "n a", "none", "no", "nowhere"]
const POSTCODE = /^[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}$/i
const LEADING_FILLER =
  /^(?:(?:i'?m|i am|we'?re|we are|i live|we live|living|based|currently|located|from|in|near|around|outside|just|city of)\s+)+/i

interface CountryHit {
  readonly name: string
  readonly index: number
  readonly length: number
}

/** The longest country alias in `text` (NFKC-normalised: see `normalise`), as whole words. */
const findCountry = (text: string): CountryHit | undefined => {
  let best: CountryHit | undefined
  const lower = text.toLowerCase()
  for (const alias of ALIASES) {
    if (alias.needle !== undefined && !(alias.ignoreCase ? lower : text).includes(alias.needle)) continue
    const m = alias.regex.exec(text)
    if (m === null) continue
    if (best === undefined || m[0].length > best.length) {
      best = { name: alias.name, index: m.index, length: m[0].length }
    }
  }
  return best
}

const flagCountry = (text: string): string | undefined => {
  const m = FLAG.exec(text)
  if (m === null) return undefined
  const code = String.fromCharCode(
    (m[1]?.codePointAt(0) ?? 0) - 0x1f1e6 + 65,
    (m[2]?.codePointAt(0) ?? 0) - 0x1f1e6 + 65
  )
  return BY_ISO.get(code)
}

const hasAny = (line: string, phrases: ReadonlyArray<string>): boolean => phrases.some((p) => containsPhrase(line, p))

/**
 * Finds a country named in a text, as whole words ("Berlin, Germany" → Germany; "any" is no
 * country; "UK", "U.K.", "England", "united kingdom" → United Kingdom; a 🇬🇧 flag counts).
 */
export const matchCountry = (text: string): Option.Option<string> => {
  const t = normalise(typeof text === "string" ? text : "")
  if (t.length === 0) return Option.none()
  // A whole answer "us" is the country; inside a sentence it needs capitals ("US").
  if (/^u\.?s\.?$/i.test(t)) return Option.some("United States")
  const hit = findCountry(t)
  if (hit !== undefined) return Option.some(hit.name)
  return Option.fromNullable(flagCountry(t))
}

const explicitCountry = (text: string | undefined): string | null => {
  if (text === undefined) return null
  const found = matchCountry(text)
  if (Option.isSome(found)) return found.value
  const tidy = tidyName(normalise(text).replace(EMOJI, ""))
  const line = wordLine(tidy)
  if (letterCount(tidy) < 2 || hasAny(line, FLEXIBLE) || hasAny(line, UNKNOWN)) return null
  return tidy
}

/**
 * Reads the client's location from the city answer and, when given, the country answer (which
 * wins over a country named or inferred in the city answer). Matching is whole-word:
 * "Germany" is a country, never "any"; "London, UK" → London, United Kingdom; "Northern Ireland"
 * → United Kingdom; "anywhere", "idk" and postcodes are refused.
 */
export const parseLocation = (
  city: string,
  country?: string
): Either.Either<Location, LocationNotUnderstood> => {
  const input = typeof city === "string" ? city : ""
  const text = normalise(input)
  const given = explicitCountry(typeof country === "string" ? country : undefined)
  if (text.length === 0) {
    if (given !== null) return Either.right({ city: null, country: given, countryInferred: false })
    return Either.left(new LocationNotUnderstood({ input, reason: "empty" }))
  }

  const hit = findCountry(text)
  const named = hit?.name ?? flagCountry(text) ?? (/^u\.?s\.?$/i.test(text) ? "United States" : undefined)
  const rest =
    hit === undefined ? text : `${text.slice(0, hit.index)} ${text.slice(hit.index + hit.length)}`
  const cityText = tidyName(rest.replace(EMOJI, " ").replace(/\s+/g, " ").trim().replace(LEADING_FILLER, ""))
  const line = wordLine(cityText)
  const vague = hasAny(line, FLEXIBLE) || hasAny(line, UNKNOWN)
  const countryKnown = given ?? named ?? null

  if (vague || letterCount(cityText) < 2 || /^(?:u\.?s\.?|the)$/i.test(cityText)) {
    if (countryKnown !== null) return Either.right({ city: null, country: countryKnown, countryInferred: false })
    const reason = hasAny(line, FLEXIBLE) ? "flexible" : "not_a_place"
    return Either.left(new LocationNotUnderstood({ input, reason }))
  }
  if (POSTCODE.test(cityText)) return Either.left(new LocationNotUnderstood({ input, reason: "postcode" }))

  const inferred = CITY_COUNTRY[cityText.toLowerCase()]
  if (countryKnown !== null) return Either.right({ city: cityText, country: countryKnown, countryInferred: false })
  return Either.right({ city: cityText, country: inferred ?? null, countryInferred: inferred !== undefined })
}

const canonical = (country: string): string =>
  Option.getOrElse(matchCountry(country), () => tidyName(normalise(country))).toLowerCase()

/**
 * The region a country belongs to, by the config's region lists ("England", "U.K." → "UK";
 * "Germany" → "EUROPE"); anything unknown, or no country, is the default region ("ROW").
 */
export const regionOf = (
  country: string | null | undefined,
  config: ConsultationConfig = defaultConsultationConfig
): string => {
  if (typeof country !== "string" || normalise(country).length === 0) return config.defaultRegion.name
  return regionIndex(config).get(canonical(country)) ?? config.defaultRegion.name
}

/** Each config's regions by canonical name and country (the first region listing one wins), built once per config. */
const REGION_INDEX = new WeakMap<ConsultationConfig, ReadonlyMap<string, string>>()
const regionIndex = (config: ConsultationConfig): ReadonlyMap<string, string> => {
  const known = REGION_INDEX.get(config)
  if (known !== undefined) return known
  const index = new Map<string, string>()
  const add = (key: string, region: string) => {
    if (!index.has(key)) index.set(key, region)
  }
  for (const region of config.regions) {
    add(region.name.toLowerCase(), region.name)
    for (const c of region.countries) add(canonical(c), region.name)
  }
  REGION_INDEX.set(config, index)
  return index
}

/** The minimum budget (pence) of a region by name; unknown names get the default region's. */
export const regionMinimumPence = (region: string, config: ConsultationConfig = defaultConsultationConfig): number =>
  config.regions.find((r) => r.name === region)?.minimumBudgetPence ?? config.defaultRegion.minimumBudgetPence
