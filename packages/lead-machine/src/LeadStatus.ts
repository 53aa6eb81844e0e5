import * as Schema from "effect/Schema"

/**
 * Every status a lead can be in, in lifecycle order.
 *
 * The prior system's legacy statuses (BOOKING_LINK_SENT, NEEDS_MANUAL_FOLLOW_UP) are deliberately absent.
 */
export const LEAD_STATUSES = [
  "NEW",
  "QUALIFYING",
  "PENDING_APPROVAL",
  "AWAITING_DEPOSIT",
  "DEPOSIT_PAID",
  "BOOKING_PENDING",
  "BOOKED",
  "NEEDS_ARTIST_REPLY",
  "NEEDS_FOLLOW_UP",
  "REJECTED",
  "ABANDONED",
  "STALE",
  "OPTOUT",
  "TOUR_CONVERSION_OFFERED",
  "WAITLISTED",
  "COLLECTING_TIME_WINDOWS",
  "DEPOSIT_EXPIRED",
  "REFUNDED",
  "CANCELLED"
] as const

/** The lead status schema: a literal union of {@link LEAD_STATUSES}. */
export const LeadStatus = Schema.Literal(...LEAD_STATUSES)

/** A lead status. */
export type LeadStatus = typeof LeadStatus.Type

/**
 * How a status behaves towards the client's next message and towards the table's wide rules.
 *
 * - `active`: a conversation in progress (or paused, waiting on the artist); the client's messages keep the lead.
 * - `dormant`: the lead went quiet or could not proceed; it can be revived on the same lead (`NewEnquiry`).
 * - `optedOut`: the client sent STOP; only `OptIn` (START) brings them back, on the same lead.
 * - `terminal`: the lead's story is over; a new enquiry starts a new lead.
 */
export type LeadStatusCategory = "active" | "dormant" | "optedOut" | "terminal"

// A record (not a list) so that adding a status without classifying it is a compile error.
const CATEGORY: { readonly [S in LeadStatus]: LeadStatusCategory } = {
  NEW: "active",
  QUALIFYING: "active",
  PENDING_APPROVAL: "active",
  AWAITING_DEPOSIT: "active",
  DEPOSIT_PAID: "active",
  BOOKING_PENDING: "active",
  BOOKED: "terminal",
  NEEDS_ARTIST_REPLY: "active",
  NEEDS_FOLLOW_UP: "active",
  REJECTED: "terminal",
  ABANDONED: "dormant",
  STALE: "dormant",
  OPTOUT: "optedOut",
  TOUR_CONVERSION_OFFERED: "active",
  WAITLISTED: "dormant",
  COLLECTING_TIME_WINDOWS: "active",
  DEPOSIT_EXPIRED: "dormant",
  REFUNDED: "terminal",
  CANCELLED: "terminal"
}

/** The category of a status (see {@link LeadStatusCategory}); `undefined` for a value that is not a status. */
export const categoryOf = (status: LeadStatus): LeadStatusCategory | undefined =>
  Object.hasOwn(CATEGORY, status) ? CATEGORY[status] : undefined

/** True for BOOKED, REJECTED, REFUNDED and CANCELLED: nothing moves such a lead back into the journey. */
export const isTerminal = (status: LeadStatus): boolean => categoryOf(status) === "terminal"

/** True when the client's next message belongs on this lead because its conversation is in progress or paused. */
export const isActive = (status: LeadStatus): boolean => categoryOf(status) === "active"

/** True for ABANDONED, STALE, WAITLISTED and DEPOSIT_EXPIRED: quiet leads that `NewEnquiry` revives. */
export const isDormant = (status: LeadStatus): boolean => categoryOf(status) === "dormant"

/** Statuses in `category`, in {@link LEAD_STATUSES} order. */
export const statusesIn = (category: LeadStatusCategory): ReadonlyArray<LeadStatus> =>
  LEAD_STATUSES.filter((s) => CATEGORY[s] === category)
