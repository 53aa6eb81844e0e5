import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { eventually, startTestHost, type TestHost } from "../../../test/support/TestHost.js"
import { AppConfig } from "../src/config/AppConfig.js"
import { type FlagValues, findJob, type JobName, type JobResult, runJob, runScheduledJobs } from "../src/jobs/Jobs.js"

const HOUR = 3_600_000
const MINUTE = 60_000
const ARTIST = "447700900999"

let seq = 0
const newNumber = () => `4477011${String(Date.now()).slice(-5)}${String(++seq).padStart(2, "0")}`

/**
 * Each test works at its own point in the past, earlier than every test before it: a job run at
 * that test's `now` finds the earlier tests' leads in its future (not due) and leaves them alone.
 */
let epochs = 0
const nextEpoch = () => new Date(Date.UTC(2020, 0, 1) - ++epochs * 200 * 24 * HOUR)
const at = (base: Date, offsetMs: number) => new Date(base.getTime() + offsetMs)

const job = (host: TestHost, name: JobName, now: Date, flags: FlagValues = {}) => host.run(runJob(findJob(name)!, now, flags)) as Promise<JobResult>

/** Inserts a lead in `status` whose client last wrote, and whose status changed, at `since`. */
const seedLead = async (host: TestHost, status: string, since: Date, extra: Record<string, unknown> = {}, waFrom = newNumber()) => {
  const columns = ["wa_from", "status", "last_client_message_at", "status_changed_at", ...Object.keys(extra)]
  const values = [waFrom, status, since, since, ...Object.values(extra)]
  const rows = await host.query<{ id: number }>(
    `INSERT INTO leads (${columns.join(", ")}) VALUES (${values.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING id`,
    values
  )
  return rows[0]!.id
}

const statusOf = async (host: TestHost, id: number) => (await host.query<{ status: string }>("SELECT status FROM leads WHERE id = $1", [id]))[0]?.status

const outboxOf = (host: TestHost, id: number) =>
  host.query<{ id: number; kind: string; template: string | null; audience: string; status: string; sentAs: string | null; payload: { message: { body: string } } }>(
    "SELECT id, kind, template, audience, status, sent_as, payload FROM outbox WHERE lead_id = $1 AND channel = 'whatsapp' ORDER BY id",
    [id]
  )

const applied = (result: JobResult, id: number) => (result.lead_ids as ReadonlyArray<number> | undefined)?.includes(id) ?? false

describe(`scheduled jobs on a controlled clock (${databaseKind})`, () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost({ ARTIST_WHATSAPP_NUMBER: ARTIST, JOBS_ENABLED: "false" }, { worker: false })
  }, 180_000)
  afterAll(async () => {
    await host?.close()
  })

  it("sends reminder 1 at 12 h of silence, free-form, once", async () => {
    const base = nextEpoch()
    const id = await seedLead(host, "QUALIFYING", base)
    const early = await job(host, "consultation-reminder-1", at(base, 12 * HOUR - MINUTE))
    expect(applied(early, id)).toBe(false)
    expect(await outboxOf(host, id)).toEqual([])

    const due = await job(host, "consultation-reminder-1", at(base, 12 * HOUR))
    expect(due.status).toBe("done")
    expect(applied(due, id)).toBe(true)
    for (const later of [12 * HOUR, 13 * HOUR, 20 * HOUR]) {
      expect(applied(await job(host, "consultation-reminder-1", at(base, later)), id)).toBe(false)
    }
    const rows = await outboxOf(host, id)
    expect(rows.map((r) => [r.kind, r.template, r.audience])).toEqual([["copy.reminder_qualifying", null, "client"]])
    expect(rows[0]!.payload.message.body.length).toBeGreaterThan(0)
    const lead = await host.query<{ reminder1SentAt: Date | null; status: string }>("SELECT reminder_1_sent_at, status FROM leads WHERE id = $1", [id])
    expect(new Date(lead[0]!.reminder1SentAt!).toISOString()).toBe(at(base, 12 * HOUR).toISOString())
    expect(lead[0]!.status).toBe("QUALIFYING")
    expect(await host.query("SELECT job FROM job_runs WHERE lead_id = $1", [id])).toEqual([{ job: "consultation-reminder-1" }])
    const events = await host.query<{ payload: { reminder: string } }>(
      "SELECT payload FROM system_events WHERE lead_id = $1 AND event_type = 'reminder.sent'",
      [id]
    )
    expect(events.map((e) => e.payload.reminder)).toEqual(["consultation_first"])
  })

  it("skips reminder 1 once less than an hour of the 24-hour window is left (reminder 2 follows)", async () => {
    const base = nextEpoch()
    const id = await seedLead(host, "QUALIFYING", base)
    const result = await job(host, "consultation-reminder-1", at(base, 23 * HOUR + 30 * MINUTE))
    expect(applied(result, id)).toBe(false)
    expect(await outboxOf(host, id)).toEqual([])
  })

  it("sends reminder 2 at 36 h with the consultation_reminder_2_final template, once", async () => {
    const base = nextEpoch()
    const id = await seedLead(host, "QUALIFYING", base, { client_name: "Sam" })
    expect(applied(await job(host, "consultation-reminder-2", at(base, 36 * HOUR - MINUTE)), id)).toBe(false)
    expect(applied(await job(host, "consultation-reminder-2", at(base, 36 * HOUR)), id)).toBe(true)
    expect(applied(await job(host, "consultation-reminder-2", at(base, 40 * HOUR)), id)).toBe(false)
    const rows = await outboxOf(host, id)
    expect(rows.map((r) => [r.kind, r.template])).toEqual([["copy.reminder_qualifying_final", "consultation_reminder_2_final"]])
    // The client wrote long ago: the outbox sends the template, which says all the reminder says.
    await host.drain()
    const sent = await outboxOf(host, id)
    expect(sent.map((r) => [r.status, r.sentAs])).toEqual([["SENT", "template:consultation_reminder_2_final"]])
    expect(await host.query("SELECT job FROM job_runs WHERE lead_id = $1", [id])).toEqual([{ job: "consultation-reminder-2" }])
  })

  it("marks a quiet consultation ABANDONED at 48 h, and sends no reminder after that", async () => {
    const base = nextEpoch()
    const id = await seedLead(host, "QUALIFYING", base)
    const tour = await seedLead(host, "TOUR_CONVERSION_OFFERED", base)
    expect(applied(await job(host, "mark-abandoned", at(base, 48 * HOUR - MINUTE)), id)).toBe(false)
    expect(await statusOf(host, id)).toBe("QUALIFYING")
    const result = await job(host, "mark-abandoned", at(base, 48 * HOUR))
    expect(applied(result, id) && applied(result, tour)).toBe(true)
    expect(await statusOf(host, id)).toBe("ABANDONED")
    expect(await statusOf(host, tour)).toBe("ABANDONED")
    const history = await host.query("SELECT event, from_status, to_status, actor FROM lead_events WHERE lead_id = $1", [id])
    expect(history).toEqual([{ event: "Abandoned", fromStatus: "QUALIFYING", toStatus: "ABANDONED", actor: "job:mark-abandoned" }])
    expect(applied(await job(host, "consultation-reminder-2", at(base, 48 * HOUR)), id)).toBe(false)
    expect(await outboxOf(host, id)).toEqual([])
  })

  it("marks an approval waiting 3 days STALE and tells the artist", async () => {
    const base = nextEpoch()
    const id = await seedLead(host, "PENDING_APPROVAL", base, { client_name: "Alex" })
    expect(applied(await job(host, "mark-stale-approvals", at(base, 72 * HOUR - MINUTE)), id)).toBe(false)
    expect(applied(await job(host, "mark-stale-approvals", at(base, 72 * HOUR)), id)).toBe(true)
    expect(applied(await job(host, "mark-stale-approvals", at(base, 100 * HOUR)), id)).toBe(false)
    expect(await statusOf(host, id)).toBe("STALE")
    const rows = await outboxOf(host, id)
    expect(rows.map((r) => [r.kind, r.audience])).toEqual([["artist.approval_stale", "artist"]])
    expect(rows[0]!.payload.message.body).toContain(`Lead #${id}`)
    const recipient = await host.query<{ recipient: string }>("SELECT recipient FROM outbox WHERE id = $1", [rows[0]!.id])
    expect(recipient[0]!.recipient).toBe(ARTIST)
  })

  it("expires an unpaid deposit once its checkout expired (after the grace), releasing the hold", async () => {
    const base = nextEpoch()
    const start = at(base, 30 * 24 * HOUR)
    const end = at(start, 2 * HOUR)
    const id = await seedLead(host, "AWAITING_DEPOSIT", at(base, -HOUR), {
      deposit_amount_pence: 15000,
      stripe_checkout_session_id: "cs_test_expiring",
      deposit_checkout_expires_at: base,
      chosen_slot_start: start,
      chosen_slot_end: end
    })
    await host.query("INSERT INTO slot_holds (lead_id, starts_at, ends_at, state, expires_at) VALUES ($1, $2, $3, 'HELD', $4)", [id, start, end, base])
    expect(applied(await job(host, "expire-deposits", at(base, 14 * MINUTE)), id)).toBe(false)
    expect(await statusOf(host, id)).toBe("AWAITING_DEPOSIT")
    expect(applied(await job(host, "expire-deposits", at(base, 15 * MINUTE)), id)).toBe(true)
    expect(await statusOf(host, id)).toBe("DEPOSIT_EXPIRED")
    expect(await host.query("SELECT state FROM slot_holds WHERE lead_id = $1", [id])).toEqual([{ state: "RELEASED" }])
    const kinds = (await outboxOf(host, id)).map((r) => r.kind)
    expect(kinds).toContain("copy.deposit_expired")
    expect(kinds).toContain("artist.deposit_expired")
    const history = await host.query<{ detail: { checkoutSessionId: string } }>("SELECT detail FROM lead_events WHERE lead_id = $1", [id])
    expect(history.map((h) => h.detail.checkoutSessionId)).toEqual(["cs_test_expiring"])
  })

  it("releases expired holds no live checkout covers, and keeps the covered ones", async () => {
    const base = nextEpoch()
    const slot = (day: number) => [at(base, (40 + day) * 24 * HOUR), at(base, (40 + day) * 24 * HOUR + 2 * HOUR)] as const
    const [s1, e1] = slot(0)
    const [s2, e2] = slot(1)
    const orphan = await seedLead(host, "AWAITING_DEPOSIT", base, { chosen_slot_start: s1, chosen_slot_end: e1 })
    const covered = await seedLead(host, "AWAITING_DEPOSIT", base, {
      stripe_checkout_session_id: "cs_test_live",
      deposit_checkout_expires_at: at(base, 2 * HOUR),
      chosen_slot_start: s2,
      chosen_slot_end: e2
    })
    await host.query("INSERT INTO slot_holds (lead_id, starts_at, ends_at, state, expires_at) VALUES ($1, $2, $3, 'HELD', $4)", [orphan, s1, e1, base])
    await host.query("INSERT INTO slot_holds (lead_id, starts_at, ends_at, state, expires_at) VALUES ($1, $2, $3, 'HELD', $4)", [covered, s2, e2, base])
    const result = await job(host, "release-expired-holds", at(base, 30 * MINUTE))
    expect(applied(result, orphan)).toBe(true)
    expect(applied(result, covered)).toBe(false)
    expect(await host.query("SELECT state FROM slot_holds WHERE lead_id = $1", [orphan])).toEqual([{ state: "RELEASED" }])
    expect(await host.query("SELECT state FROM slot_holds WHERE lead_id = $1", [covered])).toEqual([{ state: "HELD" }])
    const events = await host.query("SELECT event_type FROM system_events WHERE lead_id = $1", [orphan])
    expect(events).toEqual([{ eventType: "slot.hold_expired" }])
  })

  it("hands a booking pending for 72 h back to the artist as NEEDS_FOLLOW_UP", async () => {
    const base = nextEpoch()
    const id = await seedLead(host, "BOOKING_PENDING", base, { deposit_paid: true, deposit_paid_at: base, deposit_amount_pence: 15000 })
    expect(applied(await job(host, "booking-pending-follow-up", at(base, 72 * HOUR - MINUTE)), id)).toBe(false)
    expect(applied(await job(host, "booking-pending-follow-up", at(base, 72 * HOUR)), id)).toBe(true)
    expect(await statusOf(host, id)).toBe("NEEDS_FOLLOW_UP")
    const rows = await outboxOf(host, id)
    expect(rows.map((r) => r.kind)).toEqual(["artist.needs_follow_up"])
    expect(rows[0]!.payload.message.body).toContain("Booking pending 72h")
  })

  it("does nothing automated in panic mode, and resumes when it is switched off", async () => {
    const base = nextEpoch()
    const quiet = await seedLead(host, "QUALIFYING", base)
    const waiting = await seedLead(host, "PENDING_APPROVAL", base)
    await host.query(
      "INSERT INTO settings (key, value) VALUES ('panic_mode', 'true'::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
    )
    try {
      const results = (await host.run(runScheduledJobs(at(base, 12 * HOUR)))) as ReadonlyArray<JobResult>
      const leadJobs = results.filter((r) => r.job !== "cleanup-system-events")
      expect(leadJobs.length).toBe(8)
      expect(leadJobs.every((r) => r.status === "skipped" && r.reason === "panic_mode")).toBe(true)
      expect((await job(host, "mark-stale-approvals", at(base, 80 * HOUR))).reason).toBe("panic_mode")
      expect(await statusOf(host, waiting)).toBe("PENDING_APPROVAL")
      expect(await outboxOf(host, quiet)).toEqual([])
      expect(await host.query("SELECT job FROM job_runs WHERE lead_id = $1", [quiet])).toEqual([])
    } finally {
      await host.query("DELETE FROM settings WHERE key = 'panic_mode'")
    }
    expect(applied(await job(host, "consultation-reminder-1", at(base, 12 * HOUR)), quiet)).toBe(true)
  })

  it("never reminds an opted-out client, on the opted-out lead or on another lead of the number", async () => {
    const base = nextEpoch()
    const optedOut = await seedLead(host, "OPTOUT", base, { resume_status: "QUALIFYING" })
    const number = newNumber()
    const older = await seedLead(host, "QUALIFYING", base, {}, number)
    await seedLead(host, "OPTOUT", base, { resume_status: "QUALIFYING" }, number)
    for (const [name, hours] of [
      ["consultation-reminder-1", 12],
      ["consultation-reminder-2", 36]
    ] as const) {
      const result = await job(host, name, at(base, hours * HOUR))
      expect(applied(result, optedOut) || applied(result, older)).toBe(false)
    }
    expect(await outboxOf(host, optedOut)).toEqual([])
    expect(await outboxOf(host, older)).toEqual([])
  })

  it("sends reminder 1 free-form when it goes out inside the window (real clock)", async () => {
    const now = new Date()
    const id = await seedLead(host, "QUALIFYING", at(now, -(12 * HOUR + MINUTE)))
    expect(applied(await job(host, "consultation-reminder-1", now), id)).toBe(true)
    await host.drain()
    expect((await outboxOf(host, id)).map((r) => [r.kind, r.status, r.sentAs])).toEqual([["copy.reminder_qualifying", "SENT", "free_form"]])
  })

  it("outbox-retry sends rows whose backoff has passed; --force also sends the ones still waiting", async () => {
    const lead = await seedLead(host, "QUALIFYING", new Date())
    // A number of its own: rows to one recipient go out in order, so another test's rows cannot hold these back.
    const recipient = newNumber()
    const insert = (nextAttempt: string) =>
      host.query<{ id: number }>(
        `INSERT INTO outbox (lead_id, channel, kind, recipient, audience, payload, status, attempts, last_error, next_attempt_at)
         VALUES ($1, 'whatsapp', 'artist.test', $2, 'artist', '{"message":{"_tag":"Text","body":"retry me"}}'::jsonb, 'PENDING', 2, 'timeout', now() + $3::interval)
         RETURNING id`,
        [lead, recipient, nextAttempt]
      )
    const [due] = await insert("-1 second")
    const [waiting] = await insert("1 hour")
    const first = await job(host, "outbox-retry", new Date())
    expect(first.processed).toBeGreaterThanOrEqual(1)
    const status = async (id: number) => (await host.query<{ status: string }>("SELECT status FROM outbox WHERE id = $1", [id]))[0]?.status
    expect(await status(due!.id)).toBe("SENT")
    expect(await status(waiting!.id)).toBe("PENDING")
    const forced = await job(host, "outbox-retry", new Date(), { force: true })
    expect(forced.made_due).toBeGreaterThanOrEqual(1)
    expect(await status(waiting!.id)).toBe("SENT")
  })

  it("cleanup-system-events deletes events older than the retention, and the scheduler runs it once a day", async () => {
    await host.query(
      "INSERT INTO system_events (level, event_type, payload, created_at) VALUES ('INFO', 'test.old', '{}'::jsonb, now() - interval '91 days'), ('INFO', 'test.recent', '{}'::jsonb, now() - interval '89 days')"
    )
    const result = await job(host, "cleanup-system-events", new Date(), { "retention-days": 90 })
    expect(result.deleted).toBeGreaterThanOrEqual(1)
    expect(await host.query("SELECT event_type FROM system_events WHERE event_type LIKE 'test.%' ORDER BY event_type")).toEqual([
      { eventType: "test.recent" }
    ])
    const daily = async (now: Date) =>
      ((await host.run(runScheduledJobs(now))) as ReadonlyArray<JobResult>).find((r) => r.job === "cleanup-system-events")!
    const now = new Date()
    expect((await daily(now)).status).toBe("done")
    expect((await daily(at(now, 23 * HOUR))).reason).toBe("not_due")
    expect((await daily(at(now, 24 * HOUR))).status).toBe("done")
  })

  it("POST /admin/events/retention-cleanup deletes the same way, and refuses a bad retention_days", async () => {
    await host.query(
      "INSERT INTO system_events (level, event_type, payload, created_at) VALUES ('INFO', 'http.old', '{}'::jsonb, now() - interval '200 days'), ('INFO', 'http.recent', '{}'::jsonb, now() - interval '1 day')"
    )
    for (const bad of ["0", "-5", "abc", "1.5"]) {
      const res = await host.admin("POST", `/admin/events/retention-cleanup?retention_days=${bad}`)
      expect(res.status, bad).toBe(400)
    }
    expect((await host.query("SELECT event_type FROM system_events WHERE event_type LIKE 'http.%'")).length).toBe(2)
    const res = await host.admin("POST", "/admin/events/retention-cleanup?retention_days=90")
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ deleted: 1, retention_days: 90 })
    expect(await host.query("SELECT event_type FROM system_events WHERE event_type LIKE 'http.%'")).toEqual([{ eventType: "http.recent" }])
  })
})

describe(`scheduled jobs running by themselves, reminders switched off (${databaseKind})`, () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost({ JOBS_ENABLED: "true", JOBS_INTERVAL_SECONDS: "1", FEATURE_REMINDERS_ENABLED: "false" })
  }, 180_000)
  afterAll(async () => {
    await host?.close()
  })

  it("abandons a 48-hour-quiet consultation on its own, and sends no reminder with FEATURE_REMINDERS_ENABLED=false", async () => {
    const now = Date.now()
    const quiet = await seedLead(host, "QUALIFYING", new Date(now - 13 * HOUR))
    const quieter = await seedLead(host, "QUALIFYING", new Date(now - 37 * HOUR))
    const gone = await seedLead(host, "QUALIFYING", new Date(now - 49 * HOUR))
    await eventually(async () => (await statusOf(host, gone)) === "ABANDONED", 60_000, 200)
    // The tick that abandoned it ran the reminder jobs first (while the others were due): they sent nothing.
    const result = await job(host, "consultation-reminder-1", new Date())
    expect(result).toMatchObject({ status: "skipped", reason: "reminders_disabled" })
    expect((await job(host, "consultation-reminder-2", new Date())).reason).toBe("reminders_disabled")
    expect(await outboxOf(host, quiet)).toEqual([])
    expect(await outboxOf(host, quieter)).toEqual([])
    expect(await host.query("SELECT * FROM job_runs WHERE lead_id IN ($1, $2)", [quiet, quieter])).toEqual([])
    expect(await statusOf(host, quiet)).toBe("QUALIFYING")
  })
})

describe("job variables", () => {
  const load = (env: Record<string, string>) => Effect.runPromise(Effect.either(Effect.provide(AppConfig, AppConfig.layerFromEnv(env))))

  it("default to the spec's timings", async () => {
    const config = await load({})
    expect(Either.isRight(config)).toBe(true)
    if (Either.isRight(config)) {
      expect(config.right.jobs).toEqual({
        enabled: true,
        intervalSeconds: 60,
        reminder1Hours: 12,
        reminder2Hours: 36,
        abandonedHours: 48,
        staleApprovalDays: 3,
        bookingPendingFollowUpHours: 72,
        depositExpiryGraceMinutes: 15,
        systemEventRetentionDays: 90
      })
    }
  })

  it("refuse timings out of order or out of range, naming the variable", async () => {
    const order = await load({ REMINDER_1_HOURS: "20", REMINDER_2_HOURS: "18" })
    expect(Either.isLeft(order) && String((order.left as { message: string }).message)).toContain("REMINDER_2_HOURS")
    const range = await load({ REMINDER_1_HOURS: "30" })
    expect(Either.isLeft(range) && String((range.left as { message: string }).message)).toContain("REMINDER_1_HOURS")
    const abandoned = await load({ ABANDONED_HOURS: "30" })
    expect(Either.isLeft(abandoned) && String((abandoned.left as { message: string }).message)).toContain("ABANDONED_HOURS")
  })
})
