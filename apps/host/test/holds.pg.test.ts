import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { hasRealPostgres } from "../../../test/support/TestDatabase.js"
import { type TestHost, textMessage } from "../../../test/support/TestHost.js"
import { type Journey, seedLead, startJourney } from "./support/journey.js"

const PICKS = 100

// Embedded PGlite serialises every statement, so it cannot show a race; this needs a real server.
describe.skipIf(!hasRealPostgres)("slot holds under concurrent picks (real PostgreSQL; skipped without TEST_DATABASE_URL)", () => {
  let j: Journey
  let host: TestHost
  beforeAll(async () => {
    j = await startJourney()
    host = j.host
  }, 120_000)
  afterAll(async () => {
    await j?.close()
  })

  it(`${PICKS} leads picking overlapping slots at once never hold overlapping time`, async () => {
    // Three-hour slots starting every 30 minutes on one day ten days out: each overlaps its neighbours.
    const day = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 10, 9)
    const slotAt = (i: number) => {
      const start = day + (i % 12) * 30 * 60_000
      return { start: new Date(start).toISOString(), end: new Date(start + 3 * 3_600_000).toISOString() }
    }
    const leads = await Promise.all(Array.from({ length: PICKS }, () => seedLead(host)))
    await Promise.all(
      leads.map((lead, i) =>
        host.query("UPDATE leads SET status = 'AWAITING_DEPOSIT', offered_slots = $2::jsonb, slot_offered_at = now() WHERE id = $1", [
          lead.id,
          JSON.stringify([slotAt(i)])
        ])
      )
    )
    const responses = await Promise.all(leads.map((lead) => host.whatsapp({ messages: [textMessage(lead.from, "1")] })))
    expect(responses.map((r) => r.status)).toEqual(leads.map(() => 200))
    const overlaps = await host.query<{ a: number; b: number }>(
      `SELECT a.id AS a, b.id AS b FROM slot_holds a JOIN slot_holds b ON a.id < b.id
       WHERE a.state <> 'RELEASED' AND b.state <> 'RELEASED'
         AND tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')`
    )
    expect(overlaps).toEqual([])
    const held = await host.query<{ leadId: number }>("SELECT lead_id FROM slot_holds WHERE state = 'HELD'")
    // 3-hour slots on a 30-minute grid over 6 hours: at most two can be held side by side, and at least one is.
    expect(held.length).toBeGreaterThanOrEqual(1)
    expect(held.length).toBeLessThanOrEqual(2)
    // Every lead that lost was told and is back to choosing (none holds a slot it does not own in slot_holds).
    const chosen = await host.query<{ id: number }>(
      "SELECT id FROM leads WHERE id = ANY($1::int[]) AND chosen_slot_start IS NOT NULL",
      [leads.map((l) => l.id)]
    )
    expect(chosen.map((c) => c.id).sort()).toEqual(held.map((h) => h.leadId).sort())
    const apologies = await host.query<{ n: number }>(
      "SELECT count(DISTINCT lead_id)::int AS n FROM outbox WHERE lead_id = ANY($1::int[]) AND kind = 'copy.slot_taken_apology'",
      [leads.map((l) => l.id)]
    )
    expect(apologies[0]!.n).toBe(PICKS - held.length)
  }, 120_000)
})
