import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import type { Command } from "./Command.js"
import type { CopyKey } from "./Copy.js"
import {
  expireCheckout,
  findSlots,
  flagForArtist,
  formatPounds,
  isPositiveAmount,
  notifyArtist,
  recordEvent,
  releaseHold,
  resumeConsultation,
  sendCopy
} from "./internal/commands.js"
import { type ReturnTarget, returnTarget, reviveTarget } from "./internal/returnTarget.js"
import { InvalidTransition } from "./InvalidTransition.js"
import type { Lead, Slot } from "./Lead.js"
import { EVENT_ACTIONS, type LeadEvent, type LeadEventOf, type LeadEventTag } from "./LeadEvent.js"
import type { LeadStatus } from "./LeadStatus.js"
import { TRANSITIONS, type TransitionRule } from "./TransitionTable.js"

/** The result of an allowed event: the next lead, the side effects to carry out, and the status move. */
export interface Transition {
  readonly lead: Lead
  readonly commands: ReadonlyArray<Command>
  readonly from: LeadStatus
  readonly to: LeadStatus
}

// What a handler decides; `transition` checks `to` against the table and adds the status-change bookkeeping.
interface Decision {
  readonly to: LeadStatus
  readonly patch?: Partial<Omit<Lead, "id" | "status">>
  readonly commands?: ReadonlyArray<Command>
  /** Extra fields for the `lead.transition` record written on a status change. */
  readonly record?: Readonly<Record<string, string | number | boolean | null>>
}

// A handler returns `undefined` when a documented guard refuses the event.
type Handlers = {
  readonly [T in LeadEventTag]: (lead: Lead, event: LeadEventOf<T>) => Decision | undefined
}

const PAUSES: ReadonlySet<LeadStatus> = new Set<LeadStatus>(["NEEDS_ARTIST_REPLY", "OPTOUT"])

// What a client who writes START is told about the status they come back to.
const STATUS_REPLY: Partial<Record<LeadStatus, CopyKey>> = {
  PENDING_APPROVAL: "pending_approval",
  AWAITING_DEPOSIT: "awaiting_deposit",
  BOOKING_PENDING: "booking_pending",
  TOUR_CONVERSION_OFFERED: "tour_prompt",
  COLLECTING_TIME_WINDOWS: "time_window_follow_up"
}

const sameSlot = (a: Slot, b: Slot): boolean =>
  DateTime.toEpochMillis(a.start) === DateTime.toEpochMillis(b.start) &&
  DateTime.toEpochMillis(a.end) === DateTime.toEpochMillis(b.end)

// Before payment: free the database hold and kill the outstanding checkout so the client cannot pay for it.
const dropUnpaidHold = (lead: Lead): ReadonlyArray<Command> => [
  ...(lead.heldSlot !== null ? [releaseHold(lead.id, lead.heldSlot)] : []),
  ...(lead.checkoutSessionId !== null && !lead.depositPaid ? [expireCheckout(lead.id, lead.checkoutSessionId)] : [])
]

// After payment the slot is also a calendar event.
const dropPaidHold = (lead: Lead): ReadonlyArray<Command> =>
  lead.heldSlot === null
    ? []
    : [releaseHold(lead.id, lead.heldSlot), { _tag: "DeleteCalendarEvent", leadId: lead.id, slot: lead.heldSlot }]

const dropHold = (lead: Lead): ReadonlyArray<Command> => (lead.depositPaid ? dropPaidHold(lead) : dropUnpaidHold(lead))

// Leaving a pause or a dormant status: what the client is told and what restarts.
const enter = (lead: Lead, target: ReturnTarget, replyToClient: boolean): Decision => {
  const reset: Partial<Lead> =
    target.revived && !lead.depositPaid
      ? {
          heldSlot: null,
          checkoutSessionId: null,
          ...(target.fromStart ? { depositAmountPence: null } : {})
        }
      : {}
  const reply = STATUS_REPLY[target.to]
  const commands: ReadonlyArray<Command> =
    target.to === "QUALIFYING"
      ? [resumeConsultation(lead.id, target.fromStart)]
      : target.revived && target.to === "AWAITING_DEPOSIT"
        ? [findSlots(lead.id)]
        : replyToClient && reply !== undefined
          ? [sendCopy(lead.id, reply)]
          : []
  return { to: target.to, patch: reset, commands }
}

type PaymentProblem = { readonly reason: "payment_amount_mismatch" | "payment_currency_mismatch" | "payment_session_mismatch"; readonly detail: string }

const paymentProblem = (lead: Lead, event: LeadEventOf<"DepositPaid">): PaymentProblem | undefined => {
  if (typeof event.currency !== "string" || event.currency.toLowerCase() !== "gbp") {
    return { reason: "payment_currency_mismatch", detail: `Paid in ${String(event.currency)}, expected gbp` }
  }
  if (!isPositiveAmount(lead.depositAmountPence) || event.amountPence !== lead.depositAmountPence) {
    return {
      reason: "payment_amount_mismatch",
      detail: `Paid ${String(event.amountPence)} pence, expected ${String(lead.depositAmountPence)}`
    }
  }
  if (lead.checkoutSessionId !== null && event.checkoutSessionId !== lead.checkoutSessionId) {
    return {
      reason: "payment_session_mismatch",
      detail: `Paid session ${event.checkoutSessionId}, expected ${lead.checkoutSessionId}`
    }
  }
  return undefined
}

// The effects of an accepted payment; the client is not written to while opted out.
const paymentApplied = (lead: Lead, amountPence: number, toClient: boolean): ReadonlyArray<Command> => [
  ...(toClient
    ? [sendCopy(lead.id, "payment_confirmation", { amount_gbp: formatPounds(amountPence) }, "deposit_received_next_steps")]
    : []),
  notifyArtist(lead.id, "deposit_paid", { amountPence }),
  ...(lead.heldSlot !== null ? [{ _tag: "CreateCalendarHold" as const, leadId: lead.id, slot: lead.heldSlot }] : [])
]

const bookedCommands = (lead: Lead, confirmEvent: boolean): ReadonlyArray<Command> => [
  ...(confirmEvent && lead.heldSlot !== null
    ? [{ _tag: "ConfirmCalendarEvent" as const, leadId: lead.id, slot: lead.heldSlot }]
    : []),
  sendCopy(lead.id, "booking_confirmed")
]

const handlers: Handlers = {
  ConsultationStarted: (lead) => ({ to: "QUALIFYING", commands: [resumeConsultation(lead.id, true)] }),

  ConsultationCompleted: (lead, event) => {
    const depositAmountPence = isPositiveAmount(event.depositAmountPence) ? event.depositAmountPence : null
    const reason = event.reason
    switch (event.outcome) {
      case "PENDING_APPROVAL":
        return {
          to: event.outcome,
          patch: { depositAmountPence },
          commands: [notifyArtist(lead.id, "lead_ready_for_review")]
        }
      case "NEEDS_FOLLOW_UP":
        return {
          to: event.outcome,
          patch: { depositAmountPence },
          commands: [notifyArtist(lead.id, "needs_follow_up", { reason: reason ?? "Budget below the region minimum" })]
        }
      case "NEEDS_ARTIST_REPLY":
        // The answers are complete: when the artist hands back, the lead waits for approval.
        return {
          to: event.outcome,
          patch: { depositAmountPence, resumeStatus: "PENDING_APPROVAL" },
          commands: [notifyArtist(lead.id, "needs_reply", { reason: reason ?? "Consultation needs the artist" })]
        }
      case "TOUR_CONVERSION_OFFERED":
      case "WAITLISTED":
        return { to: event.outcome, patch: { depositAmountPence } }
      default:
        return undefined
    }
  },

  TourOfferAccepted: (lead, event) => ({
    to: "PENDING_APPROVAL",
    // The prior system skipped the artist here; an accepted tour city is a lead to review like any other.
    commands: [sendCopy(lead.id, "tour_accept", { city: event.city }), notifyArtist(lead.id, "lead_ready_for_review")]
  }),

  TourOfferDeclined: (lead, event) => ({
    to: "WAITLISTED",
    commands: [sendCopy(lead.id, "tour_decline", { city: event.city })]
  }),

  Approve: (lead) =>
    lead.status === "NEEDS_FOLLOW_UP" && lead.depositPaid
      ? undefined
      : { to: "AWAITING_DEPOSIT", commands: [findSlots(lead.id)] },

  Reject: (lead, event) => ({
    to: "REJECTED",
    patch: { heldSlot: null },
    commands: [
      ...dropHold(lead),
      ...(lead.depositPaid ? [flagForArtist(lead.id, "refund_may_be_due", "Rejected after the deposit was paid")] : []),
      ...(lead.status === "OPTOUT" ? [] : [sendCopy(lead.id, "rejected")])
    ],
    record: { reason: event.reason ?? null }
  }),

  SlotsOffered: (lead, event) => ({
    to: "AWAITING_DEPOSIT",
    patch: { heldSlot: null, checkoutSessionId: null },
    commands: [
      ...dropUnpaidHold(lead),
      { _tag: "OfferSlots", leadId: lead.id, slots: event.slots, template: "next_steps_reply_to_continue" },
      recordEvent(lead.id, "slot.offered", "info", { count: event.slots.length })
    ]
  }),

  NoSlotsAvailable: (lead) => ({
    to: "COLLECTING_TIME_WINDOWS",
    patch: { heldSlot: null, checkoutSessionId: null },
    commands: [
      ...dropUnpaidHold(lead),
      { _tag: "RequestTimeWindows", leadId: lead.id, template: "next_steps_reply_to_continue" }
    ],
    record: { reason: "calendar.no_slots_fallback" }
  }),

  TimeWindowsCollected: (lead, event) => ({
    to: "NEEDS_ARTIST_REPLY",
    // The artist agrees a time with the client, then hands back to the deposit step.
    patch: { resumeStatus: "AWAITING_DEPOSIT" },
    commands: [
      sendCopy(lead.id, "time_window_collected", { window_count: String(event.windows.length) }),
      notifyArtist(lead.id, "time_windows_collected", {
        reason: `Collected ${event.windows.length} preferred time windows - no calendar slots available`,
        windows: event.windows
      })
    ]
  }),

  SlotChosen: (lead, event) => {
    const confirm =
      event.slotNumber === undefined
        ? []
        : [sendCopy(lead.id, "confirmation_slot", { slot_number: String(event.slotNumber) })]
    if (lead.heldSlot !== null && sameSlot(lead.heldSlot, event.slot)) {
      // Picking the held slot again changes nothing: the hold and its checkout stand.
      return { to: "AWAITING_DEPOSIT", commands: confirm }
    }
    const amount = lead.depositAmountPence
    return {
      to: "AWAITING_DEPOSIT",
      patch: { heldSlot: event.slot, checkoutSessionId: null },
      commands: [
        ...dropUnpaidHold(lead),
        { _tag: "HoldSlot", leadId: lead.id, slot: event.slot },
        ...confirm,
        isPositiveAmount(amount)
          ? { _tag: "CreateCheckout", leadId: lead.id, amountPence: amount, currency: "gbp", slot: event.slot }
          : flagForArtist(lead.id, "deposit_amount_missing", "Slot held but the lead has no deposit amount; send a deposit")
      ]
    }
  },

  SlotUnavailable: (lead, event) => {
    const wasHeld = lead.heldSlot !== null && sameSlot(lead.heldSlot, event.slot)
    return {
      to: "AWAITING_DEPOSIT",
      patch: wasHeld ? { heldSlot: null, checkoutSessionId: null } : {},
      commands: [
        ...(wasHeld ? dropUnpaidHold(lead) : []),
        recordEvent(lead.id, "slot.unavailable_after_selection", "warn", {
          start: DateTime.formatIso(event.slot.start),
          end: DateTime.formatIso(event.slot.end)
        }),
        { ...sendCopy(lead.id, "slot_taken_apology"), slot: event.slot },
        findSlots(lead.id)
      ]
    }
  },

  DepositRequested: (lead, event) => {
    const amount = event.amountPence ?? lead.depositAmountPence
    if (!isPositiveAmount(amount)) return undefined
    return {
      to: "AWAITING_DEPOSIT",
      patch: { depositAmountPence: amount, checkoutSessionId: null },
      commands: [
        // A newer link replaces the old one; expiring it means a late payment to it is flagged, not lost.
        ...(lead.checkoutSessionId !== null && !lead.depositPaid
          ? [expireCheckout(lead.id, lead.checkoutSessionId)]
          : []),
        { _tag: "CreateCheckout", leadId: lead.id, amountPence: amount, currency: "gbp", slot: lead.heldSlot },
        recordEvent(lead.id, "deposit.requested", "info", { amountPence: amount })
      ]
    }
  },

  DepositLinkSent: (lead, event) => ({
    to: "AWAITING_DEPOSIT",
    patch: {
      checkoutSessionId: event.checkoutSessionId,
      ...(isPositiveAmount(event.amountPence) ? { depositAmountPence: event.amountPence } : {})
    },
    commands: [
      ...(lead.checkoutSessionId !== null && lead.checkoutSessionId !== event.checkoutSessionId
        ? [expireCheckout(lead.id, lead.checkoutSessionId)]
        : []),
      sendCopy(
        lead.id,
        "deposit_link",
        { amount_gbp: formatPounds(event.amountPence), checkout_url: event.checkoutUrl },
        "next_steps_reply_to_continue"
      ),
      recordEvent(lead.id, "deposit.link_sent", "info", {
        checkoutSessionId: event.checkoutSessionId,
        amountPence: event.amountPence,
        expiresAt: DateTime.formatIso(event.expiresAt)
      })
    ]
  }),

  DepositPaid: (lead, event) => {
    const problem = paymentProblem(lead, event)
    const payload = {
      checkoutSessionId: event.checkoutSessionId,
      amountPence: event.amountPence,
      currency: String(event.currency),
      status: lead.status
    }
    const flagged = (reason: PaymentProblem["reason"] | "payment_in_unexpected_status", detail: string): Decision => ({
      to: lead.status,
      commands: [
        flagForArtist(lead.id, reason, detail),
        recordEvent(lead.id, reason === "payment_in_unexpected_status" ? "payment.unexpected_status" : "payment.mismatch", "error", {
          ...payload,
          reason
        })
      ]
    })
    if (lead.depositPaid) {
      // Already paid: the same session again is a webhook retry; another session is a second payment.
      if (lead.checkoutSessionId === event.checkoutSessionId) {
        return { to: lead.status, commands: [recordEvent(lead.id, "payment.duplicate", "info", payload)] }
      }
      return flagged(
        "payment_in_unexpected_status",
        `A second payment of ${String(event.amountPence)} pence for session ${event.checkoutSessionId} arrived in status ${lead.status}; the deposit was already paid`
      )
    }
    if (lead.status === "AWAITING_DEPOSIT") {
      if (problem !== undefined) return flagged(problem.reason, problem.detail)
      return {
        to: "BOOKING_PENDING",
        patch: { depositPaid: true },
        commands: paymentApplied(lead, event.amountPence, true),
        record: { via: "DEPOSIT_PAID", checkoutSessionId: event.checkoutSessionId, amountPence: event.amountPence }
      }
    }
    if (PAUSES.has(lead.status) && lead.resumeStatus === "AWAITING_DEPOSIT") {
      // Paid during a handover or after STOP: apply it under the pause, which will return to BOOKING_PENDING.
      if (problem !== undefined) return flagged(problem.reason, problem.detail)
      return {
        to: lead.status,
        patch: { depositPaid: true, resumeStatus: "BOOKING_PENDING" },
        commands: [
          ...paymentApplied(lead, event.amountPence, lead.status !== "OPTOUT"),
          recordEvent(lead.id, "payment.applied_while_paused", "info", payload)
        ]
      }
    }
    return flagged(
      "payment_in_unexpected_status",
      `Payment of ${String(event.amountPence)} pence (${String(event.currency)}) for session ${event.checkoutSessionId} arrived in status ${lead.status}; not applied`
    )
  },

  DepositFailed: (lead, event) => {
    const current = lead.checkoutSessionId === null || lead.checkoutSessionId === event.checkoutSessionId
    return {
      to: "AWAITING_DEPOSIT",
      commands: [
        recordEvent(lead.id, "payment.failed", current ? "warn" : "info", {
          checkoutSessionId: event.checkoutSessionId,
          current
        }),
        ...(current ? [notifyArtist(lead.id, "deposit_failed")] : [])
      ]
    }
  },

  DepositExpired: (lead, event) => {
    if (lead.checkoutSessionId !== event.checkoutSessionId) {
      // An older link lapsing says nothing about the live one.
      return {
        to: "AWAITING_DEPOSIT",
        commands: [
          recordEvent(lead.id, "payment.stale_session_expired", "info", { checkoutSessionId: event.checkoutSessionId })
        ]
      }
    }
    return {
      to: "DEPOSIT_EXPIRED",
      patch: { heldSlot: null },
      commands: [
        ...(lead.heldSlot !== null ? [releaseHold(lead.id, lead.heldSlot)] : []),
        sendCopy(lead.id, "deposit_expired"),
        notifyArtist(lead.id, "deposit_expired")
      ],
      record: { checkoutSessionId: event.checkoutSessionId }
    }
  },

  DepositRefunded: (lead, event) =>
    lead.depositPaid
      ? {
          to: "REFUNDED",
          patch: { heldSlot: null, depositPaid: false },
          commands: [...dropPaidHold(lead), notifyArtist(lead.id, "deposit_refunded", { amountPence: event.amountPence })],
          record: { amountPence: event.amountPence }
        }
      : undefined,

  MarkBooked: (lead) =>
    lead.depositPaid || lead.status === "BOOKING_PENDING" || lead.status === "DEPOSIT_PAID"
      ? { to: "BOOKED", commands: bookedCommands(lead, true) }
      : undefined,

  CalendarBookingDetected: (lead, event) =>
    lead.depositPaid || lead.status === "BOOKING_PENDING" || lead.status === "DEPOSIT_PAID"
      ? { to: "BOOKED", commands: bookedCommands(lead, false), record: { calendarEventId: event.calendarEventId } }
      : undefined,

  Cancel: (lead, event) => ({
    to: "CANCELLED",
    patch: { heldSlot: null },
    commands: [...dropPaidHold(lead), notifyArtist(lead.id, "booking_cancelled", event.reason === undefined ? {} : { reason: event.reason })],
    record: { reason: event.reason ?? null }
  }),

  OptOut: (lead) => ({
    to: "OPTOUT",
    // From a handover, keep its return point: START resumes the bot where it stopped.
    patch: { resumeStatus: lead.status === "NEEDS_ARTIST_REPLY" ? lead.resumeStatus : lead.status },
    commands: [{ ...sendCopy(lead.id, "opt_out_confirmation"), allowWhileOptedOut: true }]
  }),

  OptIn: (lead) => enter(lead, returnTarget(lead.resumeStatus, true), true),

  Handover: (lead, event) => ({
    to: "NEEDS_ARTIST_REPLY",
    patch: { resumeStatus: lead.status },
    commands: [
      notifyArtist(lead.id, "needs_reply", { reason: event.reason }),
      ...(event.reply === undefined ? [] : [sendCopy(lead.id, event.reply)])
    ],
    record: { reason: event.reason }
  }),

  Resume: (lead) => enter(lead, returnTarget(lead.resumeStatus, false), false),

  ReminderDue: (lead, event) => ({
    to: "QUALIFYING",
    commands: [
      event.reminder === "consultation_final"
        ? sendCopy(lead.id, "reminder_qualifying_final", {}, "consultation_reminder_2_final")
        : sendCopy(lead.id, "reminder_qualifying"),
      recordEvent(lead.id, "reminder.sent", "info", { reminder: event.reminder })
    ]
  }),

  Abandoned: () => ({ to: "ABANDONED" }),

  Stale: (lead) => ({ to: "STALE", commands: [notifyArtist(lead.id, "approval_stale")] }),

  BookingPendingOverdue: (lead) => ({
    to: "NEEDS_FOLLOW_UP",
    commands: [notifyArtist(lead.id, "needs_follow_up", { reason: "Booking pending 72h (artist owns booking)" })]
  }),

  NewEnquiry: (lead) => enter(lead, reviveTarget(lead.status), true)
}

const ruleKey = (from: string, event: string): string => `${from}\u0000${event}`

const RULES: ReadonlyMap<string, ReadonlyArray<TransitionRule>> = TRANSITIONS.reduce((index, rule) => {
  const key = ruleKey(rule.from, rule.event)
  index.set(key, [...(index.get(key) ?? []), rule])
  return index
}, new Map<string, Array<TransitionRule>>())

const refuse = (event: LeadEvent, status: LeadStatus): Either.Either<never, InvalidTransition> =>
  Either.left(
    new InvalidTransition({
      action: Object.hasOwn(EVENT_ACTIONS, event._tag) ? EVENT_ACTIONS[event._tag] : `apply ${String(event._tag)} to`,
      status
    })
  )

/**
 * Apply `event` to `lead`: the next lead and the commands to carry out, or `InvalidTransition` when the
 * transition table (or a documented guard) does not allow it. Pure: no clock, no I/O, no throw.
 */
export const transition = (lead: Lead, event: LeadEvent): Either.Either<Transition, InvalidTransition> => {
  const from = lead.status
  const rules = RULES.get(ruleKey(from, event._tag))
  if (rules === undefined) return refuse(event, from)
  const handler = handlers[event._tag] as (lead: Lead, event: LeadEvent) => Decision | undefined
  const decision = handler(lead, event)
  // The table is authoritative: a handler can only pick among the targets listed for this (status, event).
  if (decision === undefined || !rules.some((rule) => rule.to === decision.to)) return refuse(event, from)
  const to = decision.to
  const changed = to !== from
  const next: Lead = {
    ...lead,
    ...decision.patch,
    status: to,
    // Only a pause has somewhere to return to; leaving one clears it.
    resumeStatus: PAUSES.has(to)
      ? decision.patch !== undefined && "resumeStatus" in decision.patch
        ? (decision.patch.resumeStatus ?? null)
        : lead.resumeStatus
      : null
  }
  const commands: ReadonlyArray<Command> = changed
    ? [
        ...(decision.commands ?? []),
        { _tag: "UpsertSheetRow", leadId: lead.id, status: to },
        recordEvent(lead.id, "lead.transition", "info", { from, to, event: event._tag, ...decision.record })
      ]
    : (decision.commands ?? [])
  return Either.right({ lead: next, commands, from, to })
}
