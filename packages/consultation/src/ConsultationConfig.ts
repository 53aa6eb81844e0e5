import * as Data from "effect/Data"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as YAML from "yaml"
import { COPY_KEYS, COPY_PLACEHOLDERS, placeholdersIn } from "./internal/copyContract.js"
import { DEFAULT_COPY, DEFAULT_QUESTIONS } from "./internal/defaultCopy.js"
import { DEFAULT_QUALIFICATION } from "./internal/defaultQualification.js"
import { words } from "./internal/text.js"

/** The consultation questions the engine knows how to read, in the prior system's order. */
export const QuestionKey = Schema.Literal(
  "idea",
  "placement",
  "dimensions",
  "style",
  "complexity",
  "coverup",
  "reference_images",
  "budget",
  "location_city",
  "location_country",
  "instagram_handle",
  "travel_city",
  "timing"
)
export type QuestionKey = typeof QuestionKey.Type

/** Questions without which there is nothing to qualify. */
export const REQUIRED_QUESTION_KEYS: ReadonlyArray<QuestionKey> = ["idea", "dimensions", "budget", "location_city"]

const snake = <S extends Schema.Schema.All, K extends string>(schema: S, key: K) =>
  Schema.propertySignature(schema).pipe(Schema.fromKey(key))

const Text = Schema.String.pipe(
  Schema.filter((s) => s.trim().length > 0 || "must not be empty")
)
const Variants = Schema.NonEmptyArray(Text)
const PositiveInt = Schema.Int.pipe(Schema.positive())
const Pence = Schema.Int.pipe(Schema.nonNegative())
const Cm2 = Schema.Number.pipe(Schema.finite(), Schema.positive())
const Days = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())

const allowedIn = (key: string): ReadonlyArray<string> | undefined =>
  (COPY_PLACEHOLDERS as Readonly<Record<string, ReadonlyArray<string>>>)[key]

/** One question: its key (what the engine parses it as) and the text the client reads. */
export const ConsultationQuestion = Schema.Struct({
  key: QuestionKey,
  text: Text.pipe(
    Schema.filter((text) => {
      const bad = placeholdersIn(text).filter((p) => p !== "artist_name")
      return bad.length === 0 || `uses {${bad[0]}}; questions may only use {artist_name}`
    })
  )
})
export interface ConsultationQuestion extends Schema.Schema.Type<typeof ConsultationQuestion> {}

const Questions = Schema.NonEmptyArray(ConsultationQuestion).pipe(
  Schema.filter((questions) => {
    const seen = new Set<string>()
    for (const [i, q] of questions.entries()) {
      if (seen.has(q.key)) return { path: [i, "key"], message: `question "${q.key}" appears twice` }
      seen.add(q.key)
    }
    const missing = REQUIRED_QUESTION_KEYS.filter((k) => !seen.has(k))
    return missing.length === 0 || `missing required question(s): ${missing.join(", ")}`
  })
)

const Copy = Schema.Record({ key: Schema.String, value: Variants }).pipe(
  Schema.filter((copy) => {
    for (const key of COPY_KEYS) {
      if (copy[key] === undefined) return { path: [key], message: `copy key "${key}" is missing` }
    }
    for (const [key, variants] of Object.entries(copy)) {
      const allowed = allowedIn(key)
      if (allowed === undefined) continue
      for (const [i, variant] of variants.entries()) {
        const bad = placeholdersIn(variant).find((p) => p !== "artist_name" && !allowed.includes(p))
        if (bad !== undefined) {
          const may = ["artist_name", ...allowed].map((p) => `{${p}}`).join(", ")
          return { path: [key, i], message: `uses {${bad}}, which is never supplied; this key may use ${may}` }
        }
      }
    }
    return true
  })
)

/** What `config/copy.en_GB.yml` holds: the artist's name, the questions in order, the copy. */
export const CopySettings = Schema.Struct({
  artistName: snake(Text, "artist_name"),
  questions: Questions,
  copy: Copy
})
export interface CopySettings extends Schema.Schema.Type<typeof CopySettings> {}

const Phrase = Schema.String.pipe(
  Schema.filter((p) => words(p).length > 0 || "a keyword needs at least one letter or digit")
)

/** A keyword list: phrases that must be the whole message, and phrases that count anywhere (as whole words). */
export const KeywordList = Schema.Struct({
  wholeMessage: snake(Schema.Array(Phrase), "whole_message"),
  anywhere: Schema.Array(Phrase)
})
export interface KeywordList extends Schema.Schema.Type<typeof KeywordList> {}

const IsoDate = Schema.String.pipe(
  Schema.filter((s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
    if (m === null) return "must be a date written YYYY-MM-DD"
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
    return d.getUTCDate() === Number(m[3]) || "is not a real calendar date"
  })
)

/** One tour stop: the artist works in `city` from `startDate` to `endDate` (inclusive). */
export const TourStop = Schema.Struct({
  city: Text,
  country: Schema.optional(Schema.String),
  startDate: snake(IsoDate, "start_date"),
  endDate: snake(IsoDate, "end_date"),
  notes: Schema.optional(Schema.String)
}).pipe(Schema.filter((stop) => stop.endDate >= stop.startDate || "end_date is before start_date"))
export interface TourStop extends Schema.Schema.Type<typeof TourStop> {}

/** A region: its minimum budget and the countries in it. */
export const Region = Schema.Struct({
  name: Text,
  minimumBudgetPence: snake(Pence, "minimum_budget_pence"),
  countries: Schema.Array(Text)
})
export interface Region extends Schema.Schema.Type<typeof Region> {}

/** What `config/qualification.yml` holds: the numbers, the regions, the tour and the keyword lists. */
export const QualificationSettings = Schema.Struct({
  sizeCategories: snake(
    Schema.Struct({
      smallBelowCm2: snake(Cm2, "small_below_cm2"),
      mediumBelowCm2: snake(Cm2, "medium_below_cm2"),
      largeBelowCm2: snake(Cm2, "large_below_cm2")
    }).pipe(
      Schema.filter(
        (s) =>
          (s.smallBelowCm2 < s.mediumBelowCm2 && s.mediumBelowCm2 < s.largeBelowCm2) ||
          "thresholds must grow: small_below_cm2 < medium_below_cm2 < large_below_cm2"
      )
    ),
    "size_categories"
  ),
  categoryBumps: snake(
    Schema.Struct({
      coverUp: snake(Schema.Boolean, "cover_up"),
      highComplexity: snake(Schema.Boolean, "high_complexity"),
      hardPlacements: snake(Schema.Array(Phrase), "hard_placements")
    }),
    "category_bumps"
  ),
  xlDays: snake(
    Schema.Struct({
      bands: Schema.Array(Schema.Struct({ belowCm2: snake(Cm2, "below_cm2"), days: Days })),
      otherwiseDays: snake(Days, "otherwise_days"),
      addForCoverUp: snake(Days, "add_for_cover_up"),
      addForHighComplexity: snake(Days, "add_for_high_complexity"),
      addForHardPlacement: snake(Days, "add_for_hard_placement"),
      minDays: snake(Days, "min_days"),
      maxDays: snake(Days, "max_days")
    }).pipe(Schema.filter((x) => x.minDays <= x.maxDays || "min_days must not exceed max_days")),
    "xl_days"
  ),
  depositsPence: snake(
    Schema.Struct({
      small: Pence,
      medium: Pence,
      large: Pence,
      xlPerDay: snake(Pence, "xl_per_day")
    }),
    "deposits_pence"
  ),
  budgetFloorPence: snake(Pence, "budget_floor_pence"),
  regions: Schema.Array(Region),
  defaultRegion: snake(
    Schema.Struct({ name: Text, minimumBudgetPence: snake(Pence, "minimum_budget_pence") }),
    "default_region"
  ),
  studioCities: snake(Schema.Array(Text), "studio_cities"),
  tourSchedule: snake(Schema.Array(TourStop), "tour_schedule"),
  maxParseFailures: snake(PositiveInt, "max_parse_failures"),
  keywords: Schema.Struct({
    optOut: snake(KeywordList, "opt_out"),
    optIn: snake(KeywordList, "opt_in"),
    human: KeywordList,
    refund: KeywordList,
    dataDeletion: snake(KeywordList, "data_deletion"),
    coverUp: snake(KeywordList, "cover_up"),
    priceNegotiation: snake(KeywordList, "price_negotiation"),
    restart: KeywordList
  })
})
export interface QualificationSettings extends Schema.Schema.Type<typeof QualificationSettings> {}

/**
 * Everything the consultation engine needs: both YAML files merged. The encoded side is the
 * YAML's snake_case shape, so the host can store or ship the config as JSON too.
 */
export const ConsultationConfig = Schema.extend(CopySettings, QualificationSettings)
export interface ConsultationConfig extends Schema.Schema.Type<typeof ConsultationConfig> {}

/** A config file that cannot be used: which file, which field, and what is wrong with it. */
export class ConsultationConfigError extends Data.TaggedError("ConsultationConfigError")<{
  readonly file: string
  readonly field: string
  readonly problem: string
  readonly message: string
}> {}

const configError = (file: string, field: string, problem: string) =>
  new ConsultationConfigError({ file, field, problem, message: `${file}: ${field}: ${problem}` })

/** Default file names used in error messages. */
export const CONFIG_FILES = {
  copy: "config/copy.en_GB.yml",
  qualification: "config/qualification.yml"
} as const

const parseYaml = (file: string, text: string): Either.Either<unknown, ConsultationConfigError> => {
  if (typeof text !== "string") return Either.left(configError(file, "(file)", "is not text"))
  try {
    const doc = YAML.parseDocument(text, { prettyErrors: false })
    const first = doc.errors[0]
    if (first !== undefined) {
      const line = first.linePos?.[0]
      const where = line === undefined ? "(yaml)" : `(yaml line ${line.line})`
      return Either.left(configError(file, where, first.message.split("\n")[0] ?? "invalid YAML"))
    }
    return Either.right(doc.toJS({ maxAliasCount: 100 }) as unknown)
  } catch (e) {
    return Either.left(configError(file, "(yaml)", e instanceof Error ? e.message : "invalid YAML"))
  }
}

const decodeFile = <A, I>(
  schema: Schema.Schema<A, I>,
  file: string,
  input: unknown
): Either.Either<A, ConsultationConfigError> =>
  Either.mapLeft(Schema.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "error" })(input), (e) => {
    const issue = ParseResult.ArrayFormatter.formatErrorSync(e)[0]
    const field = issue === undefined || issue.path.length === 0 ? "(root)" : issue.path.join(".")
    return configError(file, field, issue?.message ?? "invalid")
  })

/**
 * Decodes the two YAML files the artist edits into a {@link ConsultationConfig}. The error names
 * the file, the field path and the problem; unknown fields are refused so typos do not pass silently.
 */
export const decodeConsultationConfig = (
  copyYaml: string,
  qualificationYaml: string,
  files: { readonly copy?: string; readonly qualification?: string } = {}
): Either.Either<ConsultationConfig, ConsultationConfigError> => {
  const copyFile = files.copy ?? CONFIG_FILES.copy
  const qualificationFile = files.qualification ?? CONFIG_FILES.qualification
  return Either.gen(function* () {
    const copy = yield* decodeFile(CopySettings, copyFile, yield* parseYaml(copyFile, copyYaml))
    const qualification = yield* decodeFile(
      QualificationSettings,
      qualificationFile,
      yield* parseYaml(qualificationFile, qualificationYaml)
    )
    return { ...copy, ...qualification }
  })
}

/** The shipped configuration: the same values as `config/copy.en_GB.yml` and `config/qualification.yml`. */
export const defaultConsultationConfig: ConsultationConfig = {
  artistName: "Jonah",
  questions: DEFAULT_QUESTIONS,
  copy: DEFAULT_COPY,
  ...DEFAULT_QUALIFICATION
}
