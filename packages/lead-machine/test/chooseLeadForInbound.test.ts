import { describe, expect, it } from "vitest"
import { chooseLeadForInbound, type LeadRef, type LeadStatus } from "../src/index.js"

const leads = (...statuses: ReadonlyArray<LeadStatus>): ReadonlyArray<LeadRef> =>
  statuses.map((status, i) => ({ id: 100 - i, status }))

describe("chooseLeadForInbound (leads newest first)", () => {
  it("creates a lead for a first-time number", () => {
    expect(chooseLeadForInbound([])).toEqual({ _tag: "CreateNew" })
  })

  it("brings an opted-out client back on the same lead (START works)", () => {
    expect(chooseLeadForInbound(leads("OPTOUT", "BOOKED"))).toEqual({ _tag: "Reuse", id: 100 })
  })

  it("never routes around a newest opt-out, even to an older active lead", () => {
    expect(chooseLeadForInbound(leads("OPTOUT", "QUALIFYING"))).toEqual({ _tag: "Reuse", id: 100 })
  })

  it("keeps a client replying in NEEDS_FOLLOW_UP on their lead", () => {
    expect(chooseLeadForInbound(leads("NEEDS_FOLLOW_UP"))).toEqual({ _tag: "Reuse", id: 100 })
  })

  it.each([
    "NEW",
    "QUALIFYING",
    "PENDING_APPROVAL",
    "AWAITING_DEPOSIT",
    "BOOKING_PENDING",
    "NEEDS_ARTIST_REPLY",
    "TOUR_CONVERSION_OFFERED",
    "COLLECTING_TIME_WINDOWS"
  ] as const)("reuses the lead in progress (%s)", (status) => {
    expect(chooseLeadForInbound(leads(status, "BOOKED"))).toEqual({ _tag: "Reuse", id: 100 })
  })

  it("prefers an older active lead over a newer closed one", () => {
    expect(chooseLeadForInbound(leads("REJECTED", "AWAITING_DEPOSIT"))).toEqual({ _tag: "Reuse", id: 99 })
  })

  it.each(["ABANDONED", "STALE", "WAITLISTED", "DEPOSIT_EXPIRED"] as const)(
    "reuses a dormant newest lead (%s), which NewEnquiry revives",
    (status) => {
      expect(chooseLeadForInbound(leads(status))).toEqual({ _tag: "Reuse", id: 100 })
    }
  )

  it.each(["BOOKED", "REJECTED", "REFUNDED", "CANCELLED"] as const)(
    "starts a new lead after a terminal newest lead (%s)",
    (status) => {
      expect(chooseLeadForInbound(leads(status, "ABANDONED"))).toEqual({ _tag: "CreateNew" })
    }
  )
})
