import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { eventually, startTestHost, type TestHost, textMessage } from "../../../test/support/TestHost.js"
import { CONSULTATION_ANSWERS } from "../../../test/support/Answers.js"


let seq = 0
const newNumber = () => `4477009${String(Date.now()).slice(-5)}${String(++seq).padStart(2, "0")}`

const statusOf = async (host: TestHost, from: string) =>
  (await host.query<{ status: string; id: number }>("SELECT id, status FROM leads WHERE wa_from = $1 ORDER BY id DESC LIMIT 1", [from]))[0]

const outbound = async (host: TestHost, leadId: number) =>
  host.query<{ kind: string; status: string; payload: { message: { body?: string } } }>(
    "SELECT kind, status, payload FROM outbox WHERE lead_id = $1 AND audience = 'client' ORDER BY id",
    [leadId]
  )

describe(`consultation over the WhatsApp webhook (${databaseKind})`, () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost()
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  it("walks a new client from the first message to PENDING_APPROVAL, sending every reply", async () => {
    const from = newNumber()
    const first = await host.whatsapp({ messages: [textMessage(from, "Hi, I'd like a tattoo")] })
    expect(first.status).toBe(200)
    const lead = await statusOf(host, from)
    expect(lead?.status).toBe("QUALIFYING")
    for (const answer of CONSULTATION_ANSWERS) {
      const res = await host.whatsapp({ messages: [textMessage(from, answer)] })
      expect(res.status).toBe(200)
    }
    expect((await statusOf(host, from))?.status).toBe("PENDING_APPROVAL")
    await host.drain()
    const sent = await eventually(async () => {
      const rows = await outbound(host, lead!.id)
      return rows.length > 0 && rows.every((r) => r.status === "SENT") ? rows : undefined
    })
    // Welcome (with the first question), one message per answer, and the completion message.
    expect(sent.length).toBeGreaterThanOrEqual(CONSULTATION_ANSWERS.length + 1)
    const answers = await host.query<{ question_key: string }>("SELECT question_key FROM lead_answers WHERE lead_id = $1", [lead!.id])
    expect(answers.length).toBe(CONSULTATION_ANSWERS.length)
    const detail = (await (await host.admin("GET", `/admin/leads/${lead!.id}`)).json()) as {
      status: string
      messages: Array<{ direction: string }>
      summary_text: string
    }
    expect(detail.status).toBe("PENDING_APPROVAL")
    expect(detail.messages.filter((m: { direction: string }) => m.direction === "in").length).toBe(CONSULTATION_ANSWERS.length + 1)
    expect(detail.messages.filter((m: { direction: string }) => m.direction === "out").length).toBe(sent.length)
    expect(detail.summary_text).toContain("Lead #")
  }, 60_000)

  it("asks again for an unreadable size and hands over after the third failure", async () => {
    const from = newNumber()
    await host.whatsapp({ messages: [textMessage(from, "hello")] })
    for (const answer of CONSULTATION_ANSWERS.slice(0, 2)) await host.whatsapp({ messages: [textMessage(from, answer)] })
    await host.whatsapp({ messages: [textMessage(from, "palm-sized")] })
    expect((await statusOf(host, from))?.status).toBe("QUALIFYING")
    await host.whatsapp({ messages: [textMessage(from, "not sure")] })
    await host.whatsapp({ messages: [textMessage(from, "medium-ish")] })
    const lead = await statusOf(host, from)
    expect(lead?.status).toBe("NEEDS_ARTIST_REPLY")
    const rows = await outbound(host, lead!.id)
    // A repair prompt for each of the first two failures, then one holding reply.
    expect(rows.length).toBe(1 + 2 + 2 + 1)
  })

  it("STOP opts out, nothing more is sent, and START brings the client back where they were", async () => {
    const from = newNumber()
    await host.whatsapp({ messages: [textMessage(from, "hello")] })
    await host.whatsapp({ messages: [textMessage(from, CONSULTATION_ANSWERS[0]!)] })
    await host.whatsapp({ messages: [textMessage(from, "STOP")] })
    const lead = await statusOf(host, from)
    expect(lead?.status).toBe("OPTOUT")
    const before = (await outbound(host, lead!.id)).length
    await host.whatsapp({ messages: [textMessage(from, "what about my tattoo?")] })
    expect((await outbound(host, lead!.id)).length).toBe(before)
    await host.whatsapp({ messages: [textMessage(from, "START")] })
    const back = await statusOf(host, from)
    expect(back?.id).toBe(lead!.id)
    expect(back?.status).toBe("QUALIFYING")
    const after = await outbound(host, lead!.id)
    expect(after.length).toBe(before + 1)
    // The opt-out confirmation went out, then nothing until START, then the current question again.
    expect(after.some((r) => r.kind === "copy.opt_out_confirmation")).toBe(true)
  })

  it("processes a message id once, also when it arrives 50 times at once", async () => {
    const from = newNumber()
    const message = textMessage(from, "Hi there")
    const responses = await Promise.all(Array.from({ length: 50 }, () => host.whatsapp({ messages: [message] })))
    expect(responses.every((r) => r.status === 200)).toBe(true)
    const processed = await host.query<{ n: number }>("SELECT count(*)::int AS n FROM processed_messages WHERE message_id = $1", [message.id])
    expect(processed[0]?.n).toBe(1)
    const leads = await host.query<{ id: number }>("SELECT id FROM leads WHERE wa_from = $1", [from])
    expect(leads.length).toBe(1)
    const inbound = await host.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE wa_message_id = $1", [message.id])
    expect(inbound[0]?.n).toBe(1)
    const welcome = await outbound(host, leads[0]!.id)
    expect(welcome.length).toBe(1)
    // The runbook's duplicate query finds nothing.
    expect(await host.query("SELECT message_id, COUNT(*) FROM processed_messages GROUP BY message_id HAVING COUNT(*) > 1")).toEqual([])
  })

  it("creates one lead when a new number's first messages arrive at once, and stores every one of them on it", async () => {
    const from = newNumber()
    const messages = Array.from({ length: 12 }, (_, i) => textMessage(from, `Hello ${i}`))
    const responses = await Promise.all(messages.map((m) => host.whatsapp({ messages: [m] })))
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200))
    const leads = await host.query<{ id: number }>("SELECT id FROM leads WHERE wa_from = $1", [from])
    expect(leads.length).toBe(1)
    const stored = await host.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE lead_id = $1 AND direction = 'in'", [leads[0]!.id])
    expect(stored[0]?.n).toBe(12)
  })

  it("starts exactly one new lead when a closed lead's client writes twice at once", async () => {
    const from = newNumber()
    expect((await host.whatsapp({ messages: [textMessage(from, "Hi")] })).status).toBe(200)
    const first = (await statusOf(host, from))!
    await host.query("UPDATE leads SET status = 'REJECTED' WHERE id = $1", [first.id])
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => host.whatsapp({ messages: [textMessage(from, `Me again ${i}`)] }))
    )
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200))
    const leads = await host.query<{ id: number; status: string }>("SELECT id, status FROM leads WHERE wa_from = $1 ORDER BY id", [from])
    expect(leads.length).toBe(2)
    expect(leads[0]).toEqual({ id: first.id, status: "REJECTED" })
    const stored = await host.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE lead_id = $1 AND direction = 'in'", [leads[1]!.id])
    expect(stored[0]?.n).toBe(8)
  })

  it("processes every message of a payload in timestamp order", async () => {
    const from = newNumber()
    await host.whatsapp({ messages: [textMessage(from, "hello")] })
    const a = textMessage(from, CONSULTATION_ANSWERS[0]!)
    const b = textMessage(from, CONSULTATION_ANSWERS[1]!)
    // Delivered newest first in one payload.
    const res = await host.whatsapp({ messages: [b, a] })
    expect(res.status).toBe(200)
    const lead = await statusOf(host, from)
    const answers = await host.query<{ questionKey: string; answerText: string }>(
      "SELECT question_key, answer_text FROM lead_answers WHERE lead_id = $1 ORDER BY id",
      [lead!.id]
    )
    expect(answers.map((x) => x.answerText)).toEqual([CONSULTATION_ANSWERS[0], CONSULTATION_ANSWERS[1]])
  })

  it("stores an older message that arrives late without rewinding the conversation", async () => {
    const from = newNumber()
    await host.whatsapp({ messages: [textMessage(from, "hello")] })
    const old = textMessage(from, "an old message")
    const newer = textMessage(from, CONSULTATION_ANSWERS[0]!)
    await host.whatsapp({ messages: [newer] })
    const res = await host.whatsapp({ messages: [old] })
    const body = (await res.json()) as { results: Array<{ outcome: string }> }
    expect(body.results[0]?.outcome).toBe("OutOfOrder")
    const lead = await statusOf(host, from)
    const stored = await host.query("SELECT 1 FROM messages WHERE wa_message_id = $1", [old.id])
    expect(stored.length).toBe(1)
    const answers = await host.query<{ answerText: string }>("SELECT answer_text FROM lead_answers WHERE lead_id = $1", [lead!.id])
    expect(answers.map((x) => x.answerText)).toEqual([CONSULTATION_ANSWERS[0]])
  })

  it("rejects a bad or missing signature with 403 and stores nothing", async () => {
    const from = newNumber()
    const body = JSON.stringify({ object: "whatsapp_business_account", entry: [] })
    for (const headers of [{}, { "x-hub-signature-256": "sha256=00" }, { "x-hub-signature-256": "nonsense" }]) {
      const res = await fetch(`${host.url}/webhooks/whatsapp`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })
      expect(res.status).toBe(403)
    }
    expect(await host.query("SELECT 1 FROM leads WHERE wa_from = $1", [from])).toEqual([])
  })

  it("answers malformed JSON and wrong shapes with 400, and oversized bodies with 413", async () => {
    const { signBody } = await import("../../../test/fakes/graph-api.js")
    const { APP_SECRET } = await import("../../../test/support/TestHost.js")
    for (const body of ["{not json", "[]", JSON.stringify({ object: "whatsapp_business_account", entry: "x" })]) {
      const res = await fetch(`${host.url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, APP_SECRET) },
        body
      })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: string }).error).toBe("invalid_payload")
    }
    const huge = "x".repeat(2 * 1024 * 1024)
    const res = await fetch(`${host.url}/webhooks/whatsapp`, { method: "POST", headers: { "content-type": "application/json" }, body: huge })
    expect(res.status).toBe(413)
  })

  it("answers the subscription handshake with Meta's dotted parameters", async () => {
    const ok = await fetch(`${host.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=test`)
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe("test")
    const bad = await fetch(`${host.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=test`)
    expect(bad.status).toBe(403)
  })
})
