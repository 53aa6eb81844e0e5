/**
 * Hostile input against the running host (fast-check): random and mutated payloads, wrong types,
 * huge strings, unicode, deep nesting, bad signatures and SQL metacharacters on every webhook and
 * admin route. Never a 500, never a crash (the host still answers afterwards), never a stored row
 * from a refused request. Authentication: every admin route without, with a wrong and with the
 * right key; guessed action tokens; Stripe signatures replayed outside the tolerance. And no
 * secret, token or full phone number in the log while all of it runs.
 */
import { signStripePayload } from "@tattoo-bot/stripe"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { signBody, webhookBody } from "../fakes/graph-api.js"
import { checkoutCompleted, newNumber, postStripe, seedAwaitingDeposit } from "../support/Fixtures.js"
import { captureStdout, findLeaks, type LogCapture } from "../support/LogCapture.js"
import { databaseKind } from "../support/TestDatabase.js"
import { ADMIN_KEY, APP_SECRET, startTestHost, STRIPE_WEBHOOK_SECRET, type TestHost, textMessage, VERIFY_TOKEN } from "../support/TestHost.js"

const RUNS = Number(process.env.FUZZ_RUNS ?? 60)

/** Strings that try to break out of SQL, JSON, HTML, paths and encodings. */
const nasty = fc.oneof(
  fc.constantFrom(
    "'; DROP TABLE leads; --",
    "\" OR 1=1 --",
    "1); DELETE FROM outbox; --",
    "%' OR '%'='",
    "\\x00\u0000nul",
    "$1 $2 %s #{x}",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\u202e\u200b\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩🏽‍🎤 ü",
    "\ud800",
    "NaN",
    "-1",
    "99999999999999999999999",
    ""
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 })
)
const huge = fc.integer({ min: 10_000, max: 200_000 }).map((n) => "x".repeat(n))
const deep = fc.integer({ min: 50, max: 1_000 }).map((n) => JSON.parse(`${"[".repeat(n)}${"]".repeat(n)}`) as unknown)
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 4 }), deep, nasty, huge, fc.constant(null))

/** A valid value with one field (at any depth) replaced by something hostile. */
const mutate = (value: unknown, path: ReadonlyArray<number>, replacement: unknown): unknown => {
  if (path.length === 0 || value === null || typeof value !== "object") return replacement
  const [head, ...rest] = path
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement
    const i = head! % value.length
    return value.map((v, j) => (j === i ? mutate(v, rest, replacement) : v))
  }
  const keys = Object.keys(value)
  if (keys.length === 0) return replacement
  const key = keys[head! % keys.length]!
  return { ...(value as Record<string, unknown>), [key]: mutate((value as Record<string, unknown>)[key], rest, replacement) }
}
const mutation = fc.tuple(fc.array(fc.nat(), { maxLength: 8 }), fc.oneof(anyJson, fc.integer(), fc.boolean(), fc.double()))

/** Lone surrogates replaced, so the string can go into a URL. */
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")

const COUNTED = ["leads", "messages", "processed_messages", "outbox", "stripe_events", "lead_answers", "attachments", "lead_events", "action_tokens", "slot_holds"]

describe(`hostile input (${databaseKind})`, () => {
  let host: TestHost
  let logs: LogCapture
  const phones: Array<string> = []

  beforeAll(async () => {
    logs = captureStdout()
    // No background worker: the row counts change only through the requests under test.
    host = await startTestHost({ LOG_LEVEL: "info", RATE_LIMIT_ENABLED: "false", MAX_BODY_BYTES: "262144" }, { worker: false })
  }, 120_000)

  afterAll(async () => {
    await host?.close()
    logs?.stop()
  })

  const counts = async () => {
    const rows = await host.query<{ t: string; n: number }>(COUNTED.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(" UNION ALL "))
    return Object.fromEntries(rows.map((r) => [r.t, r.n]))
  }
  const alive = async () => expect((await fetch(`${host.url}/health`)).status).toBe(200)
  const post = (path: string, body: string | Uint8Array, headers: Record<string, string>) =>
    fetch(`${host.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })
  const encode = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value))

  it("WhatsApp webhook: unsigned, wrongly signed and re-signed-by-someone-else bodies are refused with 403 and store nothing", async () => {
    const before = await counts()
    await fc.assert(
      fc.asyncProperty(anyJson, fc.constantFrom("none", "wrong-secret", "garbage", "tampered"), async (value, how) => {
        const body = how === "tampered" ? webhookBody({ messages: [textMessage(newNumber(), "hi")] }) : encode(value)
        const headers: Record<string, string> =
          how === "none"
            ? {}
            : how === "wrong-secret"
              ? { "x-hub-signature-256": signBody(body, "not-the-secret") }
              : how === "garbage"
                ? { "x-hub-signature-256": `sha256=${Buffer.from(encode(value).slice(0, 64)).toString("hex")}` }
                : { "x-hub-signature-256": signBody(`${body} `, APP_SECRET) }
        const res = await post("/webhooks/whatsapp", body, headers)
        await res.arrayBuffer()
        expect([403, 413]).toContain(res.status)
      }),
      { numRuns: RUNS }
    )
    expect(await counts()).toEqual(before)
    await alive()
  }, 120_000)

  it("WhatsApp webhook: signed garbage and mutated payloads get 200 or 400, never 5xx; a 400 stores nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson.map((v) => ({ v, mutated: false })), mutation.map(([p, r]) => ({ v: [p, r] as const, mutated: true }))), async (input) => {
        const from = newNumber()
        phones.push(from)
        const valid = JSON.parse(webhookBody({ messages: [textMessage(from, "hello")] })) as unknown
        const body = input.mutated ? encode(mutate(valid, (input.v as readonly [Array<number>, unknown])[0], (input.v as readonly [Array<number>, unknown])[1])) : encode(input.v)
        const before = await counts()
        const res = await post("/webhooks/whatsapp", body, { "x-hub-signature-256": signBody(body, APP_SECRET) })
        const text = await res.text()
        expect(res.status, text.slice(0, 300)).toBeLessThan(500)
        expect([200, 400, 413]).toContain(res.status)
        if (res.status !== 200) expect(await counts()).toEqual(before)
      }),
      { numRuns: RUNS }
    )
    await alive()
  }, 180_000)

  it("WhatsApp webhook: SQL metacharacters and unicode in every message field are stored as text, never executed", async () => {
    await fc.assert(
      fc.asyncProperty(nasty, nasty, async (body, name) => {
        const from = newNumber()
        phones.push(from)
        const message = textMessage(from, body.length === 0 ? "." : body)
        const res = await host.whatsapp({ messages: [message], names: { [from]: name } })
        expect(res.status).toBe(200)
        const stored = await host.query<{ body: string | null }>("SELECT body FROM messages WHERE wa_message_id = $1", [message.id])
        expect(stored.length).toBe(1)
      }),
      { numRuns: Math.ceil(RUNS / 2) }
    )
    const tables = await host.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('leads', 'outbox')")
    expect(tables[0]!.n).toBe(2)
    await alive()
  }, 180_000)

  it("Stripe webhook: bad signatures, replays outside the tolerance and signed garbage never 5xx and store nothing", async () => {
    const before = await counts()
    const from = newNumber()
    phones.push(from)
    const lead = await seedAwaitingDeposit(host.query, from)
    await fc.assert(
      fc.asyncProperty(anyJson, mutation, fc.constantFrom("unsigned", "wrong", "old", "future", "signed-garbage", "signed-mutated"), async (value, [path, replacement], how) => {
        const event = checkoutCompleted(lead)
        const body = how === "signed-garbage" ? encode(value) : how === "signed-mutated" ? encode(mutate(event, path, replacement)) : JSON.stringify(event)
        const now = Math.floor(Date.now() / 1000)
        const signature =
          how === "unsigned"
            ? ""
            : how === "wrong"
              ? signStripePayload(body, "whsec_wrong")
              : how === "old"
                ? signStripePayload(body, STRIPE_WEBHOOK_SECRET, now - 301 - (typeof replacement === "number" ? Math.abs(replacement % 100000) : 0))
                : how === "future"
                  ? signStripePayload(body, STRIPE_WEBHOOK_SECRET, now + 3600)
                  : signStripePayload(body, STRIPE_WEBHOOK_SECRET)
        const seeded = await counts()
        const res = await postStripe(host.url, undefined, { rawBody: body, signature })
        const text = await res.text()
        expect(res.status, text.slice(0, 300)).toBeLessThan(500)
        // Stripe's tolerance bounds the age of a signature; a future timestamp still needs the secret to sign.
        if (how === "unsigned" || how === "wrong" || how === "old") expect(res.status).toBe(400)
        const after = await counts()
        if (res.status !== 200) expect(after, `${how} ${res.status} ${text.slice(0, 200)}`).toEqual(seeded)
        else {
          // A mutation that still decodes (e.g. a changed field Stripe does not use) is a real event: it may apply.
          expect(["signed-mutated", "future"]).toContain(how)
        }
      }),
      { numRuns: RUNS }
    )
    expect((await counts()).leads).toBe(before.leads! + 1)
    // A valid event signed just now still works after all that.
    expect((await postStripe(host.url, checkoutCompleted(lead))).status).toBe(200)
    await alive()
  }, 180_000)

  const adminRoutes: ReadonlyArray<readonly [string, string]> = [
    ["GET", "/admin/leads"],
    ["GET", "/admin/leads/1"],
    ["POST", "/admin/leads/1/approve"],
    ["POST", "/admin/leads/1/reject"],
    ["POST", "/admin/leads/1/send-deposit"],
    ["POST", "/admin/leads/1/mark-booked"],
    ["POST", "/admin/leads/1/resume"],
    ["GET", "/admin/events"],
    ["POST", "/admin/events/retention-cleanup"],
    ["GET", "/admin/outbox"],
    ["POST", "/admin/outbox/retry"],
    ["GET", "/admin/panic"],
    ["POST", "/admin/panic"],
    ["GET", "/admin/funnel"],
    ["GET", "/admin/slot-parse-stats"]
  ]

  it("every admin route: 401 without a key, 403 with a wrong one, never the data; the right key is accepted", async () => {
    for (const [method, path] of adminRoutes) {
      const before = await counts()
      const body = method === "POST" ? (path === "/admin/panic" ? '{"enabled":true}' : "{}") : undefined
      const send = (headers: Record<string, string>) =>
        fetch(`${host.url}${path}`, { method, headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) }, ...(body ? { body } : {}) })
      const none = await send({})
      expect(none.status, `${method} ${path} without a key`).toBe(401)
      for (const wrong of ["wrong", `${ADMIN_KEY}x`, ADMIN_KEY.slice(0, -1), ADMIN_KEY.toUpperCase(), `${ADMIN_KEY}\t${ADMIN_KEY}`, "'; DROP TABLE leads; --"]) {
        const res = await send({ "x-admin-api-key": wrong })
        const text = await res.text()
        expect([401, 403], `${method} ${path} with "${wrong}"`).toContain(res.status)
        expect(text).not.toContain("wa_from")
      }
      expect(await counts(), `${method} ${path} refused but changed something`).toEqual(before)
      const right = await send({ "x-admin-api-key": ADMIN_KEY })
      // send-deposit answers 503 (nothing changed) when Stripe is not configured, as documented.
      expect(path.endsWith("/send-deposit") ? [200, 400, 404, 503] : [200, 400, 404], `${method} ${path} with the key`).toContain(right.status)
    }
    // The panic switch was turned on by the last authorised call; turn it off again.
    expect((await host.admin("POST", "/admin/panic", { enabled: false })).status).toBe(200)
  }, 60_000)

  it("every admin route with hostile ids, query parameters and bodies: 4xx or 200, never 5xx; a 4xx changes nothing", async () => {
    const idArb = fc.oneof(nasty, fc.integer().map(String), fc.double().map(String), fc.constantFrom("0", "-1", "2147483648", "1e3", "0x10", "%00", "..%2F"))
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...adminRoutes), idArb, fc.dictionary(fc.constantFrom("status", "search", "limit", "offset", "lead_id", "event_type", "retention_days", "days"), nasty), anyJson, async ([method, template], id, params, body) => {
        const path = template.replace("/1", `/${encodeURIComponent(wellFormed(id))}`)
        const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, wellFormed(v)])).toString()
        const before = await counts()
        const res = await fetch(`${host.url}${path}${query ? `?${query}` : ""}`, {
          method,
          headers: { "x-admin-api-key": ADMIN_KEY, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
          ...(method === "POST" ? { body: encode(body) } : {})
        })
        const text = await res.text()
        const unavailable = res.status === 503 && path.endsWith("/send-deposit")
        if (!unavailable) expect(res.status, `${method} ${path}?${query}: ${text.slice(0, 300)}`).toBeLessThan(500)
        if (res.status >= 400) expect(await counts(), `${method} ${path} ${res.status}`).toEqual(before)
      }),
      { numRuns: RUNS * 2 }
    )
    await host.admin("POST", "/admin/panic", { enabled: false })
    await alive()
  }, 240_000)

  it("guessed action tokens (GET and POST /a/<random>) are refused and change nothing", async () => {
    const before = await counts()
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.base64String({ minLength: 1, maxLength: 60 }), nasty.filter((s) => s.length > 0)), fc.constantFrom("GET", "POST"), async (token, method) => {
        const res = await fetch(`${host.url}/a/${encodeURIComponent(wellFormed(token))}`, { method })
        await res.text()
        expect(res.status).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
      }),
      { numRuns: RUNS }
    )
    // Malformed percent-encoding, sent as is.
    for (const raw of ["%", "%ZZ", "%ED%A0%80", "%00", "%C0%AF", "..%2F..%2Fadmin", `${"A".repeat(5000)}`]) {
      for (const method of ["GET", "POST"]) {
        const res = await fetch(`${host.url}/a/${raw}`, { method })
        await res.text()
        expect(res.status, `${method} /a/${raw.slice(0, 20)}`).toBeGreaterThanOrEqual(400)
        expect(res.status, `${method} /a/${raw.slice(0, 20)}`).toBeLessThan(500)
      }
    }
    expect(await counts()).toEqual(before)
  }, 120_000)

  it("the handshake refuses every wrong verify token and echoes only with the right one", async () => {
    await fc.assert(
      fc.asyncProperty(nasty, nasty, async (token, challenge) => {
        const q = new URLSearchParams({ "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": challenge })
        const res = await fetch(`${host.url}/webhooks/whatsapp?${q}`)
        const text = await res.text()
        if (token === VERIFY_TOKEN) expect(res.status).toBe(200)
        else {
          expect(res.status).toBe(403)
          if (challenge.length > 3) expect(text).not.toContain(challenge)
        }
      }),
      { numRuns: RUNS }
    )
  })

  it("logged no secret, bearer token or full phone number during the whole suite", () => {
    expect(logs.lines.length).toBeGreaterThan(0)
    expect(findLeaks(logs.lines, { secrets: [APP_SECRET, ADMIN_KEY, VERIFY_TOKEN, STRIPE_WEBHOOK_SECRET], phones })).toEqual([])
  })
})
