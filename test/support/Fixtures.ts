/**
 * Fixtures for the fault and fuzz suites: test phone numbers, leads seeded straight into a given
 * status, realistic Stripe events and their signed delivery, fake-server settings for the host.
 */
import { signStripePayload } from "@tattoo-bot/stripe"
import { randomBytes } from "node:crypto"
import { STRIPE_WEBHOOK_SECRET } from "./TestHost.js"

/** Access token the host sends to the fake Graph API (checked there, never logged). */
export const GRAPH_TOKEN = "EAAGfaketoken0123456789abcdefXYZ"
export const PHONE_NUMBER_ID = "106540352242922"

/** Host variables that point WhatsApp at a fake Graph API (not dry-run). */
export const graphEnv = (baseUrl: string): Record<string, string> => ({
  WHATSAPP_DRY_RUN: "false",
  WHATSAPP_API_BASE_URL: baseUrl,
  WHATSAPP_ACCESS_TOKEN: GRAPH_TOKEN,
  WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID
})

let seq = 0
/** A fresh UK mobile-looking number (12 digits), unique within the run. */
export const newNumber = (): string => `4477${String(Date.now()).slice(-5)}${String(++seq % 1000).padStart(3, "0")}`

type Query = <A extends object = Record<string, unknown>>(text: string, params?: ReadonlyArray<unknown>) => Promise<ReadonlyArray<A>>

/** Inserts a lead awaiting its deposit, with a checkout session; returns its id and session id. */
export const seedAwaitingDeposit = async (query: Query, from: string, amountPence = 15_000) => {
  const sessionId = `cs_test_${randomBytes(12).toString("hex")}`
  const rows = await query<{ id: number }>(
    `INSERT INTO leads (wa_from, client_name, status, deposit_amount_pence, stripe_checkout_session_id, last_client_message_at, last_client_wa_timestamp)
     VALUES ($1, 'Test Client', 'AWAITING_DEPOSIT', $2, $3, now(), extract(epoch from now())::bigint - 3600) RETURNING id`,
    [from, amountPence, sessionId]
  )
  return { leadId: rows[0]!.id, sessionId, amountPence }
}

/** A `checkout.session.completed` (paid) event for a lead, shaped like Stripe's. */
export const checkoutCompleted = (options: {
  readonly leadId: number
  readonly sessionId: string
  readonly amountPence: number
  readonly type?: string
  readonly eventId?: string
  readonly paymentStatus?: "paid" | "unpaid"
}) => ({
  id: options.eventId ?? `evt_1${randomBytes(12).toString("hex")}`,
  object: "event",
  api_version: "2026-10-28.endive",
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type: options.type ?? "checkout.session.completed",
  data: {
    object: {
      id: options.sessionId,
      object: "checkout.session",
      amount_total: options.amountPence,
      currency: "gbp",
      client_reference_id: String(options.leadId),
      metadata: { lead_id: String(options.leadId) },
      mode: "payment",
      payment_intent: `pi_3${randomBytes(10).toString("hex")}`,
      payment_status: options.paymentStatus ?? "paid",
      status: options.type === "checkout.session.expired" ? "expired" : "complete",
      created: Math.floor(Date.now() / 1000) - 60,
      expires_at: Math.floor(Date.now() / 1000) + 3600
    }
  }
})

/** Posts a Stripe event with a valid signature (or the given header / timestamp). */
export const postStripe = (
  url: string,
  event: unknown,
  options: { readonly secret?: string; readonly timestamp?: number; readonly signature?: string; readonly rawBody?: string } = {}
) => {
  const body = options.rawBody ?? JSON.stringify(event)
  const signature = options.signature ?? signStripePayload(body, options.secret ?? STRIPE_WEBHOOK_SECRET, options.timestamp)
  return fetch(`${url}/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body
  })
}
