import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { decodeWebhookPayload, verifyHandshake, verifyWebhookSignature, webhookEvents } from "@tattoo-bot/whatsapp"
import { Effect, Either, Option, Redacted } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { processInboundMessage } from "../conversation/Inbound.js"
import { TattooBotApi } from "../http/Api.js"
import { ActionTokens } from "../leads/ActionTokens.js"
import { HostSettings } from "../leads/HostSettings.js"
import { PanicSwitch } from "../flags/PanicSwitch.js"
import { OutboxSignal } from "../outbox/OutboxSignal.js"
import { processDeliveryStatus } from "./DeliveryStatus.js"

const json = (status: number, body: unknown) => HttpServerResponse.unsafeJson(body, { status })

/** `GET|POST /webhooks/whatsapp`: the handshake, then signature first, then every message and status in order. */
export const WhatsAppWebhookHandlers = HttpApiBuilder.group(TattooBotApi, "whatsappWebhook", (handlers) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const sql = yield* SqlClient.SqlClient
    const signal = yield* OutboxSignal
    const context = yield* Effect.context<SqlClient.SqlClient | AppConfig | HostSettings | ActionTokens | PanicSwitch>()
    const verifyToken = Option.map(config.whatsapp.verifyToken, Redacted.value)
    return handlers
      .handle("handshake", ({ urlParams }) =>
        Effect.gen(function* () {
          if (Option.isNone(verifyToken)) {
            yield* Effect.logWarning("whatsapp webhook handshake refused: WHATSAPP_VERIFY_TOKEN is not set")
            return HttpServerResponse.unsafeJson({ error: "verification_failed", message: "Verification failed" }, { status: 403 })
          }
          const result = verifyHandshake(urlParams, verifyToken.value)
          if (Either.isLeft(result)) {
            yield* Effect.logWarning("whatsapp webhook handshake refused").pipe(Effect.annotateLogs({ reason: result.left.reason }))
            return HttpServerResponse.unsafeJson({ error: "verification_failed", message: "Verification failed" }, { status: 403 })
          }
          return HttpServerResponse.text(result.right)
        })
      )
      .handleRaw("receive", ({ request }) =>
        Effect.gen(function* () {
          const body = new Uint8Array(yield* request.arrayBuffer)
          const signature = request.headers["x-hub-signature-256"]
          if (!verifyWebhookSignature(body, signature, config.webhookAppSecret)) {
            yield* Effect.logWarning("whatsapp webhook: invalid signature").pipe(Effect.annotateLogs({ bytes: body.length, hasHeader: signature !== undefined }))
            return json(403, { received: false, error: "invalid_signature", message: "Invalid webhook signature" })
          }
          const decoded = decodeWebhookPayload(body)
          if (Either.isLeft(decoded)) {
            yield* Effect.logWarning("whatsapp webhook: invalid payload").pipe(Effect.annotateLogs({ error: decoded.left.message.slice(0, 500) }))
            return json(400, { received: false, error: "invalid_payload", message: decoded.left.message.slice(0, 1000) })
          }
          const events = webhookEvents(decoded.right)
          const results: Array<Record<string, unknown>> = []
          for (const event of events) {
            if (event._tag === "Message") {
              const outcome = yield* processInboundMessage(event).pipe(sql.withTransaction, Effect.provide(context))
              results.push({ message_id: event.id, outcome: outcome._tag, ...("leadId" in outcome ? { lead_id: outcome.leadId } : {}) })
            } else {
              const outcome = yield* processDeliveryStatus(event).pipe(sql.withTransaction, Effect.provide(context))
              results.push({ status_id: event.id, status: event.status.status, outcome })
            }
          }
          yield* signal.notify
          return json(200, { received: true, messages: events.filter((e) => e._tag === "Message").length, statuses: events.filter((e) => e._tag === "Status").length, results })
        }).pipe(
          Effect.catchAllCause((cause) =>
            Effect.zipRight(
              Effect.logError("whatsapp webhook processing failed; rolled back so the retry can process it (database?)", cause),
              Effect.succeed(json(500, { received: false, error: "processing_failed", message: "Processing failed; retry later" }))
            )
          )
        )
      )
  })
)
