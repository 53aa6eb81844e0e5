import { SqlClient } from "@effect/sql"
import { statusFailure, type WebhookStatusEvent } from "@tattoo-bot/whatsapp"
import { Context, Effect, Layer } from "effect"
import { makeGroupCommit } from "../db/GroupCommit.js"
import { recordSystemEvent } from "../events/SystemEvents.js"

const RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 4 }

/** What a status callback did: moved the row to this status, found it already further on, or found no row. */
export type DeliveryOutcome = string

/**
 * Applies a delivery status callback to the outbox row it belongs to. Statuses arrive out of
 * order, so a status never moves a row backwards (read stays read). `sent`, `delivered` and `read`
 * (nearly every callback) are one statement that checks and moves the status atomically (see
 * `applyDeliveryStatuses`); a failure runs in a transaction of its own: a message that failed because
 * the 24-hour window had closed (131047) is held again and goes out with the client's next message.
 */
export const processDeliveryStatus = (event: WebhookStatusEvent): Effect.Effect<DeliveryOutcome, unknown, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    if (event.status.status === "failed") return yield* deliveryFailed(event).pipe(sql.withTransaction)
    const [outcome] = yield* applyDeliveryStatuses([event])
    return outcome!
  })

/**
 * `sent`, `delivered` and `read` callbacks for distinct message ids, in one statement: the rows are
 * locked in id order (so two such statements never deadlock), each moves only forward, and the rank is
 * compared on the row's latest version (READ COMMITTED re-reads a row another transaction changed), so
 * callbacks at once never move a row back. One outcome per event, in order.
 */
export const applyDeliveryStatuses = (events: ReadonlyArray<WebhookStatusEvent>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ waMessageId: string; moved: boolean; found: boolean }>`
      WITH d AS (
        SELECT * FROM unnest(${events.map((e) => e.id)}::text[], ${events.map((e) => e.status.status)}::text[],
          ${events.map((e) => RANK[e.status.status] ?? 0)}::int[]) AS d(wa_message_id, status, rank)
      ), locked AS (
        SELECT o.id, d.wa_message_id, d.status, ${rankOf(sql)} < d.rank AS forward
        FROM outbox o JOIN d ON o.wa_message_id = d.wa_message_id ORDER BY o.id FOR UPDATE OF o
      ), moved AS (
        UPDATE outbox o SET delivery_status = l.status FROM locked l WHERE o.id = l.id AND l.forward RETURNING o.id
      )
      SELECT d.wa_message_id, coalesce(bool_or(l.forward), false) AS moved, count(l.id) > 0 AS found
      FROM d LEFT JOIN locked l USING (wa_message_id) GROUP BY d.wa_message_id`
    const byId = new Map(rows.map((r) => [r.waMessageId, r]))
    return events.map((event): DeliveryOutcome => {
      const row = byId.get(event.id)
      if (row?.moved) return event.status.status
      return row?.found ? "stale" : "unknown"
    })
  })

const rankOf = (sql: SqlClient.SqlClient) =>
  sql`(CASE o.delivery_status ${sql.literal(Object.entries(RANK).map(([name, n]) => `WHEN '${name}' THEN ${n}`).join(" "))} ELSE 0 END)`

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

/** At most this many status callbacks share one statement. */
export const MAX_STATUS_BATCH = 128

/**
 * Delivery status callbacks with group commit (see `GroupCommit`): Meta posts three for every reply
 * the bot sends (`sent`, `delivered`, `read`), so at load they outnumber client messages. Callbacks
 * that arrive while earlier ones are being written share the next statement, at most one per message
 * id (a message's later status waits for its earlier one); each caller answers Meta only once its own
 * status is written. `failed` keeps a transaction of its own.
 */
export class DeliveryStatuses extends Context.Tag("@tattoo-bot/host/DeliveryStatuses")<
  DeliveryStatuses,
  { readonly process: (event: WebhookStatusEvent) => Effect.Effect<DeliveryOutcome, unknown> }
>() {
  static readonly layer = Layer.scoped(
    DeliveryStatuses,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const alone = (event: WebhookStatusEvent) => processDeliveryStatus(event).pipe(Effect.provideService(SqlClient.SqlClient, sql))
      const submit = yield* makeGroupCommit({
        name: "delivery statuses",
        key: (event: WebhookStatusEvent) => event.id,
        batch: (events) => applyDeliveryStatuses(events).pipe(Effect.provideService(SqlClient.SqlClient, sql)),
        alone,
        maxBatch: MAX_STATUS_BATCH,
        concurrency: 2
      })
      return { process: (event: WebhookStatusEvent) => (event.status.status === "failed" ? alone(event) : submit(event)) }
    })
  )
}
