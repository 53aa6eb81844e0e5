import { SqlClient } from "@effect/sql"
import type { Fragment } from "@effect/sql/Statement"
import { Effect, Schema } from "effect"
import { flushWrites, insertRow, mergeWrite } from "../db/WriteBuffer.js"

/** A WhatsApp message as the outbox stores it (rendered, ready to send). */
export const OutboundMessage = Schema.Union(
  Schema.TaggedStruct("Text", { body: Schema.String }),
  Schema.TaggedStruct("List", {
    header: Schema.optional(Schema.String),
    body: Schema.String,
    footer: Schema.optional(Schema.String),
    button: Schema.String,
    sections: Schema.Array(
      Schema.Struct({
        title: Schema.optional(Schema.String),
        rows: Schema.Array(Schema.Struct({ id: Schema.String, title: Schema.String, description: Schema.optional(Schema.String) }))
      })
    )
  }),
  Schema.TaggedStruct("Buttons", {
    body: Schema.String,
    buttons: Schema.Array(Schema.Struct({ id: Schema.String, title: Schema.String }))
  })
)
export type OutboundMessage = typeof OutboundMessage.Type

/** Payload of a `whatsapp` outbox row. */
export const WhatsAppPayload = Schema.Struct({
  message: OutboundMessage,
  /** Template to use outside the 24-hour window. */
  template: Schema.optional(Schema.String),
  /** True when the template says all the message says (then it is not sent again later). */
  templateReplaces: Schema.optional(Schema.Boolean),
  /** Template sent already for this row; the message itself waits for the client's reply. */
  templateSentAt: Schema.optional(Schema.String),
  clientName: Schema.optional(Schema.String),
  /** The opt-out confirmation is the one message an opted-out client still gets. */
  allowWhenOptedOut: Schema.optional(Schema.Boolean),
  /** The lead's status when the message was queued (client messages); see `STATUS_BOUND_KINDS`. */
  leadStatus: Schema.optional(Schema.String)
})
export type WhatsAppPayload = typeof WhatsAppPayload.Type

export type Channel = "whatsapp" | "sheets" | "calendar" | "stripe"

export interface OutboxInsert {
  readonly leadId: number | null
  readonly channel: Channel
  readonly kind: string
  readonly recipient?: string | null
  readonly audience?: "client" | "artist" | null
  readonly payload: unknown
  readonly template?: string | null
  readonly dedupeKey?: string | null
}

/** Writes outbox rows in the caller's transaction; a row with a known dedupe key is skipped. */
export const enqueue = (rows: ReadonlyArray<OutboxInsert>) =>
  Effect.forEach(
    rows,
    (row) =>
      insertRow(
        "outbox",
        {
          lead_id: row.leadId,
          channel: row.channel,
          kind: row.kind,
          recipient: row.recipient ?? null,
          audience: row.audience ?? null,
          payload: JSON.stringify(row.payload),
          template: row.template ?? null,
          dedupe_key: row.dedupeKey ?? null
        },
        { onConflict: "dedupe" }
      ),
    { discard: true }
  )

export interface OutboxRow {
  readonly id: number
  readonly leadId: number | null
  readonly channel: Channel
  readonly kind: string
  readonly recipient: string | null
  readonly audience: "client" | "artist" | null
  readonly payload: unknown
  readonly template: string | null
  readonly status: string
  readonly attempts: number
  readonly lastError: string | null
  readonly nextAttemptAt: Date
  readonly waMessageId: string | null
  readonly deliveryStatus: string | null
  readonly sentAs: string | null
  readonly createdAt: Date
  readonly sentAt: Date | null
  /** The lead's status when the row was claimed (null without a lead): the opt-out check. */
  readonly leadStatus?: string | null
  /** The client's last message when the row was claimed: the 24-hour window. */
  readonly leadLastClientMessageAt?: Date | null
}

/** WhatsApp messages, or the integrations (sheets, calendar, stripe): drained separately so a slow Google never holds up a reply. */
export type OutboxLane = "whatsapp" | "integrations"

/**
 * Claims up to `limit` due rows (of one lane, or all) for sending (crash-safe: a claim expires after two minutes).
 * A WhatsApp row waits while an earlier row to the same recipient is unsent, so a conversation
 * is delivered in order. `SKIP LOCKED` lets several instances drain one table.
 */
export const claimDue = (limit: number, lane?: OutboxLane) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const whatsappLane = lane === undefined ? null : lane === "whatsapp"
    // The lead's status and window come back with the claim, so sending a row needs no further read.
    return yield* sql<OutboxRow>`
      WITH claimed AS (
      UPDATE outbox SET status = 'SENDING', locked_until = now() + interval '2 minutes', attempts = attempts + 1
      WHERE id IN (
        SELECT o.id FROM outbox o
        WHERE ((o.status = 'PENDING' AND o.next_attempt_at <= now()) OR (o.status = 'SENDING' AND o.locked_until < now()))
          AND (${whatsappLane}::boolean IS NULL OR (o.channel = 'whatsapp') = ${whatsappLane}::boolean)
          AND NOT (o.channel = 'whatsapp' AND EXISTS (
            SELECT 1 FROM outbox e
            WHERE e.channel = 'whatsapp' AND e.recipient = o.recipient AND e.id < o.id
              AND e.status IN ('PENDING', 'SENDING')
              -- The artist's notifications keep their order per lead, not across leads, so a burst of
              -- payments does not queue every notice behind one another.
              AND (o.audience IS DISTINCT FROM 'artist' OR e.lead_id IS NOT DISTINCT FROM o.lead_id)
          ))
        ORDER BY o.id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING *)
      SELECT c.*, l.status AS lead_status, l.last_client_message_at AS lead_last_client_message_at
      FROM claimed c LEFT JOIN leads l ON l.id = c.lead_id
      ORDER BY c.id`
  })

/** Backoff before attempt n+1: 2, 4, 8... seconds, capped at ten minutes. */
export const retryDelaySeconds = (attempts: number) => Math.min(600, 2 ** Math.max(1, attempts))

/** The most attempts a row gets before it is marked FAILED. */
export const MAX_ATTEMPTS = 8

/** What a row became after its send: SENT, or HELD (its template went out; the message waits for the reply). */
export type SendRecord =
  | { readonly _tag: "Sent"; readonly waMessageId: string | null; readonly sentAs: string }
  | { readonly _tag: "Held"; readonly payload: unknown; readonly note: string }

/** What the client was sent, for the lead's conversation. */
export interface ConversationEntry {
  readonly leadId: number
  readonly waMessageId: string
  readonly kind: string
  readonly body: string
}

const rowUpdate = (sql: SqlClient.SqlClient, id: number, record: SendRecord) =>
  record._tag === "Sent"
    ? sql`UPDATE outbox SET status = 'SENT', sent_at = now(), locked_until = NULL, last_error = NULL,
        wa_message_id = ${record.waMessageId}, sent_as = ${record.sentAs} WHERE id = ${id}`
    : sql`UPDATE outbox SET status = 'HELD', locked_until = NULL, last_error = ${record.note},
        payload = ${JSON.stringify(record.payload)}::jsonb WHERE id = ${id}`

/**
 * Records a completed send in one statement (one round trip, atomic): the row's new state and,
 * for a message to the client, the message in the lead's conversation and the lead's
 * `last_bot_message_at`.
 */
export const recordSend = (id: number, record: SendRecord, entry?: ConversationEntry) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    entry === undefined
      ? rowUpdate(sql, id, record)
      : sql`WITH conversation AS (
              INSERT INTO messages (lead_id, direction, wa_message_id, kind, body, outbox_id)
              VALUES (${entry.leadId}, 'out', ${entry.waMessageId}, ${entry.kind}, ${entry.body}, ${id})
            ), lead AS (
              UPDATE leads SET last_bot_message_at = now() WHERE id = ${entry.leadId}
            )
            ${rowUpdate(sql, id, record)}`
  )

/** A free-form send to record (see `recordSentBatch`). */
export interface SentRecord {
  readonly id: number
  readonly waMessageId: string | null
  readonly sentAs: string
  readonly entry?: ConversationEntry | undefined
}

/**
 * Records many completed sends in one statement: the rows SENT, the client messages in their leads'
 * conversations (in send order), and each lead's `last_bot_message_at` (leads locked in id order, so
 * two workers recording at once cannot deadlock).
 */
export const recordSentBatch = (records: ReadonlyArray<SentRecord>) =>
  Effect.gen(function* () {
    if (records.length === 0) return
    const sql = yield* SqlClient.SqlClient
    const entries = records.flatMap((r) => (r.entry === undefined ? [] : [{ ...r.entry, outboxId: r.id }]))
    const leadIds = [...new Set(entries.map((e) => e.leadId))].sort((a, b) => a - b)
    const sent = JSON.stringify(records.map((r) => ({ id: r.id, wa_message_id: r.waMessageId, sent_as: r.sentAs })))
    const conversation =
      entries.length === 0
        ? sql``
        : sql`conversation AS (
            INSERT INTO messages ${sql.insert(
              entries.map((e) => ({ lead_id: e.leadId, direction: "out", wa_message_id: e.waMessageId, kind: e.kind, body: e.body, outbox_id: e.outboxId }))
            )}
          ), lead_locks AS (
            SELECT id FROM leads WHERE id IN ${sql.in(leadIds)} ORDER BY id FOR UPDATE
          ), lead_times AS (
            UPDATE leads SET last_bot_message_at = now() WHERE id IN (SELECT id FROM lead_locks)
          ),`
    yield* sql`
      WITH ${conversation} sent AS (
        UPDATE outbox o SET status = 'SENT', sent_at = now(), locked_until = NULL, last_error = NULL,
          wa_message_id = r.wa_message_id, sent_as = r.sent_as
        FROM jsonb_to_recordset(${sent}::jsonb) AS r(id int, wa_message_id text, sent_as text)
        WHERE o.id = r.id
      )
      SELECT 1`
  })

export const markSent = (id: number, result: { readonly waMessageId: string | null; readonly sentAs: string }) =>
  recordSend(id, { _tag: "Sent", ...result })

export const markHeld = (id: number, payload: unknown, note: string) => recordSend(id, { _tag: "Held", payload, note })

export const markCancelled = (id: number, note: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`UPDATE outbox SET status = 'CANCELLED', locked_until = NULL, last_error = ${note} WHERE id = ${id}`
  )

/** Puts a row back for a later attempt, or marks it FAILED when it has used every attempt. */
export const markRetry = (row: OutboxRow, error: string, retryable: boolean) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => {
    const failed = !retryable || row.attempts >= MAX_ATTEMPTS
    return sql`UPDATE outbox SET
        status = ${failed ? "FAILED" : "PENDING"},
        locked_until = NULL,
        last_error = ${error.slice(0, 1000)},
        next_attempt_at = now() + make_interval(secs => ${retryDelaySeconds(row.attempts)})
      WHERE id = ${row.id}`.pipe(Effect.as(failed))
  })

/**
 * Client messages that only make sense in the lead status they were queued in (recorded as
 * `leadStatus` in the payload): slot lists, the deposit link, the questions of the slot and
 * time-window steps. Held for a closed window, such a message is obsolete once the lead has left
 * that status (paid, rejected, moved on): it is cancelled rather than released when the client next
 * writes. A pause for the artist that resumes into that status (`resume_status`) keeps it. Other
 * messages (the payment confirmation, the rejection, consultation replies) are never cancelled so.
 */
export const STATUS_BOUND_KINDS: ReadonlyArray<string> = [
  "slot_offer",
  "slot_reoffer",
  "copy.deposit_link",
  "copy.awaiting_deposit",
  "copy.confirmation_slot",
  "copy.slot_clarify",
  "copy.slot_taken_apology",
  "copy.time_window_request",
  "copy.time_window_follow_up",
  "copy.time_window_follow_up_remaining"
]

/**
 * The lead's held client messages made for a status it has left: each status the lead passed through
 * (with its resume status) that is neither the message's status nor its resume status cancels it.
 * Reads no lead row: the statuses are given.
 */
const obsoleteHeldUpdate = (
  sql: SqlClient.SqlClient,
  leadIds: ReadonlyArray<number>,
  passed: ReadonlyArray<readonly [status: string, resumeStatus: string | null]> | "current"
) => {
  const leadStatus = sql`(o.payload->>'leadStatus')`
  const common = sql`o.lead_id = ANY(${leadIds}::int[])
        AND o.status = 'HELD' AND o.channel = 'whatsapp' AND o.audience = 'client'
        AND o.kind IN ${sql.in(STATUS_BOUND_KINDS)}
        AND ${leadStatus} IS NOT NULL`
  if (passed === "current") {
    return sql`
      UPDATE outbox o SET status = 'CANCELLED', locked_until = NULL,
        last_error = 'obsolete: queued while the lead was ' || ${leadStatus} || ', the lead is now ' || l.status
      FROM leads l
      WHERE ${common} AND l.id = o.lead_id
        AND ${leadStatus} <> l.status AND ${leadStatus} IS DISTINCT FROM l.resume_status
      RETURNING o.id, o.kind, o.lead_id`
  }
  return sql`
      UPDATE outbox o SET status = 'CANCELLED', locked_until = NULL,
        last_error = 'obsolete: queued while the lead was ' || ${leadStatus} || ', the lead is now ' || ${passed[passed.length - 1]![0]}
      WHERE ${common}
        AND EXISTS (
          SELECT 1 FROM unnest(${passed.map((p) => p[0])}::text[], ${passed.map((p) => p[1])}::text[]) c(status, resume_status)
          WHERE ${leadStatus} <> c.status AND ${leadStatus} IS DISTINCT FROM c.resume_status
        )
      RETURNING o.id, o.kind, o.lead_id`
}

type Cancelled = { readonly id: number; readonly kind: string; readonly lead_id: number }

const logCancelled = (cancelled: ReadonlyArray<Cancelled>) =>
  Effect.forEach(
    new Set(cancelled.map((r) => r.lead_id)),
    (leadId) => {
      const rows = cancelled.filter((r) => r.lead_id === leadId)
      return Effect.logInfo("held whatsapp messages cancelled: the lead left the status they were made for").pipe(
        Effect.annotateLogs({ leadId, outboxIds: rows.map((r) => r.id), kinds: rows.map((r) => r.kind) })
      )
    },
    { discard: true }
  )

/**
 * The lead moved to `status` (with `resumeStatus`): its held client messages made for another status
 * are cancelled (see `STATUS_BOUND_KINDS`). A buffered write: several moves of one lead in a
 * transaction merge into one statement that cancels what any of them would have.
 */
export const cancelObsoleteHeld = (leadId: number, status: string, resumeStatus: string | null) =>
  mergeWrite<ReadonlyArray<readonly [string, string | null]>>(
    `outbox.obsolete-held:${leadId}`,
    (passed) => [...(passed ?? []), [status, resumeStatus] as const],
    (sql, passed) => obsoleteHeldUpdate(sql, [leadId], passed),
    (rows) => logCancelled(rows as ReadonlyArray<Cancelled>)
  )

/**
 * The clients wrote again: messages held for their leads' closed windows go out now, except obsolete ones
 * (cancelled). One statement for any number of leads; `alongside` is an unrelated write sent with it (it
 * must touch no outbox row of these leads).
 */
export const releaseHeldForLeads = (leadIds: ReadonlyArray<number>, alongside?: Fragment) =>
  Effect.gen(function* () {
    yield* flushWrites
    const sql = yield* SqlClient.SqlClient
    // Both updates see the rows as they were before the statement, so the release skips the cancelled ones.
    const cancelled = yield* sql<{ id: number; kind: string; leadId: number }>`
      WITH ${alongside === undefined ? sql`` : sql`alongside AS (${alongside}),`} cancelled AS (${obsoleteHeldUpdate(sql, leadIds, "current")}), released AS (
        UPDATE outbox SET status = 'PENDING', next_attempt_at = now()
        WHERE lead_id = ANY(${leadIds}::int[]) AND status = 'HELD' AND channel = 'whatsapp' AND audience = 'client'
          AND id NOT IN (SELECT id FROM cancelled)
      )
      SELECT id, kind, lead_id FROM cancelled`
    yield* logCancelled(cancelled.map((r) => ({ id: r.id, kind: r.kind, lead_id: r.leadId })))
  })

/** Admin retry: FAILED rows (and rows waiting on backoff) become due now. */
export const retryFailed = (limit: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: number }>`
      UPDATE outbox SET status = 'PENDING', next_attempt_at = now(), attempts = 0
      WHERE id IN (
        SELECT id FROM outbox WHERE status = 'FAILED' OR (status = 'PENDING' AND next_attempt_at > now())
        ORDER BY id LIMIT ${limit}
      ) RETURNING id`
    return rows.map((r) => r.id)
  })

/** Newest rows first, optionally by status. */
export const listOutbox = (options: { readonly status?: string | undefined; readonly limit: number; readonly leadId?: number | undefined }) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<OutboxRow>`
      SELECT * FROM outbox
      WHERE (${options.status ?? null}::text IS NULL OR status = ${options.status ?? null})
        AND (${options.leadId ?? null}::int IS NULL OR lead_id = ${options.leadId ?? null})
      ORDER BY id DESC LIMIT ${options.limit}`
  )
