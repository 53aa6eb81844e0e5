import { SqlClient } from "@effect/sql"
import { statusFailure, type WebhookStatusEvent } from "@tattoo-bot/whatsapp"
import { Effect } from "effect"
import { recordSystemEvent } from "../events/SystemEvents.js"

const RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 4 }

/**
 * Applies a delivery status callback to the outbox row it belongs to. Statuses arrive out of
 * order, so a status never moves a row backwards (read stays read). `sent`, `delivered` and `read`
 * (nearly every callback) are one statement that checks and moves the status atomically; a
 * failure runs in a transaction of its own: a message that failed because the 24-hour window had
 * closed (131047) is held again and goes out with the client's next message.
 */
export const processDeliveryStatus = (event: WebhookStatusEvent) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const status = event.status.status
    if (status === "failed") return yield* deliveryFailed(event).pipe(sql.withTransaction)
    const rank = RANK[status] ?? 0
    // The rank is checked again on the row's latest version (READ COMMITTED), so two callbacks at once never move it back.
    const [result] = yield* sql<{ moved: number; found: boolean }>`
      WITH moved AS (
        UPDATE outbox SET delivery_status = ${status}
        WHERE wa_message_id = ${event.id} AND ${rankOf(sql)} < ${rank}
        RETURNING id
      )
      SELECT (SELECT count(*) FROM moved)::int AS moved, EXISTS (SELECT 1 FROM outbox WHERE wa_message_id = ${event.id}) AS found`
    if ((result?.moved ?? 0) > 0) return status
    return result?.found ? "stale" : "unknown"
  })

const rankOf = (sql: SqlClient.SqlClient) =>
  sql`(CASE delivery_status ${sql.literal(Object.entries(RANK).map(([name, n]) => `WHEN '${name}' THEN ${n}`).join(" "))} ELSE 0 END)`

const deliveryFailed = (event: WebhookStatusEvent) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const status = event.status.status
    const rows = yield* sql<{ id: number; leadId: number | null; deliveryStatus: string | null; audience: string | null }>`
      SELECT id, lead_id, delivery_status, audience FROM outbox WHERE wa_message_id = ${event.id} FOR UPDATE`
    const row = rows[0]
    if (row === undefined) return "unknown"
    if ((RANK[status] ?? 0) <= (RANK[row.deliveryStatus ?? ""] ?? 0)) return "stale"
    yield* sql`UPDATE outbox SET delivery_status = ${status} WHERE id = ${row.id}`
    const failure = statusFailure(event.status)
    const code = failure && "code" in failure ? failure.code : undefined
    if (code === 131047 && row.audience === "client") {
      yield* sql`UPDATE outbox SET status = 'HELD', last_error = 'window closed (131047) reported by status callback' WHERE id = ${row.id}`
      yield* recordSystemEvent({ level: "WARN", type: "whatsapp.window_closed", leadId: row.leadId, payload: { outboxId: row.id } })
      return "held"
    }
    yield* recordSystemEvent({
      level: "ERROR",
      type: "whatsapp.delivery_failed",
      leadId: row.leadId,
      payload: { outboxId: row.id, code: code ?? null, error: failure?.title ?? "failed" }
    })
    return "failed"
  })
