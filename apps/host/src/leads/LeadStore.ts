import { SqlClient } from "@effect/sql"
import type { Fragment } from "@effect/sql/Statement"
import { Effect, Option } from "effect"
import { flushWrites, insertRow, lockedLeads, patchLead } from "../db/WriteBuffer.js"

/** A `leads` row as the host reads it. */
export interface LeadRecord {
  readonly id: number
  readonly waFrom: string
  readonly clientName: string | null
  readonly status: string
  readonly resumeStatus: string | null
  readonly consultation: unknown
  readonly qualification: unknown
  readonly summaryText: string | null
  readonly handoverReason: string | null
  readonly adminNotes: string | null
  readonly depositAmountPence: number | null
  readonly offeredSlots: unknown
  readonly slotOfferedAt: Date | null
  readonly slotClarifyCandidates: unknown
  readonly slotParseFailures: number
  readonly chosenSlotStart: Date | null
  readonly chosenSlotEnd: Date | null
  readonly timeWindows: unknown
  readonly stripeCheckoutSessionId: string | null
  readonly stripeCheckoutUrl: string | null
  readonly depositCheckoutExpiresAt: Date | null
  readonly depositSentAt: Date | null
  readonly depositPaidAt: Date | null
  readonly depositPaid: boolean
  readonly stripePaymentIntentId: string | null
  readonly calendarEventId: string | null
  readonly flaggedReason: string | null
  readonly lastClientMessageAt: Date | null
  readonly lastClientWaTimestamp: number | null
  readonly lastBotMessageAt: Date | null
  readonly reminder1SentAt: Date | null
  readonly reminder2SentAt: Date | null
  readonly statusChangedAt: Date
  readonly approvedAt: Date | null
  readonly rejectedAt: Date | null
  readonly bookedAt: Date | null
  readonly version: number
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** Every column of `leads`, as `LeadRecord` reads them. */
export const LEAD_COLUMNS = `id, wa_from, client_name, status, resume_status, consultation, qualification, summary_text,
  handover_reason, admin_notes, deposit_amount_pence, offered_slots, slot_offered_at, slot_clarify_candidates,
  slot_parse_failures, chosen_slot_start, chosen_slot_end, time_windows, stripe_checkout_session_id,
  stripe_checkout_url, deposit_checkout_expires_at, deposit_sent_at, deposit_paid_at, deposit_paid, stripe_payment_intent_id,
  calendar_event_id, flagged_reason, last_client_message_at, last_client_wa_timestamp::float8 AS last_client_wa_timestamp,
  last_bot_message_at, reminder_1_sent_at, reminder_2_sent_at, status_changed_at, approved_at, rejected_at, booked_at,
  version, created_at, updated_at`

/**
 * Inside a write buffer, the leads its transaction has locked are kept as they are now (see
 * `WriteBuffer`): `rememberLocked` records rows just read `FOR UPDATE` or created, `updateLead` applies
 * its changes to them, and `findLead` answers from them without a round trip.
 */
export const rememberLocked = (rows: ReadonlyArray<LeadRecord>) =>
  Effect.map(lockedLeads, (locked) => {
    if (locked !== undefined) for (const row of rows) locked.set(row.id, row)
    return rows
  })

/** One lead, or none. `forUpdate` locks the row for the rest of the transaction. */
export const findLead = (id: number, options?: { readonly forUpdate?: boolean }) =>
  Effect.gen(function* () {
    const held = (yield* lockedLeads)?.get(id) as LeadRecord | undefined
    if (held !== undefined) return Option.some(held)
    yield* flushWrites
    const sql = yield* SqlClient.SqlClient
    if (options?.forUpdate) {
      const rows = yield* sql<LeadRecord>`SELECT ${sql.literal(LEAD_COLUMNS)} FROM leads WHERE id = ${id} FOR UPDATE`
      return Option.fromNullable((yield* rememberLocked(rows))[0])
    }
    const rows = yield* sql<LeadRecord>`SELECT ${sql.literal(LEAD_COLUMNS)} FROM leads WHERE id = ${id}`
    return Option.fromNullable(rows[0])
  })

/**
 * The newest 20 leads of each sender (sorted by sender, each sender's newest first), locked `FOR
 * UPDATE`: a query to use as a subquery (the senders are locked one after another, in a fixed order).
 */
export const sendersLeadsQuery = (sql: SqlClient.SqlClient, senders: ReadonlyArray<string>) => sql`
  SELECT x.* FROM unnest(${[...new Set(senders)].sort()}::text[]) WITH ORDINALITY s(sender, n)
  CROSS JOIN LATERAL (
    SELECT ${sql.literal(LEAD_COLUMNS)} FROM leads WHERE wa_from = s.sender ORDER BY id DESC LIMIT 20 FOR UPDATE
  ) x
  ORDER BY s.n, x.id DESC`

/** Groups lead rows by sender, keeping their order. */
export const leadsBySender = (rows: ReadonlyArray<LeadRecord>) => {
  const leads = new Map<string, Array<LeadRecord>>()
  for (const row of rows) {
    const list = leads.get(row.waFrom)
    if (list === undefined) leads.set(row.waFrom, [row])
    else list.push(row)
  }
  return leads as ReadonlyMap<string, ReadonlyArray<LeadRecord>>
}

/** Each sender's leads, newest first, whole and locked for the rest of the transaction (one statement). */
export const lockLeadsForNumbers = (senders: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    yield* flushWrites
    const sql = yield* SqlClient.SqlClient
    return leadsBySender(yield* rememberLocked(yield* sql<LeadRecord>`${sendersLeadsQuery(sql, senders)}`))
  })

/** Creates leads in status NEW, in one statement, and returns them whole and in order (locked: the transaction created them). */
export const createLeads = (leads: ReadonlyArray<{ readonly waFrom: string; readonly clientName: string | null }>) =>
  Effect.gen(function* () {
    yield* flushWrites
    const sql = yield* SqlClient.SqlClient
    // Identity values follow the order of the VALUES list, so the rows come back in the order asked for.
    const rows = yield* sql<LeadRecord>`
      INSERT INTO leads ${sql.insert(leads.map((l) => ({ waFrom: l.waFrom, clientName: l.clientName, status: "NEW" })))}
      RETURNING ${sql.literal(LEAD_COLUMNS)}`
    return yield* rememberLocked([...rows].sort((a, b) => a.id - b.id))
  })

/** Column values a change may set (camelCase keys of `leads`). */
export type LeadPatch = Partial<Omit<LeadRecord, "id" | "createdAt" | "updatedAt" | "version" | "waFrom">>

const JSON_COLUMNS = new Set(["consultation", "qualification", "offeredSlots", "slotClarifyCandidates", "timeWindows"])

/**
 * Writes `patch` to the lead; with `expectedStatus` it is a compare-and-set on the status and
 * returns false (writing nothing) when another change got there first.
 */
export const updateLead = (id: number, patch: LeadPatch, expectedStatus?: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const values: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue
      values[key] = JSON_COLUMNS.has(key) && value !== null ? JSON.stringify(value) : value
    }
    if (patch.status !== undefined && patch.statusChangedAt === undefined) values.statusChangedAt = new Date()
    values.updatedAt = new Date()
    const locked = yield* lockedLeads
    if (expectedStatus === undefined) {
      // Inside a write buffer the change is merged into the lead's one UPDATE (see WriteBuffer), and the
      // locked lead kept in memory changes with it, as the database will return it.
      const held = locked?.get(id) as LeadRecord | undefined
      if (held !== undefined) {
        const stored: Record<string, unknown> = {}
        for (const [key, value] of Object.entries(values)) {
          stored[key] = JSON_COLUMNS.has(key) && typeof value === "string" ? JSON.parse(value) : value
        }
        const changed = yield* patchLead(id, values)
        locked!.set(id, { ...held, ...stored, version: held.version + (changed === "new" ? 1 : 0) })
        return true
      }
      yield* patchLead(id, values)
      return true
    }
    // A compare-and-set goes to the database at once; the lead is read from there again afterwards.
    locked?.delete(id)
    yield* flushWrites
    const rows = yield* sql<{ id: number }>`UPDATE leads SET ${sql.update(values)}, version = version + 1
          WHERE id = ${id} AND status = ${expectedStatus} RETURNING id`
    return rows.length > 0
  })

/** Appends a status change to the lead's history. */
export const insertLeadEvent = (event: {
  readonly leadId: number
  readonly event: string
  readonly fromStatus: string
  readonly toStatus: string
  readonly actor: string
  readonly detail?: unknown
}) =>
  insertRow("lead_events", {
    lead_id: event.leadId,
    event: event.event,
    from_status: event.fromStatus,
    to_status: event.toStatus,
    actor: event.actor,
    detail: event.detail === undefined ? null : JSON.stringify(event.detail)
  })

/** Stores one message of the conversation (either direction). */
export const insertMessage = (message: {
  readonly leadId: number
  readonly direction: "in" | "out"
  readonly waMessageId: string | null
  readonly kind: string
  readonly body: string | null
  readonly payload?: unknown
  readonly waTimestamp?: number | null
  readonly outboxId?: number | null
}) =>
  insertRow("messages", {
    lead_id: message.leadId,
    direction: message.direction,
    wa_message_id: message.waMessageId,
    kind: message.kind,
    body: message.body,
    payload: message.payload === undefined ? null : JSON.stringify(message.payload),
    wa_timestamp: message.waTimestamp ?? null,
    outbox_id: message.outboxId ?? null
  })

/** Stores a reference image or document received from the client. */
export const insertAttachment = (attachment: {
  readonly leadId: number
  readonly waMediaId: string
  readonly waMessageId: string
  readonly kind: string
  readonly mimeType: string | null
  readonly filename: string | null
  readonly caption: string | null
  readonly sha256: string | null
}) =>
  insertRow("attachments", {
    lead_id: attachment.leadId,
    wa_media_id: attachment.waMediaId,
    wa_message_id: attachment.waMessageId,
    kind: attachment.kind,
    mime_type: attachment.mimeType,
    filename: attachment.filename,
    caption: attachment.caption,
    sha256: attachment.sha256
  })

/** Stores a consultation answer ("latest wins" when read back). */
export const insertAnswer = (leadId: number, questionKey: string, answerText: string) =>
  insertRow("lead_answers", { lead_id: leadId, question_key: questionKey, answer_text: answerText })

/** The columns the admin list shows: a lean read, without the lead's JSON documents. */
export interface LeadSummaryRecord {
  readonly id: number
  readonly waFrom: string
  readonly clientName: string | null
  readonly status: string
  readonly createdAt: Date
  readonly updatedAt: Date
  readonly lastClientMessageAt: Date | null
}

/** Up to this many matching leads the list's `total` is an exact count; above it, PostgreSQL's estimate. */
export const EXACT_TOTAL_LIMIT = 10_000

/** What an admin search looks for: the text in names, a number (3+ digits) in `wa_from`, a lead id. */
export const leadSearchTerms = (search: string) => {
  // "42" or "#42" is a lead id; a search made of phone characters matches numbers; any text matches names.
  const idMatch = /^#?\d{1,9}$/.test(search) ? Number(search.replace("#", "")) : null
  const phoneDigits = /^[\d\s+()-]+$/.test(search) ? search.replace(/\D/g, "") : ""
  return {
    nameLike: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    numberLike: phoneDigits.length >= 3 ? `%${phoneDigits}%` : null,
    id: idMatch
  }
}

/**
 * A page of leads for the admin list, newest first: `offset` rows skipped after the optional keyset cut
 * (`beforeId`: only ids below it). `total` counts every match (the cut aside), exactly up to
 * `EXACT_TOTAL_LIMIT`; `nextBeforeId` is the cut for the next page, null on the last one.
 */
export const listLeads = (options: {
  readonly status?: string | undefined
  readonly search?: string | undefined
  readonly beforeId?: number | undefined
  readonly limit: number
  readonly offset: number
}) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const search = options.search?.trim() ? options.search.trim() : null
    // Only the conditions that apply are sent, so the planner sees plain predicates it can match to indexes.
    const filters: Array<Fragment> = []
    if (options.status !== undefined) filters.push(sql`status = ${options.status}`)
    if (search !== null) {
      const terms = leadSearchTerms(search)
      const any = [sql`client_name ILIKE ${terms.nameLike}`]
      if (terms.numberLike !== null) any.push(sql`wa_from LIKE ${terms.numberLike}`)
      if (terms.id !== null) any.push(sql`id = ${terms.id}`)
      filters.push(sql.or(any))
    }
    const where = sql.and(filters)
    const page = options.beforeId === undefined ? where : sql.and([...filters, sql`id < ${options.beforeId}`])
    // One row more than the page says whether there is a next one.
    const fetched = yield* sql<LeadSummaryRecord>`
      SELECT id, wa_from, client_name, status, created_at, updated_at, last_client_message_at
      FROM leads WHERE ${page} ORDER BY id DESC LIMIT ${options.limit + 1} OFFSET ${options.offset}`
    const hasMore = fetched.length > options.limit
    const rows = hasMore ? fetched.slice(0, options.limit) : fetched
    const nextBeforeId = hasMore ? rows[rows.length - 1]!.id : null
    // A first stretch that ends on this page already is the whole match: no count needed.
    if (options.beforeId === undefined && !hasMore && (rows.length > 0 || options.offset === 0)) {
      return { rows, total: options.offset + rows.length, totalExact: true, nextBeforeId }
    }
    const counted = yield* sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (SELECT 1 FROM leads WHERE ${where} LIMIT ${EXACT_TOTAL_LIMIT + 1}) AS capped`
    const n = counted[0]?.n ?? 0
    if (n <= EXACT_TOTAL_LIMIT) return { rows, total: n, totalExact: true, nextBeforeId }
    // Beyond the cap an exact count would read every match; the planner's estimate is nearly free.
    const plan = yield* sql<Record<string, unknown>>`EXPLAIN (FORMAT JSON) SELECT 1 FROM leads WHERE ${where}`
    return { rows, total: Math.max(EXACT_TOTAL_LIMIT + 1, estimatedRows(plan[0])), totalExact: false, nextBeforeId }
  })

/** The planner's row estimate from an `EXPLAIN (FORMAT JSON)` row (0 when it cannot be read). */
const estimatedRows = (row: Record<string, unknown> | undefined): number => {
  const raw = row === undefined ? undefined : Object.values(row)[0]
  const doc = typeof raw === "string" ? (JSON.parse(raw) as unknown) : raw
  const rows = Array.isArray(doc) ? (doc[0] as { Plan?: { "Plan Rows"?: unknown } } | undefined)?.Plan?.["Plan Rows"] : undefined
  return typeof rows === "number" && Number.isFinite(rows) ? Math.round(rows) : 0
}
