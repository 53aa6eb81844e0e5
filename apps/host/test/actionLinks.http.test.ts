import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { eventually, startTestHost, type TestHost, textMessage } from "../../../test/support/TestHost.js"
import { hashToken } from "../src/leads/ActionTokens.js"
import { CONSULTATION_ANSWERS } from "../../../test/support/Answers.js"

const ARTIST = "447700900999"
const BASE = "https://links.example.test"

/** Answers the consultation accepts, in question order. */

let seq = 0
const newNumber = () => `4477011${String(Date.now()).slice(-5)}${String(++seq).padStart(2, "0")}`

describe(`action links /a/{token} (${databaseKind})`, () => {
  let host: TestHost

  beforeAll(async () => {
    host = await startTestHost({ ARTIST_WHATSAPP_NUMBER: ARTIST, ACTION_TOKEN_BASE_URL: BASE })
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  const status = async (leadId: number) => (await host.query<{ status: string }>("SELECT status FROM leads WHERE id = $1", [leadId]))[0]?.status
  const usedAt = async (token: string) =>
    (await host.query<{ usedAt: Date | null }>("SELECT used_at FROM action_tokens WHERE token_hash = $1", [hashToken(token)]))[0]?.usedAt
  const eventCount = async (leadId: number) =>
    (await host.query<{ n: number }>("SELECT count(*)::int AS n FROM lead_events WHERE lead_id = $1", [leadId]))[0]!.n
  const get = (token: string) => fetch(`${host.url}/a/${token}`, { headers: { accept: "text/html" } })
  const post = (token: string) =>
    fetch(`${host.url}/a/${token}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" }, body: "" })

  /** A lead in `leadStatus` with a fresh token for `action` made for that status. */
  const seed = async (leadStatus: string, action: string) => {
    const [lead] = await host.query<{ id: number }>("INSERT INTO leads (wa_from, client_name, status) VALUES ($1, 'Seeded <b>Client</b>', $2) RETURNING id", [
      newNumber(),
      leadStatus
    ])
    const token = randomBytes(32).toString("base64url")
    await host.query(
      "INSERT INTO action_tokens (token_hash, lead_id, action, required_status, expires_at) VALUES ($1, $2, $3, $4, now() + interval '7 days')",
      [hashToken(token), lead!.id, action, leadStatus]
    )
    return { leadId: lead!.id, token }
  }

  it("the artist's notification carries approve/reject links; GET only shows a page, POST approves once", async () => {
    const from = newNumber()
    await host.whatsapp({ messages: [textMessage(from, "Hi, I'd like a tattoo")] })
    for (const answer of CONSULTATION_ANSWERS) await host.whatsapp({ messages: [textMessage(from, answer)] })
    const [lead] = await host.query<{ id: number; status: string }>("SELECT id, status FROM leads WHERE wa_from = $1", [from])
    expect(lead?.status).toBe("PENDING_APPROVAL")
    const [note] = await host.query<{ payload: { message: { body: string } } }>(
      "SELECT payload FROM outbox WHERE lead_id = $1 AND kind = 'artist.lead_ready_for_review'",
      [lead!.id]
    )
    const body = note!.payload.message.body
    const approveUrl = /Approve: (\S+)/.exec(body)?.[1]
    const rejectUrl = /Reject: (\S+)/.exec(body)?.[1]
    expect(approveUrl?.startsWith(`${BASE}/a/`)).toBe(true)
    expect(rejectUrl?.startsWith(`${BASE}/a/`)).toBe(true)
    const token = approveUrl!.slice(`${BASE}/a/`.length)
    // Only the hash is stored.
    expect(await host.query("SELECT 1 FROM action_tokens WHERE token_hash = $1", [token])).toEqual([])

    const events = await eventCount(lead!.id)
    // A link preview (or the artist opening the link) fetches the page: nothing changes.
    for (let i = 0; i < 3; i++) {
      const page = await get(token)
      expect(page.status).toBe(200)
      expect(page.headers.get("content-type")).toContain("text/html")
      expect(page.headers.get("cache-control")).toBe("no-store")
      const html = await page.text()
      expect(html).toContain("Approve this lead")
      expect(html).toContain('<form method="post">')
      expect(html).toContain(`#${lead!.id}`)
    }
    expect(await status(lead!.id)).toBe("PENDING_APPROVAL")
    expect(await eventCount(lead!.id)).toBe(events)
    expect(await usedAt(token)).toBeNull()

    const done = await post(token)
    expect(done.status).toBe(200)
    expect(await done.text()).toContain("Lead approved.")
    expect(await status(lead!.id)).toBe("AWAITING_DEPOSIT")
    expect(await usedAt(token)).toBeInstanceOf(Date)
    const approvals = await host.query<{ actor: string }>("SELECT actor FROM lead_events WHERE lead_id = $1 AND event = 'Approve'", [lead!.id])
    expect(approvals).toEqual([{ actor: "action_link" }])

    // Used: a second POST and a GET explain and change nothing.
    const again = await post(token)
    expect(again.status).toBe(410)
    expect(await again.text()).toContain("already used")
    expect((await get(token)).status).toBe(410)
    // The reject link was made for PENDING_APPROVAL: the lead has moved on.
    const reject = await post(rejectUrl!.slice(`${BASE}/a/`.length))
    expect(reject.status).toBe(409)
    expect(await reject.text()).toContain("AWAITING_DEPOSIT")
    expect(await status(lead!.id)).toBe("AWAITING_DEPOSIT")
    expect(await host.query("SELECT 1 FROM lead_events WHERE lead_id = $1 AND event = 'Approve'", [lead!.id])).toHaveLength(1)
  })

  it("escapes what it shows", async () => {
    const { token } = await seed("PENDING_APPROVAL", "approve")
    const html = await (await get(token)).text()
    expect(html).toContain("Seeded &#60;b&#62;Client&#60;/b&#62;")
    expect(html).not.toContain("<b>Client</b>")
  })

  it("refuses an expired link, on GET and POST, and changes nothing", async () => {
    const { leadId, token } = await seed("PENDING_APPROVAL", "approve")
    await host.query("UPDATE action_tokens SET expires_at = now() - interval '1 minute' WHERE token_hash = $1", [hashToken(token)])
    const events = await eventCount(leadId)
    const page = await get(token)
    expect(page.status).toBe(410)
    expect(await page.text()).toContain("expired")
    const res = await post(token)
    expect(res.status).toBe(410)
    expect(await res.text()).toContain("Nothing was changed.")
    expect(await status(leadId)).toBe("PENDING_APPROVAL")
    expect(await eventCount(leadId)).toBe(events)
    expect(await usedAt(token)).toBeNull()
  })

  it("refuses a link whose lead is no longer in the status it was made for", async () => {
    const { leadId, token } = await seed("PENDING_APPROVAL", "approve")
    const rejected = await host.admin("POST", `/admin/leads/${leadId}/reject`, {})
    expect(rejected.status).toBe(200)
    const page = await get(token)
    expect(page.status).toBe(409)
    expect(await page.text()).toContain("it is now REJECTED")
    const events = await eventCount(leadId)
    const res = await post(token)
    expect(res.status).toBe(409)
    expect(await status(leadId)).toBe("REJECTED")
    expect(await eventCount(leadId)).toBe(events)
    expect(await usedAt(token)).toBeNull()
  })

  it("refuses a link made for a status the lead left and came back to only if the status differs (STALE is not PENDING_APPROVAL)", async () => {
    const { leadId, token } = await seed("PENDING_APPROVAL", "approve")
    // The machine would allow approving a STALE lead, but this link was made for PENDING_APPROVAL.
    await host.query("UPDATE leads SET status = 'STALE' WHERE id = $1", [leadId])
    expect((await post(token)).status).toBe(409)
    expect(await status(leadId)).toBe("STALE")
  })

  it("answers guessed and malformed tokens with 404 without touching anything", async () => {
    const { leadId } = await seed("PENDING_APPROVAL", "approve")
    const guesses = [
      randomBytes(32).toString("base64url"),
      randomBytes(32).toString("base64url"),
      "short",
      "x".repeat(43).replace(/x$/, "!"),
      "A".repeat(500),
      encodeURIComponent("<script>alert(1)</script>"),
      "%00"
    ]
    for (const guess of guesses) {
      const page = await get(guess)
      expect(page.status, guess).toBe(404)
      expect(await page.text(), guess).toContain("not valid")
      const res = await post(guess)
      expect(res.status, guess).toBe(404)
    }
    expect(await status(leadId)).toBe("PENDING_APPROVAL")
    expect(await host.query("SELECT 1 FROM action_tokens WHERE used_at IS NOT NULL AND lead_id = $1", [leadId])).toEqual([])
  })

  it("performs the action exactly once when the same link is posted concurrently", async () => {
    const { leadId, token } = await seed("PENDING_APPROVAL", "approve")
    const responses = await Promise.all(Array.from({ length: 12 }, () => post(token)))
    const codes = responses.map((r) => r.status).sort()
    expect(codes.filter((c) => c === 200)).toHaveLength(1)
    expect(codes.filter((c) => c !== 200).every((c) => c === 410)).toBe(true)
    expect(await status(leadId)).toBe("AWAITING_DEPOSIT")
    expect(await host.query("SELECT 1 FROM lead_events WHERE lead_id = $1 AND event = 'Approve'", [leadId])).toHaveLength(1)
  })

  it("rejects, hands back to the bot and marks booked through the same actions as the admin API", async () => {
    const reject = await seed("PENDING_APPROVAL", "reject")
    expect((await post(reject.token)).status).toBe(200)
    expect(await status(reject.leadId)).toBe("REJECTED")

    const booked = await seed("BOOKING_PENDING", "mark_booked")
    await host.query("UPDATE leads SET deposit_paid = true, deposit_paid_at = now() WHERE id = $1", [booked.leadId])
    const res = await post(booked.token)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain("Lead marked as booked.")
    expect(await status(booked.leadId)).toBe("BOOKED")

    const resume = await seed("NEEDS_ARTIST_REPLY", "resume")
    await host.query("UPDATE leads SET resume_status = 'PENDING_APPROVAL' WHERE id = $1", [resume.leadId])
    expect((await post(resume.token)).status).toBe(200)
    expect(await status(resume.leadId)).toBe("PENDING_APPROVAL")
    await eventually(async () => (await host.query("SELECT 1 FROM lead_events WHERE lead_id = $1 AND actor = 'action_link'", [resume.leadId])).length === 1)
  })

  it("a deposit link without Stripe configured explains why and stays usable", async () => {
    const { leadId, token } = await seed("AWAITING_DEPOSIT", "send_deposit")
    const res = await post(token)
    expect(res.status).toBe(503)
    expect(await res.text()).toContain("STRIPE_SECRET_KEY")
    expect(await usedAt(token)).toBeNull()
    expect(await status(leadId)).toBe("AWAITING_DEPOSIT")
  })
})
