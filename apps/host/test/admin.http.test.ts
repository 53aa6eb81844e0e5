/**
 * The admin API over real HTTP against the running host: authentication first on every route,
 * lead listing and detail, status-locked actions (including concurrent approve + reject), events,
 * outbox, retention, and the health/ready/OpenAPI surface. Both databases (see TestDatabase).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { Agent, get } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { ADMIN_KEY, eventually, imageMessage, startTestHost, type TestHost, textMessage } from "../../../test/support/TestHost.js"
import { CONSULTATION_ANSWERS } from "../../../test/support/Answers.js"


const CONFIG_DIR = fileURLToPath(new URL("../../../config", import.meta.url))
const REQUIRED_TEMPLATES = ["consultation_reminder_2_final", "next_steps_reply_to_continue", "deposit_received_next_steps"]

let seq = 0
const newNumber = () => `4478${String(Date.now()).slice(-6)}${String(++seq % 100).padStart(2, "0")}`

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read loosely; each assertion checks the shape it needs.
type Json = Record<string, any>

const call = async (host: TestHost, method: string, path: string, key: string | null, body?: unknown) => {
  const res = await fetch(`${host.url}${path}`, {
    method,
    headers: {
      ...(key === null ? {} : { "x-admin-api-key": key }),
      ...(body === undefined ? {} : { "content-type": "application/json" })
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await res.text()
  let json: Json | undefined
  try {
    json = JSON.parse(text) as Json
  } catch {
    json = undefined
  }
  return { status: res.status, json, text }
}

/** A lead straight in `status` (the consultation itself is covered elsewhere). */
const seedLead = async (host: TestHost, status: string, options: { from?: string; name?: string | null } = {}) => {
  const rows = await host.query<{ id: number }>(
    `INSERT INTO leads (wa_from, client_name, status, deposit_amount_pence, last_client_message_at, last_client_wa_timestamp)
     VALUES ($1, $2, $3, 15000, now(), extract(epoch from now())::bigint) RETURNING id`,
    [options.from ?? newNumber(), options.name === undefined ? "Seeded Client" : options.name, status]
  )
  return rows[0]!.id
}

const statusOf = async (host: TestHost, id: number) =>
  (await host.query<{ status: string }>("SELECT status FROM leads WHERE id = $1", [id]))[0]?.status

const eventCount = async (host: TestHost, id: number) =>
  (await host.query<{ n: number }>("SELECT count(*)::int AS n FROM lead_events WHERE lead_id = $1", [id]))[0]!.n

/** Walks a client through the consultation over the webhook; an image answers the reference-images question. */
const walkToPendingApproval = async (host: TestHost, from: string, name: string) => {
  const send = async (message: ReturnType<typeof textMessage>) => {
    const res = await host.whatsapp({ messages: [message], names: { [from]: name } })
    expect(res.status).toBe(200)
  }
  await send(textMessage(from, "Hi, I'd like a tattoo"))
  for (const [i, answer] of CONSULTATION_ANSWERS.entries()) {
    await send(i === 6 ? imageMessage(from, "like this one") : textMessage(from, answer))
  }
  const rows = await host.query<{ id: number; status: string }>("SELECT id, status FROM leads WHERE wa_from = $1", [from])
  expect(rows[0]?.status).toBe("PENDING_APPROVAL")
  return rows[0]!.id
}

describe(`admin API (${databaseKind})`, () => {
  let host: TestHost
  let walked: { id: number; from: string; name: string }

  beforeAll(async () => {
    host = await startTestHost()
    const from = newNumber()
    const name = "Walked Person"
    walked = { id: await walkToPendingApproval(host, from, name), from, name }
    await host.drain()
    await eventually(async () => {
      const rows = await host.query<{ status: string }>("SELECT status FROM outbox WHERE lead_id = $1 AND audience = 'client'", [walked.id])
      return rows.length > 0 && rows.every((r) => r.status === "SENT")
    })
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  it("answers every admin route of the OpenAPI document with 401 without a key and 403 with a wrong key", async () => {
    const spec = (await (await fetch(`${host.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
    const routes = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith("/admin"))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path: path.replace("{id}", String(walked.id)) })))
    // Every route the issue names is there (other admin routes get the same checks).
    for (const expected of [
      "GET /admin/leads",
      `GET /admin/leads/${walked.id}`,
      `POST /admin/leads/${walked.id}/approve`,
      `POST /admin/leads/${walked.id}/reject`,
      `POST /admin/leads/${walked.id}/send-deposit`,
      `POST /admin/leads/${walked.id}/mark-booked`,
      `POST /admin/leads/${walked.id}/resume`,
      "GET /admin/events",
      "POST /admin/events/retention-cleanup",
      "GET /admin/outbox",
      "POST /admin/outbox/retry",
      "GET /admin/panic",
      "POST /admin/panic"
    ]) {
      expect(routes.map((r) => `${r.method} ${r.path}`)).toContain(expected)
    }
    const eventsBefore = await eventCount(host, walked.id)
    for (const route of routes) {
      const body = route.method === "POST" ? {} : undefined
      const missing = await call(host, route.method, route.path, null, body)
      expect([route.path, missing.status, missing.json?.error]).toEqual([route.path, 401, "unauthorized"])
      const empty = await call(host, route.method, route.path, "", body)
      expect([route.path, empty.status]).toEqual([route.path, 401])
      const wrong = await call(host, route.method, route.path, `${ADMIN_KEY}x`, body)
      expect([route.path, wrong.status, wrong.json?.error]).toEqual([route.path, 403, "forbidden"])
    }
    // Refused requests changed nothing.
    expect(await statusOf(host, walked.id)).toBe("PENDING_APPROVAL")
    expect(await eventCount(host, walked.id)).toBe(eventsBefore)
  })

  it("answers every admin route with the right key", async () => {
    const reads = ["/admin/leads", `/admin/leads/${walked.id}`, "/admin/events", "/admin/outbox", "/admin/panic"]
    for (const path of reads) {
      const res = await call(host, "GET", path, ADMIN_KEY)
      expect([path, res.status]).toEqual([path, 200])
    }
    expect((await call(host, "POST", "/admin/outbox/retry", ADMIN_KEY)).status).toBe(200)
    expect((await call(host, "POST", "/admin/events/retention-cleanup", ADMIN_KEY)).status).toBe(200)
    // Each status-locked action once, from a status that allows it.
    const approve = await call(host, "POST", `/admin/leads/${await seedLead(host, "PENDING_APPROVAL")}/approve`, ADMIN_KEY)
    expect([approve.status, approve.json?.status]).toEqual([200, "AWAITING_DEPOSIT"])
    const reject = await call(host, "POST", `/admin/leads/${await seedLead(host, "QUALIFYING")}/reject`, ADMIN_KEY, { reason: "Not my style" })
    expect([reject.status, reject.json?.status, reject.json?.message]).toEqual([200, "REJECTED", "Lead rejected."])
    const booked = await call(host, "POST", `/admin/leads/${await seedLead(host, "BOOKING_PENDING")}/mark-booked`, ADMIN_KEY)
    expect([booked.status, booked.json?.status]).toEqual([200, "BOOKED"])
    const handedOver = await seedLead(host, "NEEDS_ARTIST_REPLY")
    await host.query("UPDATE leads SET resume_status = 'PENDING_APPROVAL' WHERE id = $1", [handedOver])
    const resume = await call(host, "POST", `/admin/leads/${handedOver}/resume`, ADMIN_KEY)
    expect([resume.status, resume.json?.status]).toEqual([200, "PENDING_APPROVAL"])
    // Without STRIPE_SECRET_KEY a deposit link cannot be made: a clear error naming the cause, nothing changed.
    const awaiting = await seedLead(host, "AWAITING_DEPOSIT")
    const deposit = await call(host, "POST", `/admin/leads/${awaiting}/send-deposit`, ADMIN_KEY, {})
    expect(deposit.status).toBe(503)
    expect(deposit.json).toEqual({ error: "stripe_not_configured", message: "Set STRIPE_SECRET_KEY to create deposit links." })
    expect(await statusOf(host, awaiting)).toBe("AWAITING_DEPOSIT")
    expect(await eventCount(host, awaiting)).toBe(0)
  })

  it("checks the key before anything else: unknown and malformed ids answer 401 without a key, 404/400 only after auth", async () => {
    for (const path of ["/admin/leads/999999", "/admin/leads/abc", "/admin/leads/-1", "/admin/leads?limit=abc"]) {
      expect([path, (await call(host, "GET", path, null)).status]).toEqual([path, 401])
      expect([path, (await call(host, "GET", path, "wrong")).status]).toEqual([path, 403])
    }
    for (const action of ["approve", "reject", "mark-booked", "resume", "send-deposit"]) {
      for (const id of ["999999", "abc", "0"]) {
        const path = `/admin/leads/${id}/${action}`
        expect([path, (await call(host, "POST", path, null, {})).status]).toEqual([path, 401])
      }
    }
    const unknown = await call(host, "GET", "/admin/leads/999999", ADMIN_KEY)
    expect(unknown.status).toBe(404)
    expect(unknown.json).toEqual({ error: "not_found", message: "Lead 999999 not found" })
    for (const action of ["approve", "reject", "mark-booked", "resume"]) {
      const res = await call(host, "POST", `/admin/leads/999999/${action}`, ADMIN_KEY, {})
      expect([action, res.status, res.json?.error]).toEqual([action, 404, "not_found"])
    }
    expect((await call(host, "GET", "/admin/leads/abc", ADMIN_KEY)).status).toBe(400)
  })

  it("lists leads newest first, filtered by status, searched by number and name, with paging", async () => {
    // Letters only: a search with digits also matches lead ids and numbers.
    const tag = `Zed${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("")}`
    const ids: Array<number> = []
    const numbers: Array<string> = []
    for (let i = 0; i < 5; i++) {
      const from = newNumber()
      numbers.push(from)
      ids.push(await seedLead(host, i % 2 === 0 ? "NEEDS_FOLLOW_UP" : "WAITLISTED", { from, name: `${tag} Client ${"ABCDE"[i]}` }))
    }
    const byName = await call(host, "GET", `/admin/leads?search=${tag}`, ADMIN_KEY)
    expect(byName.status).toBe(200)
    expect(byName.json?.total).toBe(5)
    expect(byName.json?.leads.map((l: Json) => l.id)).toEqual([...ids].reverse())
    expect(Object.keys(byName.json?.leads[0]).sort()).toEqual(
      ["client_name", "created_at", "id", "last_client_message_at", "status", "updated_at", "wa_from"].sort()
    )
    // Name search ignores case; number search finds the full number and a part of it.
    expect((await call(host, "GET", `/admin/leads?search=${tag.toLowerCase()}%20client%20d`, ADMIN_KEY)).json?.leads.map((l: Json) => l.id)).toEqual([ids[3]])
    expect((await call(host, "GET", `/admin/leads?search=${numbers[2]}`, ADMIN_KEY)).json?.leads.map((l: Json) => l.id)).toEqual([ids[2]])
    expect((await call(host, "GET", `/admin/leads?search=%2B${numbers[2]}`, ADMIN_KEY)).json?.leads.map((l: Json) => l.id)).toEqual([ids[2]])
    const partial = await call(host, "GET", `/admin/leads?search=${numbers[1]!.slice(-8)}`, ADMIN_KEY)
    expect(partial.json?.leads.map((l: Json) => l.id)).toContain(ids[1])
    // The walked lead is found by its number and by its WhatsApp profile name.
    expect((await call(host, "GET", `/admin/leads?search=${walked.from}`, ADMIN_KEY)).json?.leads.map((l: Json) => l.id)).toEqual([walked.id])
    expect((await call(host, "GET", `/admin/leads?search=walked%20person`, ADMIN_KEY)).json?.leads.map((l: Json) => l.id)).toEqual([walked.id])
    // Status filter (any case) combined with search.
    const followUp = await call(host, "GET", `/admin/leads?status=needs_follow_up&search=${tag}`, ADMIN_KEY)
    expect(followUp.json?.total).toBe(3)
    expect(followUp.json?.leads.every((l: Json) => l.status === "NEEDS_FOLLOW_UP")).toBe(true)
    const allFollowUp = await call(host, "GET", "/admin/leads?status=NEEDS_FOLLOW_UP&limit=500", ADMIN_KEY)
    expect(allFollowUp.json?.leads.every((l: Json) => l.status === "NEEDS_FOLLOW_UP")).toBe(true)
    // Paging: limit and offset walk the same ordered list; total is the whole match.
    const page1 = await call(host, "GET", `/admin/leads?search=${tag}&limit=2&offset=0`, ADMIN_KEY)
    const page2 = await call(host, "GET", `/admin/leads?search=${tag}&limit=2&offset=2`, ADMIN_KEY)
    const page3 = await call(host, "GET", `/admin/leads?search=${tag}&limit=2&offset=4`, ADMIN_KEY)
    const page4 = await call(host, "GET", `/admin/leads?search=${tag}&limit=2&offset=6`, ADMIN_KEY)
    expect([page1.json?.limit, page1.json?.offset, page1.json?.total]).toEqual([2, 0, 5])
    expect([page2.json?.offset, page2.json?.total]).toEqual([2, 5])
    expect([...page1.json!.leads, ...page2.json!.leads, ...page3.json!.leads].map((l: Json) => l.id)).toEqual([...ids].reverse())
    expect(page4.json?.leads).toEqual([])
    expect(page4.json?.total).toBe(5)
    // A search that matches nothing.
    expect((await call(host, "GET", `/admin/leads?search=nobody-${tag}`, ADMIN_KEY)).json).toEqual({ leads: [], total: 0, total_exact: true, limit: 50, offset: 0, next_before_id: null })
  })

  it("shows one lead with its answers, messages both ways, attachments and events", async () => {
    const res = await call(host, "GET", `/admin/leads/${walked.id}`, ADMIN_KEY)
    expect(res.status).toBe(200)
    const lead = res.json!
    expect(lead.id).toBe(walked.id)
    expect(lead.wa_from).toBe(walked.from)
    expect(lead.client_name).toBe(walked.name)
    expect(lead.status).toBe("PENDING_APPROVAL")
    expect(lead.answers.idea).toBe(CONSULTATION_ANSWERS[0])
    expect(lead.answers.budget).toBe(CONSULTATION_ANSWERS[7])
    expect(lead.answer_history.length).toBe(CONSULTATION_ANSWERS.length)
    const inbound = lead.messages.filter((m: Json) => m.direction === "in")
    const outbound = lead.messages.filter((m: Json) => m.direction === "out")
    expect(inbound.length).toBe(CONSULTATION_ANSWERS.length + 1)
    expect(inbound[0].body).toBe("Hi, I'd like a tattoo")
    expect(inbound.some((m: Json) => m.kind === "image")).toBe(true)
    const sent = await host.query("SELECT id FROM outbox WHERE lead_id = $1 AND audience = 'client'", [walked.id])
    expect(outbound.length).toBe(sent.length)
    expect(outbound.length).toBeGreaterThanOrEqual(CONSULTATION_ANSWERS.length)
    expect(outbound.every((m: Json) => typeof m.body === "string" && m.body.length > 0)).toBe(true)
    expect(lead.attachments).toHaveLength(1)
    expect(lead.attachments[0]).toMatchObject({ kind: "image", mime_type: "image/jpeg", caption: "like this one" })
    expect(lead.attachments[0].media_id).toMatch(/^media-/)
    expect(lead.events.map((e: Json) => [e.event, e.from_status, e.to_status])).toEqual([
      ["ConsultationStarted", "NEW", "QUALIFYING"],
      ["ConsultationCompleted", "QUALIFYING", "PENDING_APPROVAL"]
    ])
    expect(lead.events.every((e: Json) => e.actor === "client")).toBe(true)
    expect(lead.summary_text).toContain(`Lead #${walked.id}`)
  })

  it("refuses approve from QUALIFYING with exactly the invalid_transition body, changing nothing", async () => {
    const from = newNumber()
    await host.whatsapp({ messages: [textMessage(from, "hello")] })
    const id = (await host.query<{ id: number }>("SELECT id FROM leads WHERE wa_from = $1", [from]))[0]!.id
    expect(await statusOf(host, id)).toBe("QUALIFYING")
    const events = await eventCount(host, id)
    const res = await call(host, "POST", `/admin/leads/${id}/approve`, ADMIN_KEY)
    expect(res.status).toBe(400)
    expect(res.text).toBe('{"error":"invalid_transition","message":"Cannot approve lead in status QUALIFYING"}')
    expect(await statusOf(host, id)).toBe("QUALIFYING")
    expect(await eventCount(host, id)).toBe(events)
  })

  it("refuses reject, mark-booked and resume from statuses that do not allow them", async () => {
    const cases: Array<[string, string, string]> = [
      ["REJECTED", "reject", "Cannot reject lead in status REJECTED"],
      ["BOOKED", "reject", "Cannot reject lead in status BOOKED"],
      ["PENDING_APPROVAL", "mark-booked", "Cannot mark booked lead in status PENDING_APPROVAL"],
      ["AWAITING_DEPOSIT", "mark-booked", "Cannot mark booked lead in status AWAITING_DEPOSIT"],
      ["QUALIFYING", "resume", "Cannot resume lead in status QUALIFYING"],
      ["BOOKED", "resume", "Cannot resume lead in status BOOKED"],
      ["AWAITING_DEPOSIT", "approve", "Cannot approve lead in status AWAITING_DEPOSIT"]
    ]
    for (const [status, action, message] of cases) {
      const id = await seedLead(host, status)
      const outboxBefore = await host.query("SELECT id FROM outbox WHERE lead_id = $1", [id])
      const res = await call(host, "POST", `/admin/leads/${id}/${action}`, ADMIN_KEY, {})
      expect([status, action, res.status, res.json]).toEqual([status, action, 400, { error: "invalid_transition", message }])
      expect(await statusOf(host, id)).toBe(status)
      expect(await eventCount(host, id)).toBe(0)
      expect(await host.query("SELECT id FROM outbox WHERE lead_id = $1", [id])).toEqual(outboxBefore)
    }
  })

  it("lets exactly one of a concurrent approve and reject win, 20 times over", async () => {
    for (let i = 0; i < 20; i++) {
      const id = await seedLead(host, "PENDING_APPROVAL")
      const approve = () => call(host, "POST", `/admin/leads/${id}/approve`, ADMIN_KEY)
      const reject = () => call(host, "POST", `/admin/leads/${id}/reject`, ADMIN_KEY, { reason: "race" })
      const [a, r] = i % 2 === 0 ? await Promise.all([approve(), reject()]) : (await Promise.all([reject(), approve()])).reverse()
      const winners = [a!, r!].filter((x) => x.status === 200)
      const losers = [a!, r!].filter((x) => x.status !== 200)
      expect([i, winners.length, losers.length]).toEqual([i, 1, 1])
      expect([400, 409]).toContain(losers[0]!.status)
      expect(["invalid_transition", "conflict"]).toContain(losers[0]!.json?.error)
      const final = await statusOf(host, id)
      expect(final).toBe(winners[0]!.json?.status)
      expect(final).toBe(a!.status === 200 ? "AWAITING_DEPOSIT" : "REJECTED")
      // One status change recorded, from PENDING_APPROVAL.
      const events = await host.query<{ event: string; fromStatus: string }>("SELECT event, from_status FROM lead_events WHERE lead_id = $1", [id])
      expect(events).toEqual([{ event: a!.status === 200 ? "Approve" : "Reject", fromStatus: "PENDING_APPROVAL" }])
    }
  })

  it("lists system events, filtered by lead and type", async () => {
    const id = await seedLead(host, "PENDING_APPROVAL")
    await host.query(
      "INSERT INTO system_events (level, event_type, lead_id, payload) VALUES ('INFO', 'test.admin_events', $1, '{\"n\":1}'), ('WARN', 'test.other', $1, '{}')",
      [id]
    )
    const all = await call(host, "GET", `/admin/events?lead_id=${id}`, ADMIN_KEY)
    expect(all.status).toBe(200)
    expect(all.json?.map((e: Json) => e.event_type)).toEqual(["test.other", "test.admin_events"])
    expect(Object.keys(all.json?.[0]).sort()).toEqual(["created_at", "event_type", "id", "lead_id", "level", "payload"])
    const typed = await call(host, "GET", `/admin/events?lead_id=${id}&event_type=test.admin`, ADMIN_KEY)
    expect(typed.json).toHaveLength(1)
    expect(typed.json?.[0]).toMatchObject({ level: "INFO", event_type: "test.admin_events", lead_id: id, payload: { n: 1 } })
    expect((await call(host, "GET", "/admin/events?limit=1", ADMIN_KEY)).json).toHaveLength(1)
  })

  it("lists the outbox and makes failed rows due again with retry", async () => {
    const rows = await call(host, "GET", `/admin/outbox?lead_id=${walked.id}`, ADMIN_KEY)
    expect(rows.status).toBe(200)
    expect(rows.json!.length).toBeGreaterThan(0)
    expect(rows.json!.every((r: Json) => r.lead_id === walked.id && r.channel === "whatsapp")).toBe(true)
    expect(Object.keys(rows.json![0]).sort()).toEqual(
      ["attempts", "audience", "channel", "created_at", "delivery_status", "id", "kind", "last_error", "lead_id", "next_retry_at", "sent_as", "sent_at", "status"].sort()
    )
    const id = await seedLead(host, "PENDING_APPROVAL")
    const failed = await host.query<{ id: number }>(
      `INSERT INTO outbox (lead_id, channel, kind, recipient, audience, payload, status, attempts, last_error, next_attempt_at)
       VALUES ($1, 'whatsapp', 'test.failed', '447700900001', 'client', '{"message":{"_tag":"Text","body":"retry me"}}'::jsonb, 'FAILED', 8, 'boom', now() + interval '1 day')
       RETURNING id`,
      [id]
    )
    const failedId = failed[0]!.id
    const listed = await call(host, "GET", "/admin/outbox?status=FAILED", ADMIN_KEY)
    expect(listed.json?.map((r: Json) => r.id)).toContain(failedId)
    expect(listed.json?.find((r: Json) => r.id === failedId)).toMatchObject({ status: "FAILED", last_error: "boom", attempts: 8 })
    const retry = await call(host, "POST", "/admin/outbox/retry", ADMIN_KEY)
    expect(retry.status).toBe(200)
    expect(retry.json?.outbox_retry.ids).toContain(failedId)
    expect(retry.json?.outbox_retry.retried).toBe(retry.json?.outbox_retry.ids.length)
    const after = await host.query<{ status: string }>("SELECT status FROM outbox WHERE id = $1", [failedId])
    expect(["PENDING", "SENDING", "SENT"]).toContain(after[0]!.status)
  })

  it("deletes only system events older than retention_days", async () => {
    const id = await seedLead(host, "PENDING_APPROVAL")
    await host.query(
      `INSERT INTO system_events (level, event_type, lead_id, payload, created_at) VALUES
       ('INFO', 'test.retention_old', $1, '{}', now() - interval '120 days'),
       ('INFO', 'test.retention_old', $1, '{}', now() - interval '91 days'),
       ('INFO', 'test.retention_recent', $1, '{}', now() - interval '89 days'),
       ('INFO', 'test.retention_recent', $1, '{}', now())`,
      [id]
    )
    const res = await call(host, "POST", "/admin/events/retention-cleanup?retention_days=90", ADMIN_KEY)
    expect(res.status).toBe(200)
    expect(res.json?.retention_days).toBe(90)
    expect(res.json?.deleted).toBeGreaterThanOrEqual(2)
    const left = await host.query<{ eventType: string }>("SELECT event_type FROM system_events WHERE lead_id = $1 ORDER BY id", [id])
    expect(left.map((e) => e.eventType)).toEqual(["test.retention_recent", "test.retention_recent"])
    const again = await call(host, "POST", "/admin/events/retention-cleanup", ADMIN_KEY)
    expect(again.json).toEqual({ deleted: 0, retention_days: 90 })
  })

  it("answers bad query parameters and bodies with 400, never 500, changing nothing", async () => {
    const id = await seedLead(host, "PENDING_APPROVAL")
    const bad: Array<[string, string, unknown?]> = [
      ["GET", "/admin/leads?limit=abc"],
      ["GET", "/admin/leads?limit=0"],
      ["GET", "/admin/leads?limit=501"],
      ["GET", "/admin/leads?limit=1.5"],
      ["GET", "/admin/leads?offset=-1"],
      ["GET", "/admin/leads?status=NOT_A_STATUS"],
      ["GET", `/admin/leads?search=${"x".repeat(201)}`],
      ["GET", "/admin/leads/abc"],
      ["GET", "/admin/leads/0"],
      ["GET", "/admin/leads/99999999999"],
      ["GET", "/admin/events?limit=-5"],
      ["GET", "/admin/events?lead_id=abc"],
      ["GET", "/admin/outbox?status=NOPE"],
      ["GET", "/admin/outbox?limit=abc"],
      ["POST", "/admin/outbox/retry?limit=0"],
      ["POST", "/admin/events/retention-cleanup?retention_days=0"],
      ["POST", "/admin/events/retention-cleanup?retention_days=abc"],
      ["POST", "/admin/events/retention-cleanup?retention_days=-90"],
      ["POST", `/admin/leads/${id}/reject`, { reason: 42 }],
      ["POST", `/admin/leads/${id}/reject`, { reason: "x".repeat(2001) }],
      // PostgreSQL text cannot hold a NUL character: refused up front, not a database error.
      ["GET", "/admin/events?event_type=%5Cx00%00nul"],
      ["GET", "/admin/leads?search=Sa%00m"],
      ["GET", "/admin/leads?status=PENDING_APPROVAL%00"],
      ["POST", `/admin/leads/${id}/reject`, { reason: "no\u0000thanks" }],
      ["POST", "/admin/panic", { enabled: "yes" }],
      ["POST", "/admin/panic", {}]
    ]
    for (const [method, path, body] of bad) {
      const res = await call(host, method, path, ADMIN_KEY, body)
      expect([method, path.slice(0, 80), res.status]).toEqual([method, path.slice(0, 80), 400])
    }
    const raw = await fetch(`${host.url}/admin/leads/${id}/reject`, {
      method: "POST",
      headers: { "x-admin-api-key": ADMIN_KEY, "content-type": "application/json" },
      body: "{not json"
    })
    expect(raw.status).toBe(400)
    expect(await statusOf(host, id)).toBe("PENDING_APPROVAL")
    expect(await eventCount(host, id)).toBe(0)
  })

  it("reads and switches panic mode through GET/POST /admin/panic", async () => {
    expect((await call(host, "GET", "/admin/panic", ADMIN_KEY)).json).toEqual({ panic_mode_enabled: false })
    expect((await call(host, "POST", "/admin/panic", ADMIN_KEY, { enabled: true })).json).toEqual({ panic_mode_enabled: true })
    expect((await call(host, "GET", "/admin/panic", ADMIN_KEY)).json).toEqual({ panic_mode_enabled: true })
    expect(((await (await fetch(`${host.url}/health`)).json()) as Json).features.panic_mode_enabled).toBe(true)
    const events = await host.query<{ eventType: string; payload: Json }>(
      "SELECT event_type, payload FROM system_events WHERE event_type LIKE 'panic_mode.%' ORDER BY id DESC LIMIT 1"
    )
    expect(events[0]).toEqual({ eventType: "panic_mode.enabled", payload: { actor: "admin" } })
    expect((await call(host, "POST", "/admin/panic", ADMIN_KEY, { enabled: false })).json).toEqual({ panic_mode_enabled: false })
    expect(((await (await fetch(`${host.url}/health`)).json()) as Json).features.panic_mode_enabled).toBe(false)
  })

  it("keeps idle keep-alive connections for 65 s (longer than a proxy's usual 60 s), and says so in the Keep-Alive header", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const headers = () =>
      new Promise<{ keepAlive: string | undefined; connection: string | undefined; socket: unknown }>((resolve, reject) => {
        get(`${host.url}/health`, { agent }, (res) => {
          res.resume()
          res.on("end", () => resolve({ keepAlive: res.headers["keep-alive"]?.toString(), connection: res.headers.connection, socket: res.socket }))
        }).on("error", reject)
      })
    try {
      const first = await headers()
      expect(first.connection).toBe("keep-alive")
      expect(first.keepAlive).toBe("timeout=65")
      // The second request reuses the same connection.
      const second = await headers()
      expect(second.socket).toBe(first.socket)
    } finally {
      agent.destroy()
    }
  })

  it("answers /health with exactly the runbook's JSON and /ready with the database state", async () => {
    const res = await fetch(`${host.url}/health`)
    expect(res.status).toBe(200)
    const health = (await res.json()) as Json
    const configured = (parse(readFileSync(join(CONFIG_DIR, "whatsapp_templates.yml"), "utf8")) as { templates: Array<{ name: string }> }).templates.map(
      (t) => t.name
    )
    expect(health).toEqual({
      ok: true,
      templates_configured: configured,
      templates_missing: [],
      whatsapp_enabled: false,
      features: {
        sheets_enabled: false,
        calendar_enabled: false,
        reminders_enabled: true,
        notifications_enabled: true,
        panic_mode_enabled: false
      },
      calendar_enabled: false,
      sheets_enabled: false
    })
    expect(configured).toEqual(expect.arrayContaining(REQUIRED_TEMPLATES))
    const ready = await fetch(`${host.url}/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ok: true, database: "connected" })
  })

  it("serves the OpenAPI document listing every route, and the docs page", async () => {
    const spec = (await (await fetch(`${host.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
    const listed = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
    expect(listed).toEqual(
      expect.arrayContaining([
        "GET /health",
        "GET /ready",
        "GET /webhooks/whatsapp",
        "POST /webhooks/whatsapp",
        "POST /webhooks/stripe",
        "GET /admin/leads",
        "GET /admin/leads/{id}",
        "POST /admin/leads/{id}/approve",
        "POST /admin/leads/{id}/reject",
        "POST /admin/leads/{id}/send-deposit",
        "POST /admin/leads/{id}/mark-booked",
        "POST /admin/leads/{id}/resume",
        "GET /admin/events",
        "POST /admin/events/retention-cleanup",
        "GET /admin/outbox",
        "POST /admin/outbox/retry",
        "GET /admin/panic",
        "POST /admin/panic"
      ])
    )
    const docs = await fetch(`${host.url}/docs`)
    expect(docs.status).toBe(200)
    expect(docs.headers.get("content-type")).toContain("text/html")
  })
})

describe(`admin API without ADMIN_API_KEY, and /health flags (${databaseKind})`, () => {
  let host: TestHost
  let configDir: string
  beforeAll(async () => {
    // A config folder whose template file lacks one of the runbook's templates.
    configDir = mkdtempSync(join(tmpdir(), "tb-config-"))
    cpSync(CONFIG_DIR, configDir, { recursive: true })
    writeFileSync(
      join(configDir, "whatsapp_templates.yml"),
      "templates:\n  - name: consultation_reminder_2_final\n    language: en_GB\n  - name: next_steps_reply_to_continue\n    language: en_GB\n  - name: my_custom_template\n    language: en_GB\n"
    )
    host = await startTestHost({
      ADMIN_API_KEY: "",
      CONFIG_DIR: configDir,
      FEATURE_REMINDERS_ENABLED: "false",
      FEATURE_NOTIFICATIONS_ENABLED: "false",
      FEATURE_PANIC_MODE_ENABLED: "true",
      FEATURE_SHEETS_ENABLED: "true",
      FEATURE_CALENDAR_ENABLED: "true"
    })
  }, 120_000)
  afterAll(async () => {
    await host?.close()
    rmSync(configDir, { recursive: true, force: true })
  })

  it("treats an empty ADMIN_API_KEY as unset outside production: the admin API is open", async () => {
    const list = await call(host, "GET", "/admin/leads", null)
    expect(list.status).toBe(200)
    expect(list.json?.total).toBe(0)
    const id = await seedLead(host, "PENDING_APPROVAL")
    const approve = await call(host, "POST", `/admin/leads/${id}/approve`, null)
    expect([approve.status, approve.json?.status]).toEqual([200, "AWAITING_DEPOSIT"])
    expect((await call(host, "GET", "/admin/leads/999999", null)).status).toBe(404)
  })

  it("reports each flag as set, and templates missing from the config folder", async () => {
    const health = (await (await fetch(`${host.url}/health`)).json()) as Json
    expect(health).toEqual({
      ok: true,
      templates_configured: ["consultation_reminder_2_final", "next_steps_reply_to_continue", "my_custom_template"],
      templates_missing: ["deposit_received_next_steps"],
      whatsapp_enabled: false,
      features: {
        sheets_enabled: true,
        calendar_enabled: true,
        reminders_enabled: false,
        notifications_enabled: false,
        panic_mode_enabled: true
      },
      // The features are on, but without credentials the integrations cannot run.
      calendar_enabled: false,
      sheets_enabled: false
    })
  })
})
