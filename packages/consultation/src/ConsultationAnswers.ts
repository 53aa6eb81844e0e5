import * as Schema from "effect/Schema"
import { MediaKind } from "./InboundMessage.js"

/** What an answer was read as. `Nothing` is an explicit "no" / "none" / "same". */
export const ParsedAnswer = Schema.Union(
  Schema.TaggedStruct("Text", { text: Schema.String }),
  Schema.TaggedStruct("Dimensions", { widthCm: Schema.Number, heightCm: Schema.Number }),
  Schema.TaggedStruct("Budget", { pence: Schema.Int }),
  Schema.TaggedStruct("Location", {
    city: Schema.NullOr(Schema.String),
    country: Schema.NullOr(Schema.String),
    countryInferred: Schema.Boolean
  }),
  Schema.TaggedStruct("Country", { country: Schema.String, recognised: Schema.Boolean }),
  Schema.TaggedStruct("Complexity", { level: Schema.Literal(1, 2, 3) }),
  Schema.TaggedStruct("YesNo", { value: Schema.Boolean }),
  Schema.TaggedStruct("Media", {
    kinds: Schema.Array(MediaKind),
    caption: Schema.optional(Schema.String)
  }),
  Schema.TaggedStruct("Handle", { handle: Schema.String }),
  Schema.TaggedStruct("Nothing", {})
)
export type ParsedAnswer = typeof ParsedAnswer.Type

/** One stored answer: the client's words and what they were read as. */
export const Answer = Schema.Struct({ raw: Schema.String, parsed: ParsedAnswer })
export interface Answer extends Schema.Schema.Type<typeof Answer> {}

/** The answers given so far, by question key (the latest answer to a question wins). */
export const ConsultationAnswers = Schema.Struct({
  idea: Schema.optional(Answer),
  placement: Schema.optional(Answer),
  dimensions: Schema.optional(Answer),
  style: Schema.optional(Answer),
  complexity: Schema.optional(Answer),
  coverup: Schema.optional(Answer),
  reference_images: Schema.optional(Answer),
  budget: Schema.optional(Answer),
  location_city: Schema.optional(Answer),
  location_country: Schema.optional(Answer),
  instagram_handle: Schema.optional(Answer),
  travel_city: Schema.optional(Answer),
  timing: Schema.optional(Answer)
})
export interface ConsultationAnswers extends Schema.Schema.Type<typeof ConsultationAnswers> {}
