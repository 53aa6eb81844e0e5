import * as Schema from "effect/Schema"
import { LeadStatus } from "./LeadStatus.js"

/** A bookable session window; encoded as ISO-8601 strings, decoded to `DateTime.Utc`. */
export const Slot = Schema.Struct({
  start: Schema.DateTimeUtc,
  end: Schema.DateTimeUtc
})

/** A bookable session window. */
export type Slot = typeof Slot.Type

/**
 * The slice of a lead the machine reads and writes. The host stores it in its `leads` row
 * (other columns, such as answers or timestamps, never influence a transition and live outside it).
 */
export const Lead = Schema.Struct({
  /** The lead's integer id ("lead 42"). */
  id: Schema.Int,
  /** Where the lead is in the journey. */
  status: LeadStatus,
  /**
   * Where a paused lead returns to: set by `Handover` (→ NEEDS_ARTIST_REPLY) and `OptOut` (→ OPTOUT),
   * read by `Resume` and `OptIn`, cleared when the lead leaves the pause. `null` when there is nothing to return to.
   */
  resumeStatus: Schema.NullOr(LeadStatus),
  /** The deposit the client owes, in pence (GBP): set at qualification, fixed when a checkout is created. */
  depositAmountPence: Schema.NullOr(Schema.Int),
  /** True once a matching payment was applied; refunds, bookings and follow-ups after payment depend on it. */
  depositPaid: Schema.Boolean,
  /** The Stripe Checkout Session the client was last sent; a payment or expiry for another session is not applied. */
  checkoutSessionId: Schema.NullOr(Schema.String),
  /** The slot held for this lead (database hold before payment, tentative calendar event after). */
  heldSlot: Schema.NullOr(Slot)
})

/** The slice of a lead the machine needs. */
export type Lead = typeof Lead.Type

/** A fresh lead as created for a first message: status NEW, nothing held, nothing paid. */
export const newLead = (id: number): Lead => ({
  id,
  status: "NEW",
  resumeStatus: null,
  depositAmountPence: null,
  depositPaid: false,
  checkoutSessionId: null,
  heldSlot: null
})
