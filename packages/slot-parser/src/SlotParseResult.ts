import { Schema } from "effect"

/**
 * How a `Matched` reply was understood. A small fixed vocabulary: the admin
 * `slot-parse-stats` endpoint counts results by these keys.
 */
export const MATCHED_BY = [
  "number",
  "option_number",
  "ordinal",
  "number_word",
  "weekday",
  "weekday_time",
  "weekday_daypart",
  "relative_day",
  "relative_day_time",
  "relative_day_daypart",
  "date",
  "date_time",
  "date_daypart",
  "time",
  "daypart",
  "only_remaining"
] as const

/** Why a reply fits more than one offered slot (the host asks one clarifying question). */
export const AMBIGUITY_REASONS = [
  "multiple_choices",
  "several_slots_match",
  "several_readings",
  "no_preference"
] as const

/** Why a reply could not be mapped to an offered slot. */
export const REJECT_REASONS = [
  "empty",
  "too_long",
  "chit_chat",
  "out_of_range",
  "day_not_offered",
  "date_not_offered",
  "time_not_offered",
  "conflicting_details",
  "only_exclusions",
  "slot_in_past",
  "no_match",
  "no_slots",
  "invalid_options"
] as const

export type MatchedBy = (typeof MATCHED_BY)[number]
export type AmbiguityReason = (typeof AMBIGUITY_REASONS)[number]
export type RejectReason = (typeof REJECT_REASONS)[number]

/** Schema of a `matchedBy` value. */
export const MatchedBy = Schema.Literal(...MATCHED_BY)
/** Schema of an ambiguity reason. */
export const AmbiguityReason = Schema.Literal(...AMBIGUITY_REASONS)
/** Schema of a reject reason. */
export const RejectReason = Schema.Literal(...REJECT_REASONS)

const SlotIndex = Schema.Int.pipe(Schema.nonNegative())

/** The reply picks exactly one offered slot (0-based `index`). */
export const Matched = Schema.TaggedStruct("Matched", {
  index: SlotIndex,
  matchedBy: MatchedBy
})

/** The reply fits several offered slots; `candidates` are 0-based, ascending. */
export const Ambiguous = Schema.TaggedStruct("Ambiguous", {
  candidates: Schema.Array(SlotIndex),
  reason: AmbiguityReason
})

/** The reply does not pick an offered slot. */
export const Rejected = Schema.TaggedStruct("Rejected", {
  reason: RejectReason
})

/** Schema of the parser's result, for storing and decoding it at a boundary. */
export const SlotParseResult = Schema.Union(Matched, Ambiguous, Rejected)
export type SlotParseResult = typeof SlotParseResult.Type

/** One offered slot: ISO-8601 instants with an offset. */
export const OfferedSlot = Schema.Struct({ start: Schema.String, end: Schema.String })
export type OfferedSlot = typeof OfferedSlot.Type

/** Schema of the parser's options: offered slots in order, the artist's IANA zone, and `now`. */
export const SlotParseOptions = Schema.Struct({
  slots: Schema.Array(OfferedSlot),
  timeZone: Schema.String,
  now: Schema.String
})
export type SlotParseOptions = typeof SlotParseOptions.Type

/** Schema of one complete parser input (the reply plus its options), e.g. for replaying a parse. */
export const SlotParseInput = Schema.Struct({
  reply: Schema.String,
  ...SlotParseOptions.fields
})
export type SlotParseInput = typeof SlotParseInput.Type
