import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  CATALOGUE_COPY_KEYS,
  Command,
  EVENT_ACTIONS,
  isTerminal,
  LEAD_STATUSES,
  Lead,
  LeadEvent,
  type LeadEventOf,
  type LeadEventTag,
  type LeadStatus,
  MACHINE_COPY_KEYS,
  type Slot,
  TRANSITIONS,
  transition
} from "../src/index.js"
import { commandsOf, OTHER_SLOT, SLOT } from "./fixtures.js"

const RUNS = { numRuns: 4000 }

const status = fc.constantFrom(...LEAD_STATUSES)
// Amounts mix the realistic (so payments sometimes match) with the absurd (NaN, fractions, negatives).
const amount = fc.oneof(
  fc.constantFrom(15000, 15000, 0, -1, 100),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double()
)
const session = fc.oneof(fc.constantFrom("cs_live", "cs_old"), fc.string())
const text = fc.string({ maxLength: 40 })
const slot: fc.Arbitrary<Slot> = fc.oneof(
  fc.constantFrom(SLOT, OTHER_SLOT),
  fc
    .tuple(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: 1, max: 600 }))
    .map(([ms, minutes]) => {
      const start = DateTime.unsafeMake(ms)
      return { start, end: DateTime.add(start, { minutes }) }
    })
)
const slots = fc.array(slot, { minLength: 1, maxLength: 8 }).map((xs) => xs as unknown as readonly [Slot, ...Array<Slot>])
const copyKey = fc.constantFrom(...CATALOGUE_COPY_KEYS, ...MACHINE_COPY_KEYS)
const opt = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: undefined })

const lead: fc.Arbitrary<Lead> = fc.record({
  id: fc.integer({ min: 1, max: 1_000_000 }),
  status,
  resumeStatus: fc.option(status, { nil: null }),
  depositAmountPence: fc.option(amount, { nil: null }),
  depositPaid: fc.boolean(),
  checkoutSessionId: fc.option(session, { nil: null }),
  heldSlot: fc.option(slot, { nil: null })
})

// Drop `undefined` optionals so events respect exactOptionalPropertyTypes like real callers' events.
const clean = <A extends object>(a: A): A =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as A

// A record keyed by tag: a new event without an arbitrary is a compile error.
const EVENTS: { readonly [T in LeadEventTag]: fc.Arbitrary<LeadEventOf<T>> } = {
  ConsultationStarted: fc.constant({ _tag: "ConsultationStarted" }),
  ConsultationCompleted: fc
    .record({
      _tag: fc.constant("ConsultationCompleted" as const),
      outcome: fc.constantFrom(
        "PENDING_APPROVAL",
        "NEEDS_FOLLOW_UP",
        "NEEDS_ARTIST_REPLY",
        "TOUR_CONVERSION_OFFERED",
        "WAITLISTED"
      ),
      depositAmountPence: fc.option(amount, { nil: null }),
      reason: opt(text)
    })
    .map(clean),
  TourOfferAccepted: fc.record({ _tag: fc.constant("TourOfferAccepted" as const), city: text }),
  TourOfferDeclined: fc.record({ _tag: fc.constant("TourOfferDeclined" as const), city: text }),
  Approve: fc.constant({ _tag: "Approve" }),
  Reject: fc.record({ _tag: fc.constant("Reject" as const), reason: opt(text) }).map(clean),
  SlotsOffered: fc.record({ _tag: fc.constant("SlotsOffered" as const), slots }),
  NoSlotsAvailable: fc.constant({ _tag: "NoSlotsAvailable" }),
  TimeWindowsCollected: fc.record({
    _tag: fc.constant("TimeWindowsCollected" as const),
    windows: fc.array(text, { minLength: 1, maxLength: 4 }).map((xs) => xs as unknown as readonly [string, ...Array<string>])
  }),
  SlotChosen: fc
    .record({ _tag: fc.constant("SlotChosen" as const), slot, slotNumber: opt(fc.integer({ min: 1, max: 8 })) })
    .map(clean),
  SlotUnavailable: fc.record({ _tag: fc.constant("SlotUnavailable" as const), slot }),
  DepositRequested: fc.record({ _tag: fc.constant("DepositRequested" as const), amountPence: opt(amount) }).map(clean),
  DepositLinkSent: fc.record({
    _tag: fc.constant("DepositLinkSent" as const),
    checkoutSessionId: session,
    checkoutUrl: text,
    amountPence: amount,
    expiresAt: slot.map((s) => s.end)
  }),
  DepositPaid: fc.record({
    _tag: fc.constant("DepositPaid" as const),
    checkoutSessionId: session,
    amountPence: amount,
    currency: fc.constantFrom("gbp", "GBP", "usd", "eur", "")
  }),
  DepositFailed: fc.record({ _tag: fc.constant("DepositFailed" as const), checkoutSessionId: session }),
  DepositExpired: fc.record({ _tag: fc.constant("DepositExpired" as const), checkoutSessionId: session }),
  DepositRefunded: fc.record({ _tag: fc.constant("DepositRefunded" as const), amountPence: amount }),
  MarkBooked: fc.constant({ _tag: "MarkBooked" }),
  CalendarBookingDetected: fc.record({ _tag: fc.constant("CalendarBookingDetected" as const), calendarEventId: text }),
  Cancel: fc.record({ _tag: fc.constant("Cancel" as const), reason: opt(text) }).map(clean),
  OptOut: fc.constant({ _tag: "OptOut" }),
  OptIn: fc.constant({ _tag: "OptIn" }),
  Handover: fc.record({ _tag: fc.constant("Handover" as const), reason: text, reply: opt(copyKey) }).map(clean),
  Resume: fc.constant({ _tag: "Resume" }),
  ReminderDue: fc.record({
    _tag: fc.constant("ReminderDue" as const),
    reminder: fc.constantFrom("consultation_first", "consultation_final")
  }),
  Abandoned: fc.constant({ _tag: "Abandoned" }),
  Stale: fc.constant({ _tag: "Stale" }),
  BookingPendingOverdue: fc.constant({ _tag: "BookingPendingOverdue" }),
  NewEnquiry: fc.constant({ _tag: "NewEnquiry" })
}

const event: fc.Arbitrary<LeadEvent> = fc.oneof(...(Object.values(EVENTS) as Array<fc.Arbitrary<LeadEvent>>))

const inTable = (from: LeadStatus, tag: LeadEventTag, to?: LeadStatus): boolean =>
  TRANSITIONS.some((r) => r.from === from && r.event === tag && (to === undefined || r.to === to))

const positiveWholePence = (n: number | null | undefined): boolean =>
  typeof n === "number" && Number.isSafeInteger(n) && n > 0

// The documented guards (README, "Guards"), restated from the spec rather than imported from the code.
const guardRefuses = (l: Lead, e: LeadEvent): boolean => {
  switch (e._tag) {
    case "Approve":
      return l.status === "NEEDS_FOLLOW_UP" && l.depositPaid
    case "DepositRequested":
      return !positiveWholePence(e.amountPence ?? l.depositAmountPence)
    case "DepositRefunded":
      return !l.depositPaid
    case "MarkBooked":
    case "CalendarBookingDetected":
      return (l.status === "NEEDS_FOLLOW_UP" || l.status === "NEEDS_ARTIST_REPLY") && !l.depositPaid
    default:
      return false
  }
}

const PAYMENT_EVENTS: ReadonlyArray<LeadEventTag> = [
  "DepositLinkSent",
  "DepositPaid",
  "DepositFailed",
  "DepositExpired",
  "DepositRefunded"
]

describe("transition over arbitrary (status, event) pairs", () => {
  it("never throws and is Right exactly when the table allows the pair and no guard refuses", () => {
    fc.assert(
      fc.property(lead, event, (l, e) => {
        const result = transition(l, e)
        const allowed = inTable(l.status, e._tag) && !guardRefuses(l, e)
        expect(Either.isRight(result)).toBe(allowed)
      }),
      RUNS
    )
  })

  it("only makes moves listed in TRANSITIONS and reports them faithfully", () => {
    fc.assert(
      fc.property(lead, event, (l, e) => {
        const result = transition(l, e)
        if (Either.isLeft(result)) return
        const { from, to, lead: next } = result.right
        expect(from).toBe(l.status)
        expect(next.status).toBe(to)
        expect(next.id).toBe(l.id)
        expect(inTable(from, e._tag, to)).toBe(true)
      }),
      RUNS
    )
  })

  it("refuses with InvalidTransition whose message is `Cannot <action> lead in status <status>`", () => {
    fc.assert(
      fc.property(lead, event, (l, e) => {
        const result = transition(l, e)
        if (Either.isRight(result)) return
        const error = result.left
        expect(error._tag).toBe("InvalidTransition")
        expect(error.status).toBe(l.status)
        expect(error.action).toBe(EVENT_ACTIONS[e._tag])
        expect(error.message).toBe(`Cannot ${EVENT_ACTIONS[e._tag]} lead in status ${l.status}`)
      }),
      RUNS
    )
  })

  it("keeps terminal leads terminal", () => {
    const terminalLead = lead.chain((l) =>
      fc.constantFrom("BOOKED", "REJECTED", "REFUNDED", "CANCELLED").map((s): Lead => ({ ...l, status: s }))
    )
    fc.assert(
      fc.property(terminalLead, event, (l, e) => {
        const result = transition(l, e)
        if (Either.isRight(result)) expect(isTerminal(result.right.to)).toBe(true)
      }),
      RUNS
    )
  })

  it("mirrors every status change to the sheet, and only status changes", () => {
    fc.assert(
      fc.property(lead, event, (l, e) => {
        const result = transition(l, e)
        if (Either.isLeft(result)) return
        const { from, to, commands } = result.right
        const sheet = commandsOf(commands, "UpsertSheetRow")
        expect(sheet).toEqual(from === to ? [] : [{ _tag: "UpsertSheetRow", leadId: l.id, status: to }])
      }),
      RUNS
    )
  })

  it("addresses every command to the lead it was computed for", () => {
    fc.assert(
      fc.property(lead, event, (l, e) => {
        const result = transition(l, e)
        if (Either.isRight(result)) for (const c of result.right.commands) expect(c.leadId).toBe(l.id)
      }),
      RUNS
    )
  })

  it("writes nothing to an opted-out client except the opt-out confirmation and what follows START", () => {
    fc.assert(
      fc.property(lead, event, (l, e) => {
        const result = transition(l, e)
        if (Either.isLeft(result)) return
        const sends = commandsOf(result.right.commands, "SendCopy")
        if (l.status === "OPTOUT" && e._tag !== "OptIn") expect(sends).toEqual([])
        if (result.right.to === "OPTOUT" && l.status !== "OPTOUT") {
          expect(sends.map((s) => [s.key, s.allowWhileOptedOut])).toEqual([["opt_out_confirmation", true]])
        }
        for (const s of sends) if (s.key !== "opt_out_confirmation") expect(s.allowWhileOptedOut).toBeUndefined()
      }),
      RUNS
    )
  })

  it("remembers a return point only while paused", () => {
    fc.assert(
      fc.property(lead, event, (l, e) => {
        const result = transition(l, e)
        if (Either.isLeft(result)) return
        const { to, lead: next } = result.right
        if (to !== "NEEDS_ARTIST_REPLY" && to !== "OPTOUT") expect(next.resumeStatus).toBeNull()
      }),
      RUNS
    )
  })

  it("never stores the transient DEPOSIT_PAID and never moves a paid or booked lead back on a payment event", () => {
    fc.assert(
      fc.property(lead, event, (l, e) => {
        const result = transition(l, e)
        if (Either.isLeft(result)) return
        const { from, to } = result.right
        if (from !== "DEPOSIT_PAID") expect(to).not.toBe("DEPOSIT_PAID")
        if ((from === "BOOKING_PENDING" || from === "BOOKED") && PAYMENT_EVENTS.includes(e._tag)) {
          expect([from, "REFUNDED"]).toContain(to)
        }
      }),
      RUNS
    )
  })

  it("never drops a payment: it is applied, recorded as a duplicate, or flagged for the artist", () => {
    const payment = EVENTS.DepositPaid
    fc.assert(
      fc.property(lead, payment, (l, e) => {
        const result = transition(l, e)
        expect(Either.isRight(result)).toBe(true)
        if (Either.isLeft(result)) return
        const { commands, lead: next } = result.right
        const types = commandsOf(commands, "RecordEvent").map((c) => c.type)
        const applied = !l.depositPaid && next.depositPaid
        const flagged = commandsOf(commands, "FlagForArtist").length === 1
        const duplicate = types.includes("payment.duplicate")
        expect([applied, flagged, duplicate].filter(Boolean)).toHaveLength(1)
        if (applied) {
          expect(e.amountPence).toBe(l.depositAmountPence)
          expect(e.currency.toLowerCase()).toBe("gbp")
        }
      }),
      RUNS
    )
  })

  it("starts the consultation whenever a lead enters QUALIFYING from elsewhere", () => {
    fc.assert(
      fc.property(lead, event, (l, e) => {
        const result = transition(l, e)
        if (Either.isLeft(result)) return
        const { from, to, commands } = result.right
        if (to === "QUALIFYING" && from !== "QUALIFYING") {
          expect(commandsOf(commands, "ResumeConsultation")).toHaveLength(1)
        }
      }),
      RUNS
    )
  })

  it("returns schema-valid leads and commands for schema-valid input", () => {
    const isLead = Schema.is(Lead)
    const isEvent = Schema.is(LeadEvent)
    const isCommand = Schema.is(Command)
    fc.assert(
      fc.property(lead, event, (l, e) => {
        fc.pre(isLead(l) && isEvent(e))
        const result = transition(l, e)
        if (Either.isLeft(result)) return
        expect(isLead(result.right.lead)).toBe(true)
        for (const c of result.right.commands) expect(isCommand(c)).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })
})
