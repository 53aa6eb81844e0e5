import { Either, ParseResult, Schema } from "effect"

/**
 * Schemas for the body Meta posts to the webhook (`object: "whatsapp_business_account"`), field names exactly as
 * Meta sends them. Timestamps (unix seconds, sent as strings) decode to numbers. A message of a type this package
 * does not know, or a known type in an unexpected shape, decodes as `UnsupportedMessage` instead of failing, so
 * one odd message never rejects the whole delivery.
 */

const UnixSeconds = Schema.Union(Schema.NumberFromString, Schema.Number).annotations({
  description: "unix seconds (Meta sends a string)"
})

/** An error object inside a webhook (on a status, a message or the change value). */
export const WebhookError = Schema.Struct({
  code: Schema.Number,
  title: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  error_data: Schema.optional(Schema.Struct({ details: Schema.optional(Schema.String) })),
  href: Schema.optional(Schema.String)
})
export type WebhookError = typeof WebhookError.Type

/** Set on messages that reply to, or forward, another message. */
export const MessageContext = Schema.Struct({
  from: Schema.optional(Schema.String),
  id: Schema.optional(Schema.String),
  forwarded: Schema.optional(Schema.Boolean),
  frequently_forwarded: Schema.optional(Schema.Boolean)
})

const base = {
  /** Sender's wa_id. */
  from: Schema.String,
  /** The wamid; the idempotency key for processing. */
  id: Schema.String,
  timestamp: UnixSeconds,
  context: Schema.optional(MessageContext)
}

const media = {
  id: Schema.String,
  mime_type: Schema.optional(Schema.String),
  sha256: Schema.optional(Schema.String)
}

export const TextMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("text"),
  text: Schema.Struct({ body: Schema.String })
})
export type TextMessage = typeof TextMessage.Type

export const ImageMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("image"),
  image: Schema.Struct({ ...media, caption: Schema.optional(Schema.String) })
})
export type ImageMessage = typeof ImageMessage.Type

export const DocumentMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("document"),
  document: Schema.Struct({
    ...media,
    filename: Schema.optional(Schema.String),
    caption: Schema.optional(Schema.String)
  })
})
export type DocumentMessage = typeof DocumentMessage.Type

export const AudioMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("audio"),
  audio: Schema.Struct({ ...media, voice: Schema.optional(Schema.Boolean) })
})
export type AudioMessage = typeof AudioMessage.Type

export const VideoMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("video"),
  video: Schema.Struct({ ...media, caption: Schema.optional(Schema.String) })
})
export type VideoMessage = typeof VideoMessage.Type

export const StickerMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("sticker"),
  sticker: Schema.Struct({ ...media, animated: Schema.optional(Schema.Boolean) })
})
export type StickerMessage = typeof StickerMessage.Type

export const LocationMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("location"),
  location: Schema.Struct({
    latitude: Schema.Number,
    longitude: Schema.Number,
    name: Schema.optional(Schema.String),
    address: Schema.optional(Schema.String),
    url: Schema.optional(Schema.String)
  })
})
export type LocationMessage = typeof LocationMessage.Type

/** A contact card shared by the client. */
export const SharedContact = Schema.Struct({
  name: Schema.optional(
    Schema.Struct({
      formatted_name: Schema.optional(Schema.String),
      first_name: Schema.optional(Schema.String),
      last_name: Schema.optional(Schema.String)
    })
  ),
  phones: Schema.optional(
    Schema.Array(
      Schema.Struct({
        phone: Schema.optional(Schema.String),
        wa_id: Schema.optional(Schema.String),
        type: Schema.optional(Schema.String)
      })
    )
  ),
  emails: Schema.optional(
    Schema.Array(Schema.Struct({ email: Schema.optional(Schema.String), type: Schema.optional(Schema.String) }))
  )
})

export const ContactsMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("contacts"),
  contacts: Schema.Array(SharedContact)
})
export type ContactsMessage = typeof ContactsMessage.Type

/** The client tapped a row of an interactive list. */
export const ListReply = Schema.Struct({
  type: Schema.Literal("list_reply"),
  list_reply: Schema.Struct({
    id: Schema.String,
    title: Schema.String,
    description: Schema.optional(Schema.String)
  })
})

/** The client tapped an interactive reply button. */
export const ButtonReply = Schema.Struct({
  type: Schema.Literal("button_reply"),
  button_reply: Schema.Struct({ id: Schema.String, title: Schema.String })
})

export const InteractiveMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("interactive"),
  interactive: Schema.Union(ListReply, ButtonReply)
})
export type InteractiveMessage = typeof InteractiveMessage.Type

/** The client tapped a quick-reply button of a template. */
export const ButtonMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("button"),
  button: Schema.Struct({ text: Schema.String, payload: Schema.optional(Schema.String) })
})
export type ButtonMessage = typeof ButtonMessage.Type

/** A reaction; an empty or absent emoji means the reaction was removed. */
export const ReactionMessage = Schema.Struct({
  ...base,
  type: Schema.Literal("reaction"),
  reaction: Schema.Struct({ message_id: Schema.String, emoji: Schema.optional(Schema.String) })
})
export type ReactionMessage = typeof ReactionMessage.Type

const UnsupportedEncoded = Schema.Struct({
  ...base,
  type: Schema.String,
  errors: Schema.optional(Schema.Array(WebhookError))
})

/**
 * Any other message (`unsupported`/`unknown`, `order`, `system`, a future type) or a known type in a shape this
 * package cannot read. `originalType` keeps the `type` Meta sent.
 */
export const UnsupportedMessage = Schema.transform(
  UnsupportedEncoded,
  Schema.Struct({
    from: Schema.String,
    id: Schema.String,
    timestamp: Schema.Number,
    context: Schema.optional(MessageContext),
    errors: Schema.optional(Schema.Array(WebhookError)),
    type: Schema.Literal("unsupported"),
    originalType: Schema.String
  }),
  {
    strict: true,
    decode: ({ type, ...rest }) => ({ ...rest, type: "unsupported" as const, originalType: type }),
    encode: ({ type: _type, originalType, ...rest }) => ({ ...rest, type: originalType })
  }
)
export type UnsupportedMessage = typeof UnsupportedMessage.Type

/** Every inbound message, discriminated by `type`. */
export const WebhookMessage = Schema.Union(
  TextMessage,
  ImageMessage,
  DocumentMessage,
  AudioMessage,
  VideoMessage,
  StickerMessage,
  LocationMessage,
  ContactsMessage,
  InteractiveMessage,
  ButtonMessage,
  ReactionMessage,
  UnsupportedMessage
)
export type WebhookMessage = typeof WebhookMessage.Type

const KNOWN_STATUSES = new Set(["sent", "delivered", "read", "failed"])

// A status value Meta adds later must not make the whole delivery fail (Meta would keep retrying it), so it
// decodes as "unknown".
const DeliveryStatus = Schema.transform(
  Schema.String,
  Schema.Literal("sent", "delivered", "read", "failed", "unknown"),
  {
    strict: true,
    decode: (s) => (KNOWN_STATUSES.has(s) ? (s as "sent" | "delivered" | "read" | "failed") : "unknown"),
    encode: (s) => s
  }
)

/**
 * A delivery status callback for a message we sent; `failed` carries `errors` (e.g. 131047, 131056). Status values
 * this package does not know decode as `unknown`.
 */
export const WebhookStatus = Schema.Struct({
  /** The wamid returned when the message was sent. */
  id: Schema.String,
  status: DeliveryStatus,
  timestamp: UnixSeconds,
  recipient_id: Schema.String,
  conversation: Schema.optional(
    Schema.Struct({
      id: Schema.String,
      expiration_timestamp: Schema.optional(UnixSeconds),
      origin: Schema.optional(Schema.Struct({ type: Schema.String }))
    })
  ),
  pricing: Schema.optional(
    Schema.Struct({
      billable: Schema.optional(Schema.Boolean),
      pricing_model: Schema.optional(Schema.String),
      category: Schema.optional(Schema.String),
      type: Schema.optional(Schema.String)
    })
  ),
  errors: Schema.optional(Schema.Array(WebhookError)),
  biz_opaque_callback_data: Schema.optional(Schema.String)
})
export type WebhookStatus = typeof WebhookStatus.Type

/** Sender profile attached to a change. */
export const WebhookContact = Schema.Struct({
  profile: Schema.optional(Schema.Struct({ name: Schema.optional(Schema.String) })),
  wa_id: Schema.optional(Schema.String)
})
export type WebhookContact = typeof WebhookContact.Type

/** The `value` of a `messages` change. */
export const MessagesValue = Schema.Struct({
  messaging_product: Schema.Literal("whatsapp"),
  metadata: Schema.Struct({ display_phone_number: Schema.String, phone_number_id: Schema.String }),
  contacts: Schema.optional(Schema.Array(WebhookContact)),
  messages: Schema.optional(Schema.Array(WebhookMessage)),
  statuses: Schema.optional(Schema.Array(WebhookStatus)),
  errors: Schema.optional(Schema.Array(WebhookError))
})
export type MessagesValue = typeof MessagesValue.Type

/** A change of the `messages` field: the only one carrying messages and statuses. */
export const MessagesChange = Schema.Struct({ field: Schema.Literal("messages"), value: MessagesValue })
export type MessagesChange = typeof MessagesChange.Type

// Other subscribed fields (template status updates, account updates…) have unrelated shapes; they pass through.
const OTHER_FIELD = "a field other than messages"
const OtherChange = Schema.Struct({
  field: Schema.String.pipe(Schema.filter((field) => field !== "messages", { message: () => OTHER_FIELD })),
  value: Schema.Unknown
})

/** The whole webhook body: envelope → entry → changes → value. */
export const WebhookPayload = Schema.Struct({
  object: Schema.Literal("whatsapp_business_account"),
  entry: Schema.Array(
    Schema.Struct({
      /** The WhatsApp Business Account id. */
      id: Schema.String,
      changes: Schema.Array(Schema.Union(MessagesChange, OtherChange))
    })
  )
})
export type WebhookPayload = typeof WebhookPayload.Type

/** Tells a `messages` change apart from changes of other fields. */
export const isMessagesChange = (change: WebhookPayload["entry"][number]["changes"][number]): change is MessagesChange =>
  change.field === "messages"

/** A webhook body that is not JSON or not shaped like a WhatsApp delivery; answer it with 400. */
export class WebhookPayloadInvalid extends Schema.TaggedError<WebhookPayloadInvalid>()("WebhookPayloadInvalid", {
  message: Schema.String,
  issues: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String }))
}) {}

const decodeJson = Schema.decodeEither(Schema.parseJson(WebhookPayload), { errors: "all" })

const formatPath = (path: ReadonlyArray<PropertyKey>) =>
  path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`),
    ""
  )

/** Decodes a webhook body (the raw text or bytes, after the signature check) into a `WebhookPayload`. */
export const decodeWebhookPayload = (
  text: string | Uint8Array
): Either.Either<WebhookPayload, WebhookPayloadInvalid> => {
  const source = typeof text === "string" ? text : new TextDecoder().decode(text)
  return Either.mapLeft(decodeJson(source), (error) => {
    const all = ParseResult.ArrayFormatter.formatErrorSync(error)
    // A failed `messages` change also fails the "other field" alternative, and a bad optional array also fails
    // "absent"; those second issues only repeat the real one.
    const noise = (message: string) => message === OTHER_FIELD || message.startsWith("Expected undefined, actual")
    const issues = (all.some((i) => !noise(i.message)) ? all.filter((i) => !noise(i.message)) : all).map((issue) => ({
      path: formatPath(issue.path),
      message: issue.message
    }))
    // One line per path: the alternatives of a union would otherwise repeat the same place several times.
    const firstPerPath = issues.filter((issue, i) => issues.findIndex((other) => other.path === issue.path) === i)
    const shown = firstPerPath
      .slice(0, 3)
      .map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`))
      .join("; ")
    const more = firstPerPath.length > 3 ? ` (and ${firstPerPath.length - 3} more)` : ""
    return new WebhookPayloadInvalid({ message: `Invalid WhatsApp webhook payload: ${shown}${more}`, issues })
  })
}

/**
 * The words a message carries, wherever Meta puts them: text body, media caption (inside the media object),
 * tapped row or button title, template button text, reaction emoji. Undefined when there are none.
 */
export const messageText = (message: WebhookMessage): string | undefined => {
  switch (message.type) {
    case "text":
      return message.text.body
    case "image":
      return message.image.caption
    case "video":
      return message.video.caption
    case "document":
      return message.document.caption
    case "interactive":
      return message.interactive.type === "list_reply"
        ? message.interactive.list_reply.title
        : message.interactive.button_reply.title
    case "button":
      return message.button.text
    case "reaction":
      return message.reaction.emoji === "" ? undefined : message.reaction.emoji
    default:
      return undefined
  }
}
