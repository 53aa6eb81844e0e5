import { SqlClient } from "@effect/sql"
import type { Fragment } from "@effect/sql/Statement"
import { Context, Effect, Option } from "effect"

/**
 * Writes of one transaction that nobody reads back before they are flushed: inserted rows (per
 * table, in order) and changes to leads (merged per lead). Inside `withWriteBuffer` they are held
 * in memory and sent together as one statement (data-modifying CTEs), so a step of the
 * conversation that stores a message, an answer, a lead change and two replies costs one round
 * trip instead of five. Outside it every write runs at once, as before.
 *
 * Rules that keep the buffered result identical to running the writes one by one:
 * - only inserts and lead patches are buffered; an insert never touches an existing row, and a
 *   lead's patches are merged into one UPDATE (later values win), so no row is written twice in
 *   one statement;
 * - every read or other statement inside the scope flushes first (`flushWrites`), so it sees all
 *   earlier writes; `findLead` does this itself, and the inbound path calls it before its own
 *   statements;
 * - rows of one table keep their order (one multi-row INSERT; identity ids follow VALUES order), so
 *   outbox rows (the order replies are sent in) and messages stay in the order they were written.
 */
interface Pending {
  readonly inserts: Map<string, { readonly table: string; readonly onConflict: string | undefined; readonly rows: Array<Record<string, unknown>> }>
  readonly leadPatches: Map<number, Record<string, unknown>>
  size: number
}

export class WriteBuffer extends Context.Tag("@tattoo-bot/host/WriteBuffer")<WriteBuffer, Pending>() {}

const empty = (): Pending => ({ inserts: new Map(), leadPatches: new Map(), size: 0 })

const clear = (pending: Pending) => {
  pending.inserts.clear()
  pending.leadPatches.clear()
  pending.size = 0
}

const INSERT_CONFLICTS: Record<string, string> = {
  dedupe: "ON CONFLICT (dedupe_key) DO NOTHING"
}

/**
 * Inserts one row into `table` (snake_case column names; JSON values already stringified), now or
 * with the buffered writes. Rows of one table must all have the same columns.
 */
export const insertRow = (table: string, row: Record<string, unknown>, options?: { readonly onConflict?: keyof typeof INSERT_CONFLICTS }) =>
  Effect.gen(function* () {
    const buffer = yield* Effect.serviceOption(WriteBuffer)
    if (Option.isSome(buffer)) {
      const key = `${table}|${options?.onConflict ?? ""}|${Object.keys(row).join(",")}`
      const entry = buffer.value.inserts.get(key)
      if (entry === undefined) {
        buffer.value.inserts.set(key, { table, onConflict: options?.onConflict, rows: [row] })
      } else {
        entry.rows.push(row)
      }
      buffer.value.size++
      return
    }
    const sql = yield* SqlClient.SqlClient
    yield* insertStatement(sql, table, [row], options?.onConflict)
  })

const insertStatement = (sql: SqlClient.SqlClient, table: string, rows: ReadonlyArray<Record<string, unknown>>, onConflict: string | undefined) =>
  sql`INSERT INTO ${sql(table)} ${sql.insert(rows as Array<Record<string, unknown>>)} ${sql.literal(onConflict === undefined ? "" : INSERT_CONFLICTS[onConflict]!)}`

const leadUpdate = (sql: SqlClient.SqlClient, id: number, values: Record<string, unknown>) =>
  sql`UPDATE leads SET ${sql.update(values)}, version = version + 1 WHERE id = ${id}`

/**
 * Changes lead `id` (camelCase column names; JSON values already stringified), now or merged into
 * the lead's buffered change.
 */
export const patchLead = (id: number, values: Record<string, unknown>) =>
  Effect.gen(function* () {
    const buffer = yield* Effect.serviceOption(WriteBuffer)
    if (Option.isSome(buffer)) {
      const merged = buffer.value.leadPatches.get(id)
      if (merged === undefined) {
        buffer.value.leadPatches.set(id, { ...values })
        buffer.value.size++
      } else {
        Object.assign(merged, values)
      }
      return
    }
    const sql = yield* SqlClient.SqlClient
    yield* leadUpdate(sql, id, values)
  })

/** Sends the buffered writes (one statement); a no-op outside `withWriteBuffer` or when nothing waits. */
export const flushWrites = Effect.gen(function* () {
  const buffer = yield* Effect.serviceOption(WriteBuffer)
  if (Option.isNone(buffer) || buffer.value.size === 0) return
  const pending = buffer.value
  const sql = yield* SqlClient.SqlClient
  const statements: Array<Fragment> = [
    ...[...pending.leadPatches].map(([id, values]) => leadUpdate(sql, id, values)),
    ...[...pending.inserts.values()].map((entry) => insertStatement(sql, entry.table, entry.rows, entry.onConflict))
  ]
  clear(pending)
  if (statements.length === 1) {
    yield* sql`${statements[0]!}`
    return
  }
  const ctes = statements.map((statement, i) => sql`${sql(`w${i}`)} AS (${statement})`)
  yield* sql`WITH ${sql.csv(ctes)} SELECT 1`
})

/**
 * Runs `effect` with its writes buffered, and flushes them when it succeeds (still inside the
 * caller's transaction). On failure the buffered writes are dropped with the transaction.
 */
export const withWriteBuffer = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.sync(empty), (pending) =>
    effect.pipe(Effect.tap(() => flushWrites), Effect.provideService(WriteBuffer, pending))
  )
