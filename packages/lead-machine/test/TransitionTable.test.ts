import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import {
  type CommandTag,
  type Lead,
  type LeadEvent,
  type TransitionRule,
  TRANSITIONS,
  transition
} from "../src/index.js"
import { commandsOf, LEAD_ID, leadIn, OTHER_SLOT, paid, SLOT, tagsOf, withCheckout } from "./fixtures.js"

interface Case {
  readonly lead: Lead
  readonly event: LeadEvent
  /** Commands the move must emit besides the status-change bookkeeping. */
  readonly key: ReadonlyArray<CommandTag>
}

const STATUS_REPLY_ON_OPT_IN: Partial<Record<string, CommandTag>> = {
  PENDING_APPROVAL: "SendCopy",
  AWAITING_DEPOSIT: "SendCopy",
  BOOKING_PENDING: "SendCopy",
  TOUR_CONVERSION_OFFERED: "SendCopy",
  COLLECTING_TIME_WINDOWS: "SendCopy",
  QUALIFYING: "ResumeConsultation"
}

// One concrete (lead, event) per table row, written from the README's description of each move.
const caseFor = (rule: TransitionRule): Case => {
  const { from, to } = rule
  switch (rule.event) {
    case "ConsultationStarted":
      return { lead: leadIn(from), event: { _tag: "ConsultationStarted" }, key: ["ResumeConsultation"] }
    case "ConsultationCompleted":
      return {
        lead: leadIn(from),
        event: {
          _tag: "ConsultationCompleted",
          outcome: to as "PENDING_APPROVAL",
          depositAmountPence: 15000
        },
        key: ["PENDING_APPROVAL", "NEEDS_FOLLOW_UP", "NEEDS_ARTIST_REPLY"].includes(to) ? ["NotifyArtist"] : []
      }
    case "ReminderDue":
      return { lead: leadIn(from), event: { _tag: "ReminderDue", reminder: "consultation_final" }, key: ["SendCopy"] }
    case "TourOfferAccepted":
      return { lead: leadIn(from), event: { _tag: "TourOfferAccepted", city: "Leeds" }, key: ["SendCopy", "NotifyArtist"] }
    case "TourOfferDeclined":
      return { lead: leadIn(from), event: { _tag: "TourOfferDeclined", city: "York" }, key: ["SendCopy"] }
    case "Approve":
      return { lead: leadIn(from), event: { _tag: "Approve" }, key: ["FindSlots"] }
    case "Reject":
      return {
        lead: leadIn(from),
        event: { _tag: "Reject", reason: "Not my style" },
        key: from === "OPTOUT" ? [] : ["SendCopy"]
      }
    case "SlotsOffered":
      return { lead: leadIn(from), event: { _tag: "SlotsOffered", slots: [SLOT, OTHER_SLOT] }, key: ["OfferSlots"] }
    case "NoSlotsAvailable":
      return { lead: leadIn(from), event: { _tag: "NoSlotsAvailable" }, key: ["RequestTimeWindows"] }
    case "TimeWindowsCollected":
      return {
        lead: leadIn(from),
        event: { _tag: "TimeWindowsCollected", windows: ["Monday afternoon", "Friday anytime"] },
        key: ["SendCopy", "NotifyArtist"]
      }
    case "SlotChosen":
      return {
        lead: leadIn(from, { depositAmountPence: 15000 }),
        event: { _tag: "SlotChosen", slot: SLOT, slotNumber: 1 },
        key: ["HoldSlot", "SendCopy", "CreateCheckout"]
      }
    case "SlotUnavailable":
      return {
        lead: leadIn(from, withCheckout),
        event: { _tag: "SlotUnavailable", slot: SLOT },
        key: ["ReleaseHold", "ExpireCheckout", "RecordEvent", "SendCopy", "FindSlots"]
      }
    case "DepositRequested":
      return { lead: leadIn(from), event: { _tag: "DepositRequested", amountPence: 15000 }, key: ["CreateCheckout"] }
    case "DepositLinkSent":
      return {
        lead: leadIn(from, { depositAmountPence: 15000 }),
        event: {
          _tag: "DepositLinkSent",
          checkoutSessionId: "cs_live",
          checkoutUrl: "https://checkout.example/cs_live",
          amountPence: 15000,
          expiresAt: SLOT.start
        },
        key: ["SendCopy", "RecordEvent"]
      }
    case "DepositPaid": {
      const matching: LeadEvent = {
        _tag: "DepositPaid",
        checkoutSessionId: "cs_live",
        amountPence: 15000,
        currency: "gbp"
      }
      if (from === "AWAITING_DEPOSIT" && to === "BOOKING_PENDING") {
        return {
          lead: leadIn(from, withCheckout),
          event: matching,
          key: ["SendCopy", "NotifyArtist", "CreateCalendarHold"]
        }
      }
      if (from === "AWAITING_DEPOSIT") {
        return { lead: leadIn(from, withCheckout), event: { ...matching, amountPence: 100 }, key: ["FlagForArtist", "RecordEvent"] }
      }
      return { lead: leadIn(from, withCheckout), event: matching, key: ["FlagForArtist", "RecordEvent"] }
    }
    case "DepositFailed":
      return {
        lead: leadIn(from, withCheckout),
        event: { _tag: "DepositFailed", checkoutSessionId: "cs_live" },
        key: ["RecordEvent", "NotifyArtist"]
      }
    case "DepositExpired":
      return to === "DEPOSIT_EXPIRED"
        ? {
            lead: leadIn(from, withCheckout),
            event: { _tag: "DepositExpired", checkoutSessionId: "cs_live" },
            key: ["ReleaseHold", "SendCopy", "NotifyArtist"]
          }
        : {
            lead: leadIn(from, withCheckout),
            event: { _tag: "DepositExpired", checkoutSessionId: "cs_old" },
            key: ["RecordEvent"]
          }
    case "DepositRefunded":
      return { lead: leadIn(from, paid), event: { _tag: "DepositRefunded", amountPence: 15000 }, key: ["NotifyArtist"] }
    case "MarkBooked":
      return { lead: leadIn(from, paid), event: { _tag: "MarkBooked" }, key: ["ConfirmCalendarEvent", "SendCopy"] }
    case "CalendarBookingDetected":
      return {
        lead: leadIn(from, paid),
        event: { _tag: "CalendarBookingDetected", calendarEventId: "evt_1" },
        key: ["SendCopy"]
      }
    case "Cancel":
      return {
        lead: leadIn(from, paid),
        event: { _tag: "Cancel", reason: "Client moved away" },
        key: ["ReleaseHold", "DeleteCalendarEvent", "NotifyArtist"]
      }
    case "OptOut":
      return { lead: leadIn(from), event: { _tag: "OptOut" }, key: ["SendCopy"] }
    case "OptIn": {
      const reply = STATUS_REPLY_ON_OPT_IN[to]
      return { lead: leadIn(from, { resumeStatus: to }), event: { _tag: "OptIn" }, key: reply === undefined ? [] : [reply] }
    }
    case "Handover":
      return {
        lead: leadIn(from),
        event: { _tag: "Handover", reason: "Client requested human/artist", reply: "handover_client_question" },
        key: ["NotifyArtist", "SendCopy"]
      }
    case "Resume":
      return {
        lead: leadIn(from, { resumeStatus: to }),
        event: { _tag: "Resume" },
        key: to === "QUALIFYING" ? ["ResumeConsultation"] : []
      }
    case "Abandoned":
      return { lead: leadIn(from), event: { _tag: "Abandoned" }, key: [] }
    case "Stale":
      return { lead: leadIn(from), event: { _tag: "Stale" }, key: ["NotifyArtist"] }
    case "BookingPendingOverdue":
      return { lead: leadIn(from, paid), event: { _tag: "BookingPendingOverdue" }, key: ["NotifyArtist"] }
    case "NewEnquiry":
      return {
        lead: leadIn(from),
        event: { _tag: "NewEnquiry" },
        key: to === "QUALIFYING" ? ["ResumeConsultation"] : ["FindSlots"]
      }
  }
}

describe("every allowed move in TRANSITIONS", () => {
  it("has no duplicate rows", () => {
    const keys = TRANSITIONS.map((r) => `${r.from} ${r.event} ${r.to}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it.each(TRANSITIONS.map((rule) => [`${rule.from} --${rule.event}--> ${rule.to}`, rule] as const))("%s", (_, rule) => {
    const { lead, event, key } = caseFor(rule)
    const result = transition(lead, event)
    if (Either.isLeft(result)) throw new Error(`refused: ${result.left.message}`)
    const { from, to, commands, lead: next } = result.right
    expect(from).toBe(rule.from)
    expect(to).toBe(rule.to)
    expect(next.status).toBe(rule.to)
    expect(next.id).toBe(LEAD_ID)
    const tags = tagsOf(commands)
    for (const tag of key) expect(tags).toContain(tag)
    const sheet = commandsOf(commands, "UpsertSheetRow")
    if (rule.from === rule.to) {
      expect(sheet).toEqual([])
    } else {
      expect(sheet).toEqual([{ _tag: "UpsertSheetRow", leadId: LEAD_ID, status: rule.to }])
      expect(commandsOf(commands, "RecordEvent").map((c) => c.type)).toContain("lead.transition")
    }
  })
})
