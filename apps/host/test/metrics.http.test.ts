import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { ADMIN_KEY, startTestHost, type TestHost } from "../../../test/support/TestHost.js"
import type { Funnel, SlotParseStats } from "../src/http/Api.js"

const run = promisify(execFile)

type FunnelBody = typeof Funnel.Type
type StatsBody = typeof SlotParseStats.Type
const funnelOf = async (res: Response) => (await res.json()) as FunnelBody
const statsOf = async (res: Response) => (await res.json()) as StatsBody

type Step = readonly [event: string, from: string, to: string]

/** The host's own path for each seeded journey (the same rows LeadEngine writes). */
const PATHS: Record<string, { readonly daysAgo: number; readonly status: string; readonly paid?: boolean; readonly steps: ReadonlyArray<Step> }> = {
  booked: {
    daysAgo: 2,
    status: "BOOKED",
    paid: true,
    steps: [
      ["ConsultationStarted", "NEW", "QUALIFYING"],
      ["ReminderDue", "QUALIFYING", "QUALIFYING"],
      ["ConsultationCompleted", "QUALIFYING", "PENDING_APPROVAL"],
      ["Approve", "PENDING_APPROVAL", "AWAITING_DEPOSIT"],
      ["SlotChosen", "AWAITING_DEPOSIT", "AWAITING_DEPOSIT"],
      ["DepositLinkSent", "AWAITING_DEPOSIT", "AWAITING_DEPOSIT"],
      ["DepositPaid", "AWAITING_DEPOSIT", "BOOKING_PENDING"],
      ["MarkBooked", "BOOKING_PENDING", "BOOKED"]
    ]
  },
  expired: {
    daysAgo: 3,
    status: "DEPOSIT_EXPIRED",
    steps: [
      ["ConsultationStarted", "NEW", "QUALIFYING"],
      ["ConsultationCompleted", "QUALIFYING", "PENDING_APPROVAL"],
      ["Approve", "PENDING_APPROVAL", "AWAITING_DEPOSIT"],
      ["SlotChosen", "AWAITING_DEPOSIT", "AWAITING_DEPOSIT"],
      ["DepositExpired", "AWAITING_DEPOSIT", "DEPOSIT_EXPIRED"]
    ]
  },
  staleThenRejected: {
    daysAgo: 6,
    status: "REJECTED",
    steps: [
      ["ConsultationStarted", "NEW", "QUALIFYING"],
      ["ConsultationCompleted", "QUALIFYING", "PENDING_APPROVAL"],
      ["Stale", "PENDING_APPROVAL", "STALE"],
      ["Reject", "STALE", "REJECTED"]
    ]
  },
  optOut: { daysAgo: 1, status: "OPTOUT", steps: [["ConsultationStarted", "NEW", "QUALIFYING"], ["OptOut", "QUALIFYING", "OPTOUT"]] },
  abandoned: { daysAgo: 4, status: "ABANDONED", steps: [["ConsultationStarted", "NEW", "QUALIFYING"], ["Abandoned", "QUALIFYING", "ABANDONED"]] },
  justArrived: { daysAgo: 0, status: "NEW", steps: [] },
  followUpApproved: {
    daysAgo: 5,
    status: "AWAITING_DEPOSIT",
    steps: [
      ["ConsultationStarted", "NEW", "QUALIFYING"],
      ["ConsultationCompleted", "QUALIFYING", "NEEDS_FOLLOW_UP"],
      ["Approve", "NEEDS_FOLLOW_UP", "AWAITING_DEPOSIT"]
    ]
  },
  // Outside a 7-day period, inside a 30-day one.
  oldBooked: {
    daysAgo: 10,
    status: "BOOKED",
    paid: true,
    steps: [
      ["ConsultationStarted", "NEW", "QUALIFYING"],
      ["ConsultationCompleted", "QUALIFYING", "NEEDS_ARTIST_REPLY"],
      ["Resume", "NEEDS_ARTIST_REPLY", "PENDING_APPROVAL"],
      ["Approve", "PENDING_APPROVAL", "AWAITING_DEPOSIT"],
      ["SlotChosen", "AWAITING_DEPOSIT", "AWAITING_DEPOSIT"],
      ["DepositPaid", "AWAITING_DEPOSIT", "BOOKING_PENDING"],
      ["MarkBooked", "BOOKING_PENDING", "BOOKED"]
    ]
  }
}

/** Slot replies: [result_tag, matched_by, reason, days ago, how many]. */
const PARSES: ReadonlyArray<readonly [string, string | null, string | null, number, number]> = [
  ["Matched", "number", null, 1, 3],
  ["Matched", "list_reply", null, 2, 1],
  ["Matched", "weekday_time", null, 6, 1],
  ["Rejected", null, "chit_chat", 0, 2],
  ["Rejected", null, "out_of_range", 3, 1],
  ["Ambiguous", null, "several_slots_match", 1, 1],
  ["Matched", "number", null, 12, 5],
  ["Rejected", null, "chit_chat", 20, 4]
]

describe(`funnel and slot-parse stats (${databaseKind})`, () => {
  let host: TestHost

  beforeAll(async () => {
    // Jobs off: the seeded leads must stay exactly as written.
    host = await startTestHost({ JOBS_ENABLED: "false" }, { worker: false })
    let n = 0
    for (const path of Object.values(PATHS)) {
      const [lead] = await host.query<{ id: number }>(
        `INSERT INTO leads (wa_from, status, created_at, deposit_paid, deposit_paid_at)
         VALUES ($1, $2, now() - make_interval(days => $3::int, hours => 1), $4, CASE WHEN $4 THEN now() END) RETURNING id`,
        [`4477012000${String(++n).padStart(2, "0")}`, path.status, path.daysAgo, path.paid === true]
      )
      for (const [event, from, to] of path.steps) {
        await host.query("INSERT INTO lead_events (lead_id, event, from_status, to_status, actor) VALUES ($1, $2, $3, $4, 'seed')", [lead!.id, event, from, to])
      }
    }
    for (const [tag, matchedBy, reason, daysAgo, count] of PARSES) {
      for (let i = 0; i < count; i++) {
        await host.query(
          "INSERT INTO slot_parses (lead_id, result_tag, matched_by, reason, created_at) VALUES (NULL, $1, $2, $3, now() - make_interval(days => $4::int, hours => 1))",
          [tag, matchedBy, reason, daysAgo]
        )
      }
    }
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  it("GET /admin/funnel?days=7 counts each stage, its conversion and the drop-off reasons", async () => {
    const res = await host.admin("GET", "/admin/funnel?days=7")
    expect(res.status).toBe(200)
    const body = await funnelOf(res)
    expect(body.period_days).toBe(7)
    expect(new Date(body.until).getTime() - new Date(body.since).getTime()).toBe(7 * 86_400_000)
    expect(body.counts).toEqual({ new: 7, qualifying: 6, pending_approval: 3, approved: 3, slot_chosen: 2, deposit_paid: 1, booked: 1 })
    expect(body.stages).toEqual([
      { stage: "new", count: 7, rate_from_previous: null, rate_from_new: 1 },
      { stage: "qualifying", count: 6, rate_from_previous: 0.8571, rate_from_new: 0.8571 },
      { stage: "pending_approval", count: 3, rate_from_previous: 0.5, rate_from_new: 0.4286 },
      { stage: "approved", count: 3, rate_from_previous: 1, rate_from_new: 0.4286 },
      { stage: "slot_chosen", count: 2, rate_from_previous: 0.6667, rate_from_new: 0.2857 },
      { stage: "deposit_paid", count: 1, rate_from_previous: 0.5, rate_from_new: 0.1429 },
      { stage: "booked", count: 1, rate_from_previous: 1, rate_from_new: 0.1429 }
    ])
    expect(body.rates).toEqual({ qualifying: 0.8571, pending_approval: 0.5, approved: 1, slot_chosen: 0.6667, deposit_paid: 0.5, booked: 1 })
    expect(body.overall_conversion).toBe(0.1429)
    expect(body.drop_off).toEqual({
      opt_out: 1,
      abandoned: 1,
      stale: 1,
      rejected: 1,
      needs_follow_up: 1,
      needs_artist_reply: 0,
      deposit_expired: 1,
      waitlisted: 0,
      cancelled: 0,
      refunded: 0
    })
    expect(body.current_status).toEqual({ ABANDONED: 1, AWAITING_DEPOSIT: 1, BOOKED: 1, DEPOSIT_EXPIRED: 1, NEW: 1, OPTOUT: 1, REJECTED: 1 })
  })

  it("a longer period takes in the older lead; the default period is 7 days", async () => {
    const body = await funnelOf(await host.admin("GET", "/admin/funnel?days=30"))
    expect(body.counts).toEqual({ new: 8, qualifying: 7, pending_approval: 4, approved: 4, slot_chosen: 3, deposit_paid: 2, booked: 2 })
    expect(body.drop_off.needs_artist_reply).toBe(1)
    expect(body.overall_conversion).toBe(0.25)
    const fallback = await funnelOf(await host.admin("GET", "/admin/funnel"))
    expect(fallback.period_days).toBe(7)
    expect(fallback.counts.new).toBe(7)
  })

  it("GET /admin/slot-parse-stats?days=7 counts by matched_by and by reason", async () => {
    const res = await host.admin("GET", "/admin/slot-parse-stats?days=7")
    expect(res.status).toBe(200)
    const body = await statsOf(res)
    expect(body.period_days).toBe(7)
    expect(body.success.number).toBe(3)
    expect(body.success.list_reply).toBe(1)
    expect(body.success.weekday_time).toBe(1)
    expect(body.success.ordinal).toBe(0)
    expect(body.reject.chit_chat).toBe(2)
    expect(body.reject.out_of_range).toBe(1)
    expect(body.reject.no_slots).toBe(0)
    expect(body.ambiguous.several_slots_match).toBe(1)
    expect(body.ambiguous.multiple_choices).toBe(0)
    expect([body.total_success, body.total_reject, body.total_ambiguous, body.total]).toEqual([5, 3, 1, 9])
    const wide = await statsOf(await host.admin("GET", "/admin/slot-parse-stats?days=30"))
    expect([wide.success.number, wide.reject.chit_chat, wide.total]).toEqual([8, 6, 18])
  })

  it("answers bad periods with 400 and no key with 401", async () => {
    for (const days of ["0", "3651", "abc", "1.5", "-7"]) {
      expect((await host.admin("GET", `/admin/funnel?days=${days}`)).status, days).toBe(400)
      expect((await host.admin("GET", `/admin/slot-parse-stats?days=${days}`)).status, days).toBe(400)
    }
    expect((await fetch(`${host.url}/admin/funnel?days=7`)).status).toBe(401)
    expect((await fetch(`${host.url}/admin/slot-parse-stats?days=7`, { headers: { "x-admin-api-key": "wrong" } })).status).toBe(403)
  })

  it("the OpenAPI document lists the metrics endpoints and the action links", async () => {
    const doc = (await (await fetch(`${host.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
    expect(Object.keys(doc.paths["/admin/funnel"] ?? {})).toContain("get")
    expect(Object.keys(doc.paths["/admin/slot-parse-stats"] ?? {})).toContain("get")
    expect(Object.keys(doc.paths["/a/{token}"] ?? {}).sort()).toEqual(["get", "post"])
  })

  it("the runbook's quick-reference curl commands work as written", async () => {
    const funnel = await run("curl", ["-sS", "-H", `X-Admin-API-Key: ${ADMIN_KEY}`, `${host.url}/admin/funnel?days=7`])
    expect(JSON.parse(funnel.stdout).counts.new).toBe(7)
    const stats = await run("curl", ["-sS", "-H", `X-Admin-API-Key: ${ADMIN_KEY}`, `${host.url}/admin/slot-parse-stats?days=7`])
    expect(JSON.parse(stats.stdout).total_success).toBe(5)
  })
})
