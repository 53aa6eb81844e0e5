/**
 * The host as real processes on a private PostgreSQL: killed with SIGKILL in the middle of
 * traffic and restarted (no inbound message lost or processed twice, every outbound message
 * sent), and two instances on one database under load (no outbox row sent twice, no reminder
 * twice). Their stdout (the JSON log) is checked for secrets, tokens and full phone numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeGraphApi, startFakeGraphApi, type WebhookMessageInput } from "../fakes/graph-api.js"
import { type ChildHost, startChildHost } from "../support/ChildHost.js"
import { GRAPH_TOKEN, graphEnv, newNumber } from "../support/Fixtures.js"
import { findLeaks, lineRecorder } from "../support/LogCapture.js"
import { type PrivatePostgres, privatePostgresUnavailable, sqlClientFor, startPrivatePostgres } from "../support/PrivatePostgres.js"
import { ADMIN_KEY, APP_SECRET, eventually, STRIPE_WEBHOOK_SECRET, textMessage, VERIFY_TOKEN } from "../support/TestHost.js"

const unavailable = privatePostgresUnavailable()
const SECRETS = [APP_SECRET, ADMIN_KEY, VERIFY_TOKEN, STRIPE_WEBHOOK_SECRET, GRAPH_TOKEN]

describe.skipIf(unavailable !== undefined)(`host processes killed and doubled${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  let pg: PrivatePostgres
  let fake: FakeGraphApi
  const hosts: Array<ChildHost> = []
  const log = lineRecorder()
  const phones: Array<string> = []

  beforeAll(async () => {
    pg = await startPrivatePostgres()
    fake = await startFakeGraphApi({ accessToken: GRAPH_TOKEN })
  }, 120_000)

  afterAll(async () => {
    for (const h of hosts) await h.kill().catch(() => undefined)
    await fake?.close()
    pg?.destroy()
  })

  const accepted = (numbers: ReadonlyArray<string>) =>
    fake.messages().filter((r) => r.status === 200 && numbers.includes((r.body as { to: string }).to))

  it("loses and duplicates no inbound message across a SIGKILL and restart; every reply is sent", async () => {
    const url = pg.createDatabase("killed")
    const db = sqlClientFor(url)
    const env = { DATABASE_URL: url, JOBS_ENABLED: "false", ...graphEnv(fake.baseUrl) }
    let host = await startChildHost(env, { log })
    hosts.push(host)
    const numbers = Array.from({ length: 10 }, () => newNumber())
    phones.push(...numbers)
    const sent: Array<WebhookMessageInput> = []
    const failed: Array<WebhookMessageInput> = []
    const deliver = async (m: WebhookMessageInput) => {
      const res = await host.whatsapp({ messages: [m] }).catch(() => undefined)
      if (res?.status !== 200) failed.push(m)
    }
    let killed = false
    for (let round = 0; round < 8; round++) {
      const batch = numbers.map((from) => textMessage(from, round === 0 ? "Hi, I'd like a tattoo" : `answer ${round}`))
      sent.push(...batch)
      const inFlight = batch.map(deliver)
      if (round === 3) {
        // Mid-batch: some requests are being processed, some not yet read.
        await new Promise((r) => setTimeout(r, 15))
        await host.kill()
        killed = true
      }
      await Promise.all(inFlight)
      if (killed && round === 3) {
        host = await startChildHost(env, { log, port: host.port })
        hosts.push(host)
      }
    }
    expect(host.process.pid).not.toBe(hosts[0]!.process.pid)
    // Meta retries whatever was not answered 200.
    await eventually(async () => {
      for (const m of [...failed]) {
        const res = await host.whatsapp({ messages: [m] }).catch(() => undefined)
        if (res?.status === 200) failed.splice(failed.indexOf(m), 1)
      }
      return failed.length === 0
    }, 60_000, 500)

    const processed = await db.query<{ messageId: string }>("SELECT message_id FROM processed_messages ORDER BY message_id")
    expect(processed.map((r) => r.messageId)).toEqual(sent.map((m) => m.id).sort())
    const inbound = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE direction = 'in'")
    expect(inbound[0]!.n).toBe(sent.length)
    const leads = await db.query<{ n: number }>("SELECT count(DISTINCT wa_from)::int AS n, count(*)::int AS total FROM leads")
    expect(leads[0]).toMatchObject({ n: numbers.length, total: numbers.length })

    // Every reply goes out. A row the killed process had claimed is released after its claim expires
    // (two minutes), so this can take that long; it may then reach the API a second time (at-least-once).
    const rows = await eventually(async () => {
      const r = await db.query<{ id: number; status: string }>("SELECT id, status FROM outbox WHERE channel = 'whatsapp'")
      return r.length > 0 && r.every((x) => x.status === "SENT") ? r : undefined
    }, 200_000, 1000)
    const out = accepted(numbers)
    const duplicates = out.length - rows.length
    expect(duplicates).toBeGreaterThanOrEqual(0)
    // Only a row in flight at the moment of the kill can go out twice: at most one per conversation.
    expect(duplicates).toBeLessThanOrEqual(numbers.length)
    console.info(`SIGKILL: ${rows.length} outbox rows, ${out.length} accepted sends, ${duplicates} re-sent after the kill`)
    await db.close()
  }, 400_000)

  it("two instances on one database: no outbox row sent twice, one reminder per lead", async () => {
    const url = pg.createDatabase("twin")
    const db = sqlClientFor(url)
    const env = { DATABASE_URL: url, JOBS_ENABLED: "true", JOBS_INTERVAL_SECONDS: "1", ...graphEnv(fake.baseUrl) }
    const a = await startChildHost(env, { log })
    hosts.push(a)
    const b = await startChildHost(env, { log })
    hosts.push(b)
    const numbers = Array.from({ length: 20 }, () => newNumber())
    phones.push(...numbers)
    const messages: Array<WebhookMessageInput> = []
    // Answers the consultation accepts, so the leads are still QUALIFYING afterwards.
    const answers = ["Hi, I'd like a tattoo", "A dragon tattoo on my arm", "Upper arm", "10x15cm", "Realism", "2"]
    for (const answer of answers) {
      const batch = numbers.map((from) => textMessage(from, answer))
      messages.push(...batch)
      // Each delivery to either instance, and a third of them to both at once (Meta's duplicates).
      const results = await Promise.all(
        batch.flatMap((m, i) => (i % 3 === 0 ? [a.whatsapp({ messages: [m] }), b.whatsapp({ messages: [m] })] : [(i % 2 ? a : b).whatsapp({ messages: [m] })]))
      )
      expect(results.every((r) => r.status === 200)).toBe(true)
    }
    const processed = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM processed_messages")
    expect(processed[0]!.n).toBe(messages.length)
    await eventually(async () => {
      const r = await db.query<{ status: string }>("SELECT status FROM outbox WHERE channel = 'whatsapp'")
      return r.length > 0 && r.every((x) => x.status === "SENT")
    }, 60_000, 500)
    const rows = await db.query<{ id: number; waMessageId: string }>("SELECT id, wa_message_id FROM outbox WHERE channel = 'whatsapp'")
    expect(accepted(numbers).length).toBe(rows.length)
    expect(new Set(rows.map((r) => r.waMessageId)).size).toBe(rows.length)

    // Quiet for 13 hours (the window is still open): both schedulers see the reminder due; it goes out once.
    await db.query(
      "UPDATE leads SET last_client_message_at = now() - interval '13 hours', status_changed_at = now() - interval '13 hours' WHERE status = 'QUALIFYING'"
    )
    const qualifying = await db.query<{ id: number; waFrom: string }>("SELECT id, wa_from FROM leads WHERE status = 'QUALIFYING'")
    expect(qualifying.length).toBeGreaterThan(0)
    const before = accepted(numbers).length
    await eventually(async () => {
      const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM leads WHERE status = 'QUALIFYING' AND reminder_1_sent_at IS NOT NULL")
      return r[0]!.n === qualifying.length
    }, 60_000, 500)
    // A few more scheduler ticks on both instances must not send it again.
    await new Promise((r) => setTimeout(r, 4000))
    await eventually(async () => {
      const r = await db.query<{ status: string }>("SELECT status FROM outbox WHERE channel = 'whatsapp'")
      return r.every((x) => x.status === "SENT" || x.status === "HELD")
    }, 30_000, 500)
    const reminders = await db.query<{ leadId: number; n: number }>(
      "SELECT lead_id, count(*)::int AS n FROM outbox WHERE kind LIKE '%reminder%' GROUP BY lead_id"
    )
    expect(reminders.length).toBe(qualifying.length)
    expect(reminders.every((r) => r.n === 1)).toBe(true)
    expect(accepted(numbers).length - before).toBe(qualifying.length)
    await db.close()
  }, 300_000)

  it("the processes logged no secret, token or full phone number", () => {
    log.stop()
    expect(log.lines.length).toBeGreaterThan(10)
    expect(findLeaks(log.lines, { secrets: SECRETS, phones })).toEqual([])
  })
})
