import type { SqlError } from "@effect/sql"
import type { WhatsAppClient } from "@tattoo-bot/whatsapp"
import { Effect } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { cleanupSystemEvents, recordSystemEvent } from "../events/SystemEvents.js"
import { PanicSwitch } from "../flags/PanicSwitch.js"
import type { Integrations } from "../integrations/IntegrationHandlers.js"
import { retryFailed } from "../outbox/Outbox.js"
import { OutboxSignal } from "../outbox/OutboxSignal.js"
import { drainOnce, type OutboxHandlers } from "../outbox/OutboxWorker.js"
import { detectCalendarBookings } from "./calendarBookings.js"
import {
  abandonedSweep,
  bookingPendingSweep,
  claimPeriodicRun,
  depositExpirySweep,
  type LeadSweep,
  releaseExpiredHolds,
  reminder1Sweep,
  reminder2Sweep,
  staleSweep,
  type SweepEnv,
  sweepLeads
} from "./LeadJobs.js"

/** What the jobs need from the host (the CLI and the scheduler build the same services). */
export type JobEnv = SweepEnv | WhatsAppClient | OutboxHandlers | Integrations

/** One job run, as the CLI prints it and the scheduler logs it. */
export interface JobResult {
  readonly job: JobName
  readonly ran_at: string
  /** `skipped` when a switch stopped the whole run (`reason` says which). */
  readonly status: "done" | "skipped"
  readonly reason?: "panic_mode" | "reminders_disabled" | "not_due" | "calendar_disabled" | "calendar_unavailable"
  readonly [count: string]: unknown
}

/** A command-line option of a job: a whole number within bounds, or a switch. */
export interface JobFlag {
  readonly name: string
  readonly description: string
  readonly kind: "integer" | "switch"
  readonly min?: number
  readonly max?: number
}

export type FlagValues = Readonly<Record<string, number | boolean>>

/** A job: its name (the CLI's and the logs'), what it does, its options and its run. */
export interface JobDefinition {
  readonly name: JobName
  readonly description: string
  /** `tick`: on every scheduler tick; `daily`: once a day across all instances; `manual`: CLI only. */
  readonly schedule: "tick" | "daily" | "manual"
  readonly flags: ReadonlyArray<JobFlag>
  readonly run: (now: Date, flags: FlagValues) => Effect.Effect<JobResult, SqlError.SqlError, JobEnv | AppConfig>
}

export const JOB_NAMES = [
  "consultation-reminder-1",
  "consultation-reminder-2",
  "mark-abandoned",
  "mark-stale-approvals",
  "expire-deposits",
  "release-expired-holds",
  "booking-pending-follow-up",
  "detect-calendar-bookings",
  "outbox-retry",
  "cleanup-system-events"
] as const

export type JobName = (typeof JOB_NAMES)[number]

const limitFlag: JobFlag = { name: "limit", description: "most leads handled in this run (default 500)", kind: "integer", min: 1, max: 100_000 }
const hoursFlag = (what: string): JobFlag => ({ name: "hours", description: `${what} (overrides the variable)`, kind: "integer", min: 1, max: 8760 })

const numberFlag = (flags: FlagValues, name: string, fallback: number): number => {
  const value = flags[name]
  return typeof value === "number" ? value : fallback
}

const result = (job: JobName, now: Date, fields: Record<string, unknown> = {}): JobResult => ({
  job,
  ran_at: now.toISOString(),
  status: "done",
  ...fields
})

const skipped = (job: JobName, now: Date, reason: NonNullable<JobResult["reason"]>): JobResult => ({
  job,
  ran_at: now.toISOString(),
  status: "skipped",
  reason
})

/** Every lead job stops in panic mode ("automated actions paused"). */
const leadJob = (
  job: JobName,
  now: Date,
  flags: FlagValues,
  sweep: (config: AppConfig["Type"]) => LeadSweep,
  options: { readonly reminder?: boolean } = {}
) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    if (options.reminder && !config.features.reminders) return skipped(job, now, "reminders_disabled")
    if (yield* (yield* PanicSwitch).read) return skipped(job, now, "panic_mode")
    const counts = yield* sweepLeads(sweep(config), now, numberFlag(flags, "limit", 500))
    return result(job, now, { ...counts })
  })

/** The jobs, in the order a scheduler tick runs them (reminders before abandonment, expiry before hold release). */
export const JOBS: ReadonlyArray<JobDefinition> = [
  {
    name: "consultation-reminder-1",
    description: "Reminder 1 (free-form) to consultations quiet for REMINDER_1_HOURS (12), inside the 24-hour window",
    schedule: "tick",
    flags: [hoursFlag("hours of silence"), limitFlag],
    run: (now, flags) =>
      leadJob(
        "consultation-reminder-1",
        now,
        flags,
        (c) => reminder1Sweep(now, numberFlag(flags, "hours", c.jobs.reminder1Hours), c.jobs.reminder2Hours),
        { reminder: true }
      )
  },
  {
    name: "consultation-reminder-2",
    description: "Reminder 2 (template consultation_reminder_2_final outside the window) after REMINDER_2_HOURS (36)",
    schedule: "tick",
    flags: [hoursFlag("hours of silence"), limitFlag],
    run: (now, flags) =>
      leadJob(
        "consultation-reminder-2",
        now,
        flags,
        (c) => reminder2Sweep(now, numberFlag(flags, "hours", c.jobs.reminder2Hours), c.jobs.abandonedHours),
        { reminder: true }
      )
  },
  {
    name: "mark-abandoned",
    description: "QUALIFYING / TOUR_CONVERSION_OFFERED quiet for ABANDONED_HOURS (48) → ABANDONED",
    schedule: "tick",
    flags: [hoursFlag("hours of silence"), limitFlag],
    run: (now, flags) => leadJob("mark-abandoned", now, flags, (c) => abandonedSweep(now, numberFlag(flags, "hours", c.jobs.abandonedHours)))
  },
  {
    name: "mark-stale-approvals",
    description: "PENDING_APPROVAL for STALE_APPROVAL_DAYS (3) → STALE, and the artist is told",
    schedule: "tick",
    flags: [{ name: "days", description: "days waiting for approval (overrides the variable)", kind: "integer", min: 1, max: 365 }, limitFlag],
    run: (now, flags) =>
      leadJob("mark-stale-approvals", now, flags, (c) => staleSweep(now, numberFlag(flags, "days", c.jobs.staleApprovalDays)))
  },
  {
    name: "expire-deposits",
    description: "Unpaid checkouts past their expiry (+ DEPOSIT_EXPIRY_GRACE_MINUTES) → DEPOSIT_EXPIRED, hold released",
    schedule: "tick",
    flags: [{ name: "grace-minutes", description: "minutes after the checkout's expiry", kind: "integer", min: 0, max: 1440 }, limitFlag],
    run: (now, flags) =>
      leadJob("expire-deposits", now, flags, (c) =>
        depositExpirySweep(now, numberFlag(flags, "grace-minutes", c.jobs.depositExpiryGraceMinutes))
      )
  },
  {
    name: "release-expired-holds",
    description: "Slot holds past their expiry that no live checkout covers are released",
    schedule: "tick",
    flags: [{ name: "grace-minutes", description: "minutes after the hold's expiry", kind: "integer", min: 0, max: 1440 }, limitFlag],
    run: (now, flags) =>
      Effect.gen(function* () {
        const config = yield* AppConfig
        if (yield* (yield* PanicSwitch).read) return skipped("release-expired-holds", now, "panic_mode")
        const released = yield* releaseExpiredHolds(
          now,
          numberFlag(flags, "grace-minutes", config.jobs.depositExpiryGraceMinutes),
          numberFlag(flags, "limit", 500)
        )
        return result("release-expired-holds", now, released)
      })
  },
  {
    name: "booking-pending-follow-up",
    description: "BOOKING_PENDING for BOOKING_PENDING_FOLLOW_UP_HOURS (72) → NEEDS_FOLLOW_UP, and the artist is told",
    schedule: "tick",
    flags: [hoursFlag("hours in BOOKING_PENDING"), limitFlag],
    run: (now, flags) =>
      leadJob("booking-pending-follow-up", now, flags, (c) =>
        bookingPendingSweep(now, numberFlag(flags, "hours", c.jobs.bookingPendingFollowUpHours))
      )
  },
  {
    name: "detect-calendar-bookings",
    description: "Paid leads whose event the artist confirmed in Google Calendar → BOOKED (needs the calendar enabled)",
    schedule: "tick",
    flags: [],
    run: (now) =>
      Effect.gen(function* () {
        if (yield* (yield* PanicSwitch).read) return skipped("detect-calendar-bookings", now, "panic_mode")
        const found = yield* detectCalendarBookings
        if (found.skipped !== undefined) {
          return {
            ...skipped("detect-calendar-bookings", now, found.skipped === "calendar disabled" ? "calendar_disabled" : "calendar_unavailable"),
            scanned: found.scanned
          }
        }
        return result("detect-calendar-bookings", now, {
          scanned: found.scanned,
          applied: found.booked.length,
          lead_ids: found.booked.map((b) => b.leadId)
        })
      })
  },
  {
    name: "outbox-retry",
    description: "Sends every due outbox row now (rows whose backoff has passed); --force also makes FAILED rows and rows still in backoff due",
    schedule: "manual",
    flags: [
      { name: "force", description: "retry FAILED rows and rows still waiting on backoff too", kind: "switch" },
      { name: "limit", description: "most rows made due by --force (default 50)", kind: "integer", min: 1, max: 10_000 }
    ],
    run: (now, flags) =>
      Effect.gen(function* () {
        const forced = flags.force === true ? yield* retryFailed(numberFlag(flags, "limit", 50)) : []
        const processed = yield* drainOnce()
        yield* (yield* OutboxSignal).notify
        return result("outbox-retry", now, { made_due: forced.length, processed })
      })
  },
  {
    name: "cleanup-system-events",
    description: "Deletes system events older than SYSTEM_EVENT_RETENTION_DAYS (90); the scheduler runs it once a day",
    schedule: "daily",
    flags: [{ name: "retention-days", description: "keep this many days of events", kind: "integer", min: 1, max: 36_500 }],
    run: (now, flags) =>
      Effect.gen(function* () {
        const config = yield* AppConfig
        const days = numberFlag(flags, "retention-days", config.jobs.systemEventRetentionDays)
        const deleted = yield* cleanupSystemEvents(days)
        return result("cleanup-system-events", now, { deleted, retention_days: days })
      })
  }
]

/** The job called `name`, if there is one. */
export const findJob = (name: string): JobDefinition | undefined => JOBS.find((job) => job.name === name)

/** Runs one job; a failure is logged and recorded as a `job.failed` system event, then re-raised. */
export const runJob = (job: JobDefinition, now: Date, flags: FlagValues = {}) =>
  job.run(now, flags).pipe(
    Effect.tapErrorCause((cause) =>
      Effect.zipRight(
        Effect.logError(`job ${job.name} failed`, cause),
        recordSystemEvent({ level: "ERROR", type: "job.failed", payload: { job: job.name, error: String(cause) } }).pipe(Effect.ignore)
      )
    ),
    Effect.withLogSpan(`job.${job.name}`)
  )

/**
 * One scheduler tick at `now`: every `tick` job, then the `daily` ones when this instance wins
 * the day's claim. A failing job does not stop the others.
 */
export const runScheduledJobs = (now: Date) =>
  Effect.forEach(
    JOBS.filter((job) => job.schedule !== "manual"),
    (job) =>
      Effect.gen(function* () {
        if (job.schedule === "daily" && !(yield* claimPeriodicRun(job.name, now, 24))) return skipped(job.name, now, "not_due")
        const outcome = yield* runJob(job, now)
        const acted = Object.entries(outcome).some(([key, value]) => ["applied", "released", "deleted"].includes(key) && Number(value) > 0)
        yield* (acted ? Effect.logInfo : Effect.logDebug)(`job ${job.name}`).pipe(Effect.annotateLogs({ ...outcome }))
        return outcome
      }).pipe(Effect.catchAllCause(() => Effect.succeed<JobResult | null>(null))),
    { concurrency: 1 }
  ).pipe(Effect.map((results) => results.filter((r): r is JobResult => r !== null)))
