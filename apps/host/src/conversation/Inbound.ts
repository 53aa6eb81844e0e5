import { SqlClient } from "@effect/sql"
import { formatSlotLong } from "@tattoo-bot/calendar-rules"
import {
  artistSummary,
  classifyKeyword,
  type ConsultationState,
  type CopyKey,
  type InboundMessage,
  renderCopy,
  renderCopyVariant,
  stepConsultation
} from "@tattoo-bot/consultation"
import { chooseLeadForInbound, type LeadEvent, type LeadStatus } from "@tattoo-bot/lead-machine"
import { parseSlotReply } from "@tattoo-bot/slot-parser"
import { messageText, type WebhookMessage, type WebhookMessageEvent } from "@tattoo-bot/whatsapp"
import { DateTime, Effect, Option } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { recordSystemEvent } from "../events/SystemEvents.js"
import { PanicSwitch } from "../flags/PanicSwitch.js"
import { HostSettings } from "../leads/HostSettings.js"
import { applyEvent, type EngineEnv, queueArtistText, queueClientMessage, slotListMessage } from "../leads/LeadEngine.js"
import { takeBatch } from "../db/GroupCommit.js"
import { flushWrites, insertRow, withWriteBuffer } from "../db/WriteBuffer.js"
import {
  createLeads,
  findLead,
  insertAnswer,
  insertAttachment,
  insertMessage,
  type LeadRecord,
  leadsBySender,
  lockLeadsForNumbers,
  rememberLocked,
  sendersLeadsQuery,
  updateLead
} from "../leads/LeadStore.js"
import { releaseHeldForLeads } from "../outbox/Outbox.js"
import { handleArtistMessage } from "./ArtistCommands.js"

/** What happened to one inbound message. */
export type InboundOutcome =
  | { readonly _tag: "Processed"; readonly leadId: number; readonly status: string }
  | { readonly _tag: "Duplicate"; readonly messageId: string }
  | { readonly _tag: "OutOfOrder"; readonly leadId: number }
  | { readonly _tag: "Artist"; readonly command: string }

/** Converts a WhatsApp message into what the consultation reads. */
export const toInbound = (message: WebhookMessage): InboundMessage => {
  switch (message.type) {
    case "text":
      return { _tag: "Text", text: message.text.body }
    case "image":
      return { _tag: "Media", mediaKind: "image", ...(message.image.caption ? { caption: message.image.caption } : {}) }
    case "document":
      return { _tag: "Media", mediaKind: "document", ...(message.document.caption ? { caption: message.document.caption } : {}) }
    case "audio":
      return { _tag: "Media", mediaKind: "audio" }
    case "video":
      return { _tag: "Media", mediaKind: "video", ...(message.video.caption ? { caption: message.video.caption } : {}) }
    case "sticker":
      return { _tag: "Media", mediaKind: "sticker" }
    case "interactive":
      return message.interactive.type === "list_reply"
        ? { _tag: "Interactive", id: message.interactive.list_reply.id, title: message.interactive.list_reply.title }
        : { _tag: "Interactive", id: message.interactive.button_reply.id, title: message.interactive.button_reply.title }
    case "button":
      return { _tag: "Text", text: message.button.text }
    case "reaction":
      return { _tag: "Reaction", emoji: message.reaction.emoji ?? "" }
    default:
      return { _tag: "Unsupported" }
  }
}

const mediaOf = (message: WebhookMessage) => {
  if (message.type === "image") return { kind: "image", ...message.image, filename: null as string | null }
  if (message.type === "document") return { kind: "document", ...message.document, filename: message.document.filename ?? null }
  return undefined
}

const HANDOVER_REPLY: Record<string, CopyKey> = {
  human: "handover_client_question" as CopyKey,
  refund: "refund_ack" as CopyKey,
  data_deletion: "delete_data_ack" as CopyKey,
  price_negotiation: "handover_generic" as CopyKey,
  cover_up: "handover_coverup" as CopyKey
}

const HANDOVER_REASON: Record<string, string> = {
  human: "Client asked for a person",
  refund: "Client asked about a refund",
  data_deletion: "Client asked for their data to be deleted",
  price_negotiation: "Client wants to discuss the price",
  cover_up: "Client mentioned a cover-up or rework"
}

/** Statuses where the bot answers handover keywords itself (QUALIFYING asks the consultation). */
const HANDOVER_STATUSES = new Set<string>([
  "PENDING_APPROVAL",
  "AWAITING_DEPOSIT",
  "BOOKING_PENDING",
  "COLLECTING_TIME_WINDOWS",
  "TOUR_CONVERSION_OFFERED",
  "NEEDS_FOLLOW_UP"
])

const DORMANT = new Set<string>(["ABANDONED", "STALE", "WAITLISTED", "DEPOSIT_EXPIRED"])

/** A courtesy reply at most every six hours, so a chatty client is not flooded with the same line. */
const COURTESY_INTERVAL_MS = 6 * 60 * 60 * 1000

const copyText = (key: string, vars: Record<string, string>, leadId: number) =>
  Effect.map(HostSettings, (s) => renderCopy(s.consultation, key as CopyKey, vars, leadId))

const sendCopy = (lead: LeadRecord, key: string, vars: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const text = yield* copyText(key, vars, lead.id)
    if (text.trim() !== "") yield* queueClientMessage(lead, { _tag: "Text", body: text }, { kind: `copy.${key}` })
  })

/** Where the lead's status ends up after this message (set by `apply`). */
interface After {
  status: string
}

const apply = (leadId: number, event: LeadEvent, after: After) =>
  applyEvent(leadId, event, "client").pipe(
    Effect.tap((applied) => {
      after.status = applied.lead.status
    }),
    Effect.asVoid,
    Effect.catchAll((error) =>
      // A move the machine refuses here is a client message that changes nothing; it is logged, not an error.
      Effect.logInfo("inbound message did not change the lead status").pipe(
        Effect.annotateLogs({ leadId, event: event._tag, reason: error._tag === "InvalidTransition" ? error.message : error._tag })
      )
    )
  )

/**
 * Processes one inbound message exactly once, inside one transaction with all its effects: the
 * message id is claimed first (a concurrent or repeated delivery finds it taken), the sender's
 * lead is locked, the message stored, and the conversation advanced. Any failure rolls all of
 * it back, so Meta's retry processes it again.
 */
export const processInboundMessage = (event: WebhookMessageEvent) =>
  Effect.gen(function* () {
    if (yield* isFromArtist(event)) {
      if (!(yield* claimMessage(event))) return yield* duplicate(event)
      const command = yield* handleArtistMessage(event)
      return { _tag: "Artist", command } as InboundOutcome
    }
    const [outcome] = yield* withWriteBuffer(processClientMessages([event]))
    return outcome!
  })

/** The artist's own number: its messages are commands, never a client's conversation. */
export const isFromArtist = (event: WebhookMessageEvent) =>
  Effect.map(AppConfig, (config) => Option.isSome(config.artistWhatsAppNumber) && event.from === config.artistWhatsAppNumber.value)

const duplicate = (event: WebhookMessageEvent) =>
  Effect.as(
    Effect.logInfo("duplicate whatsapp message ignored (idempotent)").pipe(Effect.annotateLogs({ messageId: event.id })),
    { _tag: "Duplicate", messageId: event.id } as InboundOutcome
  )

/** Claims message ids (a statement, or a CTE): returns the ids that were not processed before. */
const claimInsert = (sql: SqlClient.SqlClient, events: ReadonlyArray<WebhookMessageEvent>) => sql`
  INSERT INTO processed_messages (message_id, event_type)
  SELECT * FROM unnest(${events.map((e) => e.id)}::text[], ${events.map((e) => `message.${e.message.type}`)}::text[])
  ON CONFLICT (message_id) DO NOTHING RETURNING message_id`

/** Claims the message id (false: already processed). */
const claimMessage = (event: WebhookMessageEvent) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const claimed = yield* sql<{ messageId: string }>`${claimInsert(sql, [event])}`
    return claimed.length > 0
  })

/**
 * Claims the message ids and locks the senders' leads (each sender's newest 20; senders in a fixed
 * order), in one statement. A concurrent copy of a message waits on the claim and then finds it taken;
 * two messages from one sender wait on each other's lead rows, and the second then reads the rows as
 * the first left them.
 */
const claimAndLockSenders = (events: ReadonlyArray<WebhookMessageEvent>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // The claimed ids ride on one row only (on every row they would be sent and parsed once per lead).
    const rows = yield* sql<LeadRecord & { readonly claimedIds: ReadonlyArray<string> | null }>`
      WITH claim AS (${claimInsert(sql, events)})
      SELECT CASE WHEN row_number() OVER () = 1 THEN (SELECT coalesce(array_agg(message_id), '{}') FROM claim) END AS claimed_ids, l.*
      FROM (SELECT 1) one LEFT JOIN LATERAL (${sendersLeadsQuery(sql, events.map((e) => e.from))}) l ON true
      ORDER BY l.wa_from, l.id DESC`
    const claimed = new Set(rows.find((r) => r.claimedIds !== null)?.claimedIds ?? [])
    const leads = rows.flatMap(({ claimedIds: _, ...lead }) => (lead.id === null ? [] : [lead as LeadRecord]))
    return { claimed, leads: leadsBySender(yield* rememberLocked(leads)) }
  })

/** The sender's lead this message continues, when there is one to reuse (else a new enquiry starts). */
const reusableLead = (leads: ReadonlyArray<LeadRecord> | undefined): LeadRecord | undefined => {
  if (leads === undefined || leads.length === 0) return undefined
  const choice = chooseLeadForInbound(leads.map((l) => ({ id: l.id, status: l.status as LeadStatus })))
  return choice._tag === "Reuse" ? leads.find((l) => l.id === choice.id) : undefined
}

/** An older message arriving after a newer one from the same client: stored, but it does not rewind the conversation. */
const isOutOfOrder = (lead: LeadRecord, event: WebhookMessageEvent) =>
  lead.lastClientWaTimestamp !== null && event.timestamp < lead.lastClientWaTimestamp

/**
 * The leads new enquiries go to. The senders with no lead to reuse take their advisory locks (in one
 * fixed order) and have their leads read again (a new statement, so it sees a lead another transaction
 * created meanwhile); the senders still without one get new leads, in one statement. Two first
 * messages from a new number never create two leads.
 */
const leadsForNewEnquiries = (events: ReadonlyArray<WebhookMessageEvent>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const senders = [...new Set(events.map((e) => e.from))]
    yield* sql`SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(s) AS h FROM unnest(${senders}::text[]) s ORDER BY 1) locks`
    const again = yield* lockLeadsForNumbers(senders)
    const leads = new Map<string, LeadRecord>()
    const creating: Array<WebhookMessageEvent> = []
    for (const event of events) {
      if (leads.has(event.from) || creating.some((e) => e.from === event.from)) continue
      const reused = reusableLead(again.get(event.from))
      if (reused !== undefined) leads.set(event.from, reused)
      else creating.push(event)
    }
    if (creating.length > 0) {
      const created = yield* createLeads(creating.map((e) => ({ waFrom: e.from, clientName: e.contactName ?? null })))
      for (const [i, event] of creating.entries()) leads.set(event.from, created[i]!)
    }
    return leads
  })

/** The claimed rows learn their leads (and which came out of order). */
const recordClaimLeads = (sql: SqlClient.SqlClient, entries: ReadonlyArray<{ readonly messageId: string; readonly leadId: number; readonly outOfOrder: boolean }>) =>
  sql`UPDATE processed_messages p SET lead_id = d.lead_id, outcome = coalesce(d.outcome, p.outcome)
      FROM unnest(${entries.map((e) => e.messageId)}::text[], ${entries.map((e) => e.leadId)}::int[],
        ${entries.map((e) => (e.outOfOrder ? "out_of_order" : null))}::text[]) d(message_id, lead_id, outcome)
      WHERE p.message_id = d.message_id`

/**
 * Client messages, each processed exactly once, in order, inside the caller's transaction (and write
 * buffer). One statement claims them all and locks their senders' leads; new enquiries get their leads
 * together; one statement records each claim's lead and releases the messages held for those leads'
 * closed windows; then each message advances its own conversation. The caller runs this for one
 * message, or for several that arrived together (group commit); either way a failure rolls back the
 * whole transaction.
 *
 * The group commit never puts two messages of one client in a call. When a caller does, they are
 * processed one after the other in the order given: each round takes at most one message per client,
 * and the writes of one round are sent before the next reads the leads.
 */
export const processClientMessages = (events: ReadonlyArray<WebhookMessageEvent>): Effect.Effect<ReadonlyArray<InboundOutcome>, unknown, EngineEnv | PanicSwitch> =>
  Effect.gen(function* () {
    if (new Set(events.map((e) => e.from)).size === events.length) return yield* processDistinctSenders(events)
    const outcomes = new Map<WebhookMessageEvent, InboundOutcome>()
    let rest = events
    while (rest.length > 0) {
      const round = takeBatch(rest, (e) => e.from, new Set(), rest.length)
      if (outcomes.size > 0) yield* flushWrites
      const results = yield* processDistinctSenders(round.batch)
      for (const [i, event] of round.batch.entries()) outcomes.set(event, results[i]!)
      rest = round.rest
    }
    return events.map((event) => outcomes.get(event)!)
  })

const processDistinctSenders = (events: ReadonlyArray<WebhookMessageEvent>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const { claimed, leads } = yield* claimAndLockSenders(events)
    const leadOf = new Map<string, LeadRecord>()
    const fresh: Array<WebhookMessageEvent> = []
    for (const event of events) {
      if (!claimed.has(event.id)) continue
      const reused = reusableLead(leads.get(event.from))
      if (reused !== undefined) leadOf.set(event.from, reused)
      else fresh.push(event)
    }
    if (fresh.length > 0) for (const [from, lead] of yield* leadsForNewEnquiries(fresh)) leadOf.set(from, lead)
    const known = events.flatMap((event) => {
      const lead = claimed.has(event.id) ? leadOf.get(event.from) : undefined
      return lead === undefined ? [] : [{ event, lead, outOfOrder: isOutOfOrder(lead, event) }]
    })
    if (known.length > 0) {
      const marked = recordClaimLeads(sql, known.map((k) => ({ messageId: k.event.id, leadId: k.lead.id, outOfOrder: k.outOfOrder })))
      // Only an in-order message releases what was held for the closed window (a new lead has nothing held).
      yield* releaseHeldForLeads(known.filter((k) => !k.outOfOrder).map((k) => k.lead.id), marked)
    }
    const outcomes: Array<InboundOutcome> = []
    for (const event of events) {
      const entry = known.find((k) => k.event === event)
      if (entry === undefined) {
        outcomes.push(yield* duplicate(event))
        continue
      }
      // The lead as this transaction has it now (held in memory while locked; see LeadStore).
      const lead = Option.getOrElse(yield* findLead(entry.lead.id), () => entry.lead)
      outcomes.push(yield* converseClaimed(event, lead, entry.outOfOrder))
    }
    return outcomes
  })

/** A claimed client message on its lead (locked): stored, then the conversation advances. Writes are buffered (see WriteBuffer). */
const converseClaimed = (event: WebhookMessageEvent, lead: LeadRecord, outOfOrder: boolean) =>
  Effect.gen(function* () {
    const leadId = lead.id
    const text = messageText(event.message) ?? null
    yield* insertMessage({
      leadId,
      direction: "in",
      waMessageId: event.id,
      kind: event.message.type,
      body: text,
      payload: event.message,
      waTimestamp: event.timestamp
    })
    const media = mediaOf(event.message)
    if (media !== undefined) {
      yield* insertAttachment({
        leadId,
        waMediaId: media.id,
        waMessageId: event.id,
        kind: media.kind,
        mimeType: media.mime_type ?? null,
        filename: media.filename,
        caption: media.caption ?? null,
        sha256: media.sha256 ?? null
      })
    }
    if (outOfOrder) {
      yield* Effect.logInfo("out-of-order whatsapp message stored; conversation not rewound").pipe(
        Effect.annotateLogs({ leadId, messageId: event.id })
      )
      return { _tag: "OutOfOrder", leadId } as InboundOutcome
    }
    // The window is measured from the client's message (never later than now).
    const sentAt = new Date(Math.min(event.timestamp * 1000, Date.now()))
    yield* updateLead(leadId, {
      lastClientMessageAt: sentAt,
      lastClientWaTimestamp: event.timestamp,
      ...(lead.clientName === null && event.contactName ? { clientName: event.contactName } : {})
    })
    const current: LeadRecord = {
      ...lead,
      lastClientMessageAt: sentAt,
      lastClientWaTimestamp: event.timestamp,
      clientName: lead.clientName ?? event.contactName
    }
    // The switch is cached in memory and refreshed every few seconds (and at once when switched here).
    const panic = yield* (yield* PanicSwitch).current
    if (panic) {
      yield* Effect.logWarning("panic mode: inbound message stored, safe reply only").pipe(Effect.annotateLogs({ leadId }))
      // The runbook fixes the safe reply word for word, so panic mode always sends the first variant.
      const safe = renderCopyVariant((yield* HostSettings).consultation, "panic_mode_response" as CopyKey, 0)
      if (safe.trim() !== "") yield* queueClientMessage(current, { _tag: "Text", body: safe }, { kind: "copy.panic_mode_response" })
      yield* queueArtistText(leadId, `💬 Lead #${leadId} needs artist reply (panic mode)${text ? `: "${text.slice(0, 300)}"` : ""}`, "panic_inbound")
      yield* recordSystemEvent({ level: "INFO", type: "panic_mode.inbound", leadId, payload: { messageId: event.id } })
      return { _tag: "Processed", leadId, status: lead.status } as InboundOutcome
    }
    const after: After = { status: lead.status }
    yield* converse(current, event, text, after)
    return { _tag: "Processed", leadId, status: after.status } as InboundOutcome
  })

/** Advances the conversation for one stored message, by the lead's status. */
const converse = (lead: LeadRecord, event: WebhookMessageEvent, text: string | null, after: After): Effect.Effect<void, unknown, EngineEnv | PanicSwitch> =>
  Effect.gen(function* () {
    const settings = yield* HostSettings
    const config = settings.consultation
    const keyword = text === null ? ({ _tag: "None" } as const) : classifyKeyword(text, config)
    const status = lead.status
    if (status === "OPTOUT") {
      if (keyword._tag === "OptIn") yield* apply(lead.id, { _tag: "OptIn" }, after)
      return
    }
    if (keyword._tag === "OptOut") return yield* apply(lead.id, { _tag: "OptOut" }, after)
    if (status === "NEW") return yield* apply(lead.id, { _tag: "ConsultationStarted" }, after)
    if (DORMANT.has(status)) return yield* apply(lead.id, { _tag: "NewEnquiry" }, after)
    if (status === "QUALIFYING") return yield* consult(lead, toInbound(event.message), after)
    if (keyword._tag === "Handover" && HANDOVER_STATUSES.has(status)) {
      return yield* apply(lead.id, { _tag: "Handover", reason: HANDOVER_REASON[keyword.reason] ?? keyword.reason, reply: HANDOVER_REPLY[keyword.reason]! as never }, after)
    }
    const courtesy = (key: string) =>
      lead.lastBotMessageAt !== null && Date.now() - lead.lastBotMessageAt.getTime() < COURTESY_INTERVAL_MS ? Effect.void : sendCopy(lead, key)
    switch (status) {
      case "NEEDS_ARTIST_REPLY":
      case "NEEDS_FOLLOW_UP":
        // The artist has the conversation: pass the message on rather than answering for them.
        return yield* queueArtistText(
          lead.id,
          `💬 Lead #${lead.id}${lead.clientName ? ` (${lead.clientName})` : ""} wrote: ${text ?? `[${event.message.type}]`}`.slice(0, 1000),
          "client_message"
        )
      case "PENDING_APPROVAL":
        return yield* courtesy("pending_approval")
      case "BOOKING_PENDING":
        return yield* courtesy("booking_pending")
      case "TOUR_CONVERSION_OFFERED":
        return yield* tourReply(lead, text, after)
      case "COLLECTING_TIME_WINDOWS":
        return yield* collectTimeWindow(lead, text, after)
      case "AWAITING_DEPOSIT":
        return yield* slotReply(lead, event, text, after)
      default:
        return
    }
  })

/** One consultation step: replies, answers, and the outcome turned into a lead event. */
const consult = (lead: LeadRecord, inbound: InboundMessage, after: After) =>
  Effect.gen(function* () {
    const settings = yield* HostSettings
    const state = lead.consultation as ConsultationState | null
    if (state === null) return yield* apply(lead.id, { _tag: "Resume" }, after)
    const result = stepConsultation(state, inbound, { config: settings.consultation, leadId: lead.id, now: new Date() })
    yield* updateLead(lead.id, { consultation: result.state })
    for (const [key, answer] of Object.entries(result.state.answers)) {
      const previous = (state.answers as Record<string, { raw: string } | undefined>)[key]
      const raw = (answer as { raw: string } | undefined)?.raw
      if (raw !== undefined && previous?.raw !== raw) yield* insertAnswer(lead.id, key, raw)
    }
    const outcome = result.outcome
    if (outcome._tag !== "OptOut") {
      for (const reply of result.replies) yield* queueClientMessage(lead, { _tag: "Text", body: reply }, { kind: "consultation" })
    }
    switch (outcome._tag) {
      case "Continue":
        return
      case "OptOut":
        return yield* apply(lead.id, { _tag: "OptOut" }, after)
      case "Handover":
        return yield* apply(lead.id, { _tag: "Handover", reason: outcome.detail || outcome.reason }, after)
      case "Completed": {
        const summary = artistSummary(result.state.answers, outcome.qualification, settings.consultation, lead.id)
        yield* updateLead(lead.id, {
          qualification: outcome.qualification,
          summaryText: summary,
          handoverReason: outcome.status === "NEEDS_ARTIST_REPLY" ? "Cover-up or rework needs the artist" : null
        })
        return yield* apply(lead.id, {
          _tag: "ConsultationCompleted",
          outcome: outcome.status,
          depositAmountPence: outcome.qualification.depositAmountPence ?? null,
          ...(outcome.status === "NEEDS_FOLLOW_UP" ? { reason: "Budget below the region minimum" } : {}),
          ...(outcome.status === "NEEDS_ARTIST_REPLY" ? { reason: "Cover-up or rework needs the artist" } : {})
        }, after)
      }
    }
  })

const YES = /^\s*(yes|y|yeah|yep|ok|okay|sure|accept|sounds good)\b/i
const NO = /^\s*(no|n|nope|decline|no thanks)\b/i

const tourReply = (lead: LeadRecord, text: string | null, after: After) =>
  Effect.gen(function* () {
    const q = lead.qualification as { tour?: { _tag?: string; stop?: { city?: string } }; requestedCity?: string | null } | null
    const city = q?.tour?.stop?.city ?? q?.requestedCity ?? "the tour city"
    if (text !== null && YES.test(text)) return yield* apply(lead.id, { _tag: "TourOfferAccepted", city }, after)
    if (text !== null && NO.test(text)) return yield* apply(lead.id, { _tag: "TourOfferDeclined", city }, after)
    yield* sendCopy(lead, "tour_prompt", { city })
  })

/** Two preferred windows are enough for the artist to suggest a time. */
const WINDOWS_NEEDED = 2

const collectTimeWindow = (lead: LeadRecord, text: string | null, after: After) =>
  Effect.gen(function* () {
    if (text === null || text.trim().length < 3) return yield* sendCopy(lead, "time_window_request")
    const windows = [...((lead.timeWindows as Array<string> | null) ?? []), text.trim().slice(0, 300)]
    yield* updateLead(lead.id, { timeWindows: windows })
    if (windows.length >= WINDOWS_NEEDED) {
      return yield* apply(lead.id, { _tag: "TimeWindowsCollected", windows: windows as [string, ...Array<string>] }, after)
    }
    yield* sendCopy(lead, "time_window_follow_up_remaining", { remaining: String(WINDOWS_NEEDED - windows.length) })
  })

/** After this many replies the bot cannot place, the artist takes over. */
const MAX_SLOT_FAILURES = 3

type OfferedSlot = { readonly start: string; readonly end: string }

/** A reply to the slot offer: a tapped row or free text through the slot parser. */
const slotReply = (lead: LeadRecord, event: WebhookMessageEvent, text: string | null, after: After) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const settings = yield* HostSettings
    const zone = settings.calendarRules.timezone
    const offered = (lead.offeredSlots as ReadonlyArray<OfferedSlot> | null) ?? []
    if (offered.length === 0) {
      // No offer on the table (calendar off, or the checkout is being prepared).
      return yield* (lead.lastBotMessageAt !== null && Date.now() - lead.lastBotMessageAt.getTime() < COURTESY_INTERVAL_MS
        ? Effect.void
        : sendCopy(lead, "awaiting_deposit"))
    }
    // A reply to the `next_steps_reply_to_continue` template: the held offer (or link) goes out now,
    // so this message answers the template, not the list the client has not seen yet.
    yield* flushWrites
    const released = yield* sql<{ n: number }>`
      SELECT count(*)::int AS n FROM outbox WHERE lead_id = ${lead.id} AND channel = 'whatsapp' AND audience = 'client'
        AND status = 'PENDING' AND payload->>'templateSentAt' IS NOT NULL`
    if ((released[0]?.n ?? 0) > 0) return
    const candidates = (lead.slotClarifyCandidates as ReadonlyArray<number> | null) ?? null
    let chosen: { index: number; matchedBy: string } | undefined
    let outcome: { tag: string; matchedBy: string | null; reason: string | null }
    let ambiguous: ReadonlyArray<number> | undefined
    const interactive = event.message.type === "interactive" && event.message.interactive.type === "list_reply" ? event.message.interactive.list_reply.id : undefined
    const rowIndex = interactive?.startsWith("slot:") ? offered.findIndex((s) => interactive.endsWith(`:${s.start}`)) : -1
    if (rowIndex >= 0) {
      chosen = { index: rowIndex, matchedBy: "list_reply" }
      outcome = { tag: "Matched", matchedBy: "list_reply", reason: null }
    } else {
      const reply = text ?? ""
      const now = new Date().toISOString()
      const subset = candidates === null ? null : candidates.map((i) => offered[i]).filter((s): s is OfferedSlot => s !== undefined)
      let result = parseSlotReply(reply, { slots: subset ?? offered, timeZone: zone, now })
      let map = (i: number) => (subset === null ? i : candidates![i]!)
      if (subset !== null && result._tag === "Rejected") {
        result = parseSlotReply(reply, { slots: offered, timeZone: zone, now })
        map = (i: number) => i
      }
      if (result._tag === "Matched") {
        chosen = { index: map(result.index), matchedBy: result.matchedBy }
        outcome = { tag: "Matched", matchedBy: result.matchedBy, reason: null }
      } else if (result._tag === "Ambiguous") {
        ambiguous = result.candidates.map(map)
        outcome = { tag: "Ambiguous", matchedBy: null, reason: result.reason }
      } else {
        outcome = { tag: "Rejected", matchedBy: null, reason: result.reason }
      }
    }
    yield* insertRow("slot_parses", { lead_id: lead.id, result_tag: outcome.tag, matched_by: outcome.matchedBy, reason: outcome.reason })
    yield* Effect.logInfo("slot reply parsed").pipe(Effect.annotateLogs({ leadId: lead.id, result: outcome.tag, matchedBy: outcome.matchedBy ?? undefined, reason: outcome.reason ?? undefined }))
    if (chosen !== undefined) {
      const slot = offered[chosen.index]!
      yield* updateLead(lead.id, { slotClarifyCandidates: null, slotParseFailures: 0 })
      return yield* apply(lead.id, {
        _tag: "SlotChosen",
        slot: { start: DateTime.unsafeMake(slot.start), end: DateTime.unsafeMake(slot.end) },
        slotNumber: chosen.index + 1
      }, after)
    }
    if (ambiguous !== undefined && ambiguous.length > 0) {
      yield* updateLead(lead.id, { slotClarifyCandidates: ambiguous })
      const options = ambiguous.map((i) => `${i + 1}. ${formatSlotLong(offered[i]!, zone)}`).join("\n")
      return yield* sendCopy(lead, "slot_clarify", { options })
    }
    if (lead.chosenSlotStart !== null) {
      // A slot is held and its deposit link is on its way: a reply that picks no other slot is not a failed pick.
      return yield* (lead.lastBotMessageAt !== null && Date.now() - lead.lastBotMessageAt.getTime() < COURTESY_INTERVAL_MS
        ? Effect.void
        : sendCopy(lead, "awaiting_deposit"))
    }
    const failures = lead.slotParseFailures + 1
    yield* updateLead(lead.id, { slotParseFailures: failures, slotClarifyCandidates: null })
    if (failures >= MAX_SLOT_FAILURES) {
      return yield* apply(lead.id, {
        _tag: "Handover",
        reason: `Unable to parse slot after ${MAX_SLOT_FAILURES} attempts`,
        reply: "handover_bridge" as never
      }, after)
    }
    const intro = yield* copyText("slot_rejected_reoffer", { count: String(offered.length) }, lead.id)
    yield* queueClientMessage(lead, slotListMessage(offered, zone, intro), { kind: "slot_reoffer" })
  }).pipe(Effect.asVoid)
