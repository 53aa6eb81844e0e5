import type { LeadStatus } from "../LeadStatus.js"

/** Where a lead goes when it leaves a pause (Resume, OptIn) or is revived (NewEnquiry), and whether it starts over. */
export interface ReturnTarget {
  readonly to: LeadStatus
  /** True when the consultation restarts with the welcome and first question. */
  readonly fromStart: boolean
  /** True when a dormant lead is brought back (its previous deposit, hold and checkout no longer count). */
  readonly revived: boolean
}

// Statuses a handover or opt-out can return to unchanged: the live journey, minus the pause itself and
// the transient/initial statuses mapped below.
const RESUMABLE: ReadonlySet<LeadStatus> = new Set<LeadStatus>([
  "QUALIFYING",
  "PENDING_APPROVAL",
  "AWAITING_DEPOSIT",
  "BOOKING_PENDING",
  "NEEDS_FOLLOW_UP",
  "TOUR_CONVERSION_OFFERED",
  "COLLECTING_TIME_WINDOWS"
])

/** Revival of a dormant lead: an approved lead whose deposit lapsed gets slots again; the others start over. */
export const reviveTarget = (status: LeadStatus): ReturnTarget =>
  status === "DEPOSIT_EXPIRED"
    ? { to: "AWAITING_DEPOSIT", fromStart: false, revived: true }
    : { to: "QUALIFYING", fromStart: true, revived: true }

/**
 * The status a paused lead returns to. `restartWhenEmpty` chooses between continuing the consultation
 * (Resume: the artist hands back mid-consultation) and restarting it (OptIn: nothing to return to).
 */
export const returnTarget = (resumeStatus: LeadStatus | null, restartWhenEmpty: boolean): ReturnTarget => {
  if (resumeStatus !== null && RESUMABLE.has(resumeStatus)) return { to: resumeStatus, fromStart: false, revived: false }
  switch (resumeStatus) {
    case "NEW":
      return { to: "QUALIFYING", fromStart: true, revived: true }
    case "DEPOSIT_PAID":
      return { to: "BOOKING_PENDING", fromStart: false, revived: false }
    case "ABANDONED":
    case "STALE":
    case "WAITLISTED":
    case "DEPOSIT_EXPIRED":
      return reviveTarget(resumeStatus)
    default:
      // null, or a value no pause records (terminal, OPTOUT, NEEDS_ARTIST_REPLY): fall back to the consultation.
      return { to: "QUALIFYING", fromStart: restartWhenEmpty, revived: restartWhenEmpty }
  }
}

/** Every status {@link returnTarget} can produce, for the transition table. */
export const RETURN_TARGETS: ReadonlyArray<LeadStatus> = [...RESUMABLE]
