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
  /** Writes merged by key (see `mergeWrite`), flushed as one statement part each. */
  readonly merged: Map<string, MergedWrite<unknown>>
  /**
   * Leads this transaction holds locked (read `FOR UPDATE`, or created), as they are with its changes
   * applied: nobody else can change them before the commit, so reading one again needs no round trip
   * (see `LeadStore`). Kept across flushes; the buffer lives and dies with its transaction.
   */
  readonly locked: Map<number, unknown>
  size: number
}

interface MergedWrite<S> {
  state: S
  build(sql: SqlClient.SqlClient, state: S): Fragment
  readonly onRows: ((rows: ReadonlyArray<Record<string, unknown>>) => Effect.Effect<void>) | undefined
}

export class WriteBuffer extends Context.Tag("@tattoo-bot/host/WriteBuffer")<WriteBuffer, Pending>() {}

const empty = (): Pending => ({ inserts: new Map(), leadPatches: new Map(), merged: new Map(), locked: new Map(), size: 0 })

const clear = (pending: Pending) => {
  pending.inserts.clear()
  pending.leadPatches.clear()
  pending.merged.clear()
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
        // A new UPDATE of the lead (its version goes up once per UPDATE).
        return "new" as const
      }
      Object.assign(merged, values)
      return "merged" as const
    }
    const sql = yield* SqlClient.SqlClient
    yield* leadUpdate(sql, id, values)
    return "new" as const
  })

/**
 * A write whose effect does not depend on the other buffered writes (it reads none of the rows they
 * touch), merged with any earlier one of the same `key` (`merge` gets the state so far) and sent with
 * the buffered writes. `build` returns one data-modifying statement; with `onRows` it must end in
 * `RETURNING`, and the returned rows (JSON objects with the columns' own snake_case names) are handed
 * to `onRows` after the flush. Outside `withWriteBuffer` it runs at once.
 */
export const mergeWrite = <S>(
  key: string,
  merge: (previous: S | undefined) => S,
  build: (sql: SqlClient.SqlClient, state: S) => Fragment,
  onRows?: (rows: ReadonlyArray<Record<string, unknown>>) => Effect.Effect<void>
) =>
  Effect.gen(function* () {
    const buffer = yield* Effect.serviceOption(WriteBuffer)
    if (Option.isSome(buffer)) {
      const entry = buffer.value.merged.get(key) as MergedWrite<S> | undefined
      if (entry === undefined) {
        buffer.value.merged.set(key, { state: merge(undefined), build, onRows } as MergedWrite<unknown>)
        buffer.value.size++
      } else {
        entry.state = merge(entry.state)
      }
      return
    }
    const sql = yield* SqlClient.SqlClient
    if (onRows === undefined) {
      yield* sql`${build(sql, merge(undefined))}`
      return
    }
    // The rows in the same shape as from a flush: each a JSON object with the table's own column names.
    const rows = yield* sql<{ row: Record<string, unknown> }>`WITH w AS (${build(sql, merge(undefined))}) SELECT to_jsonb(w) AS row FROM w`
    yield* onRows(rows.map((r) => r.row))
  })

/** Sends the buffered writes (one statement); a no-op outside `withWriteBuffer` or when nothing waits. */
export const flushWrites = Effect.gen(function* () {
  const buffer = yield* Effect.serviceOption(WriteBuffer)
  if (Option.isNone(buffer) || buffer.value.size === 0) return
  const pending = buffer.value
  const sql = yield* SqlClient.SqlClient
  const merged = [...pending.merged.values()]
  const statements: Array<Fragment> = [
    ...[...pending.leadPatches].map(([id, values]) => leadUpdate(sql, id, values)),
    ...[...pending.inserts.values()].map((entry) => insertStatement(sql, entry.table, entry.rows, entry.onConflict)),
    ...merged.map((entry) => entry.build(sql, entry.state))
  ]
  clear(pending)
  // The rows each merged write returns come back tagged with its position.
  const first = statements.length - merged.length
  const returning = merged.flatMap((entry, i) => (entry.onRows === undefined ? [] : [i]))
  if (statements.length === 1 && returning.length === 0) {
    yield* sql`${statements[0]!}`
    return
  }
  const ctes = statements.map((statement, i) => sql`${sql(`w${i}`)} AS (${statement})`)
  const select =
    returning.length === 0
      ? sql`SELECT NULL::int AS write_index, NULL::jsonb AS row LIMIT 0`
      : sql.join(" UNION ALL ", false)(returning.map((i) => sql`SELECT ${sql.literal(String(i))} AS write_index, to_jsonb(${sql(`w${first + i}`)}) AS row FROM ${sql(`w${first + i}`)}`))
  const rows = yield* sql<{ writeIndex: number; row: Record<string, unknown> }>`WITH ${sql.csv(ctes)} ${select}`
  for (const i of returning) {
    yield* merged[i]!.onRows!(rows.filter((r) => r.writeIndex === i).map((r) => r.row))
  }
})

/** The leads this transaction holds locked, as they are now (empty outside `withWriteBuffer`). */
export const lockedLeads = Effect.map(Effect.serviceOption(WriteBuffer), (buffer) =>
  Option.isSome(buffer) ? buffer.value.locked : undefined
)

/**
 * Runs `effect` with its writes buffered, and flushes them when it succeeds (still inside the
 * caller's transaction). On failure the buffered writes are dropped with the transaction.
 */
export const withWriteBuffer = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.sync(empty), (pending) =>
    effect.pipe(Effect.tap(() => flushWrites), Effect.provideService(WriteBuffer, pending))
  )
