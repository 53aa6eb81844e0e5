import * as Schema from "effect/Schema"
import { CopyKey, TemplateName } from "./Copy.js"
import { Slot } from "./Lead.js"
import { LeadStatus } from "./LeadStatus.js"

/** What an artist notification is about; the host renders each kind (summary block, action links, ping). */
export const ArtistNotificationKind = Schema.Literal(
  "lead_ready_for_review",
  "needs_follow_up",
  "needs_reply",
  "time_windows_collected",
  "approval_stale",
  "deposit_paid",
  "deposit_failed",
  "deposit_expired",
  "deposit_refunded",
  "booking_cancelled"
)

/** What an artist notification is about. */
export type ArtistNotificationKind = typeof ArtistNotificationKind.Type

/** Why a lead needs the artist's eyes on something the machine refused to decide. */
export const FlagReason = Schema.Literal(
  "payment_amount_mismatch",
  "payment_currency_mismatch",
  "payment_session_mismatch",
  "payment_in_unexpected_status",
  "deposit_amount_missing",
  "refund_may_be_due"
)

/** Why a lead was flagged for the artist. */
export type FlagReason = typeof FlagReason.Type

/** Severity of a recorded system event. */
export const EventLevel = Schema.Literal("info", "warn", "error")

/** Severity of a recorded system event. */
export type EventLevel = typeof EventLevel.Type

/** A JSON scalar, so recorded payloads always fit a JSONB column. */
export const JsonScalar = Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null)

/** Send client copy through the host's 24-hour-window policy. */
export const SendCopy = Schema.TaggedStruct("SendCopy", {
  leadId: Schema.Int,
  key: CopyKey,
  /** Placeholder values, already formatted (amounts as "150.00"). */
  vars: Schema.Record({ key: Schema.String, value: Schema.String }),
  /** A slot the host formats into the copy's `{slot}` placeholder (in the artist's time zone). */
  slot: Schema.optional(Slot),
  /** The approved template to send instead when the window is closed; without it nothing goes out then. */
  template: Schema.optional(TemplateName),
  /** Set only on the opt-out confirmation, which must reach a client who has just opted out. */
  allowWhileOptedOut: Schema.optional(Schema.Literal(true))
})
/** Tell the artist (WhatsApp); the host renders `kind` with the lead summary and any action links. */
export const NotifyArtist = Schema.TaggedStruct("NotifyArtist", {
  leadId: Schema.Int,
  kind: ArtistNotificationKind,
  reason: Schema.optional(Schema.String),
  amountPence: Schema.optional(Schema.Int),
  windows: Schema.optional(Schema.Array(Schema.String))
})
/** Mirror the lead's row (all columns, read by the host) into Google Sheets. */
export const UpsertSheetRow = Schema.TaggedStruct("UpsertSheetRow", { leadId: Schema.Int, status: LeadStatus })
/** Compute bookable slots (calendar busy times + rules) and answer with `SlotsOffered` or `NoSlotsAvailable`. */
export const FindSlots = Schema.TaggedStruct("FindSlots", { leadId: Schema.Int })
/** Send the slots to the client (interactive list inside the window, `template` outside it). */
export const OfferSlots = Schema.TaggedStruct("OfferSlots", {
  leadId: Schema.Int,
  slots: Schema.NonEmptyArray(Slot),
  template: TemplateName
})
/** Ask the client for preferred time windows (`time_window_request` copy, `template` outside the window). */
export const RequestTimeWindows = Schema.TaggedStruct("RequestTimeWindows", {
  leadId: Schema.Int,
  template: TemplateName
})
/** Insert the slot hold, in the same transaction as the state change; a conflict means `SlotUnavailable`. */
export const HoldSlot = Schema.TaggedStruct("HoldSlot", { leadId: Schema.Int, slot: Slot })
/** Delete the lead's slot hold. */
export const ReleaseHold = Schema.TaggedStruct("ReleaseHold", { leadId: Schema.Int, slot: Slot })
/** Create a Stripe Checkout Session (expiry matching the hold) and answer with `DepositLinkSent`. */
export const CreateCheckout = Schema.TaggedStruct("CreateCheckout", {
  leadId: Schema.Int,
  amountPence: Schema.Int,
  currency: Schema.Literal("gbp"),
  slot: Schema.NullOr(Slot)
})
/** Expire a Checkout Session the client must no longer pay. */
export const ExpireCheckout = Schema.TaggedStruct("ExpireCheckout", {
  leadId: Schema.Int,
  checkoutSessionId: Schema.String
})
/** Turn the held slot into a tentative event in the artist's calendar. */
export const CreateCalendarHold = Schema.TaggedStruct("CreateCalendarHold", { leadId: Schema.Int, slot: Slot })
/** Mark the lead's calendar event confirmed. */
export const ConfirmCalendarEvent = Schema.TaggedStruct("ConfirmCalendarEvent", { leadId: Schema.Int, slot: Slot })
/** Delete the lead's calendar event. */
export const DeleteCalendarEvent = Schema.TaggedStruct("DeleteCalendarEvent", { leadId: Schema.Int, slot: Slot })
/** Continue the consultation: the current question, or the welcome and first question when `fromStart`. */
export const ResumeConsultation = Schema.TaggedStruct("ResumeConsultation", {
  leadId: Schema.Int,
  fromStart: Schema.Boolean
})
/** Write a `system_events` row (and a log line). */
export const RecordEvent = Schema.TaggedStruct("RecordEvent", {
  leadId: Schema.Int,
  type: Schema.String,
  level: EventLevel,
  payload: Schema.Record({ key: Schema.String, value: JsonScalar })
})
/** Flag the lead for the artist (admin view + system alert): something needs a person's decision. */
export const FlagForArtist = Schema.TaggedStruct("FlagForArtist", {
  leadId: Schema.Int,
  reason: FlagReason,
  detail: Schema.String
})

/** A side effect as data; the host stores commands in the same transaction as the lead and workers carry them out. */
export const Command = Schema.Union(
  SendCopy,
  NotifyArtist,
  UpsertSheetRow,
  FindSlots,
  OfferSlots,
  RequestTimeWindows,
  HoldSlot,
  ReleaseHold,
  CreateCheckout,
  ExpireCheckout,
  CreateCalendarHold,
  ConfirmCalendarEvent,
  DeleteCalendarEvent,
  ResumeConsultation,
  RecordEvent,
  FlagForArtist
)

/** A side effect as data. */
export type Command = typeof Command.Type

/** The tag of a command. */
export type CommandTag = Command["_tag"]

/** The command with tag `T`. */
export type CommandOf<T extends CommandTag> = Extract<Command, { readonly _tag: T }>
