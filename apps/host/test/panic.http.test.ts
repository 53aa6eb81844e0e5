/**
 * Panic mode over HTTP, as the runbook's "Panic Mode Procedure" describes it: inbound messages are
 * stored and logged, the client gets exactly the safe message, no consultation step happens, the
 * artist is notified, manual admin actions still work, and PANIC ON / PANIC OFF from the artist's
 * number (or `POST /admin/panic`) switch it without a restart, with `/health` following.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { eventually, startTestHost, type TestHost, textMessage } from "../../../test/support/TestHost.js"

/** The runbook's safe message, word for word (ARTIST_NAME defaults to Jonah). */
const SAFE_MESSAGE = "Thanks — Jonah will reply shortly."
const ARTIST = "447700900999"

let seq = 0
const newNumber = () => `4479${String(Date.now()).slice(-6)}${String(++seq % 100).padStart(2, "0")}`

// biome-ignore lint/suspicious/noExplicitAny: JSON log lines and answers are read loosely; each assertion checks what it needs.
type Row = Record<string, any>

const panicOnHealth = async (host: TestHost) =>
  ((await (await fetch(`${host.url}/health`)).json()) as { features: { panic_mode_enabled: boolean } }).features.panic_mode_enabled

const leadOf = async (host: TestHost, from: string) =>
  (await host.query<{ id: number; status: string; consultation: unknown }>("SELECT id, status, consultation FROM leads WHERE wa_from = $1", [from]))[0]

const clientOutbox = (host: TestHost, leadId: number) =>
  host.query<{ kind: string; status: string; payload: { message: { body?: string } } }>(
    "SELECT kind, status, payload FROM outbox WHERE lead_id = $1 AND audience = 'client' ORDER BY id",
    [leadId]
  )

/** Records the host's JSON log lines (its logger writes to this process's stdout). */
const captureLogs = () => {
  const lines: Array<string> = []
  const original = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: unknown, ...rest: Array<unknown>) => {
    lines.push(...(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8")).split("\n").filter((l) => l.length > 0))
    return (original as (...args: Array<unknown>) => boolean)(chunk, ...rest)
  }) as typeof process.stdout.write
  return {
    entries: () =>
      lines.flatMap((l) => {
        try {
          return [JSON.parse(l) as Row]
        } catch {
          return []
        }
      }),
    stop: () => {
      process.stdout.write = original
    }
  }
}

describe(`panic mode over HTTP (${databaseKind})`, () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost({ FEATURE_PANIC_MODE_ENABLED: "true", ARTIST_WHATSAPP_NUMBER: ARTIST })
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  it("shows panic_mode_enabled: true on /health when FEATURE_PANIC_MODE_ENABLED=true", async () => {
    expect(await panicOnHealth(host)).toBe(true)
    expect(await (await host.admin("GET", "/admin/panic")).json()).toEqual({ panic_mode_enabled: true })
  })

  it("stores and logs an inbound message, sends exactly the safe message, takes no consultation step, notifies the artist", async () => {
    const logs = captureLogs()
    const from = newNumber()
    const message = textMessage(from, "Hi, I'd like a tattoo of a dragon")
    try {
      const res = await host.whatsapp({ messages: [message] })
      expect(res.status).toBe(200)
    } finally {
      logs.stop()
    }
    const lead = await leadOf(host, from)
    // Stored: the lead and the message; no consultation started.
    expect(lead?.status).toBe("NEW")
    expect(lead?.consultation).toBeNull()
    const stored = await host.query<{ direction: string; body: string }>("SELECT direction, body FROM messages WHERE wa_message_id = $1", [message.id])
    expect(stored).toEqual([{ direction: "in", body: "Hi, I'd like a tattoo of a dragon" }])
    expect(await host.query("SELECT 1 FROM lead_events WHERE lead_id = $1", [lead!.id])).toEqual([])
    expect(await host.query("SELECT 1 FROM lead_answers WHERE lead_id = $1", [lead!.id])).toEqual([])
    // Logged.
    const logged = logs.entries().filter((e) => e.message === "panic mode: inbound message stored, safe reply only")
    expect(logged.map((e) => e.leadId)).toEqual([lead!.id])
    const events = await host.query<{ eventType: string }>("SELECT event_type FROM system_events WHERE lead_id = $1", [lead!.id])
    expect(events.map((e) => e.eventType)).toEqual(["panic_mode.inbound"])
    // Exactly the safe message to the client, and it is sent.
    await host.drain()
    const sent = await eventually(async () => {
      const rows = await clientOutbox(host, lead!.id)
      return rows.every((r) => r.status === "SENT") ? rows : undefined
    })
    expect(sent.map((r) => r.payload.message.body)).toEqual([SAFE_MESSAGE])
    const outMessages = await host.query<{ body: string }>("SELECT body FROM messages WHERE lead_id = $1 AND direction = 'out'", [lead!.id])
    expect(outMessages.map((m) => m.body)).toEqual([SAFE_MESSAGE])
    // The artist hears about it, with the client's words.
    const artist = await host.query<{ kind: string; recipient: string; payload: { message: { body: string } } }>(
      "SELECT kind, recipient, payload FROM outbox WHERE lead_id = $1 AND audience = 'artist'",
      [lead!.id]
    )
    expect(artist).toHaveLength(1)
    expect(artist[0]).toMatchObject({ kind: "artist.panic_inbound", recipient: ARTIST })
    expect(artist[0]!.payload.message.body).toContain(`Lead #${lead!.id}`)
    expect(artist[0]!.payload.message.body).toContain("dragon")
  })

  it("sends the same safe text to every lead (no copy variant differs from the runbook)", async () => {
    const numbers = Array.from({ length: 8 }, newNumber)
    for (const from of numbers) await host.whatsapp({ messages: [textMessage(from, "hello?")] })
    for (const from of numbers) {
      const lead = await leadOf(host, from)
      const rows = await clientOutbox(host, lead!.id)
      expect([from, rows.map((r) => r.payload.message.body)]).toEqual([from, [SAFE_MESSAGE]])
    }
  })

  it("answers a client mid-consultation with the safe message only: the answer is stored but not taken", async () => {
    const from = newNumber()
    expect((await host.admin("POST", "/admin/panic", { enabled: false })).status).toBe(200)
    await host.whatsapp({ messages: [textMessage(from, "hello")] })
    const lead = await leadOf(host, from)
    expect(lead?.status).toBe("QUALIFYING")
    const before = await clientOutbox(host, lead!.id)
    expect((await host.admin("POST", "/admin/panic", { enabled: true })).status).toBe(200)
    await host.whatsapp({ messages: [textMessage(from, "A dragon on my arm")] })
    const after = await clientOutbox(host, lead!.id)
    expect(after.slice(before.length).map((r) => r.payload.message.body)).toEqual([SAFE_MESSAGE])
    expect((await leadOf(host, from))?.status).toBe("QUALIFYING")
    expect(await host.query("SELECT 1 FROM lead_answers WHERE lead_id = $1", [lead!.id])).toEqual([])
  })

  it("still lets the artist approve and reject through the admin API", async () => {
    const rows = await host.query<{ id: number }>(
      "INSERT INTO leads (wa_from, client_name, status, deposit_amount_pence) VALUES ($1, 'A', 'PENDING_APPROVAL', 15000), ($2, 'B', 'PENDING_APPROVAL', 15000) RETURNING id",
      [newNumber(), newNumber()]
    )
    const approve = await host.admin("POST", `/admin/leads/${rows[0]!.id}/approve`)
    expect(approve.status).toBe(200)
    expect(((await approve.json()) as Row).status).toBe("AWAITING_DEPOSIT")
    const reject = await host.admin("POST", `/admin/leads/${rows[1]!.id}/reject`, { reason: "panic test" })
    expect(reject.status).toBe(200)
    expect(((await reject.json()) as Row).status).toBe("REJECTED")
  })

  it("switches with PANIC OFF / PANIC ON from ARTIST_WHATSAPP_NUMBER without a restart, and /health follows", async () => {
    expect(await panicOnHealth(host)).toBe(true)
    const off = await host.whatsapp({ messages: [textMessage(ARTIST, "PANIC OFF")] })
    expect(off.status).toBe(200)
    expect(((await off.json()) as Row).results[0].outcome).toBe("Artist")
    expect(await panicOnHealth(host)).toBe(false)
    // The artist's own messages never become leads.
    expect(await host.query("SELECT 1 FROM leads WHERE wa_from = $1", [ARTIST])).toEqual([])
    const confirmations = await host.query<{ payload: { message: { body: string } } }>(
      "SELECT payload FROM outbox WHERE audience = 'artist' AND kind = 'artist.panic' ORDER BY id DESC LIMIT 1"
    )
    expect(confirmations[0]?.payload.message.body).toContain("Panic mode is OFF")
    // Automation is back: a new client starts the consultation.
    const normal = newNumber()
    await host.whatsapp({ messages: [textMessage(normal, "Hi there")] })
    const normalLead = await leadOf(host, normal)
    expect(normalLead?.status).toBe("QUALIFYING")
    expect((await clientOutbox(host, normalLead!.id)).map((r) => r.payload.message.body)).not.toContain(SAFE_MESSAGE)

    await host.whatsapp({ messages: [textMessage(ARTIST, "panic on")] })
    expect(await panicOnHealth(host)).toBe(true)
    const paused = newNumber()
    await host.whatsapp({ messages: [textMessage(paused, "Hi there")] })
    const pausedLead = await leadOf(host, paused)
    expect(pausedLead?.status).toBe("NEW")
    expect((await clientOutbox(host, pausedLead!.id)).map((r) => r.payload.message.body)).toEqual([SAFE_MESSAGE])
    const events = await host.query<{ eventType: string; payload: { actor: string } }>(
      "SELECT event_type, payload FROM system_events WHERE event_type IN ('panic_mode.enabled', 'panic_mode.disabled') AND payload->>'actor' = 'artist-whatsapp' ORDER BY id"
    )
    expect(events.map((e) => e.eventType)).toEqual(["panic_mode.disabled", "panic_mode.enabled"])
  })
})
