import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { LEAD_STATUSES } from "@tattoo-bot/lead-machine"
import { WhatsAppClient } from "@tattoo-bot/whatsapp"
import { Effect, Option } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { cleanupSystemEvents } from "../events/SystemEvents.js"
import { PanicSwitch } from "../flags/PanicSwitch.js"
import { queueArtistText } from "../leads/LeadEngine.js"
import { LeadActions } from "../leads/LeadActions.js"
import { findLead, listLeads, type LeadSummaryRecord } from "../leads/LeadStore.js"
import { listOutbox, retryFailed } from "../outbox/Outbox.js"
import { OutboxSignal } from "../outbox/OutboxSignal.js"
import { TattooBotApi } from "./Api.js"
import { BadRequestResponse, MediaUnavailableResponse, NotFoundResponse } from "./ApiErrors.js"

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null)

/** The list item shape of `GET /admin/leads`. */
export const leadSummary = (lead: LeadSummaryRecord) => ({
  id: lead.id,
  wa_from: lead.waFrom,
  client_name: lead.clientName,
  status: lead.status,
  created_at: iso(lead.createdAt)!,
  updated_at: iso(lead.updatedAt)!,
  last_client_message_at: iso(lead.lastClientMessageAt)
})

/** Everything about one lead, for `GET /admin/leads/{id}` and the console. */
export const leadDetail = (id: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const found = yield* findLead(id)
    if (Option.isNone(found)) return Option.none()
    const lead = found.value
    const answers = yield* sql<{ questionKey: string; answerText: string; createdAt: Date }>`
      SELECT question_key, answer_text, created_at FROM lead_answers WHERE lead_id = ${id} ORDER BY id`
    const messages = yield* sql<{ id: number; direction: string; kind: string; body: string | null; waMessageId: string | null; createdAt: Date }>`
      SELECT id, direction, kind, body, wa_message_id, created_at FROM messages WHERE lead_id = ${id} ORDER BY id`
    const attachments = yield* sql<{ id: number; kind: string; waMediaId: string; mimeType: string | null; filename: string | null; caption: string | null; createdAt: Date }>`
      SELECT id, kind, wa_media_id, mime_type, filename, caption, created_at FROM attachments WHERE lead_id = ${id} ORDER BY id`
    const events = yield* sql<{ id: number; event: string; fromStatus: string; toStatus: string; actor: string; detail: unknown; createdAt: Date }>`
      SELECT id, event, from_status, to_status, actor, detail, created_at FROM lead_events WHERE lead_id = ${id} ORDER BY id`
    const systemEvents = yield* sql<{ id: number; level: string; eventType: string; payload: unknown; createdAt: Date }>`
      SELECT id, level, event_type, payload, created_at FROM system_events WHERE lead_id = ${id} ORDER BY id DESC LIMIT 50`
    const latest: Record<string, string> = {}
    for (const a of answers) latest[a.questionKey] = a.answerText
    return Option.some({
      ...leadSummary(lead),
      lead_id: lead.id,
      handover_reason: lead.handoverReason,
      resume_status: lead.resumeStatus,
      summary_text: lead.summaryText,
      qualification: lead.qualification,
      deposit_amount_pence: lead.depositAmountPence,
      offered_slots: lead.offeredSlots,
      chosen_slot: lead.chosenSlotStart ? { start: iso(lead.chosenSlotStart), end: iso(lead.chosenSlotEnd) } : null,
      checkout_url: lead.stripeCheckoutUrl,
      flagged_reason: lead.flaggedReason,
      answers: latest,
      answer_history: answers.map((a) => ({ question_key: a.questionKey, answer_text: a.answerText, created_at: iso(a.createdAt) })),
      messages: messages.map((m) => ({
        id: m.id,
        direction: m.direction,
        kind: m.kind,
        body: m.body,
        wa_message_id: m.waMessageId,
        created_at: iso(m.createdAt)
      })),
      attachments: attachments.map((a) => ({
        id: a.id,
        kind: a.kind,
        media_id: a.waMediaId,
        mime_type: a.mimeType,
        filename: a.filename,
        caption: a.caption,
        created_at: iso(a.createdAt)
      })),
      events: events.map((e) => ({
        id: e.id,
        event: e.event,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        actor: e.actor,
        detail: e.detail,
        created_at: iso(e.createdAt)
      })),
      system_events: systemEvents.map((e) => ({ id: e.id, level: e.level, event_type: e.eventType, payload: e.payload, created_at: iso(e.createdAt) }))
    })
  })

/** A MIME type safe to send as `Content-Type` (the stored value came from a webhook), else undefined. */
const safeMimeType = (value: string | null | undefined) => {
  const trimmed = value?.trim()
  return trimmed !== undefined && /^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*(\s*;\s*[\w.+-]+=[\w.+-]+)*$/.test(trimmed) && trimmed.length <= 255
    ? trimmed
    : undefined
}

/** The admin API (authentication is the AdminAuth middleware, which runs first). */
export const AdminHandlers = HttpApiBuilder.group(TattooBotApi, "admin", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const actions = yield* LeadActions
    const signal = yield* OutboxSignal
    const panic = yield* PanicSwitch
    const config = yield* AppConfig
    const whatsapp = yield* WhatsAppClient
    const provideSql = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) => Effect.provideService(effect, SqlClient.SqlClient, sql)
    return handlers
      .handle("listLeads", ({ urlParams }) =>
        Effect.gen(function* () {
          const limit = urlParams.limit ?? 50
          const offset = urlParams.offset ?? 0
          const status = urlParams.status?.trim().toUpperCase()
          if (status !== undefined && !(LEAD_STATUSES as ReadonlyArray<string>).includes(status)) {
            return yield* Effect.fail(BadRequestResponse.of("invalid_status", `Unknown status "${urlParams.status}"; use one of ${LEAD_STATUSES.join(", ")}`))
          }
          const page = yield* listLeads({ status, search: urlParams.search, beforeId: urlParams.before_id, limit, offset }).pipe(Effect.orDie)
          return {
            leads: page.rows.map(leadSummary),
            total: page.total,
            total_exact: page.totalExact,
            limit,
            offset,
            next_before_id: page.nextBeforeId
          }
        }).pipe(provideSql)
      )
      .handle("getLead", ({ path }) =>
        leadDetail(path.id).pipe(
          provideSql,
          Effect.orDie,
          Effect.flatMap(Option.match({ onNone: () => Effect.fail(NotFoundResponse.lead(path.id)), onSome: Effect.succeed }))
        )
      )
      .handle("attachmentContent", ({ path }) =>
        Effect.gen(function* () {
          const rows = yield* sql<{ waMediaId: string; mimeType: string | null }>`
            SELECT wa_media_id, mime_type FROM attachments WHERE id = ${path.id}`.pipe(Effect.orDie)
          const row = rows[0]
          if (row === undefined) {
            return yield* Effect.fail(new NotFoundResponse({ error: "not_found", message: `Attachment ${path.id} not found` }))
          }
          const fetched = yield* whatsapp.getMedia(row.waMediaId).pipe(
            Effect.flatMap((info) => Effect.map(whatsapp.downloadMedia(info.url), (bytes) => ({ info, bytes }))),
            Effect.catchAll((e) =>
              Effect.logWarning(`attachment ${path.id}: WhatsApp could not provide the media`).pipe(
                Effect.annotateLogs({ error: e._tag }),
                Effect.zipRight(Effect.fail(MediaUnavailableResponse.of(`WhatsApp could not provide the media (${e._tag}: ${e.title})`)))
              )
            )
          )
          if (fetched.bytes.length === 0) {
            return yield* Effect.fail(
              MediaUnavailableResponse.of("WhatsApp returned no media (dry run, or the media has expired)")
            )
          }
          const contentType = safeMimeType(row.mimeType) ?? safeMimeType(fetched.info.mimeType) ?? "application/octet-stream"
          return HttpServerResponse.uint8Array(fetched.bytes, {
            contentType,
            headers: { "cache-control": "private, max-age=300", "x-content-type-options": "nosniff" }
          })
        })
      )
      .handle("approve", ({ path }) => actions.run(path.id, { _tag: "Approve" }, "admin"))
      .handle("reject", ({ path, payload }) => actions.run(path.id, { _tag: "Reject", reason: payload.reason ?? null }, "admin"))
      .handle("sendDeposit", ({ path, payload }) =>
        actions.run(path.id, { _tag: "SendDeposit", amountPence: payload.amount_pence ?? null }, "admin")
      )
      .handle("markBooked", ({ path }) => actions.run(path.id, { _tag: "MarkBooked" }, "admin"))
      .handle("resume", ({ path }) => actions.run(path.id, { _tag: "Resume" }, "admin"))
      .handle("events", ({ urlParams }) =>
        Effect.gen(function* () {
          const limit = urlParams.limit ?? 100
          const leadId = urlParams.lead_id ?? null
          const type = urlParams.event_type ?? null
          const rows = yield* sql<{ id: number; createdAt: Date; level: string; eventType: string; leadId: number | null; payload: unknown }>`
            SELECT id, created_at, level, event_type, lead_id, payload FROM system_events
            WHERE (${leadId}::int IS NULL OR lead_id = ${leadId}) AND (${type}::text IS NULL OR event_type LIKE ${type === null ? null : `${type}%`})
            ORDER BY id DESC LIMIT ${limit}`
          return rows.map((r) => ({ id: r.id, created_at: iso(r.createdAt), level: r.level, event_type: r.eventType, lead_id: r.leadId, payload: r.payload }))
        }).pipe(Effect.orDie)
      )
      .handle("retentionCleanup", ({ urlParams }) => {
        const days = urlParams.retention_days ?? 90
        return cleanupSystemEvents(days).pipe(
          provideSql,
          Effect.map((deleted) => ({ deleted, retention_days: days })),
          Effect.orDie
        )
      })
      .handle("outbox", ({ urlParams }) =>
        listOutbox({ status: urlParams.status, limit: urlParams.limit ?? 50, leadId: urlParams.lead_id }).pipe(
          provideSql,
          Effect.map((rows) =>
            rows.map((r) => ({
              id: r.id,
              lead_id: r.leadId,
              channel: r.channel,
              kind: r.kind,
              audience: r.audience,
              status: r.status,
              attempts: r.attempts,
              last_error: r.lastError,
              next_retry_at: iso(r.nextAttemptAt),
              delivery_status: r.deliveryStatus,
              sent_as: r.sentAs,
              created_at: iso(r.createdAt),
              sent_at: iso(r.sentAt)
            }))
          ),
          Effect.orDie
        )
      )
      .handle("outboxRetry", ({ urlParams }) =>
        retryFailed(urlParams.limit ?? 50).pipe(
          provideSql,
          Effect.tap(() => signal.notify),
          Effect.map((ids) => ({ outbox_retry: { retried: ids.length, ids } })),
          Effect.orDie
        )
      )
      .handle("getPanic", () => Effect.map(panic.current, (on) => ({ panic_mode_enabled: on })))
      .handle("setPanic", ({ payload }) =>
        Effect.gen(function* () {
          yield* panic.set(payload.enabled, "admin")
          yield* queueArtistText(
            null,
            payload.enabled
              ? "🛑 Panic mode is ON (admin API). Clients get the safe reply; reminders and automation are paused."
              : "✅ Panic mode is OFF (admin API). The bot is running normally again.",
            "panic"
          )
        }).pipe(
          sql.withTransaction,
          Effect.provideService(AppConfig, config),
          provideSql,
          Effect.orDie,
          Effect.tap(() => signal.notify),
          Effect.as({ panic_mode_enabled: payload.enabled })
        )
      )
  })
)
