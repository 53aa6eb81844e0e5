/**
 * Stripe events duplicated, reordered and delivered concurrently: each applied once, never
 * backwards. Google APIs failing or slow: the conversation goes on, the sheet catches up, and no
 * slot is offered while the calendar's busy times are unknown.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeGoogle, startFakeGoogle } from "../fakes/google-api.js"
import { checkoutCompleted, newNumber, postStripe, seedAwaitingDeposit } from "../support/Fixtures.js"
import { captureStdout, findLeaks, type LogCapture } from "../support/LogCapture.js"
import { databaseKind } from "../support/TestDatabase.js"
import { ADMIN_KEY, APP_SECRET, eventually, startTestHost, STRIPE_WEBHOOK_SECRET, type TestHost, textMessage, VERIFY_TOKEN } from "../support/TestHost.js"

describe(`Stripe and Google faults (${databaseKind})`, () => {
  let google: FakeGoogle
  let host: TestHost
  let logs: LogCapture
  const phones: Array<string> = []

  beforeAll(async () => {
    logs = captureStdout()
    google = await startFakeGoogle({ spreadsheetId: "sheet-faults" })
    host = await startTestHost({
      LOG_LEVEL: "info",
      FEATURE_SHEETS_ENABLED: "true",
      FEATURE_CALENDAR_ENABLED: "true",
      GOOGLE_API_BASE_URL: google.baseUrl,
      GOOGLE_SHEETS_SPREADSHEET_ID: "sheet-faults",
      GOOGLE_SHEETS_CREDENTIALS_JSON: google.serviceAccount.json,
      GOOGLE_CALENDAR_ID: "artist@example.test",
      GOOGLE_CALENDAR_CREDENTIALS_JSON: google.serviceAccount.json
    })
  }, 120_000)

  afterAll(async () => {
    await host?.close()
    await google?.close()
    logs?.stop()
  })

  const number = () => {
    const n = newNumber()
    phones.push(n)
    return n
  }

  it("applies a payment once when the same event arrives 20 times at once", async () => {
    const lead = await seedAwaitingDeposit(host.query, number())
    const event = checkoutCompleted(lead)
    const responses = await Promise.all(Array.from({ length: 20 }, () => postStripe(host.url, event)))
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200))
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ type: string }>))
    expect(bodies.filter((b) => b.type !== "duplicate").length).toBe(1)
    const transitions = await host.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM lead_events WHERE lead_id = $1 AND event = 'DepositPaid' AND to_status = 'BOOKING_PENDING'",
      [lead.leadId]
    )
    expect(transitions[0]!.n).toBe(1)
    const confirmations = await host.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE lead_id = $1 AND kind = 'copy.payment_confirmation'",
      [lead.leadId]
    )
    expect(confirmations[0]!.n).toBe(1)
  })

  it("never moves a paid lead backwards when the expiry arrives after the payment, and flags a second payment", async () => {
    const lead = await seedAwaitingDeposit(host.query, number())
    const paid = checkoutCompleted(lead)
    const expired = checkoutCompleted({ ...lead, type: "checkout.session.expired", paymentStatus: "unpaid" })
    expect((await postStripe(host.url, paid)).status).toBe(200)
    expect((await postStripe(host.url, expired)).status).toBe(200)
    const after = await host.query<{ status: string; depositPaid: boolean }>("SELECT status, deposit_paid FROM leads WHERE id = $1", [lead.leadId])
    expect(after[0]).toEqual({ status: "BOOKING_PENDING", depositPaid: true })
    const outcome = await host.query<{ outcome: string }>("SELECT outcome FROM stripe_events WHERE event_id = $1", [expired.id])
    expect(outcome[0]!.outcome).toBe("not_applied")
  })

  it("handles 10 leads' events (each twice) delivered concurrently and shuffled", async () => {
    const leads = await Promise.all(Array.from({ length: 10 }, () => seedAwaitingDeposit(host.query, number())))
    const events = leads.map((l) => checkoutCompleted(l))
    const deliveries = [...events, ...events].sort(() => Math.random() - 0.5)
    const statuses = await Promise.all(deliveries.map(async (e) => (await postStripe(host.url, e)).status))
    expect(statuses.every((s) => s === 200)).toBe(true)
    const rows = await host.query<{ status: string }>("SELECT status FROM leads WHERE id = ANY($1::int[])", [leads.map((l) => l.leadId)])
    expect(rows.map((r) => r.status)).toEqual(leads.map(() => "BOOKING_PENDING"))
    const stored = await host.query<{ n: number }>("SELECT count(*)::int AS n FROM stripe_events WHERE event_id = ANY($1::text[])", [events.map((e) => e.id)])
    expect(stored[0]!.n).toBe(events.length)
  })

  it("keeps the conversation going while Google is failing and slow; the sheet catches up", async () => {
    // The earlier tests' sheet rows (their payments) may still be on their way on a busy machine: they finish
    // first, so the failures below meet this test's row, and only this test's requests are judged.
    await eventually(async () => {
      const waiting = await host.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE channel = 'sheets' AND status IN ('PENDING', 'SENDING')")
      return waiting[0]!.n === 0
    }, 60_000, 200)
    const earlierRequests = google.requestsTo("/v4/spreadsheets").length
    google.failNext("/v4/spreadsheets", 503, 3, "backendError")
    google.delay(8_000)
    const from = number()
    expect((await host.whatsapp({ messages: [textMessage(from, "Hi, I'd like a tattoo")] })).status).toBe(200)
    expect((await host.whatsapp({ messages: [textMessage(from, "A dragon tattoo on my arm")] })).status).toBe(200)
    const lead = (await host.query<{ id: number }>("SELECT id FROM leads WHERE wa_from = $1", [from]))[0]!
    // Both replies go out while the sheet row is still stuck in its first slow call to Google.
    const snapshot = await eventually(async () => {
      const replies = await host.query<{ status: string }>(
        "SELECT status FROM outbox WHERE lead_id = $1 AND channel = 'whatsapp' AND audience = 'client'",
        [lead.id]
      )
      const sheets = await host.query<{ status: string }>("SELECT status FROM outbox WHERE lead_id = $1 AND channel = 'sheets'", [lead.id])
      return replies.length >= 2 && replies.every((x) => x.status === "SENT") ? { replies, sheets } : undefined
    }, 30_000, 100)
    expect(snapshot.sheets.some((r) => r.status === "SENDING" || r.status === "PENDING")).toBe(true)
    expect(google.requestsTo("/v4/spreadsheets").slice(earlierRequests).every((r) => r.status === 0 || r.status === 503)).toBe(true)
    google.delay(0)
    await eventually(async () => {
      const rows = [...google.sheets.rows.values()].flat()
      return rows.some((row) => String(row[0]) === String(lead.id))
    }, 90_000, 500)
    await eventually(async () => {
      const rows = await host.query<{ status: string }>("SELECT status FROM outbox WHERE lead_id = $1 AND channel = 'sheets'", [lead.id])
      return rows.length > 0 && rows.every((r) => r.status === "SENT")
    }, 60_000, 500)
  }, 150_000)

  it("offers no slot while the calendar's busy times are unknown, then offers once they are known", async () => {
    google.failNext("/calendar/v3/freeBusy", 503, 8, "backendError")
    const from = number()
    const seeded = await host.query<{ id: number }>(
      `INSERT INTO leads (wa_from, client_name, status, deposit_amount_pence, qualification, last_client_message_at, last_client_wa_timestamp)
       VALUES ($1, 'Sam', 'PENDING_APPROVAL', 15000, '{"sizeCategory":"small"}'::jsonb, now(), extract(epoch from now())::bigint) RETURNING id`,
      [from]
    )
    const leadId = seeded[0]!.id
    expect((await host.admin("POST", `/admin/leads/${leadId}/approve`)).status).toBe(200)
    // While freeBusy fails the find_slots row backs off; nothing is offered.
    await eventually(async () => {
      const r = await host.query<{ attempts: number; lastError: string | null }>(
        "SELECT attempts, last_error FROM outbox WHERE lead_id = $1 AND channel = 'calendar' AND kind = 'find_slots'",
        [leadId]
      )
      return r[0] !== undefined && r[0].attempts >= 1 && r[0].lastError?.includes("busy times unavailable")
    }, 60_000, 250)
    const during = await host.query<{ offeredSlots: unknown }>("SELECT offered_slots FROM leads WHERE id = $1", [leadId])
    expect(during[0]!.offeredSlots).toBeNull()
    const offers = await host.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE lead_id = $1 AND kind = 'slot_offer'", [leadId])
    expect(offers[0]!.n).toBe(0)
    // Once the calendar answers, the slots (or the no-slot path) follow.
    await host.admin("POST", "/admin/outbox/retry")
    const done = await eventually(async () => {
      const r = await host.query<{ status: string }>("SELECT status FROM outbox WHERE lead_id = $1 AND channel = 'calendar' AND kind = 'find_slots'", [leadId])
      return r[0]?.status === "SENT" ? r : undefined
    }, 90_000, 500)
    expect(done.length).toBe(1)
    const lead = await host.query<{ offeredSlots: unknown; status: string }>("SELECT offered_slots, status FROM leads WHERE id = $1", [leadId])
    const offered = await host.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM outbox WHERE lead_id = $1 AND kind IN ('slot_offer', 'copy.time_window_request')",
      [leadId]
    )
    expect(offered[0]!.n).toBe(1)
    expect(lead[0]!.status === "AWAITING_DEPOSIT" ? lead[0]!.offeredSlots : "windows").not.toBeNull()
  }, 150_000)

  it("logged no secret, bearer token or full phone number", () => {
    const key = JSON.parse(google.serviceAccount.json) as { private_key: string }
    const keyLine = key.private_key.split("\n")[1] ?? "unused-key-line"
    expect(findLeaks(logs.lines, { secrets: [APP_SECRET, ADMIN_KEY, VERIFY_TOKEN, STRIPE_WEBHOOK_SECRET, keyLine], phones })).toEqual([])
  })
})
