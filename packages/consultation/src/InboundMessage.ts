import * as Schema from "effect/Schema"

/** The kinds of media a WhatsApp message can carry. */
export const MediaKind = Schema.Literal("image", "document", "audio", "video", "sticker")
export type MediaKind = typeof MediaKind.Type

/**
 * One inbound client message as the consultation sees it: text, media (with an optional
 * caption), a tapped button or list row, a reaction, or anything else WhatsApp can send.
 */
export const InboundMessage = Schema.Union(
  Schema.TaggedStruct("Text", { text: Schema.String }),
  Schema.TaggedStruct("Media", { mediaKind: MediaKind, caption: Schema.optional(Schema.String) }),
  Schema.TaggedStruct("Interactive", { id: Schema.String, title: Schema.String }),
  Schema.TaggedStruct("Reaction", { emoji: Schema.String }),
  Schema.TaggedStruct("Unsupported", {})
)
export type InboundMessage = typeof InboundMessage.Type
