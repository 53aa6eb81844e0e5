import { SqlClient } from "@effect/sql"
import { formatSlot, formatSlotLong } from "@tattoo-bot/calendar-rules"
import { type CopyKey, renderCopy, startConsultation } from "@tattoo-bot/consultation"
import {
  type Command,
  type InvalidTransition,
  type Lead,
  type LeadEvent,
  type LeadStatus,
  type Slot,
  transition
} from "@tattoo-bot/lead-machine"
import { DateTime, Effect, Either, Option } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { flushWrites } from "../db/WriteBuffer.js"
import { recordSystemEvent } from "../events/SystemEvents.js"
import { cancelObsoleteHeld, enqueue, type OutboundMessage } from "../outbox/Outbox.js"
import { ActionTokens } from "./ActionTokens.js"
import { HostSettings } from "./HostSettings.js"
import { findLead, insertLeadEvent, type LeadPatch, type LeadRecord, updateLead } from "./LeadStore.js"

/** The lead asked for does not exist. */
export class LeadMissing {
  readonly _tag = "LeadMissing"
  constructor(readonly leadId: number) {}
}

const toSlot = (start: Date | null, end: Date | null): Slot | null =>
  start && end ? { start: DateTime.unsafeMake(start), end: DateTime.unsafeMake(end) } : null

/** The slice of a stored lead the state machine works on. */
export const machineLead = (record: LeadRecord): Lead => ({
  id: record.id,
  status: record.status as LeadStatus,
  resumeStatus: (record.resumeStatus as LeadStatus | null) ?? null,
  depositAmountPence: record.depositAmountPence,
  depositPaid: record.depositPaidAt !== null && record.depositPaid,
  checkoutSessionId: record.stripeCheckoutSessionId,
  heldSlot: toSlot(record.chosenSlotStart, record.chosenSlotEnd)
})

const slotIso = (slot: Slot) => ({ start: DateTime.formatIso(slot.start), end: DateTime.formatIso(slot.end) })

/** Where a client message goes and how it behaves outside the 24-hour window. */
export interface ClientMessageOptions {
  readonly kind: string
  readonly template?: string | undefined
  readonly templateReplaces?: boolean | undefined
  readonly allowWhenOptedOut?: boolean | undefined
}

/** Queues a message to the lead's client (sent by the outbox worker through the window policy). */
export const queueClientMessage = (lead: LeadRecord, message: OutboundMessage, options: ClientMessageOptions) =>
  enqueue([
    {
      leadId: lead.id,
      channel: "whatsapp",
      kind: options.kind,
      recipient: lead.waFrom,
      audience: "client",
      template: options.template ?? null,
      payload: {
        message,
        ...(options.template === undefined ? {} : { template: options.template }),
        ...(options.templateReplaces ? { templateReplaces: true } : {}),
        ...(options.allowWhenOptedOut ? { allowWhenOptedOut: true } : {}),
        ...(lead.clientName ? { clientName: lead.clientName } : {}),
        // What the message was written for: a held one is cancelled once the lead leaves this status.
        leadStatus: lead.status
      }
    }
  ])

/** Queues a text to the artist (when notifications are on and the artist's number is set). */
export const queueArtistText = (leadId: number | null, text: string, kind: string) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    if (!config.features.notifications || Option.isNone(config.artistWhatsAppNumber)) return
    yield* enqueue([
      {
        leadId,
        channel: "whatsapp",
        kind: `artist.${kind}`,
        recipient: config.artistWhatsAppNumber.value,
        audience: "artist",
        payload: { message: { _tag: "Text", body: text.slice(0, 4096) } }
      }
    ])
  })

/** Renders a copy key for a lead with the artist's configured copy. */
export const renderLeadCopy = (key: string, vars: Record<string, string>, leadId: number) =>
  Effect.map(HostSettings, (settings) => renderCopy(settings.consultation, key as CopyKey, vars, leadId))

const ARTIST_HEADLINES: Record<string, string> = {
  lead_ready_for_review: "📋 New enquiry ready for review",
  needs_follow_up: "⚠️ Needs follow-up",
  needs_reply: "💬 Needs your reply",
  time_windows_collected: "🕒 No free slots: the client sent preferred times",
  approval_stale: "⏰ Waiting for your approval for 3 days (now STALE)",
  deposit_paid: "💷 Deposit paid",
  deposit_failed: "❌ Deposit payment failed",
  deposit_expired: "⌛ Deposit link expired unpaid; the slot was released",
  deposit_refunded: "↩️ Deposit refunded",
  booking_cancelled: "🚫 Booking cancelled",
  slot_chosen: "📅 Slot chosen",
  approved_offering_slots: "✅ {lead} approved — offering slots",
  approved_send_deposit: "✅ {lead} approved — send the deposit link",
  flagged: "🚩 Needs your decision",
  no_slots: "📅 No free slots in the calendar"
}

/** Renders and queues one artist notification (summary, reason, action links). */
export const notifyArtist = (
  lead: LeadRecord,
  kind: string,
  extra: { readonly reason?: string | undefined; readonly amountPence?: number | undefined; readonly windows?: ReadonlyArray<string> | undefined } = {}
) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    if (!config.features.notifications || Option.isNone(config.artistWhatsAppNumber)) return
    const tokens = yield* ActionTokens
    const who = `Lead #${lead.id}${lead.clientName ? ` (${lead.clientName})` : ""}`
    const headline = ARTIST_HEADLINES[kind] ?? kind
    // A headline places the lead itself with `{lead}`; otherwise the lead follows it.
    const lines = [headline.includes("{lead}") ? headline.replace("{lead}", who) : `${headline} — ${who}`]
    if (extra.reason) lines.push(`Reason: ${extra.reason}`)
    if (extra.amountPence !== undefined) lines.push(`Amount: £${(extra.amountPence / 100).toFixed(2)}`)
    if (extra.windows && extra.windows.length > 0) lines.push("Preferred times:", ...extra.windows.map((w) => `• ${w}`))
    if (kind === "lead_ready_for_review" && lead.summaryText) lines.push("", lead.summaryText)
    const links = yield* tokens.linksFor(lead, kind)
    if (links.length > 0) lines.push("", ...links.map((l) => `${l.label}: ${l.url}`))
    yield* queueArtistText(lead.id, lines.join("\n"), kind)
  })

/** A page of offered slots as a WhatsApp list (at most 10 rows; titles within 24 characters). */
export const slotListMessage = (slots: ReadonlyArray<{ start: string; end: string }>, timeZone: string, intro: string): OutboundMessage => ({
  _tag: "List",
  body: [intro, ...slots.map((s, i) => `${i + 1}. ${formatSlotLong(s, timeZone)}`), "", "Tap a time below, or reply with the number or the day and time."]
    .join("\n")
    .slice(0, 1024),
  button: "See times",
  sections: [
    {
      title: "Available times",
      rows: slots.slice(0, 10).map((s, i) => ({ id: `slot:${i}:${s.start}`, title: formatSlot(s, timeZone).slice(0, 24) }))
    }
  ]
})

/** What applying one event did. */
export interface Applied {
  readonly from: LeadStatus
  readonly to: LeadStatus
  readonly lead: LeadRecord
}

const leadPatchFrom = (before: Lead, after: Lead): LeadPatch => {
  const patch: Record<string, unknown> = {}
  if (after.status !== before.status) patch.status = after.status
  if (after.resumeStatus !== before.resumeStatus) patch.resumeStatus = after.resumeStatus
  if (after.depositAmountPence !== before.depositAmountPence) patch.depositAmountPence = after.depositAmountPence
  if (after.depositPaid !== before.depositPaid) {
    patch.depositPaid = after.depositPaid
    if (after.depositPaid) patch.depositPaidAt = new Date()
  }
  if (after.checkoutSessionId !== before.checkoutSessionId) patch.stripeCheckoutSessionId = after.checkoutSessionId
  const heldBefore = before.heldSlot === null ? null : slotIso(before.heldSlot)
  const heldAfter = after.heldSlot === null ? null : slotIso(after.heldSlot)
  if (JSON.stringify(heldBefore) !== JSON.stringify(heldAfter)) {
    patch.chosenSlotStart = heldAfter === null ? null : new Date(heldAfter.start)
    patch.chosenSlotEnd = heldAfter === null ? null : new Date(heldAfter.end)
  }
  if (after.status === "AWAITING_DEPOSIT" && before.status !== "AWAITING_DEPOSIT") patch.approvedAt = new Date()
  if (after.status === "REJECTED") patch.rejectedAt = new Date()
  if (after.status === "BOOKED") patch.bookedAt = new Date()
  return patch as LeadPatch
}

/**
 * Applies one event to a lead inside the caller's transaction: the machine decides, the lead row
 * and its history are written, and every command becomes a row (outbox, hold, event) in the same
 * transaction. An invalid move fails with the machine's `InvalidTransition` and writes nothing.
 */
export const applyEvent = (
  leadId: number,
  event: LeadEvent,
  actor: string
): Effect.Effect<Applied, InvalidTransition | LeadMissing, EngineEnv> =>
  Effect.gen(function* () {
    const found = yield* findLead(leadId, { forUpdate: true }).pipe(Effect.orDie)
    if (Option.isNone(found)) return yield* Effect.fail(new LeadMissing(leadId))
    const record = found.value
    const before = machineLead(record)
    const result = transition(before, event)
    if (Either.isLeft(result)) {
      yield* Effect.logWarning("lead status transition refused").pipe(
        Effect.annotateLogs({ leadId, event: event._tag, status: before.status, actor })
      )
      return yield* Effect.fail(result.left)
    }
    const { lead: after, commands } = result.right
    const patch = leadPatchFrom(before, after)
    if (Object.keys(patch).length > 0) yield* updateLead(leadId, patch).pipe(Effect.orDie)
    yield* insertLeadEvent({ leadId, event: event._tag, fromStatus: before.status, toStatus: after.status, actor, detail: eventDetail(event) }).pipe(
      Effect.orDie
    )
    if (after.status !== before.status) {
      yield* Effect.logInfo("lead status transition").pipe(
        Effect.annotateLogs({ leadId, event: event._tag, from: before.status, to: after.status, actor })
      )
      // A deposit link or slot list held for a closed window must not reach the client after the lead moved on.
      yield* cancelObsoleteHeld(leadId, after.status, after.resumeStatus).pipe(Effect.orDie)
    }
    const updated = { ...record, ...patch } as LeadRecord
    for (const command of commands) {
      const outcome = yield* executeCommand(updated, command, actor)
      // A hold lost to another lead was answered with SlotUnavailable (apology, fresh options):
      // the rest of this pick (its confirmation, its checkout) must not run.
      if (outcome === "hold_lost") break
    }
    const final = yield* findLead(leadId).pipe(Effect.orDie, Effect.map(Option.getOrElse(() => updated)))
    return { from: before.status, to: final.status as LeadStatus, lead: final }
  })

const eventDetail = (event: LeadEvent): unknown => {
  const { _tag, ...rest } = event as { _tag: string } & Record<string, unknown>
  return JSON.parse(JSON.stringify(rest, (_k, v) => (DateTime.isDateTime(v) ? DateTime.formatIso(v) : v)))
}

/** What the engine needs from its environment. */
export type EngineEnv = SqlClient.SqlClient | AppConfig | HostSettings | ActionTokens

const levelOf = (level: "info" | "warn" | "error") => (level === "info" ? "INFO" : level === "warn" ? "WARN" : "ERROR") as "INFO" | "WARN" | "ERROR"

/** Carries out one command of the machine, inside the transaction that applied it. */
const executeCommand = (lead: LeadRecord, command: Command, actor: string): Effect.Effect<"hold_lost" | undefined, never, EngineEnv> =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const settings = yield* HostSettings
    const zone = settings.calendarRules.timezone
    switch (command._tag) {
      case "SendCopy": {
        const vars: Record<string, string> = { ...command.vars }
        if (command.slot) vars.slot = formatSlotLong(slotIso(command.slot), zone)
        if (lead.clientName && vars.client_name === undefined) vars.client_name = lead.clientName
        const text = renderCopy(settings.consultation, command.key as CopyKey, vars, lead.id)
        if (text.trim() === "") return
        return yield* queueClientMessage(lead, { _tag: "Text", body: text }, {
          kind: `copy.${command.key}`,
          template: command.template,
          templateReplaces: command.template === "consultation_reminder_2_final" || command.template === "deposit_received_next_steps",
          allowWhenOptedOut: command.allowWhileOptedOut === true
        }).pipe(Effect.orDie)
      }
      case "NotifyArtist":
        return yield* notifyArtist(lead, command.kind, {
          reason: command.reason,
          amountPence: command.amountPence,
          windows: command.windows
        }).pipe(Effect.orDie)
      case "UpsertSheetRow":
        if (!config.sheetsEnabled) return
        return yield* enqueue([{ leadId: lead.id, channel: "sheets", kind: "upsert_lead", payload: { status: command.status } }]).pipe(Effect.orDie)
      case "FindSlots":
        if (config.calendarEnabled) {
          return yield* enqueue([{ leadId: lead.id, channel: "calendar", kind: "find_slots", payload: {} }]).pipe(Effect.orDie)
        }
        // No calendar: the artist sends the deposit link directly (admin send-deposit).
        return yield* queueClientMessage(
          lead,
          { _tag: "Text", body: renderCopy(settings.consultation, "awaiting_deposit" as CopyKey, {}, lead.id) },
          { kind: "copy.awaiting_deposit", template: "next_steps_reply_to_continue" }
        ).pipe(Effect.orDie)
      case "OfferSlots": {
        const slots = command.slots.map(slotIso)
        yield* updateLead(lead.id, { offeredSlots: slots, slotOfferedAt: new Date(), slotClarifyCandidates: null, slotParseFailures: 0 }).pipe(
          Effect.orDie
        )
        const intro = renderCopy(settings.consultation, "slot_suggestions_header" as CopyKey, {}, lead.id)
        return yield* queueClientMessage(lead, slotListMessage(slots, zone, intro), {
          kind: "slot_offer",
          template: command.template
        }).pipe(Effect.orDie)
      }
      case "RequestTimeWindows":
        yield* updateLead(lead.id, { offeredSlots: null, timeWindows: [] }).pipe(Effect.orDie)
        yield* notifyArtist(lead, "no_slots", { reason: "No bookable slot in the calendar; asking the client for preferred times" })
        return yield* queueClientMessage(
          lead,
          { _tag: "Text", body: renderCopy(settings.consultation, "time_window_request" as CopyKey, {}, lead.id) },
          { kind: "copy.time_window_request", template: command.template }
        ).pipe(Effect.orDie)
      case "HoldSlot":
        return yield* holdSlot(lead, command.slot, actor)
      case "ReleaseHold":
        return yield* releaseHolds(lead.id)
      case "CreateCheckout":
        return yield* enqueue([
          {
            leadId: lead.id,
            channel: "stripe",
            kind: "create_checkout",
            payload: { amountPence: command.amountPence, currency: command.currency, slot: command.slot === null ? null : slotIso(command.slot) }
          }
        ]).pipe(Effect.orDie)
      case "ExpireCheckout":
        return yield* enqueue([
          { leadId: lead.id, channel: "stripe", kind: "expire_checkout", payload: { checkoutSessionId: command.checkoutSessionId } }
        ]).pipe(Effect.orDie)
      case "CreateCalendarHold":
        yield* Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql`UPDATE slot_holds SET state = 'BOOKED', expires_at = NULL WHERE lead_id = ${lead.id} AND state = 'HELD'`
        ).pipe(Effect.orDie)
        if (!config.calendarEnabled) return
        return yield* enqueue([{ leadId: lead.id, channel: "calendar", kind: "create_hold", payload: slotIso(command.slot) }]).pipe(Effect.orDie)
      case "ConfirmCalendarEvent":
        if (!config.calendarEnabled) return
        return yield* enqueue([{ leadId: lead.id, channel: "calendar", kind: "confirm_event", payload: slotIso(command.slot) }]).pipe(Effect.orDie)
      case "DeleteCalendarEvent":
        yield* releaseHolds(lead.id)
        if (!config.calendarEnabled) return
        return yield* enqueue([{ leadId: lead.id, channel: "calendar", kind: "delete_event", payload: slotIso(command.slot) }]).pipe(Effect.orDie)
      case "ResumeConsultation":
        return yield* resumeConsultation(lead, command.fromStart)
      case "RecordEvent":
        return yield* recordSystemEvent({ level: levelOf(command.level), type: command.type, leadId: lead.id, payload: { ...command.payload } }).pipe(
          Effect.orDie
        )
      case "FlagForArtist":
        yield* updateLead(lead.id, { flaggedReason: `${command.reason}: ${command.detail}` }).pipe(Effect.orDie)
        yield* recordSystemEvent({ level: "ERROR", type: `lead.flagged.${command.reason}`, leadId: lead.id, payload: { detail: command.detail } }).pipe(
          Effect.orDie
        )
        return yield* notifyArtist(lead, "flagged", { reason: command.detail })
    }
  }).pipe(Effect.orDie, Effect.map((result) => (result === "hold_lost" ? "hold_lost" : undefined)))

const pgCode = (error: unknown): string | undefined => {
  const cause = (error as { cause?: { code?: unknown } }).cause
  return typeof cause?.code === "string" ? cause.code : undefined
}

/** Holds the slot in PostgreSQL; another lead's overlapping hold (exclusion constraint) makes it unavailable. */
const holdSlot = (lead: LeadRecord, slot: Slot, actor: string): Effect.Effect<"held" | "hold_lost", never, EngineEnv> =>
  Effect.gen(function* () {
    yield* Effect.orDie(flushWrites)
    const sql = yield* SqlClient.SqlClient
    const { start, end } = slotIso(slot)
    const insertHold = sql`
      INSERT INTO slot_holds (lead_id, starts_at, ends_at, state, expires_at)
      VALUES (${lead.id}, ${start}, ${end}, 'HELD', now() + interval '24 hours')`.pipe(sql.withTransaction, Effect.either)
    let inserted = yield* insertHold
    // Two transactions inserting overlapping holds at once can each wait for the other's row (the exclusion
    // constraint checks after inserting): PostgreSQL cancels one with a deadlock (40P01). Its savepoint is rolled
    // back; trying again finds the other hold committed (23P01, the slot is taken) or gone (the slot is free).
    for (let attempt = 1; attempt <= 5 && Either.isLeft(inserted) && pgCode(inserted.left) === "40P01"; attempt++) {
      yield* Effect.logInfo("slot hold deadlocked with another pick; trying again").pipe(Effect.annotateLogs({ leadId: lead.id, attempt }))
      inserted = yield* insertHold
    }
    if (Either.isRight(inserted)) {
      yield* Effect.logInfo("slot held").pipe(Effect.annotateLogs({ leadId: lead.id, start, end }))
      return "held" as const
    }
    if (pgCode(inserted.left) !== "23P01") return yield* Effect.die(inserted.left)
    yield* recordSystemEvent({ level: "WARN", type: "slot.hold_conflict", leadId: lead.id, payload: { start, end } }).pipe(Effect.orDie)
    yield* applyEvent(lead.id, { _tag: "SlotUnavailable", slot }, actor).pipe(
      Effect.catchAll((e) => Effect.logWarning("slot unavailable could not be applied").pipe(Effect.annotateLogs({ error: String(e) })))
    )
    return "hold_lost" as const
  })

const releaseHolds = (leadId: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`UPDATE slot_holds SET state = 'RELEASED', released_at = now() WHERE lead_id = ${leadId} AND state <> 'RELEASED'`
  ).pipe(Effect.orDie)

/** Welcome and first question (from the start), or the current question again. */
const resumeConsultation = (lead: LeadRecord, fromStart: boolean) =>
  Effect.gen(function* () {
    const settings = yield* HostSettings
    const config = settings.consultation
    const now = new Date()
    const stored = lead.consultation as { questionIndex?: number; phase?: string } | null
    if (fromStart || stored === null || typeof stored?.questionIndex !== "number") {
      const started = startConsultation(config, { leadId: lead.id, now })
      yield* updateLead(lead.id, { consultation: started.state }).pipe(Effect.orDie)
      for (const reply of started.replies) {
        yield* queueClientMessage(lead, { _tag: "Text", body: reply }, { kind: "consultation.welcome" }).pipe(Effect.orDie)
      }
      return
    }
    const question = config.questions[stored.questionIndex]
    if (question === undefined) return
    const text = renderCopy(config, "ask_question" as CopyKey, { question_text: question.text.replace("{artist_name}", config.artistName) }, lead.id)
    yield* updateLead(lead.id, { consultation: { ...stored, phase: "asking" } }).pipe(Effect.orDie)
    yield* queueClientMessage(lead, { _tag: "Text", body: text }, { kind: "consultation.question" }).pipe(Effect.orDie)
  })
