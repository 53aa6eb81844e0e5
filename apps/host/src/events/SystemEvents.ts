import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { insertRow } from "../db/WriteBuffer.js"

export type EventLevel = "INFO" | "WARN" | "ERROR"

/**
 * Records a notable step or failure in `system_events` and logs it on one JSON line; the event
 * type carries the runbook's grep words (template, sheets, calendar, stripe, webhook, payment,
 * duplicate, status, transition, database...).
 */
export const recordSystemEvent = (event: {
  readonly level: EventLevel
  readonly type: string
  readonly leadId?: number | null | undefined
  readonly payload?: Record<string, unknown> | undefined
}) =>
  Effect.gen(function* () {
    const payload = event.payload ?? {}
    yield* insertRow("system_events", { level: event.level, event_type: event.type, lead_id: event.leadId ?? null, payload: JSON.stringify(payload) })
    const log = event.level === "ERROR" ? Effect.logError : event.level === "WARN" ? Effect.logWarning : Effect.logInfo
    yield* log(event.type).pipe(Effect.annotateLogs({ event: event.type, leadId: event.leadId ?? undefined, ...payload }))
  })

/** Deletes system events older than `retentionDays`; returns how many went. */
export const cleanupSystemEvents = (retentionDays: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ deleted: number }>`
      WITH gone AS (
        DELETE FROM system_events WHERE created_at < now() - make_interval(days => ${retentionDays}) RETURNING 1
      ) SELECT count(*)::int AS deleted FROM gone`
    const deleted = rows[0]?.deleted ?? 0
    yield* Effect.logInfo("system_events retention cleanup").pipe(Effect.annotateLogs({ deleted, retentionDays }))
    return deleted
  })
