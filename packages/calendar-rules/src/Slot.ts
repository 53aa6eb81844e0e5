import { Schema } from "effect"

/**
 * A bookable session: ISO-8601 instants written with the artist's zone offset at each end,
 * e.g. `{ start: "2026-03-30T10:00:00+01:00", end: "2026-03-30T13:00:00+01:00" }`.
 */
export const Slot = Schema.Struct({ start: Schema.String, end: Schema.String }).annotations({ identifier: "Slot" })
export interface Slot extends Schema.Schema.Type<typeof Slot> {}

/**
 * A busy period from the calendar: ISO-8601 with an offset or `Z` (an offset-less value is read
 * as wall-clock time in the artist's zone). Entries may come in any order and may overlap.
 */
export const BusyInterval = Schema.Struct({ start: Schema.String, end: Schema.String }).annotations({
  identifier: "BusyInterval"
})
export interface BusyInterval extends Schema.Schema.Type<typeof BusyInterval> {}

/** What the engine needs besides the rules; `now` and every time are data, never read from a clock. */
export interface SlotQuery {
  /** Busy periods (Google free/busy, held and booked slots). */
  readonly busy: ReadonlyArray<BusyInterval>
  /** Local dates (`YYYY-MM-DD`, artist's zone) taken by all-day events. */
  readonly allDayDates: ReadonlyArray<string>
  /** `SMALL`, `MEDIUM`, `LARGE` or `XL` (any case) picks that session length; `null` or anything else uses the default. */
  readonly category: string | null
  /** The current instant, ISO-8601. */
  readonly now: string
}

/** A `SlotQuery` plus an optional cap on how many suggestions to return. */
export interface SuggestQuery extends SlotQuery {
  readonly limit?: number
}
