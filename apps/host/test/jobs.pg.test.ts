import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { hasRealPostgres } from "../../../test/support/TestDatabase.js"
import { eventually, startTestHost, type TestHost } from "../../../test/support/TestHost.js"
import { type JobResult, runScheduledJobs } from "../src/jobs/Jobs.js"

const HOUR = 3_600_000
const ARTIST = "447700900998"
const PER_KIND = 30

/**
 * Two hosts on one real PostgreSQL database, both with the scheduler ticking every second and the
 * outbox worker on, plus manual runs of every job from both at once: each reminder, status change
 * and message must happen exactly once.
 */
describe.skipIf(!hasRealPostgres)("scheduled jobs on two instances sharing one PostgreSQL", () => {
  let a: TestHost
  let b: TestHost
  const env = { JOBS_ENABLED: "true", JOBS_INTERVAL_SECONDS: "1", ARTIST_WHATSAPP_NUMBER: ARTIST }
  beforeAll(async () => {
    a = await startTestHost(env)
    b = await startTestHost(env, { databaseUrl: a.databaseUrl! })
  }, 180_000)
  afterAll(async () => {
    await b?.close()
    await a?.close()
  })

  it("sends each reminder once and applies each status change once", async () => {
    const now = Date.now()
    const kinds = [
      ["QUALIFYING", 13 * HOUR, "reminder1"],
      ["QUALIFYING", 37 * HOUR, "reminder2"],
      ["QUALIFYING", 50 * HOUR, "abandoned"],
      ["PENDING_APPROVAL", 4 * 24 * HOUR, "stale"]
    ] as const
    const values: Array<unknown> = []
    const tuples: Array<string> = []
    kinds.forEach(([status, age, tag], k) => {
      for (let i = 0; i < PER_KIND; i++) {
        const since = new Date(now - age)
        values.push(`44770${k}${String(now).slice(-4)}${String(i).padStart(3, "0")}`, status, since, tag)
        const n = values.length
        tuples.push(`($${n - 3}, $${n - 2}, $${n - 1}, $${n - 1}, $${n})`)
      }
    })
    // One statement: both schedulers see every lead at once, or none of them.
    await a.query(
      `INSERT INTO leads (wa_from, status, last_client_message_at, status_changed_at, admin_notes) VALUES ${tuples.join(", ")}`,
      values
    )
    const manual = (await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).run(runScheduledJobs(new Date())))
    )) as ReadonlyArray<ReadonlyArray<JobResult>>
    // Nothing refused or failed; skipped only for the day's retention (claimed once) and the disabled calendar.
    expect(manual.flat().filter((r) => r.status !== "done" && r.reason !== "not_due" && r.reason !== "calendar_disabled")).toEqual([])
    expect(manual.flat().filter((r) => Number(r.failed ?? 0) > 0 || Number(r.refused ?? 0) > 0)).toEqual([])
    const appliedBy = (results: ReadonlyArray<ReadonlyArray<JobResult>>) =>
      results.flat().reduce((sum, r) => sum + Number(r.applied ?? 0), 0)
    // At most once in total, whoever applied it (the background ticks took the rest).
    expect(appliedBy(manual)).toBeLessThanOrEqual(4 * PER_KIND)

    const ids = async (tag: string) =>
      (await a.query<{ id: number }>("SELECT id FROM leads WHERE admin_notes = $1 ORDER BY id", [tag])).map((r) => r.id)
    const perLead = (kind: string, leadIds: ReadonlyArray<number>) =>
      a.query<{ leadId: number; n: number }>(
        "SELECT lead_id, count(*)::int AS n FROM outbox WHERE kind = $1 AND lead_id = ANY($2::int[]) GROUP BY lead_id ORDER BY lead_id",
        [kind, leadIds]
      )
    const reminder1 = await ids("reminder1")
    const reminder2 = await ids("reminder2")
    const abandoned = await ids("abandoned")
    const stale = await ids("stale")
    const once = (leadIds: ReadonlyArray<number>) => leadIds.map((leadId) => ({ leadId, n: 1 }))

    // The schedulers keep ticking: wait for every outbox row to be sent, then count.
    await eventually(async () => {
      const pending = await a.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE status IN ('PENDING', 'SENDING')")
      return pending[0]!.n === 0
    }, 60_000, 200)
    expect(await perLead("copy.reminder_qualifying", reminder1)).toEqual(once(reminder1))
    expect(await perLead("copy.reminder_qualifying_final", reminder2)).toEqual(once(reminder2))
    expect(await perLead("copy.reminder_qualifying", reminder2)).toEqual([])
    expect(await perLead("artist.approval_stale", stale)).toEqual(once(stale))
    const runs = await a.query<{ job: string; n: number }>(
      "SELECT job, count(*)::int AS n FROM job_runs WHERE lead_id = ANY($1::int[]) GROUP BY job ORDER BY job",
      [[...reminder1, ...reminder2]]
    )
    expect(runs).toEqual([
      { job: "consultation-reminder-1", n: PER_KIND },
      { job: "consultation-reminder-2", n: PER_KIND }
    ])
    const transitions = await a.query<{ event: string; n: number }>(
      "SELECT event, count(*)::int AS n FROM lead_events WHERE lead_id = ANY($1::int[]) GROUP BY event ORDER BY event",
      [[...abandoned, ...stale]]
    )
    expect(transitions).toEqual([
      { event: "Abandoned", n: PER_KIND },
      { event: "Stale", n: PER_KIND }
    ])
    const statuses = await a.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM leads WHERE id = ANY($1::int[]) GROUP BY status ORDER BY status",
      [[...abandoned, ...stale]]
    )
    expect(statuses).toEqual([
      { status: "ABANDONED", n: PER_KIND },
      { status: "STALE", n: PER_KIND }
    ])
    // Both outbox workers drained the same table: every message went out once.
    const sends = await a.query<{ outboxId: number; n: number }>(
      "SELECT outbox_id, count(*)::int AS n FROM messages WHERE direction = 'out' AND outbox_id IS NOT NULL GROUP BY outbox_id HAVING count(*) > 1"
    )
    expect(sends).toEqual([])
  }, 180_000)
})
