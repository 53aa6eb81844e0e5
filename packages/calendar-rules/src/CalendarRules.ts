import { Data, Either, ParseResult, Schema } from "effect"
import * as YAML from "yaml"
import { minutesOf } from "./internal/time.js"
import { isValidTimeZone } from "./internal/zone.js"

const show = (value: unknown): string => {
  if (value === undefined) return "nothing"
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const notATime = (issue: ParseResult.ParseIssue) => `${show(issue.actual)} is not a time (HH:MM)`

/** An opening time, `HH:MM` on the 24-hour clock (`00:00`–`23:59`). */
export const OpeningTime = Schema.String.annotations({ message: notATime }).pipe(
  Schema.filter((s) => /^(?:[01]\d|2[0-3]):[0-5]\d$/.test(s), { message: notATime }),
  Schema.annotations({ identifier: "OpeningTime" })
)

/** A closing time, `HH:MM` on the 24-hour clock; `24:00` means midnight at the end of the day. */
export const ClosingTime = Schema.String.annotations({ message: notATime }).pipe(
  Schema.filter((s) => /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/.test(s), { message: notATime }),
  Schema.annotations({ identifier: "ClosingTime" })
)

/** One open day: the session must start at or after `start` and end by `end`, in the artist's zone. */
export const DayHours = Schema.Struct({ start: OpeningTime, end: ClosingTime }).pipe(
  Schema.filter((day) =>
    minutesOf(day.end) > minutesOf(day.start)
      ? undefined
      : { path: ["end"], message: `${show(day.end)} is not after start ${show(day.start)}` }
  ),
  Schema.annotations({ identifier: "DayHours" })
)
export interface DayHours extends Schema.Schema.Type<typeof DayHours> {}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * A weekday entry: `{ start, end }` when open; `null`, an empty value or `{ closed: true }`
 * when closed (all three forms are accepted because operators write all three). Decodes to
 * `DayHours | null`.
 */
export const WorkingDay = Schema.transformOrFail(Schema.Unknown, Schema.NullOr(DayHours), {
  strict: true,
  decode: (input, options, ast) => {
    if (input === null || input === undefined) return ParseResult.succeed(null)
    if (!isRecord(input)) {
      return ParseResult.fail(
        new ParseResult.Type(ast, input, `${show(input)} is not a day: use { start: "HH:MM", end: "HH:MM" }, null or { closed: true }`)
      )
    }
    if ("closed" in input) {
      const { closed, ...hours } = input
      if (closed === true) {
        return Object.keys(hours).length === 0
          ? ParseResult.succeed(null)
          : ParseResult.fail(
              new ParseResult.Pointer(
                "closed",
                input,
                new ParseResult.Type(ast, closed, "a closed day cannot also have start/end hours")
              )
            )
      }
      if (closed !== false) {
        return ParseResult.fail(
          new ParseResult.Pointer("closed", input, new ParseResult.Type(ast, closed, `${show(closed)} is not true or false`))
        )
      }
      return ParseResult.decodeUnknown(DayHours)(hours, { ...options, onExcessProperty: "error" })
    }
    return ParseResult.decodeUnknown(DayHours)(input, { ...options, onExcessProperty: "error" })
  },
  encode: (day) => ParseResult.succeed(day)
}).annotations({ identifier: "WorkingDay" })

const closedByDefault = { exact: true, default: () => null } as const

/** The week, Monday to Sunday; a day left out is closed. */
export const WorkingHours = Schema.Struct({
  monday: Schema.optionalWith(WorkingDay, closedByDefault),
  tuesday: Schema.optionalWith(WorkingDay, closedByDefault),
  wednesday: Schema.optionalWith(WorkingDay, closedByDefault),
  thursday: Schema.optionalWith(WorkingDay, closedByDefault),
  friday: Schema.optionalWith(WorkingDay, closedByDefault),
  saturday: Schema.optionalWith(WorkingDay, closedByDefault),
  sunday: Schema.optionalWith(WorkingDay, closedByDefault)
}).annotations({
  identifier: "WorkingHours",
  // Used only when the value is not a mapping at all; problems inside a day keep their own message.
  message: (issue) => `${show(issue.actual)} is not a mapping of weekdays to hours`
})
export interface WorkingHours extends Schema.Schema.Type<typeof WorkingHours> {}

const wholeNumber = (label: string, min: number, max: number) =>
  Schema.Number.annotations({ message: (issue) => `${show(issue.actual)} is not a number` }).pipe(
    Schema.filter((n) => Number.isInteger(n) && n >= min && n <= max, {
      message: (issue) => `${show(issue.actual)} is not ${label}`
    })
  )

/** Session length in minutes: a whole number from 1 to 1440. */
export const SessionMinutes = wholeNumber("a whole number of minutes from 1 to 1440", 1, 1440)

/** The size categories the consultation assigns. */
export const SizeCategory = Schema.Literal("SMALL", "MEDIUM", "LARGE", "XL")
export type SizeCategory = typeof SizeCategory.Type

const SessionDurationsFile = Schema.Struct({
  default: SessionMinutes,
  SMALL: Schema.optional(SessionMinutes),
  MEDIUM: Schema.optional(SessionMinutes),
  LARGE: Schema.optional(SessionMinutes),
  XL: Schema.optional(SessionMinutes)
})

const SessionDurationsType = Schema.Struct({
  default: SessionMinutes,
  SMALL: SessionMinutes,
  MEDIUM: SessionMinutes,
  LARGE: SessionMinutes,
  XL: SessionMinutes
})

/** Session length per size category; a category left out uses `default`. */
export const SessionDurations = Schema.transform(SessionDurationsFile, SessionDurationsType, {
  strict: true,
  decode: (file) => ({
    default: file.default,
    SMALL: file.SMALL ?? file.default,
    MEDIUM: file.MEDIUM ?? file.default,
    LARGE: file.LARGE ?? file.default,
    XL: file.XL ?? file.default
  }),
  encode: (durations) => durations
}).annotations({ identifier: "SessionDurations" })
export interface SessionDurations extends Schema.Schema.Type<typeof SessionDurations> {}

/** An IANA time-zone name that this runtime's `Intl` knows (e.g. `Europe/London`). */
export const TimeZone = Schema.String.annotations({ message: (issue) => `${show(issue.actual)} is not an IANA time zone` }).pipe(
  Schema.filter(isValidTimeZone, { message: (issue) => `${show(issue.actual)} is not an IANA time zone` }),
  Schema.annotations({ identifier: "TimeZone" })
)

const defaultDurations: SessionDurations = { default: 180, SMALL: 120, MEDIUM: 180, LARGE: 240, XL: 360 }

/** Hard ceiling on suggestions: a WhatsApp interactive list holds at most 10 rows. */
export const SUGGESTIONS_CEILING = 10

/**
 * The artist's calendar rules. The encoded side is the YAML file's shape (the runbook's keys,
 * optional keys with defaults, three ways to close a day); the type side is complete and
 * normalised: every weekday present (`null` = closed) and every category duration filled in.
 */
export const CalendarRules = Schema.Struct({
  timezone: TimeZone,
  working_hours: WorkingHours,
  session_durations_minutes: Schema.optionalWith(SessionDurations, { exact: true, default: () => defaultDurations }),
  buffer_minutes: Schema.optionalWith(wholeNumber("a whole number of minutes from 0 to 1440", 0, 1440), { exact: true, default: () => 30 }),
  lookahead_days: Schema.optionalWith(wholeNumber("a whole number of days from 0 to 366", 0, 366), { exact: true, default: () => 60 }),
  minimum_advance_hours: Schema.optionalWith(
    Schema.Number.annotations({ message: (issue) => `${show(issue.actual)} is not a number` }).pipe(
      Schema.filter((n) => Number.isFinite(n) && n >= 0 && n <= 8784, {
        message: (issue) => `${show(issue.actual)} is not a number of hours from 0 to 8784`
      })
    ),
    { exact: true, default: () => 24 }
  ),
  block_all_day_events: Schema.optionalWith(
    Schema.Boolean.annotations({ message: (issue) => `${show(issue.actual)} is not true or false` }),
    { exact: true, default: () => true }
  ),
  slot_step_minutes: Schema.optionalWith(wholeNumber("a whole number of minutes from 5 to 1440", 5, 1440), { exact: true, default: () => 30 }),
  max_slots_per_day: Schema.optionalWith(wholeNumber("a whole number from 1 to 10", 1, SUGGESTIONS_CEILING), { exact: true, default: () => 2 }),
  max_suggestions: Schema.optionalWith(
    wholeNumber("a whole number from 1 to 10 (a WhatsApp list holds 10 rows)", 1, SUGGESTIONS_CEILING),
    { exact: true, default: () => 8 }
  )
}).annotations({ identifier: "CalendarRules" })
export interface CalendarRules extends Schema.Schema.Type<typeof CalendarRules> {}

const tenToSix: DayHours = { start: "10:00", end: "18:00" }

/**
 * The shipped rules (`config/calendar_rules.yml`): Europe/London, Monday to Friday 10:00–18:00,
 * sessions SMALL 120 / MEDIUM 180 / LARGE 240 / XL 360 minutes (default 180), 30-minute buffer,
 * 60 days ahead, 24 hours' notice, all-day events block, 30-minute grid, 2 per day, 8 offered.
 */
export const defaultCalendarRules: CalendarRules = {
  timezone: "Europe/London",
  working_hours: {
    monday: tenToSix,
    tuesday: tenToSix,
    wednesday: tenToSix,
    thursday: tenToSix,
    friday: tenToSix,
    saturday: null,
    sunday: null
  },
  session_durations_minutes: defaultDurations,
  buffer_minutes: 30,
  lookahead_days: 60,
  minimum_advance_hours: 24,
  block_all_day_events: true,
  slot_step_minutes: 30,
  max_slots_per_day: 2,
  max_suggestions: 8
}

/** One thing wrong in a rules file: where (`working_hours.monday.end`) and what. */
export interface CalendarRulesIssue {
  readonly path: string
  readonly problem: string
}

/** The rules file cannot be used; `issues` lists every problem found, each with its field path. */
export class CalendarRulesError extends Data.TaggedError("CalendarRulesError")<{
  readonly issues: ReadonlyArray<CalendarRulesIssue>
}> {
  override get message(): string {
    return this.issues.map((issue) => `${issue.path}: ${issue.problem}`).join("; ")
  }
}

const ROOT = "(root)"

const pathOf = (path: ReadonlyArray<PropertyKey>): string =>
  path.length === 0 ? ROOT : path.map((key) => (typeof key === "number" ? `[${key}]` : String(key))).join(".")

const problemOf = (message: string): string => {
  // Effect's stock wording for unknown and missing keys, said the way an operator reads it.
  if (message.startsWith("is unexpected")) return "is not a known setting" + message.slice("is unexpected".length)
  const notAMapping = /^Expected (?:Struct|\{)[\s\S]*, actual ([\s\S]*)$/.exec(message)
  if (notAMapping !== null) return `${notAMapping[1]} is not a mapping (key: value)`
  return message
}

/** Decode rules from a parsed value (already-loaded YAML or JSON); every problem is reported. */
export const decodeCalendarRulesValue = (value: unknown): Either.Either<CalendarRules, CalendarRulesError> =>
  Schema.decodeUnknownEither(CalendarRules, { errors: "all", onExcessProperty: "error" })(value).pipe(
    Either.mapLeft(
      (error) =>
        new CalendarRulesError({
          issues: ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
            path: pathOf(issue.path),
            problem: problemOf(issue.message)
          }))
        })
    )
  )

/** Decode the calendar rules YAML text; the error names each bad field path and what is wrong with it. */
export const decodeCalendarRules = (yamlText: string): Either.Either<CalendarRules, CalendarRulesError> => {
  const document = YAML.parseDocument(yamlText, { uniqueKeys: true, prettyErrors: true })
  const syntax = document.errors[0]
  if (syntax !== undefined) {
    // The pretty message is "<what> at line L, column C:" followed by a code excerpt; keep the first line.
    const firstLine = (syntax.message.split("\n")[0] ?? syntax.message).replace(/:$/, "")
    return Either.left(new CalendarRulesError({ issues: [{ path: ROOT, problem: `not valid YAML: ${firstLine}` }] }))
  }
  const value: unknown = document.toJS()
  if (value === null || value === undefined) {
    return Either.left(new CalendarRulesError({ issues: [{ path: ROOT, problem: "the file has no settings" }] }))
  }
  if (!isRecord(value)) {
    return Either.left(
      new CalendarRulesError({ issues: [{ path: ROOT, problem: "the file must be a mapping of settings (key: value)" }] })
    )
  }
  return decodeCalendarRulesValue(value)
}
