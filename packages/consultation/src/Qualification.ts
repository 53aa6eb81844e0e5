import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Answer, ConsultationAnswers } from "./ConsultationAnswers.js"
import { type ConsultationConfig, TourStop } from "./ConsultationConfig.js"
import { parseComplexity, parseYesNo } from "./internal/answerParsers.js"
import { containsPhrase, normalise, tidyName, wordLine } from "./internal/text.js"
import { matchesKeywordList } from "./Keywords.js"
import { parseLocation, regionMinimumPence, regionOf } from "./Location.js"

/** Size categories, from the tattoo's area. */
export const SizeCategory = Schema.Literal("SMALL", "MEDIUM", "LARGE", "XL")
export type SizeCategory = typeof SizeCategory.Type

/** The lead status a finished consultation decides. */
export const ConsultationStatus = Schema.Literal(
  "PENDING_APPROVAL",
  "NEEDS_FOLLOW_UP",
  "NEEDS_ARTIST_REPLY",
  "TOUR_CONVERSION_OFFERED",
  "WAITLISTED"
)
export type ConsultationStatus = typeof ConsultationStatus.Type

/**
 * Where the session would happen: at the studio (no tour configured, or a studio city), on a
 * tour stop in the requested city, an offer of the next stop elsewhere, or the waitlist.
 */
export const TourDecision = Schema.Union(
  Schema.TaggedStruct("Studio", {}),
  Schema.TaggedStruct("OnTour", { stop: TourStop }),
  Schema.TaggedStruct("Offer", { stop: TourStop, dates: Schema.String }),
  Schema.TaggedStruct("Waitlist", {})
)
export type TourDecision = typeof TourDecision.Type

/** The numbers and decisions derived from a consultation's answers. */
export const Qualification = Schema.Struct({
  sizeCategory: SizeCategory,
  widthCm: Schema.NullOr(Schema.Number),
  heightCm: Schema.NullOr(Schema.Number),
  areaCm2: Schema.NullOr(Schema.Number),
  estimatedDays: Schema.NullOr(Schema.Number),
  depositAmountPence: Schema.Int,
  region: Schema.String,
  regionMinimumPence: Schema.Int,
  budgetPence: Schema.NullOr(Schema.Int),
  belowMinimum: Schema.Boolean,
  city: Schema.NullOr(Schema.String),
  country: Schema.NullOr(Schema.String),
  requestedCity: Schema.NullOr(Schema.String),
  complexity: Schema.NullOr(Schema.Literal(1, 2, 3)),
  coverUp: Schema.Boolean,
  hardPlacement: Schema.Boolean,
  instagramHandle: Schema.NullOr(Schema.String),
  tour: TourDecision
})
export interface Qualification extends Schema.Schema.Type<typeof Qualification> {}

const BUMP: Readonly<Record<SizeCategory, SizeCategory>> = { SMALL: "MEDIUM", MEDIUM: "LARGE", LARGE: "LARGE", XL: "XL" }

const round2 = (n: number): number => Math.round(n * 100) / 100

/** The category for an area (cm²) by the config's thresholds. */
export const sizeCategoryOf = (area: number, config: ConsultationConfig): SizeCategory => {
  const t = config.sizeCategories
  if (area < t.smallBelowCm2) return "SMALL"
  if (area < t.mediumBelowCm2) return "MEDIUM"
  if (area < t.largeBelowCm2) return "LARGE"
  return "XL"
}

const xlDaysOf = (
  area: number,
  extras: { coverUp: boolean; highComplexity: boolean; hardPlacement: boolean },
  config: ConsultationConfig
): number => {
  const x = config.xlDays
  const band = [...x.bands].sort((a, b) => a.belowCm2 - b.belowCm2).find((b) => area < b.belowCm2)
  let days = band?.days ?? x.otherwiseDays
  if (extras.coverUp) days += x.addForCoverUp
  if (extras.highComplexity) days += x.addForHighComplexity
  if (extras.hardPlacement) days += x.addForHardPlacement
  const half = Math.round(days * 2) / 2
  return Math.min(Math.max(half, x.minDays), x.maxDays)
}

const depositOf = (category: SizeCategory, days: number | null, config: ConsultationConfig): number => {
  const d = config.depositsPence
  switch (category) {
    case "SMALL":
      return d.small
    case "MEDIUM":
      return d.medium
    case "LARGE":
      return d.large
    case "XL":
      return Math.round(d.xlPerDay * (days ?? 1))
  }
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December"
]

const dateParts = (iso: string) => {
  const [y, m, d] = iso.split("-").map(Number)
  return { year: y ?? 0, month: MONTHS[(m ?? 1) - 1] ?? "", day: d ?? 0 }
}

/** "19 February 2026", "19–24 February 2026", "28 February – 3 March 2026" (en_GB). */
export const formatTourDates = (stop: { readonly startDate: string; readonly endDate: string }): string => {
  const a = dateParts(stop.startDate)
  const b = dateParts(stop.endDate)
  if (stop.startDate === stop.endDate) return `${a.day} ${a.month} ${a.year}`
  if (a.year === b.year && a.month === b.month) return `${a.day}–${b.day} ${a.month} ${a.year}`
  if (a.year === b.year) return `${a.day} ${a.month} – ${b.day} ${b.month} ${b.year}`
  return `${a.day} ${a.month} ${a.year} – ${b.day} ${b.month} ${b.year}`
}

const sameName = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === "string" && typeof b === "string" && wordLine(a) === wordLine(b) && wordLine(a).trim() !== ""

const todayOf = (now: DateTime.DateTime | Date | undefined): string | undefined => {
  if (now === undefined) return undefined
  const ms = DateTime.isDateTime(now) ? DateTime.toEpochMillis(now) : now.getTime()
  if (!Number.isFinite(ms)) return undefined
  return new Date(ms).toISOString().slice(0, 10)
}

const tourDecision = (
  requestedCity: string | null,
  country: string | null,
  config: ConsultationConfig,
  now: DateTime.DateTime | Date | undefined
): TourDecision => {
  // No schedule configured: the artist works at the studio and every city is served there.
  if (config.tourSchedule.length === 0) return { _tag: "Studio" }
  if (config.studioCities.some((c) => sameName(c, requestedCity))) return { _tag: "Studio" }
  const today = todayOf(now)
  const open = config.tourSchedule
    .filter((s) => today === undefined || s.endDate >= today)
    .sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0))
  const here = open.find(
    (s) =>
      sameName(s.city, requestedCity) &&
      (s.country === undefined || country === null || regionOf(s.country, config) === regionOf(country, config))
  )
  if (here !== undefined) return { _tag: "OnTour", stop: here }
  const next = open[0]
  if (next !== undefined) return { _tag: "Offer", stop: next, dates: formatTourDates(next) }
  return { _tag: "Waitlist" }
}

const textOf = (a: { readonly raw: string } | undefined): string => (a === undefined ? "" : a.raw)

const coverUpAnswer = (answers: ConsultationAnswers): Option.Option<boolean> => {
  const parsed = answers.coverup?.parsed
  if (parsed?._tag === "YesNo") return Option.some(parsed.value)
  return answers.coverup === undefined ? Option.none() : parseYesNo(answers.coverup.raw)
}

/** True when any answer mentions a cover-up, rework or touch-up (by the config's cover-up keywords). */
export const mentionsCoverUp = (answers: ConsultationAnswers, config: ConsultationConfig): boolean =>
  (Object.values(answers) as ReadonlyArray<Answer | undefined>).some(
    (a) => a !== undefined && matchesKeywordList(wordLine(a.raw), config.keywords.coverUp)
  )

/**
 * Qualifies a consultation: size category from the area (bumped one step for a cover-up
 * (the cover-up answer; without one, a cover-up mentioned in any answer),
 * high complexity and a hard placement, never into XL), XL days, deposit, region and its
 * minimum budget, and the tour decision. `now` only matters when a tour schedule is configured
 * (stops that have ended are skipped); without it every configured stop counts.
 */
export const qualify = (
  answers: ConsultationAnswers,
  config: ConsultationConfig,
  now?: DateTime.DateTime | Date
): Qualification => {
  const dims = answers.dimensions?.parsed._tag === "Dimensions" ? answers.dimensions.parsed : null
  const complexityAnswer = answers.complexity?.parsed
  const complexity =
    complexityAnswer?._tag === "Complexity"
      ? complexityAnswer.level
      : Option.getOrNull(parseComplexity(textOf(answers.complexity)))
  const coverUp = Option.getOrElse(coverUpAnswer(answers), () => mentionsCoverUp(answers, config))
  const placementLine = wordLine(textOf(answers.placement))
  const hardPlacement = config.categoryBumps.hardPlacements.some((p) => containsPhrase(placementLine, p))
  const highComplexity = complexity === 3

  const areaCm2 = dims === null ? null : round2(dims.widthCm * dims.heightCm)
  let category: SizeCategory =
    areaCm2 !== null && areaCm2 > 0
      ? sizeCategoryOf(areaCm2, config)
      : highComplexity || coverUp
        ? "LARGE"
        : complexity === 2
          ? "MEDIUM"
          : "SMALL"
  const bumps = config.categoryBumps
  if (bumps.coverUp && coverUp) category = BUMP[category]
  if (bumps.highComplexity && highComplexity) category = BUMP[category]
  if (hardPlacement) category = BUMP[category]

  const estimatedDays =
    category === "XL" ? xlDaysOf(areaCm2 ?? 0, { coverUp, highComplexity, hardPlacement }, config) : null

  const located = answers.location_city?.parsed._tag === "Location" ? answers.location_city.parsed : null
  const countryAnswer = answers.location_country?.parsed
  const country =
    countryAnswer?._tag === "Country"
      ? countryAnswer.country
      : (located?.country ?? (answers.location_country ? tidyName(normalise(answers.location_country.raw)) || null : null))
  const city = located?.city ?? null
  const region = regionOf(country, config)
  const regionMinimum = regionMinimumPence(region, config)
  const budgetPence = answers.budget?.parsed._tag === "Budget" ? answers.budget.parsed.pence : null

  const travel = answers.travel_city
  const travelCity =
    travel?.parsed._tag === "Text"
      ? Either.match(parseLocation(travel.parsed.text), {
          onLeft: () => tidyName(travel.parsed._tag === "Text" ? travel.parsed.text : "") || null,
          onRight: (l) => l.city
        })
      : null
  const requestedCity = travelCity ?? city
  const handle = answers.instagram_handle?.parsed

  return {
    sizeCategory: category,
    widthCm: dims?.widthCm ?? null,
    heightCm: dims?.heightCm ?? null,
    areaCm2,
    estimatedDays,
    depositAmountPence: depositOf(category, estimatedDays, config),
    region,
    regionMinimumPence: regionMinimum,
    budgetPence,
    belowMinimum: budgetPence !== null && budgetPence < regionMinimum,
    city,
    country,
    requestedCity,
    complexity,
    coverUp,
    hardPlacement,
    instagramHandle: handle?._tag === "Handle" ? handle.handle : null,
    tour: tourDecision(requestedCity, country, config, now)
  }
}

/**
 * The lead status a qualification leads to: cover-ups go to the artist, then a budget below the
 * region minimum needs follow-up, then the tour decision; otherwise the artist approves.
 */
export const qualificationStatus = (q: Qualification): ConsultationStatus => {
  if (q.coverUp) return "NEEDS_ARTIST_REPLY"
  if (q.belowMinimum) return "NEEDS_FOLLOW_UP"
  switch (q.tour._tag) {
    case "Offer":
      return "TOUR_CONVERSION_OFFERED"
    case "Waitlist":
      return "WAITLISTED"
    default:
      return "PENDING_APPROVAL"
  }
}
