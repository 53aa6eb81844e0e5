import { RETURN_TARGETS } from "./internal/returnTarget.js"
import type { LeadEventTag } from "./LeadEvent.js"
import { LEAD_STATUSES, type LeadStatus, statusesIn } from "./LeadStatus.js"

/** One allowed move: in status `from`, event `event` may lead to status `to` (when `guard` holds, if any). */
export interface TransitionRule {
  readonly from: LeadStatus
  readonly event: LeadEventTag
  readonly to: LeadStatus
  /** A condition on the lead or the event beyond the status; when it fails the move is refused or a sibling row applies. */
  readonly guard?: string
}

const ACTIVE = statusesIn("active")
const DORMANT = statusesIn("dormant")
const NON_TERMINAL = LEAD_STATUSES.filter((s) => !statusesIn("terminal").includes(s))
const HANDOVER_FROM = ACTIVE.filter((s) => s !== "NEEDS_ARTIST_REPLY")

/** Guard texts, shared by the table, the diagram and the README. */
export const GUARDS = {
  depositUnpaid: "deposit not paid",
  depositPaid: "deposit paid",
  positiveAmount: "a whole, positive amount is known",
  paymentMatches: "unpaid, amount, currency and session match",
  paymentMismatch: "mismatch or already paid, flagged or recorded",
  currentSession: "the lead's current session",
  staleSession: "an older session, ignored",
  outcome: "outcome",
  resumeStatus: "resumeStatus",
  unexpectedPayment: "kept, applied under a pause, recorded as a duplicate or flagged"
} as const

const rows = (
  from: ReadonlyArray<LeadStatus>,
  event: LeadEventTag,
  to: ReadonlyArray<LeadStatus>,
  guard?: string
): Array<TransitionRule> =>
  from.flatMap((f) => to.map((t) => (guard === undefined ? { from: f, event, to: t } : { from: f, event, to: t, guard })))

/**
 * The allowed-move table: the single source of truth that `transition` enforces and `toMermaid` draws.
 * A (status, event) pair with no row is an `InvalidTransition`.
 */
export const TRANSITIONS: ReadonlyArray<TransitionRule> = [
  // Consultation
  ...rows(["NEW"], "ConsultationStarted", ["QUALIFYING"]),
  ...rows(
    ["QUALIFYING"],
    "ConsultationCompleted",
    ["PENDING_APPROVAL", "NEEDS_FOLLOW_UP", "NEEDS_ARTIST_REPLY", "TOUR_CONVERSION_OFFERED", "WAITLISTED"],
    GUARDS.outcome
  ),
  ...rows(["QUALIFYING"], "ReminderDue", ["QUALIFYING"]),
  ...rows(["TOUR_CONVERSION_OFFERED"], "TourOfferAccepted", ["PENDING_APPROVAL"]),
  ...rows(["TOUR_CONVERSION_OFFERED"], "TourOfferDeclined", ["WAITLISTED"]),
  // Approval
  ...rows(["PENDING_APPROVAL", "STALE"], "Approve", ["AWAITING_DEPOSIT"]),
  ...rows(["NEEDS_FOLLOW_UP"], "Approve", ["AWAITING_DEPOSIT"], GUARDS.depositUnpaid),
  ...rows(NON_TERMINAL, "Reject", ["REJECTED"]),
  // Slots
  ...rows(["AWAITING_DEPOSIT", "COLLECTING_TIME_WINDOWS"], "SlotsOffered", ["AWAITING_DEPOSIT"]),
  ...rows(["AWAITING_DEPOSIT"], "NoSlotsAvailable", ["COLLECTING_TIME_WINDOWS"]),
  ...rows(["COLLECTING_TIME_WINDOWS"], "TimeWindowsCollected", ["NEEDS_ARTIST_REPLY"]),
  ...rows(["AWAITING_DEPOSIT"], "SlotChosen", ["AWAITING_DEPOSIT"]),
  ...rows(["AWAITING_DEPOSIT"], "SlotUnavailable", ["AWAITING_DEPOSIT"]),
  // Deposit
  ...rows(
    ["AWAITING_DEPOSIT", "COLLECTING_TIME_WINDOWS", "DEPOSIT_EXPIRED"],
    "DepositRequested",
    ["AWAITING_DEPOSIT"],
    GUARDS.positiveAmount
  ),
  ...rows(["AWAITING_DEPOSIT"], "DepositLinkSent", ["AWAITING_DEPOSIT"]),
  ...rows(["AWAITING_DEPOSIT"], "DepositPaid", ["BOOKING_PENDING"], GUARDS.paymentMatches),
  ...rows(["AWAITING_DEPOSIT"], "DepositPaid", ["AWAITING_DEPOSIT"], GUARDS.paymentMismatch),
  ...LEAD_STATUSES.filter((s) => s !== "AWAITING_DEPOSIT").flatMap((s) =>
    rows([s], "DepositPaid", [s], GUARDS.unexpectedPayment)
  ),
  ...rows(["AWAITING_DEPOSIT"], "DepositFailed", ["AWAITING_DEPOSIT"]),
  ...rows(["AWAITING_DEPOSIT"], "DepositExpired", ["DEPOSIT_EXPIRED"], GUARDS.currentSession),
  ...rows(["AWAITING_DEPOSIT"], "DepositExpired", ["AWAITING_DEPOSIT"], GUARDS.staleSession),
  ...rows(
    [
      "DEPOSIT_PAID",
      "BOOKING_PENDING",
      "NEEDS_ARTIST_REPLY",
      "NEEDS_FOLLOW_UP",
      "OPTOUT",
      "BOOKED",
      "REJECTED",
      "CANCELLED"
    ],
    "DepositRefunded",
    ["REFUNDED"],
    GUARDS.depositPaid
  ),
  // Booking
  ...rows(["DEPOSIT_PAID", "BOOKING_PENDING"], "MarkBooked", ["BOOKED"]),
  ...rows(["NEEDS_FOLLOW_UP", "NEEDS_ARTIST_REPLY"], "MarkBooked", ["BOOKED"], GUARDS.depositPaid),
  ...rows(["DEPOSIT_PAID", "BOOKING_PENDING"], "CalendarBookingDetected", ["BOOKED"]),
  ...rows(["NEEDS_FOLLOW_UP", "NEEDS_ARTIST_REPLY"], "CalendarBookingDetected", ["BOOKED"], GUARDS.depositPaid),
  ...rows(["DEPOSIT_PAID", "BOOKING_PENDING", "BOOKED"], "Cancel", ["CANCELLED"]),
  // Pauses: opt-out and handover
  ...rows(
    NON_TERMINAL.filter((s) => s !== "OPTOUT"),
    "OptOut",
    ["OPTOUT"]
  ),
  ...rows(["OPTOUT"], "OptIn", RETURN_TARGETS, GUARDS.resumeStatus),
  ...rows(HANDOVER_FROM, "Handover", ["NEEDS_ARTIST_REPLY"]),
  ...rows(["NEEDS_ARTIST_REPLY"], "Resume", RETURN_TARGETS, GUARDS.resumeStatus),
  // Housekeeping
  ...rows(["QUALIFYING", "TOUR_CONVERSION_OFFERED"], "Abandoned", ["ABANDONED"]),
  ...rows(["PENDING_APPROVAL"], "Stale", ["STALE"]),
  ...rows(["BOOKING_PENDING"], "BookingPendingOverdue", ["NEEDS_FOLLOW_UP"]),
  ...rows(
    DORMANT.filter((s) => s !== "DEPOSIT_EXPIRED"),
    "NewEnquiry",
    ["QUALIFYING"]
  ),
  ...rows(["DEPOSIT_EXPIRED"], "NewEnquiry", ["AWAITING_DEPOSIT"])
]
