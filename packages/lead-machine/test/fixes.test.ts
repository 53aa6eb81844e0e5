import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import {
  InvalidTransition,
  isTerminal,
  LEAD_STATUSES,
  type Lead,
  type LeadEvent,
  type LeadStatus,
  newLead,
  statusesIn,
  type Transition,
  transition
} from "../src/index.js"
import { commandsOf, LEAD_ID, leadIn, paid, SLOT, tagsOf, withCheckout } from "./fixtures.js"

const ok = (lead: Lead, event: LeadEvent): Transition => {
  const result = transition(lead, event)
  if (Either.isLeft(result)) throw new Error(`unexpected refusal: ${result.left.message}`)
  return result.right
}

const refused = (lead: Lead, event: LeadEvent): InvalidTransition => {
  const result = transition(lead, event)
  if (Either.isRight(result)) throw new Error(`unexpected move ${result.right.from} -> ${result.right.to}`)
  return result.left
}

const run = (lead: Lead, ...events: ReadonlyArray<LeadEvent>): Lead => events.reduce((l, e) => ok(l, e).lead, lead)

const payment: LeadEvent = { _tag: "DepositPaid", checkoutSessionId: "cs_live", amountPence: 15000, currency: "gbp" }

describe("InvalidTransition", () => {
  it("reads `Cannot <action> lead in status <status>`", () => {
    const error = refused(leadIn("QUALIFYING"), { _tag: "Approve" })
    expect(error).toBeInstanceOf(InvalidTransition)
    expect(error._tag).toBe("InvalidTransition")
    expect(error.message).toBe("Cannot approve lead in status QUALIFYING")
    expect(refused(leadIn("PENDING_APPROVAL"), { _tag: "DepositRequested" }).message).toBe(
      "Cannot send deposit for lead in status PENDING_APPROVAL"
    )
    expect(refused(leadIn("AWAITING_DEPOSIT"), { _tag: "MarkBooked" }).message).toBe(
      "Cannot mark booked lead in status AWAITING_DEPOSIT"
    )
    expect(refused(leadIn("QUALIFYING"), { _tag: "Resume" }).message).toBe("Cannot resume lead in status QUALIFYING")
    expect(refused(leadIn("BOOKED"), { _tag: "Reject" }).message).toBe("Cannot reject lead in status BOOKED")
  })
})

describe("approval", () => {
  it("approves NEEDS_FOLLOW_UP leads (budget below minimum) and asks for slots", () => {
    const t = ok(leadIn("NEEDS_FOLLOW_UP", { depositAmountPence: 15000 }), { _tag: "Approve" })
    expect(t.to).toBe("AWAITING_DEPOSIT")
    expect(commandsOf(t.commands, "FindSlots")).toEqual([{ _tag: "FindSlots", leadId: LEAD_ID }])
  })

  it("approves STALE leads: the artist's late yes still counts", () => {
    expect(ok(leadIn("STALE"), { _tag: "Approve" }).to).toBe("AWAITING_DEPOSIT")
  })

  it("does not re-approve a paid lead waiting on the artist's follow-up", () => {
    expect(refused(leadIn("NEEDS_FOLLOW_UP", paid), { _tag: "Approve" }).message).toBe(
      "Cannot approve lead in status NEEDS_FOLLOW_UP"
    )
    expect(ok(leadIn("NEEDS_FOLLOW_UP", paid), { _tag: "MarkBooked" }).to).toBe("BOOKED")
  })
})

describe("opt-out and START", () => {
  it("accepts STOP from every non-terminal status and records where to return", () => {
    for (const status of LEAD_STATUSES.filter((s) => !isTerminal(s) && s !== "OPTOUT")) {
      const t = ok(leadIn(status), { _tag: "OptOut" })
      expect(t.to).toBe("OPTOUT")
      expect(t.lead.resumeStatus).toBe(status === "NEEDS_ARTIST_REPLY" ? null : status)
      expect(commandsOf(t.commands, "SendCopy")).toEqual([
        { _tag: "SendCopy", leadId: LEAD_ID, key: "opt_out_confirmation", vars: {}, allowWhileOptedOut: true }
      ])
    }
    for (const status of statusesIn("terminal")) {
      expect(refused(leadIn(status), { _tag: "OptOut" }).message).toBe(`Cannot opt out lead in status ${status}`)
    }
  })

  it("brings a client who writes START back to the same lead and status", () => {
    const optedOut = run(leadIn("AWAITING_DEPOSIT", withCheckout), { _tag: "OptOut" })
    const back = ok(optedOut, { _tag: "OptIn" })
    expect(back.to).toBe("AWAITING_DEPOSIT")
    expect(back.lead).toEqual({ ...leadIn("AWAITING_DEPOSIT", withCheckout), resumeStatus: null })
    expect(commandsOf(back.commands, "SendCopy").map((c) => c.key)).toEqual(["awaiting_deposit"])
  })

  it("continues the consultation at the current question after START mid-consultation", () => {
    const back = ok(run(leadIn("QUALIFYING"), { _tag: "OptOut" }), { _tag: "OptIn" })
    expect(back.to).toBe("QUALIFYING")
    expect(commandsOf(back.commands, "ResumeConsultation")).toEqual([
      { _tag: "ResumeConsultation", leadId: LEAD_ID, fromStart: false }
    ])
  })

  it("restarts the consultation when there was nothing to return to", () => {
    const back = ok(leadIn("OPTOUT", { resumeStatus: null }), { _tag: "OptIn" })
    expect(back.to).toBe("QUALIFYING")
    expect(commandsOf(back.commands, "ResumeConsultation")[0]?.fromStart).toBe(true)
    const fromAbandoned = ok(run(leadIn("ABANDONED"), { _tag: "OptOut" }), { _tag: "OptIn" })
    expect(fromAbandoned.to).toBe("QUALIFYING")
    expect(commandsOf(fromAbandoned.commands, "ResumeConsultation")[0]?.fromStart).toBe(true)
  })

  it("sends nothing else to an opted-out client, even on rejection", () => {
    const t = ok(leadIn("OPTOUT", { resumeStatus: "PENDING_APPROVAL" }), { _tag: "Reject" })
    expect(t.to).toBe("REJECTED")
    expect(commandsOf(t.commands, "SendCopy")).toEqual([])
  })

  it("keeps a payment made after STOP and returns to BOOKING_PENDING on START", () => {
    const optedOut = run(leadIn("AWAITING_DEPOSIT", withCheckout), { _tag: "OptOut" })
    const paidWhileOut = ok(optedOut, payment)
    expect(paidWhileOut.to).toBe("OPTOUT")
    expect(paidWhileOut.lead.depositPaid).toBe(true)
    expect(commandsOf(paidWhileOut.commands, "SendCopy")).toEqual([])
    expect(tagsOf(paidWhileOut.commands)).toContain("CreateCalendarHold")
    expect(ok(paidWhileOut.lead, { _tag: "OptIn" }).to).toBe("BOOKING_PENDING")
  })
})

describe("handover and resume", () => {
  const handover: LeadEvent = { _tag: "Handover", reason: "Client asked about refund", reply: "refund_ack" }

  it("hands over from every active status and resumes to exactly that status", () => {
    const expected: Partial<Record<LeadStatus, LeadStatus>> = { NEW: "QUALIFYING", DEPOSIT_PAID: "BOOKING_PENDING" }
    for (const status of statusesIn("active").filter((s) => s !== "NEEDS_ARTIST_REPLY")) {
      const paused = ok(leadIn(status), handover)
      expect(paused.to).toBe("NEEDS_ARTIST_REPLY")
      expect(paused.lead.resumeStatus).toBe(status)
      expect(commandsOf(paused.commands, "NotifyArtist")).toEqual([
        { _tag: "NotifyArtist", leadId: LEAD_ID, kind: "needs_reply", reason: "Client asked about refund" }
      ])
      expect(commandsOf(paused.commands, "SendCopy").map((c) => c.key)).toEqual(["refund_ack"])
      expect(ok(paused.lead, { _tag: "Resume" }).to).toBe(expected[status] ?? status)
    }
  })

  it("does not send a paid lead back to the questions on resume", () => {
    const back = ok(run(leadIn("BOOKING_PENDING", paid), handover), { _tag: "Resume" })
    expect(back.to).toBe("BOOKING_PENDING")
    expect(back.lead.resumeStatus).toBeNull()
    expect(commandsOf(back.commands, "ResumeConsultation")).toEqual([])
  })

  it("falls back to the current question when the handover recorded nothing", () => {
    const back = ok(leadIn("NEEDS_ARTIST_REPLY", { resumeStatus: null }), { _tag: "Resume" })
    expect(back.to).toBe("QUALIFYING")
    expect(commandsOf(back.commands, "ResumeConsultation")[0]?.fromStart).toBe(false)
  })

  it("resumes a completed cover-up consultation into PENDING_APPROVAL", () => {
    const paused = ok(leadIn("QUALIFYING"), {
      _tag: "ConsultationCompleted",
      outcome: "NEEDS_ARTIST_REPLY",
      depositAmountPence: 15000,
      reason: "Cover-up/rework requires creative assessment"
    })
    expect(ok(paused.lead, { _tag: "Resume" }).to).toBe("PENDING_APPROVAL")
  })

  it("after STOP during a handover, START resumes the bot where the handover paused it", () => {
    const l = run(leadIn("AWAITING_DEPOSIT"), handover, { _tag: "OptOut" }, { _tag: "OptIn" })
    expect(l.status).toBe("AWAITING_DEPOSIT")
  })

  it("applies a payment made during a handover; resume lands on BOOKING_PENDING", () => {
    const paused = run(leadIn("AWAITING_DEPOSIT", withCheckout), handover)
    const t = ok(paused, payment)
    expect(t.to).toBe("NEEDS_ARTIST_REPLY")
    expect(t.lead.resumeStatus).toBe("BOOKING_PENDING")
    expect(commandsOf(t.commands, "SendCopy").map((c) => c.template)).toEqual(["deposit_received_next_steps"])
    expect(ok(t.lead, { _tag: "Resume" }).to).toBe("BOOKING_PENDING")
  })

  it("does not hand over a lead that is already handed over (the return point would be lost)", () => {
    expect(refused(leadIn("NEEDS_ARTIST_REPLY", { resumeStatus: "AWAITING_DEPOSIT" }), handover).message).toBe(
      "Cannot hand over lead in status NEEDS_ARTIST_REPLY"
    )
  })
})

describe("rejection", () => {
  it("rejects from every status except the terminal ones", () => {
    for (const status of LEAD_STATUSES) {
      const result = transition(leadIn(status), { _tag: "Reject" })
      expect(Either.isRight(result)).toBe(!isTerminal(status))
    }
  })

  it("releases the hold and expires the checkout of an unpaid lead", () => {
    const t = ok(leadIn("AWAITING_DEPOSIT", withCheckout), { _tag: "Reject", reason: "Double-booked" })
    expect(t.lead.heldSlot).toBeNull()
    expect(commandsOf(t.commands, "ReleaseHold")).toEqual([{ _tag: "ReleaseHold", leadId: LEAD_ID, slot: SLOT }])
    expect(commandsOf(t.commands, "ExpireCheckout")).toEqual([
      { _tag: "ExpireCheckout", leadId: LEAD_ID, checkoutSessionId: "cs_live" }
    ])
    expect(commandsOf(t.commands, "DeleteCalendarEvent")).toEqual([])
    expect(commandsOf(t.commands, "SendCopy").map((c) => c.key)).toEqual(["rejected"])
    expect(commandsOf(t.commands, "RecordEvent")[0]?.payload).toMatchObject({ reason: "Double-booked" })
  })

  it("deletes the calendar hold of a paid lead and flags the deposit", () => {
    const t = ok(leadIn("BOOKING_PENDING", paid), { _tag: "Reject" })
    expect(tagsOf(t.commands)).toEqual(
      expect.arrayContaining(["ReleaseHold", "DeleteCalendarEvent", "FlagForArtist", "SendCopy"])
    )
    expect(commandsOf(t.commands, "FlagForArtist")[0]?.reason).toBe("refund_may_be_due")
  })
})

describe("payment", () => {
  it("moves AWAITING_DEPOSIT to BOOKING_PENDING in one transition with confirmation, ping and calendar hold", () => {
    const t = ok(leadIn("AWAITING_DEPOSIT", withCheckout), payment)
    expect([t.from, t.to]).toEqual(["AWAITING_DEPOSIT", "BOOKING_PENDING"])
    expect(t.lead.depositPaid).toBe(true)
    expect(commandsOf(t.commands, "SendCopy")).toEqual([
      {
        _tag: "SendCopy",
        leadId: LEAD_ID,
        key: "payment_confirmation",
        vars: { amount_gbp: "150.00" },
        template: "deposit_received_next_steps"
      }
    ])
    expect(commandsOf(t.commands, "NotifyArtist")).toEqual([
      { _tag: "NotifyArtist", leadId: LEAD_ID, kind: "deposit_paid", amountPence: 15000 }
    ])
    expect(commandsOf(t.commands, "CreateCalendarHold")).toEqual([
      { _tag: "CreateCalendarHold", leadId: LEAD_ID, slot: SLOT }
    ])
    expect(commandsOf(t.commands, "UpsertSheetRow")).toEqual([
      { _tag: "UpsertSheetRow", leadId: LEAD_ID, status: "BOOKING_PENDING" }
    ])
  })

  it("accepts the currency in any case", () => {
    expect(ok(leadIn("AWAITING_DEPOSIT", withCheckout), { ...payment, currency: "GBP" }).to).toBe("BOOKING_PENDING")
  })

  it.each([
    ["amount", { amountPence: 14999 }, "payment_amount_mismatch"],
    ["currency", { currency: "usd" }, "payment_currency_mismatch"],
    ["session", { checkoutSessionId: "cs_old" }, "payment_session_mismatch"]
  ] as const)("flags a payment whose %s differs and does not apply it", (_, change, reason) => {
    const t = ok(leadIn("AWAITING_DEPOSIT", withCheckout), { ...payment, ...change } as LeadEvent)
    expect(t.to).toBe("AWAITING_DEPOSIT")
    expect(t.lead.depositPaid).toBe(false)
    expect(commandsOf(t.commands, "FlagForArtist").map((c) => c.reason)).toEqual([reason])
    expect(commandsOf(t.commands, "RecordEvent").map((c) => [c.type, c.level])).toEqual([["payment.mismatch", "error"]])
    expect(tagsOf(t.commands)).not.toContain("SendCopy")
  })

  it("flags a payment for a lead without a deposit amount", () => {
    const t = ok(leadIn("AWAITING_DEPOSIT", { ...withCheckout, depositAmountPence: null }), payment)
    expect(commandsOf(t.commands, "FlagForArtist").map((c) => c.reason)).toEqual(["payment_amount_mismatch"])
  })

  it("keeps a payment that arrives after the deposit expired: flagged for the artist, never dropped", () => {
    const expired = run(leadIn("AWAITING_DEPOSIT", withCheckout), {
      _tag: "DepositExpired",
      checkoutSessionId: "cs_live"
    })
    expect(expired.status).toBe("DEPOSIT_EXPIRED")
    const t = ok(expired, payment)
    expect(t.to).toBe("DEPOSIT_EXPIRED")
    expect(commandsOf(t.commands, "FlagForArtist").map((c) => c.reason)).toEqual(["payment_in_unexpected_status"])
    expect(commandsOf(t.commands, "RecordEvent").map((c) => [c.type, c.level])).toEqual([
      ["payment.unexpected_status", "error"]
    ])
  })

  it("records a webhook retry for the paid session as a duplicate", () => {
    const t = ok(leadIn("BOOKING_PENDING", paid), payment)
    expect(t.to).toBe("BOOKING_PENDING")
    expect(tagsOf(t.commands)).toEqual(["RecordEvent"])
    expect(commandsOf(t.commands, "RecordEvent")[0]?.type).toBe("payment.duplicate")
  })
})

describe("out-of-order payment events never move a lead backwards", () => {
  it.each([
    [{ _tag: "DepositExpired", checkoutSessionId: "cs_live" }, "expire deposit for"],
    [{ _tag: "DepositFailed", checkoutSessionId: "cs_live" }, "record failed deposit for"],
    [
      {
        _tag: "DepositLinkSent",
        checkoutSessionId: "cs_new",
        checkoutUrl: "https://x",
        amountPence: 15000,
        expiresAt: SLOT.start
      },
      "record deposit link for"
    ]
  ] as const)("%o after payment is refused", (event, action) => {
    for (const status of ["BOOKING_PENDING", "BOOKED"] as const) {
      expect(refused(leadIn(status, paid), event as LeadEvent).message).toBe(
        `Cannot ${action} lead in status ${status}`
      )
    }
  })

  it("ignores the expiry of an older checkout while a newer one is live", () => {
    const t = ok(leadIn("AWAITING_DEPOSIT", withCheckout), { _tag: "DepositExpired", checkoutSessionId: "cs_old" })
    expect(t.to).toBe("AWAITING_DEPOSIT")
    expect(t.lead).toEqual(leadIn("AWAITING_DEPOSIT", withCheckout))
    expect(tagsOf(t.commands)).toEqual(["RecordEvent"])
  })

  it("expiry of the live checkout releases the hold", () => {
    const t = ok(leadIn("AWAITING_DEPOSIT", withCheckout), { _tag: "DepositExpired", checkoutSessionId: "cs_live" })
    expect(t.to).toBe("DEPOSIT_EXPIRED")
    expect(t.lead.heldSlot).toBeNull()
    expect(commandsOf(t.commands, "ReleaseHold")).toEqual([{ _tag: "ReleaseHold", leadId: LEAD_ID, slot: SLOT }])
    expect(commandsOf(t.commands, "SendCopy").map((c) => c.key)).toEqual(["deposit_expired"])
  })
})

describe("slots before payment", () => {
  it("holds the chosen slot and creates a checkout for the lead's deposit", () => {
    const t = ok(leadIn("AWAITING_DEPOSIT", { depositAmountPence: 15000 }), { _tag: "SlotChosen", slot: SLOT })
    expect(t.lead.heldSlot).toEqual(SLOT)
    expect(tagsOf(t.commands)).toEqual(["HoldSlot", "CreateCheckout"])
    expect(commandsOf(t.commands, "CreateCheckout")).toEqual([
      { _tag: "CreateCheckout", leadId: LEAD_ID, amountPence: 15000, currency: "gbp", slot: SLOT }
    ])
  })

  it("flags the artist instead of creating a checkout when the lead has no deposit amount", () => {
    const t = ok(leadIn("AWAITING_DEPOSIT"), { _tag: "SlotChosen", slot: SLOT })
    expect(tagsOf(t.commands)).toEqual(["HoldSlot", "FlagForArtist"])
  })

  it("re-offers slots when the chosen one is gone", () => {
    const t = ok(leadIn("AWAITING_DEPOSIT", withCheckout), { _tag: "SlotUnavailable", slot: SLOT })
    expect(t.lead.heldSlot).toBeNull()
    expect(tagsOf(t.commands)).toEqual(["ReleaseHold", "ExpireCheckout", "RecordEvent", "SendCopy", "FindSlots"])
    expect(commandsOf(t.commands, "SendCopy")).toEqual([
      { _tag: "SendCopy", leadId: LEAD_ID, key: "slot_taken_apology", vars: {}, slot: SLOT }
    ])
  })

  it("asks for time windows when there are no slots, and hands the windows to the artist", () => {
    const collecting = ok(leadIn("AWAITING_DEPOSIT"), { _tag: "NoSlotsAvailable" })
    expect(collecting.to).toBe("COLLECTING_TIME_WINDOWS")
    expect(commandsOf(collecting.commands, "RequestTimeWindows")).toEqual([
      { _tag: "RequestTimeWindows", leadId: LEAD_ID, template: "next_steps_reply_to_continue" }
    ])
    const handed = ok(collecting.lead, { _tag: "TimeWindowsCollected", windows: ["Mon pm", "Fri am"] })
    expect(handed.to).toBe("NEEDS_ARTIST_REPLY")
    expect(commandsOf(handed.commands, "SendCopy")[0]?.vars).toEqual({ window_count: "2" })
    expect(ok(handed.lead, { _tag: "Resume" }).to).toBe("AWAITING_DEPOSIT")
  })
})

describe("revival", () => {
  it("restarts a dormant consultation on the same lead", () => {
    for (const status of ["ABANDONED", "STALE", "WAITLISTED"] as const) {
      const t = ok(leadIn(status, { depositAmountPence: 9000 }), { _tag: "NewEnquiry" })
      expect(t.to).toBe("QUALIFYING")
      expect(t.lead.depositAmountPence).toBeNull()
      expect(commandsOf(t.commands, "ResumeConsultation")[0]?.fromStart).toBe(true)
    }
  })

  it("offers fresh slots to an approved client whose deposit expired", () => {
    const t = ok(leadIn("DEPOSIT_EXPIRED", { depositAmountPence: 15000, checkoutSessionId: "cs_live" }), {
      _tag: "NewEnquiry"
    })
    expect(t.to).toBe("AWAITING_DEPOSIT")
    expect(t.lead).toMatchObject({ depositAmountPence: 15000, checkoutSessionId: null })
    expect(tagsOf(t.commands)).toContain("FindSlots")
  })
})

describe("the whole journey", () => {
  it("goes NEW → … → BOOKED with the expected side effects at each step", () => {
    const steps: ReadonlyArray<LeadEvent> = [
      { _tag: "ConsultationStarted" },
      { _tag: "ReminderDue", reminder: "consultation_first" },
      { _tag: "ConsultationCompleted", outcome: "PENDING_APPROVAL", depositAmountPence: 15000 },
      { _tag: "Approve" },
      { _tag: "SlotsOffered", slots: [SLOT] },
      { _tag: "SlotChosen", slot: SLOT, slotNumber: 1 },
      {
        _tag: "DepositLinkSent",
        checkoutSessionId: "cs_live",
        checkoutUrl: "https://checkout.example/cs_live",
        amountPence: 15000,
        expiresAt: SLOT.start
      },
      payment,
      { _tag: "MarkBooked" }
    ]
    let lead = newLead(LEAD_ID)
    const seen: Array<[LeadStatus, ReadonlyArray<string>]> = []
    for (const event of steps) {
      const t = ok(lead, event)
      seen.push([t.to, tagsOf(t.commands).filter((c) => c !== "RecordEvent" && c !== "UpsertSheetRow")])
      lead = t.lead
    }
    expect(seen).toEqual([
      ["QUALIFYING", ["ResumeConsultation"]],
      ["QUALIFYING", ["SendCopy"]],
      ["PENDING_APPROVAL", ["NotifyArtist"]],
      ["AWAITING_DEPOSIT", ["FindSlots"]],
      ["AWAITING_DEPOSIT", ["OfferSlots"]],
      ["AWAITING_DEPOSIT", ["HoldSlot", "SendCopy", "CreateCheckout"]],
      ["AWAITING_DEPOSIT", ["SendCopy"]],
      ["BOOKING_PENDING", ["SendCopy", "NotifyArtist", "CreateCalendarHold"]],
      ["BOOKED", ["ConfirmCalendarEvent", "SendCopy"]]
    ])
    expect(lead).toEqual({
      id: LEAD_ID,
      status: "BOOKED",
      resumeStatus: null,
      depositAmountPence: 15000,
      depositPaid: true,
      checkoutSessionId: "cs_live",
      heldSlot: SLOT
    })
  })
})
