import * as Schema from "effect/Schema"
import { CopyKey } from "./Copy.js"
import { Slot } from "./Lead.js"

/** The statuses a finished consultation can lead to. */
export const ConsultationOutcome = Schema.Literal(
  "PENDING_APPROVAL",
  "NEEDS_FOLLOW_UP",
  "NEEDS_ARTIST_REPLY",
  "TOUR_CONVERSION_OFFERED",
  "WAITLISTED"
)

/** A status a finished consultation can lead to. */
export type ConsultationOutcome = typeof ConsultationOutcome.Type

/** The consultation reminders the scheduler can raise (12 h free-form, 36 h final with a template). */
export const ReminderKind = Schema.Literal("consultation_first", "consultation_final")

/** A consultation reminder. */
export type ReminderKind = typeof ReminderKind.Type

/** The first message of a new lead started the consultation. */
export const ConsultationStarted = Schema.TaggedStruct("ConsultationStarted", {})
/** The last answer was accepted; the consultation chose the outcome, the deposit and (for a handover) the reason. */
export const ConsultationCompleted = Schema.TaggedStruct("ConsultationCompleted", {
  outcome: ConsultationOutcome,
  depositAmountPence: Schema.NullOr(Schema.Int),
  reason: Schema.optional(Schema.String)
})
/** The client accepted the tour city offered instead of their own. */
export const TourOfferAccepted = Schema.TaggedStruct("TourOfferAccepted", { city: Schema.String })
/** The client declined the tour city; they are waitlisted for the city they asked for. */
export const TourOfferDeclined = Schema.TaggedStruct("TourOfferDeclined", { city: Schema.String })
/** The artist approved (admin API or action link). */
export const Approve = Schema.TaggedStruct("Approve", {})
/** The artist rejected, optionally with a reason kept for the record. */
export const Reject = Schema.TaggedStruct("Reject", { reason: Schema.optional(Schema.String) })
/** The host computed bookable slots for an approved lead. */
export const SlotsOffered = Schema.TaggedStruct("SlotsOffered", { slots: Schema.NonEmptyArray(Slot) })
/** The host found no bookable slot; the client will be asked for time windows. */
export const NoSlotsAvailable = Schema.TaggedStruct("NoSlotsAvailable", {})
/** The client gave enough preferred time windows (the host counts them). */
export const TimeWindowsCollected = Schema.TaggedStruct("TimeWindowsCollected", {
  windows: Schema.NonEmptyArray(Schema.String)
})
/** The client picked an offered slot and the host's calendar re-check found it free. */
export const SlotChosen = Schema.TaggedStruct("SlotChosen", {
  slot: Slot,
  slotNumber: Schema.optional(Schema.Int)
})
/** The chosen (or held) slot is no longer free: the calendar re-check failed or the hold lost to another lead. */
export const SlotUnavailable = Schema.TaggedStruct("SlotUnavailable", { slot: Slot })
/** The artist asked for a deposit link (admin `send-deposit`); without an amount the lead's deposit is used. */
export const DepositRequested = Schema.TaggedStruct("DepositRequested", {
  amountPence: Schema.optional(Schema.Int)
})
/** The host created the Checkout Session the machine asked for. */
export const DepositLinkSent = Schema.TaggedStruct("DepositLinkSent", {
  checkoutSessionId: Schema.String,
  checkoutUrl: Schema.String,
  amountPence: Schema.Int,
  expiresAt: Schema.DateTimeUtc
})
/** Stripe reported a paid checkout (`checkout.session.completed` paid, or async succeeded). */
export const DepositPaid = Schema.TaggedStruct("DepositPaid", {
  checkoutSessionId: Schema.String,
  amountPence: Schema.Int,
  currency: Schema.String
})
/** Stripe reported an asynchronous payment failure. */
export const DepositFailed = Schema.TaggedStruct("DepositFailed", { checkoutSessionId: Schema.String })
/** Stripe reported `checkout.session.expired`. */
export const DepositExpired = Schema.TaggedStruct("DepositExpired", { checkoutSessionId: Schema.String })
/** Stripe reported `charge.refunded` for the lead's deposit. */
export const DepositRefunded = Schema.TaggedStruct("DepositRefunded", { amountPence: Schema.Int })
/** The artist confirmed the booking (admin `mark-booked` or action link). */
export const MarkBooked = Schema.TaggedStruct("MarkBooked", {})
/** The host saw the artist confirm the lead's event in Google Calendar. */
export const CalendarBookingDetected = Schema.TaggedStruct("CalendarBookingDetected", {
  calendarEventId: Schema.String
})
/** A paid or booked session was called off. */
export const Cancel = Schema.TaggedStruct("Cancel", { reason: Schema.optional(Schema.String) })
/** The client sent STOP (or a variant). */
export const OptOut = Schema.TaggedStruct("OptOut", {})
/** An opted-out client sent START (or a variant). */
export const OptIn = Schema.TaggedStruct("OptIn", {})
/** The lead is handed to the artist; `reply` is the holding message for the client, when one is due. */
export const Handover = Schema.TaggedStruct("Handover", {
  reason: Schema.String,
  reply: Schema.optional(CopyKey)
})
/** The artist handed the lead back to the bot (admin `resume`). */
export const Resume = Schema.TaggedStruct("Resume", {})
/** A quiet consultation is due a reminder. */
export const ReminderDue = Schema.TaggedStruct("ReminderDue", { reminder: ReminderKind })
/** The client went quiet for 48 h during the consultation. */
export const Abandoned = Schema.TaggedStruct("Abandoned", {})
/** The artist left an approval waiting for 3 days. */
export const Stale = Schema.TaggedStruct("Stale", {})
/** A paid booking waited 72 h for the artist's confirmation. */
export const BookingPendingOverdue = Schema.TaggedStruct("BookingPendingOverdue", {})
/** The client wrote again on a dormant lead (ABANDONED, STALE, WAITLISTED, DEPOSIT_EXPIRED). */
export const NewEnquiry = Schema.TaggedStruct("NewEnquiry", {})

/** Everything that can happen to a lead, as a schema (decodes webhook- and admin-derived events, gives arbitraries). */
export const LeadEvent = Schema.Union(
  ConsultationStarted,
  ConsultationCompleted,
  TourOfferAccepted,
  TourOfferDeclined,
  Approve,
  Reject,
  SlotsOffered,
  NoSlotsAvailable,
  TimeWindowsCollected,
  SlotChosen,
  SlotUnavailable,
  DepositRequested,
  DepositLinkSent,
  DepositPaid,
  DepositFailed,
  DepositExpired,
  DepositRefunded,
  MarkBooked,
  CalendarBookingDetected,
  Cancel,
  OptOut,
  OptIn,
  Handover,
  Resume,
  ReminderDue,
  Abandoned,
  Stale,
  BookingPendingOverdue,
  NewEnquiry
)

/** Everything that can happen to a lead. Build events as plain objects: `{ _tag: "Approve" }`. */
export type LeadEvent = typeof LeadEvent.Type

/** The tag of a lead event. */
export type LeadEventTag = LeadEvent["_tag"]

/** The event with tag `T`. */
export type LeadEventOf<T extends LeadEventTag> = Extract<LeadEvent, { readonly _tag: T }>

/**
 * The verb phrase naming each event in an `InvalidTransition` message ("Cannot approve lead in status ...").
 * A record so that a new event without a phrase is a compile error.
 */
export const EVENT_ACTIONS: { readonly [T in LeadEventTag]: string } = {
  ConsultationStarted: "start consultation for",
  ConsultationCompleted: "complete consultation for",
  TourOfferAccepted: "accept tour offer for",
  TourOfferDeclined: "decline tour offer for",
  Approve: "approve",
  Reject: "reject",
  SlotsOffered: "offer slots to",
  NoSlotsAvailable: "collect time windows for",
  TimeWindowsCollected: "record time windows for",
  SlotChosen: "choose slot for",
  SlotUnavailable: "release slot for",
  DepositRequested: "send deposit for",
  DepositLinkSent: "record deposit link for",
  DepositPaid: "record deposit payment for",
  DepositFailed: "record failed deposit for",
  DepositExpired: "expire deposit for",
  DepositRefunded: "refund deposit for",
  MarkBooked: "mark booked",
  CalendarBookingDetected: "record calendar booking for",
  Cancel: "cancel",
  OptOut: "opt out",
  OptIn: "opt in",
  Handover: "hand over",
  Resume: "resume",
  ReminderDue: "send reminder to",
  Abandoned: "abandon",
  Stale: "mark stale",
  BookingPendingOverdue: "mark booking overdue for",
  NewEnquiry: "restart"
}

/** Every event tag, in declaration order. */
export const LEAD_EVENT_TAGS = Object.keys(EVENT_ACTIONS) as ReadonlyArray<LeadEventTag>
