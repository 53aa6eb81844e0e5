import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import type { LeadEvent } from "@tattoo-bot/lead-machine"
import { decodeStripeEvent, type DepositEvent, verifyStripeWebhook } from "@tattoo-bot/stripe"
import { Effect, Either, Option } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { withWriteBuffer } from "../db/WriteBuffer.js"
import { recordSystemEvent } from "../events/SystemEvents.js"
import { TattooBotApi } from "../http/Api.js"
import { ActionTokens } from "../leads/ActionTokens.js"
import { HostSettings } from "../leads/HostSettings.js"
import { applyEvent } from "../leads/LeadEngine.js"
import { findLead, updateLead } from "../leads/LeadStore.js"
import { OutboxSignal } from "../outbox/OutboxSignal.js"

const json = (status: number, body: unknown) => HttpServerResponse.unsafeJson(body, { status })

type Handled = Exclude<DepositEvent, { readonly _tag: "Ignored" }>

const STRIPE_TYPE: Record<Handled["_tag"], string> = {
  CheckoutCompleted: "checkout.session.completed",
  AsyncPaymentSucceeded: "checkout.session.async_payment_succeeded",
  AsyncPaymentFailed: "checkout.session.async_payment_failed",
  CheckoutExpired: "checkout.session.expired",
  ChargeRefunded: "charge.refunded"
}

/** The lead event a Stripe event means, or none (a completed checkout still awaiting an async payment). */
const leadEventOf = (event: Handled): LeadEvent | undefined => {
  switch (event._tag) {
    case "CheckoutCompleted":
      return event.paymentStatus === "paid"
        ? { _tag: "DepositPaid", checkoutSessionId: event.sessionId, amountPence: event.amountTotal, currency: event.currency }
        : undefined
    case "AsyncPaymentSucceeded":
      return { _tag: "DepositPaid", checkoutSessionId: event.sessionId, amountPence: event.amountTotal, currency: event.currency }
    case "AsyncPaymentFailed":
      return { _tag: "DepositFailed", checkoutSessionId: event.sessionId }
    case "CheckoutExpired":
      return { _tag: "DepositExpired", checkoutSessionId: event.sessionId }
    case "ChargeRefunded":
      return { _tag: "DepositRefunded", amountPence: event.amountRefunded }
  }
}

/** Finds the lead of a refund that carries no lead id, by its payment intent. */
const leadIdOf = (event: Handled) =>
  Effect.gen(function* () {
    if (event.leadId !== undefined) return Option.some(event.leadId)
    if (event._tag !== "ChargeRefunded") return Option.none<number>()
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ id: number }>`SELECT id FROM leads WHERE stripe_payment_intent_id = ${event.paymentIntentId} LIMIT 1`
    return Option.fromNullable(rows[0]?.id)
  })

class UnknownLead {
  readonly _tag = "UnknownLead"
  constructor(readonly leadId: number | null) {}
}

/**
 * `POST /webhooks/stripe`: the signature over the raw body first (400, nothing changes), then each
 * event id exactly once (claimed in the same transaction as its effects, so concurrent
 * deliveries apply it once and a failure rolls back for Stripe's retry).
 */
export const StripeWebhookHandlers = HttpApiBuilder.group(TattooBotApi, "stripeWebhook", (handlers) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const sql = yield* SqlClient.SqlClient
    const signal = yield* OutboxSignal
    const context = yield* Effect.context<SqlClient.SqlClient | AppConfig | HostSettings | ActionTokens>()
    return handlers.handleRaw("receive", ({ request }) =>
      Effect.gen(function* () {
        const body = new Uint8Array(yield* request.arrayBuffer)
        if (Option.isNone(config.stripe.webhookSecret)) {
          yield* Effect.logError("stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set")
          return json(400, { error: "webhook_not_configured", message: "STRIPE_WEBHOOK_SECRET is not set" })
        }
        const verified = verifyStripeWebhook(body, request.headers["stripe-signature"], config.stripe.webhookSecret.value)
        if (Either.isLeft(verified)) {
          yield* Effect.logWarning("stripe webhook: invalid signature").pipe(Effect.annotateLogs({ reason: verified.left.reason }))
          return json(400, { error: "invalid_signature", message: `Invalid Stripe signature (${verified.left.reason})` })
        }
        const decoded = decodeStripeEvent(verified.right)
        if (Either.isLeft(decoded)) {
          yield* recordSystemEvent({ level: "ERROR", type: "stripe.webhook_invalid_event", payload: { message: decoded.left.message.slice(0, 500) } }).pipe(
            Effect.provide(context)
          )
          return json(400, { error: "invalid_event", message: decoded.left.message.slice(0, 1000) })
        }
        const event = decoded.right
        if (event._tag === "Ignored") {
          yield* Effect.logInfo("stripe webhook: event type not handled").pipe(Effect.annotateLogs({ type: event.type }))
          return json(200, { received: true, type: event.type, message: "Event received but not handled" })
        }
        const type = STRIPE_TYPE[event._tag]
        const processed = yield* Effect.gen(function* () {
          const claimed = yield* sql<{ eventId: string }>`
            INSERT INTO stripe_events (event_id, event_type) VALUES (${event.eventId}, ${type})
            ON CONFLICT (event_id) DO NOTHING RETURNING event_id`
          if (claimed.length === 0) return { duplicate: true as const }
          const leadId = yield* leadIdOf(event)
          if (Option.isNone(leadId) || Option.isNone(yield* findLead(leadId.value))) {
            return yield* Effect.fail(new UnknownLead(Option.getOrNull(leadId)))
          }
          yield* sql`UPDATE stripe_events SET lead_id = ${leadId.value} WHERE event_id = ${event.eventId}`
          if ("paymentIntentId" in event && event.paymentIntentId) {
            yield* updateLead(leadId.value, { stripePaymentIntentId: event.paymentIntentId })
          }
          const leadEvent = leadEventOf(event)
          if (leadEvent === undefined) {
            yield* recordSystemEvent({ level: "INFO", type: "stripe.payment_pending", leadId: leadId.value, payload: { eventId: event.eventId } })
            return { duplicate: false as const, leadId: leadId.value, outcome: "pending", status: null as string | null }
          }
          const applied = yield* applyEvent(leadId.value, leadEvent, "stripe").pipe(Effect.either)
          if (Either.isLeft(applied)) {
            const reason = applied.left._tag === "InvalidTransition" ? applied.left.message : "lead missing"
            // Out of order or too late: kept and recorded, never applied backwards.
            yield* sql`UPDATE stripe_events SET outcome = 'not_applied' WHERE event_id = ${event.eventId}`
            yield* recordSystemEvent({ level: "WARN", type: "stripe.event_not_applied", leadId: leadId.value, payload: { eventId: event.eventId, type, reason } })
            return { duplicate: false as const, leadId: leadId.value, outcome: "not_applied", status: null }
          }
          yield* sql`UPDATE stripe_events SET outcome = 'applied' WHERE event_id = ${event.eventId}`
          return { duplicate: false as const, leadId: leadId.value, outcome: "applied", status: applied.right.to as string | null }
          // The event's writes (lead changes, history, outbox rows, events) go in as few statements as possible (see WriteBuffer).
        }).pipe(withWriteBuffer, sql.withTransaction, Effect.provide(context), Effect.either)
        if (Either.isLeft(processed)) {
          const error = processed.left
          if (error instanceof UnknownLead) {
            yield* recordSystemEvent({ level: "ERROR", type: "stripe.webhook_failure.unknown_lead", payload: { eventId: event.eventId, type, leadId: error.leadId } }).pipe(
              Effect.provide(context)
            )
            return json(404, { error: "lead_not_found", message: `No lead for Stripe event ${event.eventId}` })
          }
          return yield* Effect.die(error)
        }
        const result = processed.right
        if (result.duplicate) {
          yield* Effect.logInfo("duplicate stripe event ignored (idempotent)").pipe(Effect.annotateLogs({ eventId: event.eventId }))
          return json(200, { received: true, type: "duplicate", event_id: event.eventId })
        }
        yield* signal.notify
        yield* Effect.logInfo("stripe webhook processed").pipe(Effect.annotateLogs({ type, leadId: result.leadId, outcome: result.outcome }))
        return json(200, { received: true, type, event_id: event.eventId, lead_id: result.leadId, outcome: result.outcome, status: result.status })
      }).pipe(
        Effect.catchAllCause((cause) =>
          Effect.zipRight(
            Effect.logError("stripe webhook payment processing failed; rolled back for Stripe's retry (database?)", cause),
            Effect.succeed(json(500, { error: "processing_failed", message: "Processing failed; retry later" }))
          )
        )
      )
    )
  })
)
