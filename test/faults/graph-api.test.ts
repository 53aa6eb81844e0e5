/**
 * The Graph API failing: 500s, 429s, dropped connections, a stalled answer (client timeout) and
 * 131047 (24-hour window closed). The outbox retries with backoff, never sends one row twice,
 * sends the template (then holds the message) when the window has closed, and holds a message
 * refused with 131047 until the client writes again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeGraphApi, type GraphApiReply, type GraphApiRequest, metaError, startFakeGraphApi } from "../fakes/graph-api.js"
import { GRAPH_TOKEN, graphEnv, newNumber } from "../support/Fixtures.js"
import { captureStdout, findLeaks, type LogCapture } from "../support/LogCapture.js"
import { databaseKind } from "../support/TestDatabase.js"
import { ADMIN_KEY, APP_SECRET, eventually, startTestHost, STRIPE_WEBHOOK_SECRET, type TestHost, textMessage, VERIFY_TOKEN } from "../support/TestHost.js"

type Row = { id: number; status: string; attempts: number; lastError: string | null; waMessageId: string | null; kind: string; sentAs: string | null }

describe(`Graph API faults (${databaseKind})`, () => {
  let fake: FakeGraphApi
  let host: TestHost
  let logs: LogCapture
  const phones: Array<string> = []
  /** Scripted failures per recipient: the next answers for messages to that number. */
  const plans = new Map<string, Array<GraphApiReply>>()

  beforeAll(async () => {
    logs = captureStdout()
    fake = await startFakeGraphApi({ accessToken: GRAPH_TOKEN })
    fake.reply((request: GraphApiRequest) => {
      const to = (request.body as { to?: string } | undefined)?.to
      const plan = to === undefined ? undefined : plans.get(to)
      return plan?.shift()
    })
    host = await startTestHost({ LOG_LEVEL: "info", ...graphEnv(fake.baseUrl) })
  }, 120_000)

  afterAll(async () => {
    await host?.close()
    await fake?.close()
    logs?.stop()
  })

  const number = (plan: Array<GraphApiReply> = []) => {
    const from = newNumber()
    phones.push(from)
    plans.set(from, plan)
    return from
  }
  const rowsFor = (from: string) => host.query<Row>("SELECT id, status, attempts, last_error, wa_message_id, kind, sent_as FROM outbox WHERE recipient = $1 ORDER BY id", [from])
  const acceptedFor = (from: string) => fake.messages().filter((r) => (r.body as { to?: string }).to === from && r.status === 200)
  const allSent = (from: string, timeoutMs = 60_000) =>
    eventually(async () => {
      const rows = await rowsFor(from)
      return rows.length > 0 && rows.every((r) => r.status === "SENT") ? rows : undefined
    }, timeoutMs, 200)

  it("retries 500s past the client's own retries with the outbox backoff, and sends once", async () => {
    // Four attempts inside the client fail, so the row goes back to the outbox with a backoff.
    const from = number(Array.from({ length: 5 }, () => ({ status: 500, body: { error: { message: "boom", code: 1, type: "OAuthException" } } })))
    expect((await host.whatsapp({ messages: [textMessage(from, "Hi, I'd like a tattoo")] })).status).toBe(200)
    const rows = await allSent(from)
    expect(rows.length).toBe(1)
    expect(rows[0]!.attempts).toBeGreaterThanOrEqual(2)
    expect(acceptedFor(from).length).toBe(1)
    const retrying = await host.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM system_events WHERE event_type = 'whatsapp.send_failed.retrying' AND (payload->>'outboxId')::int = $1",
      [rows[0]!.id]
    )
    expect(retrying[0]!.n).toBeGreaterThanOrEqual(1)
  })

  it("waits out 429 rate limits (130429 and a bare 429) and sends once", async () => {
    const from = number([metaError(130429), { status: 429, body: { error: { message: "Too many calls", code: 4 } } }, metaError(130429), metaError(131056)])
    await host.whatsapp({ messages: [textMessage(from, "Hello there")] })
    const rows = await allSent(from)
    expect(rows.length).toBe(1)
    expect(acceptedFor(from).length).toBe(1)
  })

  it("survives dropped connections and a stalled answer (client timeout) without a second delivery", async () => {
    const from = number([{ destroy: true }, { destroy: true }, { delayMs: 12_000 }])
    await host.whatsapp({ messages: [textMessage(from, "Hi")] })
    const rows = await allSent(from, 90_000)
    expect(rows.length).toBe(1)
    // The fake answered (delivered) exactly one request to this number; the others never completed.
    expect(acceptedFor(from).length).toBe(1)
    expect(fake.messages().filter((r) => (r.body as { to?: string }).to === from).length).toBeGreaterThanOrEqual(4)
  }, 120_000)

  it("keeps a conversation in order while one message is backing off", async () => {
    const from = number(Array.from({ length: 5 }, () => ({ status: 503 })))
    await host.whatsapp({ messages: [textMessage(from, "Hi, I'd like a tattoo")] })
    await host.whatsapp({ messages: [textMessage(from, "A dragon tattoo on my arm")] })
    await host.whatsapp({ messages: [textMessage(from, "Upper arm")] })
    const rows = await allSent(from)
    expect(rows.length).toBeGreaterThanOrEqual(3)
    const accepted = acceptedFor(from)
    expect(accepted.length).toBe(rows.length)
    // Delivered in outbox order: the first row's message reached the API first.
    const sentIds = rows.map((r) => r.waMessageId)
    expect(new Set(sentIds).size).toBe(rows.length)
    const order = await host.query<{ outboxId: number }>(
      "SELECT outbox_id FROM messages WHERE direction = 'out' AND lead_id = (SELECT id FROM leads WHERE wa_from = $1) ORDER BY id",
      [from]
    )
    expect(order.map((o) => o.outboxId)).toEqual(rows.map((r) => r.id))
  })

  it("holds a message refused with 131047 and sends it once when the client writes again", async () => {
    const from = number([metaError(131047)])
    await host.whatsapp({ messages: [textMessage(from, "Hi, I'd like a tattoo")] })
    const held = await eventually(async () => {
      const rows = await rowsFor(from)
      return rows.length === 1 && rows[0]!.status === "HELD" ? rows : undefined
    }, 30_000)
    expect(held[0]!.lastError).toContain("131047")
    expect(acceptedFor(from).length).toBe(0)
    // Nothing goes out while it is held, however often the worker runs.
    await host.drain()
    await host.drain()
    expect(acceptedFor(from).length).toBe(0)
    await host.whatsapp({ messages: [textMessage(from, "A dragon tattoo on my arm")] })
    const rows = await allSent(from)
    expect(rows.find((r) => r.id === held[0]!.id)?.status).toBe("SENT")
    expect(acceptedFor(from).length).toBe(rows.length)
  })

  it("sends the template when the 24-hour window has closed, then the message itself after the reply", async () => {
    const from = number()
    const seeded = await host.query<{ id: number }>(
      `INSERT INTO leads (wa_from, client_name, status, deposit_amount_pence, last_client_message_at, last_client_wa_timestamp)
       VALUES ($1, 'Sam', 'PENDING_APPROVAL', 15000, now() - interval '30 hours', extract(epoch from now() - interval '30 hours')::bigint) RETURNING id`,
      [from]
    )
    const leadId = seeded[0]!.id
    expect((await host.admin("POST", `/admin/leads/${leadId}/approve`)).status).toBe(200)
    const held = await eventually(async () => {
      const rows = await rowsFor(from)
      const client = rows.filter((r) => r.kind === "copy.awaiting_deposit")
      return client.length === 1 && client[0]!.status === "HELD" ? client : undefined
    }, 30_000)
    const first = acceptedFor(from)
    expect(first.length).toBe(1)
    expect((first[0]!.body as { type: string }).type).toBe("template")
    expect(JSON.stringify(first[0]!.body)).toContain("next_steps_reply_to_continue")
    // The held message is not sent again (nor the template) until the client replies.
    await host.drain()
    expect(acceptedFor(from).length).toBe(1)
    await host.whatsapp({ messages: [textMessage(from, "ok")] })
    await eventually(async () => (await rowsFor(from)).find((r) => r.id === held[0]!.id)?.status === "SENT", 30_000)
    const after = acceptedFor(from)
    const templates = after.filter((r) => (r.body as { type: string }).type === "template")
    expect(templates.length).toBe(1)
    const texts = after.filter((r) => (r.body as { type: string }).type === "text")
    expect(texts.length).toBeGreaterThanOrEqual(1)
  })

  it("never sent one outbox row twice, and logged no secret, token or full number", async () => {
    const rows = await host.query<{ id: number; waMessageId: string | null }>("SELECT id, wa_message_id FROM outbox WHERE channel = 'whatsapp'")
    // One row may carry two sends: the template (window closed), then the message after the reply.
    const out = await host.query<{ outboxId: number; n: number }>(
      "SELECT outbox_id, count(*)::int AS n FROM messages WHERE direction = 'out' GROUP BY outbox_id, kind = 'template'"
    )
    expect(out.every((o) => o.n === 1)).toBe(true)
    expect(fake.messages().filter((r) => r.status === 200).length).toBe(out.reduce((n, o) => n + o.n, 0))
    expect(rows.length).toBeGreaterThan(0)
    expect(findLeaks(logs.lines, { secrets: [APP_SECRET, ADMIN_KEY, VERIFY_TOKEN, STRIPE_WEBHOOK_SECRET, GRAPH_TOKEN], phones })).toEqual([])
  })
})
