/**
 * Shared set-up for the journey tests: the host started against the three fakes (Graph API,
 * Stripe, Google), and small readers for what the fakes received.
 */
import { SHEET_COLUMNS } from "@tattoo-bot/google-sheets"
import { signStripePayload } from "@tattoo-bot/stripe"
import { type FakeGoogle, makeTestServiceAccount, startFakeGoogle } from "../../../../test/fakes/google-api.js"
import { type FakeGraphApi, startFakeGraphApi } from "../../../../test/fakes/graph-api.js"
import { type FakeStripe, startFakeStripe } from "../../../../test/fakes/stripe-api.js"
import { eventually, STRIPE_WEBHOOK_SECRET, startTestHost, type TestHost } from "../../../../test/support/TestHost.js"

export const ARTIST_NUMBER = "447700900999"
export const CALENDAR_ID = "artist-calendar@group.calendar.google.com"
export const SPREADSHEET_ID = "sheet-journey-1"
const GRAPH_TOKEN = "graph-test-token"
const STRIPE_KEY = "sk_test_journey_key"
export const ZONE = "Europe/London"

export interface Journey {
  readonly host: TestHost
  readonly graph: FakeGraphApi
  readonly stripe: FakeStripe
  readonly google: FakeGoogle
  close(): Promise<void>
}

/** Starts the fakes and a host using them (outbox drained by the test: `settle`). */
export const startJourney = async (overrides: Record<string, string> = {}): Promise<Journey> => {
  const account = makeTestServiceAccount()
  const graph = await startFakeGraphApi({ accessToken: GRAPH_TOKEN })
  const stripe = await startFakeStripe({ secretKey: STRIPE_KEY })
  const google = await startFakeGoogle({ trustedPublicKeys: [account.publicKeyPem], spreadsheetId: SPREADSHEET_ID })
  const host = await startTestHost(
    {
      WHATSAPP_DRY_RUN: "false",
      WHATSAPP_API_BASE_URL: graph.baseUrl,
      WHATSAPP_ACCESS_TOKEN: GRAPH_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
      STRIPE_SECRET_KEY: STRIPE_KEY,
      STRIPE_API_BASE_URL: stripe.baseUrl,
      STRIPE_SUCCESS_URL: "https://bot.example.test/payment/success",
      STRIPE_CANCEL_URL: "https://bot.example.test/payment/cancel",
      GOOGLE_API_BASE_URL: google.baseUrl,
      GOOGLE_CALENDAR_ID: CALENDAR_ID,
      GOOGLE_CALENDAR_CREDENTIALS_JSON: account.json,
      GOOGLE_SHEETS_SPREADSHEET_ID: SPREADSHEET_ID,
      GOOGLE_SHEETS_CREDENTIALS_JSON: account.json,
      FEATURE_CALENDAR_ENABLED: "true",
      FEATURE_SHEETS_ENABLED: "true",
      ARTIST_WHATSAPP_NUMBER: ARTIST_NUMBER,
      ACTION_TOKEN_BASE_URL: "https://bot.example.test",
      ...overrides
    },
    { worker: false }
  )
  return {
    host,
    graph,
    stripe,
    google,
    close: async () => {
      await host.close()
      await Promise.all([graph.close(), stripe.close(), google.close()])
    }
  }
}

/** A JSON answer, for reading fields in assertions. */
export const body = async (res: Response) => (await res.json()) as Record<string, unknown>

/** Drains the outbox until nothing is due (rows backing off or held for the window stay). */
export const settle = async (host: TestHost) => {
  for (let i = 0; i < 30; i++) {
    if ((await host.drain()) === 0) return
  }
}

let seq = 0
/** A fresh WhatsApp number per lead. */
export const newNumber = () => `4477008${String(Date.now()).slice(-5)}${String(++seq % 100).padStart(2, "0")}`

/** What the fake Graph API received, as Meta message bodies. */
export interface SentMessage {
  readonly to: string
  readonly type: string
  readonly text?: { readonly body: string }
  readonly template?: { readonly name: string; readonly language: { readonly code: string } }
  readonly interactive?: {
    readonly type: string
    readonly body: { readonly text: string }
    readonly action: { readonly sections: ReadonlyArray<{ readonly rows: ReadonlyArray<{ readonly id: string; readonly title: string }> }> }
  }
}

/** Messages accepted by the fake Graph API for one recipient, in order. */
export const sentTo = (graph: FakeGraphApi, to: string): Array<SentMessage> =>
  graph
    .messages()
    .filter((r) => r.status === 200)
    .map((r) => r.body as SentMessage)
    .filter((b) => b.to === to)

export const textsTo = (graph: FakeGraphApi, to: string) => sentTo(graph, to).flatMap((m) => (m.type === "text" && m.text ? [m.text.body] : []))
export const listsTo = (graph: FakeGraphApi, to: string) => sentTo(graph, to).filter((m) => m.type === "interactive" && m.interactive?.type === "list")
export const templatesTo = (graph: FakeGraphApi, to: string) => sentTo(graph, to).flatMap((m) => (m.type === "template" && m.template ? [m.template.name] : []))

/** A lead that finished its consultation (PENDING_APPROVAL), created directly in the database. */
export const seedLead = async (host: TestHost, options: { readonly category?: string; readonly depositPence?: number } = {}) => {
  const from = newNumber()
  const deposit = options.depositPence ?? 15_000
  const category = options.category ?? "MEDIUM"
  const rows = await host.query<{ id: number }>(
    `INSERT INTO leads (wa_from, client_name, status, deposit_amount_pence, qualification, summary_text, last_client_message_at)
     VALUES ($1, 'Sam', 'PENDING_APPROVAL', $2, $3::jsonb, 'Lead summary', now()) RETURNING id`,
    [from, deposit, JSON.stringify({ sizeCategory: category, depositAmountPence: deposit, region: "UK" })]
  )
  return { id: rows[0]!.id, from, deposit }
}

export interface LeadRow {
  readonly id: number
  readonly status: string
  readonly offeredSlots: ReadonlyArray<{ start: string; end: string }> | null
  readonly chosenSlotStart: Date | null
  readonly chosenSlotEnd: Date | null
  readonly stripeCheckoutSessionId: string | null
  readonly stripeCheckoutUrl: string | null
  readonly depositPaid: boolean
  readonly flaggedReason: string | null
  readonly calendarEventId: string | null
  readonly slotClarifyCandidates: ReadonlyArray<number> | null
  readonly depositAmountPence: number | null
}

export const leadRow = async (host: TestHost, id: number) =>
  (
    await host.query<LeadRow>(
      `SELECT id, status, offered_slots, chosen_slot_start, chosen_slot_end, stripe_checkout_session_id, stripe_checkout_url,
              deposit_paid, flagged_reason, calendar_event_id, slot_clarify_candidates, deposit_amount_pence
       FROM leads WHERE id = $1`,
      [id]
    )
  )[0]!

export const approve = async (host: TestHost, id: number) => {
  const res = await host.admin("POST", `/admin/leads/${id}/approve`)
  if (res.status !== 200) throw new Error(`approve ${id}: ${res.status} ${await res.text()}`)
  await settle(host)
  return leadRow(host, id)
}

/** Waits (draining) until the lead has slots on offer; returns them. */
export const offered = async (host: TestHost, id: number) =>
  eventually(async () => {
    await settle(host)
    const lead = await leadRow(host, id)
    return lead.offeredSlots && lead.offeredSlots.length > 0 ? lead.offeredSlots : undefined
  }, 30_000)

/** Posts a Stripe event signed as Stripe would (or with another secret). */
export const postStripe = (host: TestHost, event: unknown, secret: string = STRIPE_WEBHOOK_SECRET) => {
  const body = JSON.stringify(event)
  return fetch(`${host.url}/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signStripePayload(body, secret) },
    body
  })
}

/** The Checkout Session create requests the fake Stripe received for a lead. */
export const checkoutRequests = (stripe: FakeStripe, leadId: number) =>
  stripe.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions" && r.form.get("client_reference_id") === String(leadId))

/** The lead's row in the fake sheet, as column name → cell. */
export const sheetRow = (google: FakeGoogle, leadId: number) => {
  const rows = google.sheets.rows.get("Leads") ?? []
  const row = rows.find((r, i) => i > 0 && String(r[0]) === String(leadId))
  if (row === undefined) return undefined
  return Object.fromEntries(SHEET_COLUMNS.map((c, i) => [c, row[i]])) as Record<string, unknown>
}

const parts = (ms: number) => {
  const f = new Intl.DateTimeFormat("en-GB", {
    timeZone: ZONE,
    weekday: "long",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23"
  }).formatToParts(new Date(ms))
  const get = (type: string) => f.find((p) => p.type === type)?.value ?? ""
  return { weekday: get("weekday"), date: `${get("year")}-${get("month")}-${get("day")}`, hour: Number(get("hour")), minute: Number(get("minute")) }
}

/** The artist's wall clock for an instant. */
export const local = (iso: string | Date) => parts(new Date(iso).getTime())

/** "Thursday 2pm" / "Thursday 2:30pm" for a slot start, as a client would write it. */
export const spokenSlot = (iso: string) => {
  const p = local(iso)
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12
  const suffix = p.hour < 12 ? "am" : "pm"
  return `${p.weekday} ${h12}${p.minute === 0 ? "" : `:${String(p.minute).padStart(2, "0")}`}${suffix}`
}
