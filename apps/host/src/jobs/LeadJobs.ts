import { SqlClient, type SqlError, type Statement } from "@effect/sql"
import type { LeadEvent } from "@tattoo-bot/lead-machine"
import { Effect, Either } from "effect"
import { recordSystemEvent } from "../events/SystemEvents.js"
import { PanicSwitch } from "../flags/PanicSwitch.js"
import { applyEvent, type EngineEnv } from "../leads/LeadEngine.js"
import { OutboxSignal } from "../outbox/OutboxSignal.js"

const HOUR = 3_600_000

/** WhatsApp's customer-service window. */
const WINDOW_HOURS = 24

/** The first reminder is free-form only: it is not queued once less than this is left of the window. */
const WINDOW_MARGIN_HOURS = 1

/** The counts a lead sweep reports. */
export interface SweepCounts {
  /** Leads that looked due when the sweep started. */
  readonly checked: number
  /** Leads the event was applied to (by this run). */
  readonly applied: number
  /** Leads another instance was handling, that stopped being due, or that had this job done already. */
  readonly skipped: number
  /** Leads the state machine refused the event for. */
  readonly refused: number
  /** Leads whose transaction failed (database error); they are tried again on the next run. */
  readonly failed: number
  readonly lead_ids: ReadonlyArray<number>
}

/** The few columns a sweep's event is built from. */
interface DueLead {
  readonly id: number
  readonly stripeCheckoutSessionId: string | null
}

/**
 * One housekeeping rule over `leads`: which leads are due (a WHERE condition, evaluated again
 * under the row lock) and which event they get.
 */
export interface LeadSweep {
  readonly job: string
  readonly due: (sql: SqlClient.SqlClient) => Statement.Fragment
  readonly event: (lead: DueLead) => LeadEvent
  /** Recorded in `job_runs (job, lead_id)`: the effect happens at most once per lead, ever. */
  readonly oncePerLead: boolean
  /** Extra bookkeeping in the same transaction. */
  readonly after?: (sql: SqlClient.SqlClient, leadId: number, now: Date) => Effect.Effect<unknown, SqlError.SqlError>
}

type Outcome = "applied" | "skipped" | "refused" | "paused"

/**
 * Applies `sweep` to every lead due at `now` (up to `limit`), each in its own transaction:
 * the row is locked with `FOR UPDATE SKIP LOCKED` and re-checked, so two instances sweeping
 * at once never apply the same event twice; `oncePerLead` sweeps also claim their
 * `job_runs` row first. Panic mode is re-read in every transaction and stops the sweep.
 */
export const sweepLeads = (sweep: LeadSweep, now: Date, limit: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const panic = yield* PanicSwitch
    const signal = yield* OutboxSignal
    const candidates = yield* sql<{ id: number }>`SELECT id FROM leads WHERE ${sweep.due(sql)} ORDER BY id LIMIT ${limit}`
    const counts = { checked: candidates.length, applied: 0, skipped: 0, refused: 0, failed: 0 }
    const leadIds: Array<number> = []
    for (const { id } of candidates) {
      const outcome = yield* Effect.gen(function* () {
        if (yield* panic.read) return "paused" as Outcome
        const rows = yield* sql<DueLead>`
          SELECT id, stripe_checkout_session_id FROM leads WHERE id = ${id} AND ${sweep.due(sql)} FOR UPDATE SKIP LOCKED`
        const lead = rows[0]
        if (lead === undefined) return "skipped" as Outcome
        if (sweep.oncePerLead) {
          const claimed = yield* sql`
            INSERT INTO job_runs (job, lead_id, ran_at) VALUES (${sweep.job}, ${id}, ${now})
            ON CONFLICT (job, lead_id) DO NOTHING RETURNING lead_id`
          if (claimed.length === 0) return "skipped" as Outcome
        }
        yield* applyEvent(id, sweep.event(lead), `job:${sweep.job}`)
        if (sweep.after) yield* sweep.after(sql, id, now)
        return "applied" as Outcome
      }).pipe(
        sql.withTransaction,
        Effect.catchTags({
          InvalidTransition: (e) =>
            Effect.as(Effect.logWarning(`${sweep.job}: event refused`).pipe(Effect.annotateLogs({ leadId: id, error: e.message })), "refused" as Outcome),
          LeadMissing: () => Effect.succeed("skipped" as Outcome)
        }),
        Effect.either
      )
      if (Either.isLeft(outcome)) {
        counts.failed++
        yield* Effect.logError(`${sweep.job}: lead transaction failed`).pipe(Effect.annotateLogs({ leadId: id, error: String(outcome.left) }))
        continue
      }
      if (outcome.right === "paused") break
      counts[outcome.right]++
      if (outcome.right === "applied") leadIds.push(id)
    }
    if (counts.applied > 0) yield* signal.notify
    return { ...counts, lead_ids: leadIds } satisfies SweepCounts
  })

/** What a sweep needs from the host. */
export type SweepEnv = EngineEnv | PanicSwitch | OutboxSignal

/** How long a lead has been quiet: since the client's last message (or its last status change). */
const silence = (sql: SqlClient.SqlClient) => sql`coalesce(last_client_message_at, status_changed_at)`

/** No reminder to a number that opted out on any of its leads. */
const notOptedOut = (sql: SqlClient.SqlClient) =>
  sql`NOT EXISTS (SELECT 1 FROM leads o WHERE o.wa_from = leads.wa_from AND o.status = 'OPTOUT')`

const ago = (now: Date, hours: number) => new Date(now.getTime() - hours * HOUR)

/**
 * Reminder 1: a consultation quiet for `hours` (12 by default), while the 24-hour window still
 * has an hour left, so it goes out free-form; never once reminder 2 is due. The sent-at column
 * keeps every later tick from even looking at the lead; `job_runs` is what makes it once.
 */
export const reminder1Sweep = (now: Date, hours: number, reminder2Hours: number): LeadSweep => {
  const latest = Math.min(WINDOW_HOURS - WINDOW_MARGIN_HOURS, reminder2Hours)
  return {
    job: "consultation-reminder-1",
    oncePerLead: true,
    due: (sql) =>
      sql`status = 'QUALIFYING' AND reminder_1_sent_at IS NULL
          AND ${silence(sql)} <= ${ago(now, hours)} AND ${silence(sql)} > ${ago(now, latest)} AND ${notOptedOut(sql)}`,
    event: () => ({ _tag: "ReminderDue", reminder: "consultation_first" }),
    after: (sql, id, at) => sql`UPDATE leads SET reminder_1_sent_at = ${at} WHERE id = ${id}`
  }
}

/**
 * Reminder 2: a consultation quiet for `hours` (36 by default); outside the window the outbox
 * sends the `consultation_reminder_2_final` template. Never once the lead is due to be abandoned.
 */
export const reminder2Sweep = (now: Date, hours: number, abandonedHours: number): LeadSweep => ({
  job: "consultation-reminder-2",
  oncePerLead: true,
  due: (sql) =>
    sql`status = 'QUALIFYING' AND reminder_2_sent_at IS NULL
        AND ${silence(sql)} <= ${ago(now, hours)} AND ${silence(sql)} > ${ago(now, abandonedHours)} AND ${notOptedOut(sql)}`,
  event: () => ({ _tag: "ReminderDue", reminder: "consultation_final" }),
  after: (sql, id, at) => sql`UPDATE leads SET reminder_2_sent_at = ${at} WHERE id = ${id}`
})

/** ABANDONED: a consultation (or an unanswered tour offer) quiet for `hours` (48 by default). */
export const abandonedSweep = (now: Date, hours: number): LeadSweep => ({
  job: "mark-abandoned",
  oncePerLead: false,
  due: (sql) => sql`status IN ('QUALIFYING', 'TOUR_CONVERSION_OFFERED') AND ${silence(sql)} <= ${ago(now, hours)}`,
  event: () => ({ _tag: "Abandoned" })
})

/** STALE: waiting for the artist's approval for `days` (3 by default); the artist is told. */
export const staleSweep = (now: Date, days: number): LeadSweep => ({
  job: "mark-stale-approvals",
  oncePerLead: false,
  due: (sql) => sql`status = 'PENDING_APPROVAL' AND status_changed_at <= ${ago(now, days * 24)}`,
  event: () => ({ _tag: "Stale" })
})

/** BOOKING_PENDING for `hours` (72 by default): back to the artist as NEEDS_FOLLOW_UP. */
export const bookingPendingSweep = (now: Date, hours: number): LeadSweep => ({
  job: "booking-pending-follow-up",
  oncePerLead: false,
  due: (sql) => sql`status = 'BOOKING_PENDING' AND status_changed_at <= ${ago(now, hours)}`,
  event: () => ({ _tag: "BookingPendingOverdue" })
})

/**
 * DEPOSIT_EXPIRED: the lead's current checkout session expired unpaid `graceMinutes` ago (the
 * grace lets a payment made at the last moment arrive by webhook first). The machine releases
 * the hold and tells the client and the artist; Stripe's own `checkout.session.expired` does the
 * same, and whichever comes second finds the lead no longer due.
 */
export const depositExpirySweep = (now: Date, graceMinutes: number): LeadSweep => ({
  job: "expire-deposits",
  oncePerLead: false,
  due: (sql) =>
    sql`status = 'AWAITING_DEPOSIT' AND NOT deposit_paid AND stripe_checkout_session_id IS NOT NULL
        AND deposit_checkout_expires_at IS NOT NULL AND deposit_checkout_expires_at <= ${new Date(now.getTime() - graceMinutes * 60_000)}`,
  event: (lead) => ({ _tag: "DepositExpired", checkoutSessionId: lead.stripeCheckoutSessionId ?? "" })
})

/**
 * Releases slot holds whose expiry passed `graceMinutes` ago and that no live checkout still
 * covers (a hold made when no checkout could be created, for instance), so the time can be
 * offered again. Skipped in panic mode like every automated action.
 */
export const releaseExpiredHolds = (now: Date, graceMinutes: number, limit: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const panic = yield* PanicSwitch
    const cutoff = new Date(now.getTime() - graceMinutes * 60_000)
    const released = yield* Effect.gen(function* () {
      if (yield* panic.read) return [] as ReadonlyArray<{ id: number; leadId: number }>
      const rows = yield* sql<{ id: number; leadId: number }>`
        UPDATE slot_holds SET state = 'RELEASED', released_at = ${now}
        WHERE state = 'HELD' AND id IN (
          SELECT h.id FROM slot_holds h JOIN leads l ON l.id = h.lead_id
          WHERE h.state = 'HELD' AND h.expires_at IS NOT NULL AND h.expires_at <= ${cutoff}
            AND NOT (l.status = 'AWAITING_DEPOSIT' AND NOT l.deposit_paid
                     AND l.deposit_checkout_expires_at IS NOT NULL AND l.deposit_checkout_expires_at > ${cutoff})
          ORDER BY h.id LIMIT ${limit}
          FOR UPDATE OF h SKIP LOCKED
        ) RETURNING id, lead_id`
      for (const row of rows) {
        yield* recordSystemEvent({ level: "INFO", type: "slot.hold_expired", leadId: row.leadId, payload: { holdId: row.id } })
      }
      return rows
    }).pipe(sql.withTransaction)
    return { released: released.length, lead_ids: released.map((r) => r.leadId) }
  })

/**
 * Claims a run of a global job for every instance sharing the database: true at most once per
 * `everyHours` (the claim is the `job_runs` row with lead id 0, moved forward atomically).
 */
export const claimPeriodicRun = (job: string, now: Date, everyHours: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO job_runs (job, lead_id, ran_at) VALUES (${job}, 0, ${now})
      ON CONFLICT (job, lead_id) DO UPDATE SET ran_at = EXCLUDED.ran_at
      WHERE job_runs.ran_at <= ${ago(now, everyHours)}
      RETURNING job`.pipe(Effect.map((rows) => rows.length > 0))
  )
