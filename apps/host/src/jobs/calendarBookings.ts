import { SqlClient } from "@effect/sql"
import type { LeadEvent as CalendarLeadEvent } from "@tattoo-bot/google-calendar"
import type { LeadEvent } from "@tattoo-bot/lead-machine"
import { DateTime, Effect, Either, Option } from "effect"
import { Integrations } from "../integrations/IntegrationHandlers.js"
import { applyEvent } from "../leads/LeadEngine.js"
import { updateLead } from "../leads/LeadStore.js"
import { OutboxSignal } from "../outbox/OutboxSignal.js"

/** What one scan found. */
export interface CalendarBookingsResult {
  /** Paid leads waiting for the booking that were looked at. */
  readonly scanned: number
  /** Leads marked BOOKED because their event is confirmed in the calendar. */
  readonly booked: ReadonlyArray<{ readonly leadId: number; readonly calendarEventId: string; readonly matchedBy: string }>
  /** Why nothing was looked at (calendar disabled, calendar unreachable). */
  readonly skipped?: string
}

interface PaidLead {
  readonly id: number
  readonly chosenSlotStart: Date | null
  readonly chosenSlotEnd: Date | null
  readonly calendarEventId: string | null
}

const millis = (d: Date | null) => (d === null ? null : new Date(d).getTime())

/**
 * The calendar event that shows the artist booked this lead, if any: its own hold event (or an event
 * tagged `[LEAD-<id>]`) now confirmed, or another confirmed event at exactly the held slot.
 */
const bookingEventFor = (lead: PaidLead, events: ReadonlyArray<CalendarLeadEvent>) => {
  const start = millis(lead.chosenSlotStart)
  const end = millis(lead.chosenSlotEnd)
  const confirmed = events.filter((e) => e.status === "confirmed")
  const own = confirmed.find((e) => e.leadId === String(lead.id) || (lead.calendarEventId !== null && e.eventId === lead.calendarEventId))
  if (own !== undefined) return own
  if (start === null || end === null) return undefined
  return confirmed.find(
    (e) => e.leadId === undefined && DateTime.toEpochMillis(e.start) === start && DateTime.toEpochMillis(e.end) === end
  )
}

/**
 * Scans paid leads waiting for the booking (BOOKING_PENDING, DEPOSIT_PAID, and paid leads the artist
 * holds in NEEDS_FOLLOW_UP / NEEDS_ARTIST_REPLY) and marks BOOKED (`CalendarBookingDetected`) each one
 * whose calendar event the artist confirmed by hand. Each lead moves in its own status-locked
 * transaction, so running it twice, or on two instances at once, books a lead once. A calendar that
 * cannot be read skips the run (logged with "calendar"); it never fails for that.
 */
export const detectCalendarBookings = Effect.gen(function* () {
  const integrations = yield* Integrations
  if (Option.isNone(integrations.calendar)) {
    return { scanned: 0, booked: [], skipped: "calendar disabled" } as CalendarBookingsResult
  }
  const calendar = integrations.calendar.value
  const sql = yield* SqlClient.SqlClient
  const leads = yield* sql<PaidLead>`
    SELECT id, chosen_slot_start, chosen_slot_end, calendar_event_id FROM leads
    WHERE (status IN ('BOOKING_PENDING', 'DEPOSIT_PAID') OR (status IN ('NEEDS_FOLLOW_UP', 'NEEDS_ARTIST_REPLY') AND deposit_paid))
      AND (chosen_slot_start IS NOT NULL OR calendar_event_id IS NOT NULL)
    ORDER BY id`
  if (leads.length === 0) return { scanned: 0, booked: [] } as CalendarBookingsResult
  const starts = leads.flatMap((l) => (l.chosenSlotStart === null ? [] : [millis(l.chosenSlotStart)!]))
  const ends = leads.flatMap((l) => (l.chosenSlotEnd === null ? [] : [millis(l.chosenSlotEnd)!]))
  const now = Date.now()
  const day = 86_400_000
  const timeMin = new Date(Math.min(now, ...starts) - day)
  const timeMax = new Date(Math.max(now + day, ...ends) + day)
  const events = yield* calendar.findLeadEvents({ timeMin, timeMax }).pipe(Effect.either)
  if (Either.isLeft(events)) {
    yield* Effect.logWarning("calendar booking detection skipped: calendar unavailable").pipe(
      Effect.annotateLogs({ error: events.left.message })
    )
    return { scanned: leads.length, booked: [], skipped: `calendar unavailable: ${events.left._tag}` } as CalendarBookingsResult
  }
  const booked: Array<CalendarBookingsResult["booked"][number]> = []
  for (const lead of leads) {
    const event = bookingEventFor(lead, events.right)
    if (event === undefined) continue
    const detected: LeadEvent = { _tag: "CalendarBookingDetected", calendarEventId: event.eventId }
    const applied = yield* Effect.gen(function* () {
      const result = yield* applyEvent(lead.id, detected, "calendar")
      if (lead.calendarEventId !== event.eventId) yield* updateLead(lead.id, { calendarEventId: event.eventId })
      return result
    }).pipe(sql.withTransaction, Effect.either)
    if (Either.isLeft(applied)) {
      // The lead moved on meanwhile (booked by the artist, refunded...): nothing to do.
      yield* Effect.logInfo("calendar booking not applied: lead status changed").pipe(
        Effect.annotateLogs({ leadId: lead.id, reason: applied.left._tag })
      )
      continue
    }
    booked.push({ leadId: lead.id, calendarEventId: event.eventId, matchedBy: event.matchedBy })
    yield* Effect.logInfo("calendar booking detected: lead marked BOOKED").pipe(
      Effect.annotateLogs({ leadId: lead.id, eventId: event.eventId, matchedBy: event.matchedBy })
    )
  }
  if (booked.length > 0) {
    const signal = yield* Effect.serviceOption(OutboxSignal)
    if (Option.isSome(signal)) yield* signal.value.notify
  }
  return { scanned: leads.length, booked } as CalendarBookingsResult
})
