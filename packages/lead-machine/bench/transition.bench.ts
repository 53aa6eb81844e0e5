import * as Either from "effect/Either"
import { bench, describe } from "vitest"
import {
  chooseLeadForInbound,
  type Lead,
  type LeadEvent,
  LEAD_STATUSES,
  LEAD_EVENT_TAGS,
  newLead,
  toMermaid,
  transition
} from "../src/index.js"
import { paid, SLOT, withCheckout } from "../test/fixtures.js"

// The happy path, one event at a time, as the host drives it.
const journey: ReadonlyArray<LeadEvent> = [
  { _tag: "ConsultationStarted" },
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
  { _tag: "DepositPaid", checkoutSessionId: "cs_live", amountPence: 15000, currency: "gbp" },
  { _tag: "MarkBooked" }
]

// Every (status, payload-free event) pair: mostly refusals, the cost of a bad admin click or late webhook.
const pairs: ReadonlyArray<[Lead, LeadEvent]> = LEAD_STATUSES.flatMap((status) =>
  (["Approve", "Reject", "MarkBooked", "OptOut", "OptIn", "Resume", "NewEnquiry", "Stale"] as const).map(
    (tag): [Lead, LeadEvent] => [{ ...newLead(1), ...paid, status }, { _tag: tag }]
  )
)

const payment: LeadEvent = { _tag: "DepositPaid", checkoutSessionId: "cs_live", amountPence: 15000, currency: "gbp" }
const awaiting: Lead = { ...newLead(1), ...withCheckout, status: "AWAITING_DEPOSIT" }

describe("transition", () => {
  bench("happy path NEW → BOOKED (8 events)", () => {
    let lead = newLead(1)
    for (const event of journey) {
      const result = transition(lead, event)
      if (Either.isRight(result)) lead = result.right.lead
    }
  })

  let i = 0
  bench(`single event over all ${pairs.length} status × event pairs`, () => {
    const [lead, event] = pairs[i++ % pairs.length]!
    transition(lead, event)
  })

  bench("DepositPaid applied (AWAITING_DEPOSIT → BOOKING_PENDING)", () => {
    transition(awaiting, payment)
  })
})

describe("lookup and diagram", () => {
  const leads = [
    { id: 3, status: "BOOKED" as const },
    { id: 2, status: "REJECTED" as const },
    { id: 1, status: "NEEDS_FOLLOW_UP" as const }
  ]
  bench("chooseLeadForInbound (3 leads)", () => {
    chooseLeadForInbound(leads)
  })
  bench(`toMermaid (${LEAD_EVENT_TAGS.length} events)`, () => {
    toMermaid()
  })
})
