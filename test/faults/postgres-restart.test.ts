/**
 * PostgreSQL stopped and started in the middle of a stream of signed webhooks (a private server,
 * never the shared one): while it is down the webhooks answer 5xx so Meta and Stripe retry; every
 * failed delivery is then replayed, as they would, and every message and payment is processed
 * exactly once, with nothing lost and no message sent twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startFakeGraphApi, type FakeGraphApi, type WebhookMessageInput } from "../fakes/graph-api.js"
import { checkoutCompleted, GRAPH_TOKEN, graphEnv, newNumber, postStripe, seedAwaitingDeposit } from "../support/Fixtures.js"
import { captureStdout, findLeaks, type LogCapture } from "../support/LogCapture.js"
import { type PrivatePostgres, privatePostgresUnavailable, startPrivatePostgres } from "../support/PrivatePostgres.js"
import { ADMIN_KEY, APP_SECRET, eventually, startTestHost, STRIPE_WEBHOOK_SECRET, type TestHost, textMessage, VERIFY_TOKEN } from "../support/TestHost.js"

const unavailable = privatePostgresUnavailable()

describe.skipIf(unavailable !== undefined)(`PostgreSQL restarted mid-traffic${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  let pg: PrivatePostgres
  let fake: FakeGraphApi
  let host: TestHost
  let logs: LogCapture
  const phones: Array<string> = []

  beforeAll(async () => {
    logs = captureStdout()
    pg = await startPrivatePostgres()
    fake = await startFakeGraphApi({ accessToken: GRAPH_TOKEN })
    host = await startTestHost({ DATABASE_URL: pg.url, LOG_LEVEL: "info", ...graphEnv(fake.baseUrl) })
  }, 120_000)

  afterAll(async () => {
    await host?.close()
    await fake?.close()
    pg?.destroy()
    logs?.stop()
  })

  it("answers 5xx while the database is down, then processes every replayed delivery exactly once", async () => {
    const conversations = 12
    const numbers = Array.from({ length: conversations }, () => newNumber())
    phones.push(...numbers)
    const payers = await Promise.all(Array.from({ length: 8 }, async () => {
      const from = newNumber()
      phones.push(from)
      return seedAwaitingDeposit(host.query, from)
    }))
    const messages: Array<WebhookMessageInput> = []
    const failedMessages: Array<WebhookMessageInput> = []
    const failedStripe: Array<ReturnType<typeof checkoutCompleted>> = []
    const sentEvents: Array<ReturnType<typeof checkoutCompleted>> = []
    const statuses: Array<number> = []
    let stopAt = -1
    let stoppedFor = 0
    const rounds = 10
    for (let round = 0; round < rounds; round++) {
      if (round === 3) {
        pg.stop()
        stopAt = messages.length
      }
      const batch = numbers.map((from) => textMessage(from, round === 0 ? "Hi, I'd like a tattoo" : `answer ${round}`))
      messages.push(...batch)
      const payer = payers[round]
      const event = payer ? checkoutCompleted(payer) : undefined
      if (event) sentEvents.push(event)
      const results = await Promise.all([
        ...batch.map(async (m) => {
          const res = await host.whatsapp({ messages: [m] }).catch(() => undefined)
          statuses.push(res?.status ?? 0)
          if (res?.status !== 200) failedMessages.push(m)
        }),
        ...(event
          ? [
              (async () => {
                const res = await postStripe(host.url, event).catch(() => undefined)
                statuses.push(res?.status ?? 0)
                if (res?.status !== 200) failedStripe.push(event)
              })()
            ]
          : [])
      ])
      expect(results.length).toBeGreaterThan(0)
      if (round === 5) {
        stoppedFor = messages.length - stopAt
        pg.start()
      }
    }
    // While it was down, the host said "retry later" (5xx), never 2xx for work it could not store and never 4xx.
    expect(stoppedFor).toBeGreaterThan(0)
    expect(failedMessages.length).toBeGreaterThanOrEqual(numbers.length)
    expect(statuses.every((s) => s === 200 || (s >= 500 && s < 600))).toBe(true)
    expect(failedStripe.length).toBeGreaterThan(0)

    // Meta and Stripe retry every failed delivery until it is accepted (here: in order, per sender).
    await eventually(
      async () => {
        for (const m of [...failedMessages]) {
          const res = await host.whatsapp({ messages: [m] }).catch(() => undefined)
          if (res?.status === 200) failedMessages.splice(failedMessages.indexOf(m), 1)
        }
        for (const e of [...failedStripe]) {
          const res = await postStripe(host.url, e).catch(() => undefined)
          if (res?.status === 200) failedStripe.splice(failedStripe.indexOf(e), 1)
        }
        return failedMessages.length === 0 && failedStripe.length === 0
      },
      60_000,
      500
    )
    // And some deliveries arrive twice anyway (Meta's at-least-once): still processed once.
    for (const m of messages.slice(0, 5)) expect((await host.whatsapp({ messages: [m] })).status).toBe(200)
    for (const e of sentEvents.slice(0, 4)) expect((await postStripe(host.url, e)).status).toBe(200)

    const ids = messages.map((m) => m.id).sort()
    const processed = await host.query<{ messageId: string }>("SELECT message_id FROM processed_messages ORDER BY message_id")
    expect(processed.map((r) => r.messageId)).toEqual(ids)
    const inbound = await host.query<{ waMessageId: string; n: number }>(
      "SELECT wa_message_id, count(*)::int AS n FROM messages WHERE direction = 'in' GROUP BY wa_message_id"
    )
    expect(inbound.length).toBe(ids.length)
    expect(inbound.every((r) => r.n === 1)).toBe(true)
    // One lead per number.
    const leads = await host.query<{ waFrom: string; n: number }>("SELECT wa_from, count(*)::int AS n FROM leads GROUP BY wa_from")
    expect(leads.filter((l) => numbers.includes(l.waFrom)).map((l) => l.n)).toEqual(numbers.map(() => 1))
    // Every payment applied exactly once.
    const paid = await host.query<{ id: number; status: string; depositPaid: boolean }>(
      "SELECT id, status, deposit_paid FROM leads WHERE id = ANY($1::int[])",
      [payers.map((p) => p.leadId)]
    )
    expect(paid.every((l) => l.status === "BOOKING_PENDING" && l.depositPaid)).toBe(true)
    const paidEvents = await host.query<{ leadId: number; n: number }>(
      "SELECT lead_id, count(*)::int AS n FROM lead_events WHERE event = 'DepositPaid' GROUP BY lead_id"
    )
    const stripeRows = await host.query<{ eventId: string }>("SELECT event_id FROM stripe_events ORDER BY event_id")
    expect(stripeRows.map((r) => r.eventId)).toEqual(sentEvents.map((e) => e.id).sort())
    expect(paidEvents.length).toBe(payers.length)
    expect(paidEvents.every((e) => e.n === 1)).toBe(true)

    // The outbox drains to the fake Graph API: every row sent, none twice.
    let last: ReadonlyArray<{ id: number; status: string; waMessageId: string | null; lastError: string | null; kind: string }> = []
    const rows = await eventually(
      async () => {
        await host.drain()
        last = await host.query("SELECT id, status, wa_message_id, last_error, kind FROM outbox WHERE channel = 'whatsapp'")
        return last.length > 0 && last.every((x) => x.status === "SENT") ? last : undefined
      },
      60_000,
      250
    ).catch((e) => {
      throw new Error(`${e}: ${JSON.stringify(last.filter((x) => x.status !== "SENT"))}`)
    })
    const accepted = fake.messages().filter((r) => r.status === 200)
    if (accepted.length !== rows.length) {
      const seen = new Map<string, number>()
      for (const r of accepted) seen.set(r.rawBody, (seen.get(r.rawBody) ?? 0) + 1)
      const dups = [...seen].filter(([, n]) => n > 1)
      const detail = await host.query("SELECT id, status, attempts, last_error FROM outbox ORDER BY id")
      throw new Error(`sent more than once: ${JSON.stringify(dups)}\n${JSON.stringify(detail)}`)
    }
    expect(accepted.length).toBe(rows.length)
    expect(new Set(rows.map((r) => r.waMessageId)).size).toBe(rows.length)
  }, 240_000)

  it("logs no secret, bearer token or full phone number", () => {
    const leaks = findLeaks(logs.lines, {
      secrets: [APP_SECRET, ADMIN_KEY, VERIFY_TOKEN, STRIPE_WEBHOOK_SECRET, GRAPH_TOKEN],
      phones
    })
    expect(leaks).toEqual([])
    expect(logs.lines.some((l) => l.includes('"level":"error"'))).toBe(true)
  })
})
