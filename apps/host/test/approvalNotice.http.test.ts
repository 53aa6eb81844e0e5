import { randomBytes } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { startTestHost, type TestHost } from "../../../test/support/TestHost.js"
import { hashToken } from "../src/leads/ActionTokens.js"
import { approve, ARTIST_NUMBER, type Journey, seedLead, startJourney, textsTo } from "./support/journey.js"

const BASE = "https://links.example.test"

/** The artist notifications queued for a lead: outbox kind and text. */
const artistNotes = async (host: TestHost, leadId: number) =>
  (
    await host.query<{ kind: string; recipient: string; payload: { message: { body: string } } }>(
      "SELECT kind, recipient, payload FROM outbox WHERE lead_id = $1 AND audience = 'artist' ORDER BY id",
      [leadId]
    )
  ).map((r) => ({ kind: r.kind, recipient: r.recipient, body: r.payload.message.body }))

const approvedNotes = async (host: TestHost, leadId: number) => (await artistNotes(host, leadId)).filter((n) => n.kind.startsWith("artist.approved"))

/** A lead waiting for approval with a fresh approve link, as the review notification would carry. */
const leadWithApproveLink = async (host: TestHost) => {
  const lead = await seedLead(host)
  const token = randomBytes(32).toString("base64url")
  await host.query(
    "INSERT INTO action_tokens (token_hash, lead_id, action, required_status, expires_at) VALUES ($1, $2, 'approve', 'PENDING_APPROVAL', now() + interval '7 days')",
    [hashToken(token), lead.id]
  )
  return { ...lead, token }
}

const postLink = (host: TestHost, token: string) =>
  fetch(`${host.url}/a/${token}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" }, body: "" })

describe(`the artist is told when a lead is approved (${databaseKind})`, () => {
  describe("calendar disabled", () => {
    let host: TestHost
    beforeAll(async () => {
      host = await startTestHost({ ARTIST_WHATSAPP_NUMBER: ARTIST_NUMBER, ACTION_TOKEN_BASE_URL: BASE, FEATURE_CALENDAR_ENABLED: "false" })
    }, 120_000)
    afterAll(async () => {
      await host?.close()
    })

    it("approving through the admin API queues '— send the deposit link' with a send-deposit link for the approved lead", async () => {
      const { id } = await seedLead(host)
      const res = await host.admin("POST", `/admin/leads/${id}/approve`)
      expect(res.status).toBe(200)
      const notes = await approvedNotes(host, id)
      expect(notes.length).toBe(1)
      expect(notes[0]!.kind).toBe("artist.approved_send_deposit")
      expect(notes[0]!.recipient).toBe(ARTIST_NUMBER)
      const [headline, ...rest] = notes[0]!.body.split("\n")
      expect(headline).toBe(`✅ Lead #${id} (Sam) approved — send the deposit link`)
      const link = rest.map((l) => /^💷 Send deposit link: (\S+)$/.exec(l)?.[1]).find((u) => u !== undefined)
      expect(link?.startsWith(`${BASE}/a/`)).toBe(true)
      const [token] = await host.query<{ action: string; requiredStatus: string }>(
        "SELECT action, required_status FROM action_tokens WHERE token_hash = $1",
        [hashToken(link!.slice(`${BASE}/a/`.length))]
      )
      expect(token).toEqual({ action: "send_deposit", requiredStatus: "AWAITING_DEPOSIT" })
    })

    it("approving through an action link queues the same notification", async () => {
      const { id, token } = await leadWithApproveLink(host)
      expect((await postLink(host, token)).status).toBe(200)
      expect((await host.query<{ status: string }>("SELECT status FROM leads WHERE id = $1", [id]))[0]!.status).toBe("AWAITING_DEPOSIT")
      const notes = await approvedNotes(host, id)
      expect(notes.map((n) => n.body.split("\n")[0])).toEqual([`✅ Lead #${id} (Sam) approved — send the deposit link`])
    })

    it("a refused approve (wrong status) tells the artist nothing", async () => {
      const { id } = await seedLead(host)
      await host.query("UPDATE leads SET status = 'BOOKED' WHERE id = $1", [id])
      expect((await host.admin("POST", `/admin/leads/${id}/approve`)).status).toBe(400)
      expect(await approvedNotes(host, id)).toEqual([])
    })
  })

  describe("calendar enabled", () => {
    let j: Journey
    beforeAll(async () => {
      j = await startJourney()
    }, 120_000)
    afterAll(async () => {
      await j?.close()
    })

    it("queues and sends '— offering slots' with no deposit link", async () => {
      const { id } = await seedLead(j.host)
      await approve(j.host, id)
      const notes = await approvedNotes(j.host, id)
      expect(notes.map((n) => n.kind)).toEqual(["artist.approved_offering_slots"])
      expect(notes[0]!.body).toBe(`✅ Lead #${id} (Sam) approved — offering slots`)
      expect(textsTo(j.graph, ARTIST_NUMBER)).toContain(`✅ Lead #${id} (Sam) approved — offering slots`)
    })
  })

  describe("notifications off", () => {
    let off: TestHost
    let noNumber: TestHost
    beforeAll(async () => {
      off = await startTestHost({ ARTIST_WHATSAPP_NUMBER: ARTIST_NUMBER, FEATURE_NOTIFICATIONS_ENABLED: "false" })
      noNumber = await startTestHost({})
    }, 120_000)
    afterAll(async () => {
      await Promise.all([off?.close(), noNumber?.close()])
    })

    it("FEATURE_NOTIFICATIONS_ENABLED=false: the lead is approved, no artist message is queued", async () => {
      const { id } = await seedLead(off)
      expect((await off.admin("POST", `/admin/leads/${id}/approve`)).status).toBe(200)
      expect(await artistNotes(off, id)).toEqual([])
    })

    it("no ARTIST_WHATSAPP_NUMBER: the lead is approved, no artist message is queued", async () => {
      const { id } = await seedLead(noNumber)
      expect((await noNumber.admin("POST", `/admin/leads/${id}/approve`)).status).toBe(200)
      expect(await artistNotes(noNumber, id)).toEqual([])
    })
  })
})
