import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** The funnel's stages, in order. */
export const FUNNEL_STAGES = ["new", "qualifying", "pending_approval", "approved", "slot_chosen", "deposit_paid", "booked"] as const
export type FunnelStageName = (typeof FUNNEL_STAGES)[number]

/** Where leads leave the happy path: the status a lead entered, by reason. */
export const DROP_OFF_STATUSES = {
  opt_out: "OPTOUT",
  abandoned: "ABANDONED",
  stale: "STALE",
  rejected: "REJECTED",
  needs_follow_up: "NEEDS_FOLLOW_UP",
  needs_artist_reply: "NEEDS_ARTIST_REPLY",
  deposit_expired: "DEPOSIT_EXPIRED",
  waitlisted: "WAITLISTED",
  cancelled: "CANCELLED",
  refunded: "REFUNDED"
} as const

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000)

interface FunnelRow {
  readonly since: Date
  readonly until: Date
  readonly new: number
  readonly qualifying: number
  readonly pendingApproval: number
  readonly approved: number
  readonly slotChosen: number
  readonly depositPaid: number
  readonly booked: number
  readonly optOut: number
  readonly abandoned: number
  readonly stale: number
  readonly rejected: number
  readonly needsFollowUp: number
  readonly needsArtistReply: number
  readonly depositExpired: number
  readonly waitlisted: number
  readonly cancelled: number
  readonly refunded: number
}

/**
 * The funnel of the leads created in the last `days` days, followed to now through `lead_events`
 * (one row per event with its from/to status). A stage counts the leads that ever reached it:
 * qualifying / pending approval / booked = entered that status; approved = an `Approve` event;
 * slot chosen = a `SlotChosen` event; deposit paid = a payment applied. Drop-off counts the leads
 * that entered each leaving status (a lead can appear under several reasons, e.g. stale then rejected).
 */
export const funnel = (days: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const entered = (status: string) => sql.literal(`count(DISTINCT e.lead_id) FILTER (WHERE e.to_status = '${status}' AND e.from_status <> e.to_status)`)
    const rows = yield* sql<FunnelRow>`
      WITH bounds AS (SELECT now() - make_interval(days => ${days}) AS since, now() AS until),
      cohort AS (SELECT l.id, l.status, l.deposit_paid_at FROM leads l, bounds b WHERE l.created_at >= b.since)
      SELECT b.since, b.until,
        (SELECT count(*) FROM cohort)::int AS new,
        ${entered("QUALIFYING")}::int AS qualifying,
        ${entered("PENDING_APPROVAL")}::int AS pending_approval,
        count(DISTINCT e.lead_id) FILTER (WHERE e.event = 'Approve')::int AS approved,
        count(DISTINCT e.lead_id) FILTER (WHERE e.event = 'SlotChosen')::int AS slot_chosen,
        count(DISTINCT c.id) FILTER (WHERE c.deposit_paid_at IS NOT NULL
          OR (e.event = 'DepositPaid' AND e.to_status IN ('BOOKING_PENDING', 'DEPOSIT_PAID')))::int AS deposit_paid,
        ${entered("BOOKED")}::int AS booked,
        ${entered("OPTOUT")}::int AS opt_out,
        ${entered("ABANDONED")}::int AS abandoned,
        ${entered("STALE")}::int AS stale,
        ${entered("REJECTED")}::int AS rejected,
        ${entered("NEEDS_FOLLOW_UP")}::int AS needs_follow_up,
        ${entered("NEEDS_ARTIST_REPLY")}::int AS needs_artist_reply,
        ${entered("DEPOSIT_EXPIRED")}::int AS deposit_expired,
        ${entered("WAITLISTED")}::int AS waitlisted,
        ${entered("CANCELLED")}::int AS cancelled,
        ${entered("REFUNDED")}::int AS refunded
      FROM bounds b
      LEFT JOIN cohort c ON true
      LEFT JOIN lead_events e ON e.lead_id = c.id
      GROUP BY b.since, b.until`
    const row = rows[0]!
    const statuses = yield* sql<{ status: string; n: number }>`
      SELECT status, count(*)::int AS n FROM leads WHERE created_at >= ${row.since}
      GROUP BY status ORDER BY status`
    const counts: Record<FunnelStageName, number> = {
      new: row.new,
      qualifying: row.qualifying,
      pending_approval: row.pendingApproval,
      approved: row.approved,
      slot_chosen: row.slotChosen,
      deposit_paid: row.depositPaid,
      booked: row.booked
    }
    const stages = FUNNEL_STAGES.map((stage, i) => ({
      stage,
      count: counts[stage],
      rate_from_previous: i === 0 ? null : ratio(counts[stage], counts[FUNNEL_STAGES[i - 1]!]),
      rate_from_new: ratio(counts[stage], counts.new)
    }))
    const rates: Record<string, number | null> = {}
    for (const s of stages.slice(1)) rates[s.stage] = s.rate_from_previous
    const dropOff: Record<keyof typeof DROP_OFF_STATUSES, number> = {
      opt_out: row.optOut,
      abandoned: row.abandoned,
      stale: row.stale,
      rejected: row.rejected,
      needs_follow_up: row.needsFollowUp,
      needs_artist_reply: row.needsArtistReply,
      deposit_expired: row.depositExpired,
      waitlisted: row.waitlisted,
      cancelled: row.cancelled,
      refunded: row.refunded
    }
    return {
      period_days: days,
      since: new Date(row.since).toISOString(),
      until: new Date(row.until).toISOString(),
      stages,
      counts,
      rates,
      overall_conversion: ratio(counts.booked, counts.new),
      drop_off: dropOff,
      current_status: Object.fromEntries(statuses.map((s) => [s.status, s.n]))
    }
  })
