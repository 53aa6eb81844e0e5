import { SqlClient } from "@effect/sql"
import { isBookable, suggestSlots } from "@tattoo-bot/calendar-rules"
import { GoogleCalendar } from "@tattoo-bot/google-calendar"
import { LeadSheet, type LeadRow } from "@tattoo-bot/google-sheets"
import type { LeadEvent } from "@tattoo-bot/lead-machine"
import { depositIdempotencyKey, StripeDeposits } from "@tattoo-bot/stripe"
import { Context, DateTime, Effect, Either, Layer, Option } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { recordSystemEvent } from "../events/SystemEvents.js"
import { ActionTokens } from "../leads/ActionTokens.js"
import { HostSettings } from "../leads/HostSettings.js"
import { applyEvent } from "../leads/LeadEngine.js"
import { findLead, type LeadRecord, updateLead } from "../leads/LeadStore.js"
import type { OutboxRow } from "../outbox/Outbox.js"
import { type HandlerOutcome, OutboxHandlers } from "../outbox/OutboxWorker.js"

/** The optional integrations, present only when configured and enabled. */
export class Integrations extends Context.Tag("@tattoo-bot/host/Integrations")<
  Integrations,
  {
    readonly calendar: Option.Option<GoogleCalendar["Type"]>
    readonly sheets: Option.Option<LeadSheet["Type"]>
    readonly stripe: Option.Option<StripeDeposits["Type"]>
  }
>() {}

const done: HandlerOutcome = { _tag: "Done" }
const retry = (error: string, retryable = true): HandlerOutcome => ({ _tag: "Retry", error: error.slice(0, 500), retryable })

const iso = (d: Date | null) => (d === null ? null : new Date(d))

type Q = {
  sizeCategory?: string
  estimatedDays?: number | null
  depositAmountPence?: number
  region?: string
  regionMinimumPence?: number
  budgetPence?: number | null
  belowMinimum?: boolean
  city?: string | null
  country?: string | null
  requestedCity?: string | null
  complexity?: number | null
  coverUp?: boolean
  instagramHandle?: string | null
  widthCm?: number | null
  heightCm?: number | null
  tour?: { _tag?: string; stop?: { city?: string } }
}

/** The sheet row of a lead: every column the lead has a value for. */
export const sheetRowOf = (lead: LeadRecord, extra: { readonly answers: Record<string, string>; readonly mediaCount: number }): LeadRow => {
  const q = (lead.qualification ?? {}) as Q
  return {
    lead_id: lead.id,
    whatsapp_number: lead.waFrom,
    client_name: lead.clientName,
    instagram_handle: q.instagramHandle ?? null,
    idea_summary: extra.answers.idea ?? null,
    placement: extra.answers.placement ?? null,
    dimensions: extra.answers.dimensions ?? null,
    style: extra.answers.style ?? null,
    complexity_level: q.complexity ?? null,
    coverup_flag: q.coverUp ?? null,
    reference_media_count: extra.mediaCount,
    city: q.city ?? null,
    country: q.country ?? null,
    region_bucket: q.region ?? null,
    requested_city: q.requestedCity ?? null,
    offered_tour_city: q.tour?._tag === "Offer" ? (q.tour.stop?.city ?? null) : null,
    waitlisted: lead.status === "WAITLISTED",
    budget_amount: q.budgetPence ?? null,
    region_min_budget: q.regionMinimumPence ?? null,
    below_min_budget: q.belowMinimum ?? null,
    estimated_category: q.sizeCategory ?? null,
    estimated_deposit_amount: lead.depositAmountPence,
    estimated_days: q.estimatedDays === null || q.estimatedDays === undefined ? null : Math.ceil(q.estimatedDays),
    stripe_checkout_url: lead.stripeCheckoutUrl,
    stripe_session_id: lead.stripeCheckoutSessionId,
    deposit_paid: lead.depositPaid,
    deposit_paid_at: iso(lead.depositPaidAt),
    deposit_sent_at: iso(lead.depositSentAt),
    booking_status: lead.status === "BOOKED" ? "BOOKED" : lead.status === "BOOKING_PENDING" || lead.status === "DEPOSIT_PAID" ? "BOOKING_PENDING" : null,
    calendar_event_id: lead.calendarEventId,
    calendar_start: iso(lead.chosenSlotStart),
    calendar_end: iso(lead.chosenSlotEnd),
    status: lead.status,
    created_at: iso(lead.createdAt),
    last_client_message_at: iso(lead.lastClientMessageAt),
    approved_at: iso(lead.approvedAt),
    rejected_at: iso(lead.rejectedAt),
    booked_at: iso(lead.bookedAt),
    handover_reason: lead.handoverReason,
    admin_notes: lead.adminNotes
  }
}

const apply = (leadId: number, event: LeadEvent, actor: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => applyEvent(leadId, event, actor).pipe(sql.withTransaction, Effect.either))

/** The bookable suggestions for a lead from the calendar's busy times and the rules. */
const findSlots = (lead: LeadRecord, calendar: GoogleCalendar["Type"]) =>
  Effect.gen(function* () {
    const settings = yield* HostSettings
    const rules = settings.calendarRules
    const now = new Date()
    const timeMax = new Date(now.getTime() + (rules.lookahead_days + 2) * 86_400_000)
    const busy = yield* calendar.busyTimes({ timeMin: now, timeMax })
    const allDay = yield* calendar.allDayEventDates({ timeMin: now, timeMax, timeZone: rules.timezone })
    const sql = yield* SqlClient.SqlClient
    // Holds of other leads are busy too, so two clients are never offered the same hold.
    const holds = yield* sql<{ startsAt: Date; endsAt: Date }>`
      SELECT starts_at, ends_at FROM slot_holds WHERE state <> 'RELEASED' AND lead_id <> ${lead.id} AND ends_at > now()`
    const query = {
      busy: [
        ...busy.map((b) => ({ start: DateTime.formatIso(b.start), end: DateTime.formatIso(b.end) })),
        ...holds.map((h) => ({ start: new Date(h.startsAt).toISOString(), end: new Date(h.endsAt).toISOString() }))
      ],
      allDayDates: allDay,
      category: ((lead.qualification ?? {}) as Q).sizeCategory ?? null,
      now: now.toISOString()
    }
    return { slots: suggestSlots(rules, query), query, rules }
  })

/** The title of a lead's calendar event; `[LEAD-<id>]` lets the adapter match it back to the lead. */
const holdSummary = (lead: LeadRecord) => `Tattoo: ${lead.clientName ?? "client"} (lead #${lead.id}) [LEAD-${lead.id}]`

const slotOf = (slot: { start: string; end: string }) => ({ start: DateTime.unsafeMake(slot.start), end: DateTime.unsafeMake(slot.end) })

/** Executes sheets, calendar and stripe outbox rows with the configured integrations. */
export const IntegrationHandlersLive = Layer.effect(
  OutboxHandlers,
  Effect.gen(function* () {
    const integrations = yield* Integrations
    const config = yield* AppConfig
    const context = yield* Effect.context<AppConfig | HostSettings | ActionTokens>()
    const handle = (row: OutboxRow): Effect.Effect<HandlerOutcome, never, SqlClient.SqlClient> =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const found = row.leadId === null ? Option.none() : yield* findLead(row.leadId)
        if (Option.isNone(found)) return done
        const lead = found.value
        const payload = row.payload as Record<string, unknown>
        switch (`${row.channel}:${row.kind}`) {
          case "sheets:upsert_lead": {
            if (Option.isNone(integrations.sheets)) return { _tag: "Done", note: "sheets disabled" } as HandlerOutcome
            // Rows are upserted from the lead as it is now; a newer pending row for the lead makes this one redundant.
            const newer = yield* sql<{ n: number }>`
              SELECT count(*)::int AS n FROM outbox WHERE channel = 'sheets' AND lead_id = ${lead.id} AND id > ${row.id} AND status IN ('PENDING', 'SENDING')`
            if ((newer[0]?.n ?? 0) > 0) return { _tag: "Done", note: "superseded" } as HandlerOutcome
            const answers = yield* sql<{ questionKey: string; answerText: string }>`
              SELECT question_key, answer_text FROM lead_answers WHERE lead_id = ${lead.id} ORDER BY id`
            const media = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM attachments WHERE lead_id = ${lead.id}`
            const latest: Record<string, string> = {}
            for (const a of answers) latest[a.questionKey] = a.answerText
            const result = yield* integrations.sheets.value.upsertLead(sheetRowOf(lead, { answers: latest, mediaCount: media[0]?.n ?? 0 })).pipe(Effect.either)
            if (Either.isLeft(result)) return retry(`sheets upsert failed: ${result.left.message}`, result.left._tag !== "GoogleSheetsRequestRejected")
            yield* Effect.logInfo("sheets row upserted").pipe(Effect.annotateLogs({ leadId: lead.id, action: result.right.action }))
            return done
          }
          case "calendar:find_slots": {
            if (Option.isNone(integrations.calendar)) return { _tag: "Done", note: "calendar disabled" } as HandlerOutcome
            if (lead.status !== "AWAITING_DEPOSIT") return { _tag: "Done", note: `lead now ${lead.status}` } as HandlerOutcome
            const found = yield* findSlots(lead, integrations.calendar.value).pipe(Effect.either)
            // While busy times are unknown no slot is offered: retry later rather than guess.
            if (Either.isLeft(found)) return retry(`calendar busy times unavailable: ${found.left.message}`)
            const slots = found.right.slots
            const event: LeadEvent =
              slots.length > 0
                ? { _tag: "SlotsOffered", slots: slots.map(slotOf) as never }
                : { _tag: "NoSlotsAvailable" }
            const applied = yield* apply(lead.id, event, "calendar")
            if (Either.isLeft(applied)) return { _tag: "Done", note: `not applied: ${applied.left._tag}` } as HandlerOutcome
            yield* Effect.logInfo("calendar slots found").pipe(Effect.annotateLogs({ leadId: lead.id, count: slots.length }))
            return done
          }
          case "calendar:create_hold": {
            if (Option.isNone(integrations.calendar)) return done
            const start = String(payload.start)
            const end = String(payload.end)
            // Refunded, cancelled or moved since: an event made now would be an orphan.
            if (!lead.depositPaid || lead.chosenSlotStart === null || new Date(lead.chosenSlotStart).getTime() !== new Date(start).getTime()) {
              return { _tag: "Done", note: "slot no longer held" } as HandlerOutcome
            }
            const summary = holdSummary(lead)
            const result = yield* integrations.calendar.value
              .createHoldEvent({ leadId: lead.id, summary, description: lead.summaryText ?? "", start: new Date(start), end: new Date(end) })
              .pipe(Effect.either)
            if (Either.isLeft(result)) return retry(`calendar hold event failed: ${result.left.message}`, result.left._tag === "GoogleCalendarUnavailable")
            yield* updateLead(lead.id, { calendarEventId: result.right.eventId })
            return done
          }
          case "calendar:confirm_event": {
            if (Option.isNone(integrations.calendar)) return done
            // The hold event may not exist yet (its create_hold row can run alongside this one):
            // creating it is idempotent (a deterministic id), so make sure of it, then confirm it.
            let eventId = lead.calendarEventId
            if (eventId === null) {
              const start = String(payload.start)
              const end = String(payload.end)
              const created = yield* integrations.calendar.value
                .createHoldEvent({ leadId: lead.id, summary: holdSummary(lead), description: lead.summaryText ?? "", start: new Date(start), end: new Date(end) })
                .pipe(Effect.either)
              if (Either.isLeft(created)) return retry(`calendar hold event failed: ${created.left.message}`, created.left._tag === "GoogleCalendarUnavailable")
              eventId = created.right.eventId
              yield* updateLead(lead.id, { calendarEventId: eventId })
            }
            const result = yield* integrations.calendar.value.confirmEvent(eventId).pipe(Effect.either)
            if (Either.isLeft(result)) return retry(`calendar confirm failed: ${result.left.message}`, result.left._tag === "GoogleCalendarUnavailable")
            yield* Effect.logInfo("calendar event confirmed").pipe(Effect.annotateLogs({ leadId: lead.id, eventId }))
            return done
          }
          case "calendar:delete_event": {
            if (Option.isNone(integrations.calendar) || lead.calendarEventId === null) return done
            const result = yield* integrations.calendar.value.deleteEvent(lead.calendarEventId).pipe(Effect.either)
            if (Either.isLeft(result)) return retry(`calendar delete failed: ${result.left.message}`, result.left._tag === "GoogleCalendarUnavailable")
            yield* updateLead(lead.id, { calendarEventId: null })
            return done
          }
          case "stripe:create_checkout":
            return yield* createCheckout(lead, row, payload)
          case "stripe:expire_checkout": {
            if (Option.isNone(integrations.stripe)) return done
            const result = yield* integrations.stripe.value.expireCheckout(String(payload.checkoutSessionId)).pipe(Effect.either)
            return Either.isLeft(result) ? retry(`stripe expire failed: ${result.left.message}`, "retryable" in result.left ? Boolean(result.left.retryable) : true) : done
          }
          default:
            return retry(`unknown outbox command ${row.channel}:${row.kind}`, false)
        }
      }).pipe(
        Effect.provide(context),
        Effect.catchAllCause((cause) => Effect.as(Effect.logError(`${row.channel} command failed`, cause), retry("internal error")))
      )

    /** Re-checks the held slot against the calendar, then creates the Checkout Session and records the link. */
    const createCheckout = (lead: LeadRecord, row: OutboxRow, payload: Record<string, unknown>) =>
      Effect.gen(function* () {
        if (Option.isNone(integrations.stripe)) {
          yield* recordSystemEvent({ level: "ERROR", type: "stripe.not_configured", leadId: lead.id, payload: {} })
          return retry("stripe not configured (STRIPE_SECRET_KEY)", false)
        }
        if (lead.status !== "AWAITING_DEPOSIT" || lead.depositPaid) return { _tag: "Done", note: `lead now ${lead.status}` } as HandlerOutcome
        const slot = payload.slot as { start: string; end: string } | null
        if (slot !== null && (lead.chosenSlotStart === null || new Date(lead.chosenSlotStart).toISOString() !== new Date(slot.start).toISOString())) {
          return { _tag: "Done", note: "hold changed" } as HandlerOutcome
        }
        if (slot !== null && Option.isSome(integrations.calendar)) {
          const check = yield* findSlots(lead, integrations.calendar.value).pipe(Effect.either)
          if (Either.isLeft(check)) return retry(`calendar re-check unavailable: ${check.left.message}`)
          const { query, rules } = check.right
          const free = isBookable(rules, slot, query)
          if (!free) {
            yield* apply(lead.id, { _tag: "SlotUnavailable", slot: slotOf(slot) }, "calendar")
            return { _tag: "Done", note: "slot taken meanwhile" } as HandlerOutcome
          }
        }
        const sql = yield* SqlClient.SqlClient
        const attempt = yield* sql<{ n: number }>`
          SELECT count(*)::int AS n FROM outbox WHERE lead_id = ${lead.id} AND channel = 'stripe' AND kind = 'create_checkout' AND id <= ${row.id}`
        const expiresAt = new Date(Date.now() + 60 * 60 * 1000)
        const stripeBase = Option.getOrElse(config.actionTokenBaseUrl, () => `http://localhost:${config.port}`)
        const session = yield* integrations.stripe.value
          .createDepositCheckout({
            leadId: lead.id,
            amountPence: Number(payload.amountPence),
            currency: "gbp",
            description: `Tattoo deposit (lead #${lead.id})`,
            slot,
            expiresAt,
            successUrl: Option.getOrElse(config.stripe.successUrl, () => `${stripeBase}/payment/success`),
            cancelUrl: Option.getOrElse(config.stripe.cancelUrl, () => `${stripeBase}/payment/cancel`),
            idempotencyKey: depositIdempotencyKey(lead.id, attempt[0]?.n ?? 1)
          })
          .pipe(Effect.either)
        if (Either.isLeft(session)) {
          const e = session.left
          return retry(`stripe checkout failed: ${e.message}`, "retryable" in e ? Boolean(e.retryable) : e._tag === "StripeConnectionFailed")
        }
        const s = session.right
        yield* updateLead(lead.id, { stripeCheckoutUrl: s.url, depositSentAt: new Date(), depositCheckoutExpiresAt: s.expiresAt })
        yield* sql`UPDATE slot_holds SET expires_at = ${s.expiresAt} WHERE lead_id = ${lead.id} AND state = 'HELD'`
        const applied = yield* apply(
          lead.id,
          { _tag: "DepositLinkSent", checkoutSessionId: s.sessionId, checkoutUrl: s.url, amountPence: s.amountTotal, expiresAt: DateTime.unsafeMake(s.expiresAt) },
          "stripe"
        )
        if (Either.isLeft(applied)) return { _tag: "Done", note: `link not recorded: ${applied.left._tag}` } as HandlerOutcome
        yield* Effect.logInfo("stripe deposit checkout created").pipe(Effect.annotateLogs({ leadId: lead.id, sessionId: s.sessionId }))
        return done
      })
    return { handle }
  })
)
