import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { decodeWebhookPayload, verifyHandshake, verifyWebhookSignature, webhookEvents } from "@tattoo-bot/whatsapp"
import { Effect, Either, Option, Redacted } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { InboundBatcher } from "../conversation/InboundBatcher.js"
import { TattooBotApi } from "../http/Api.js"
import { DeliveryStatuses } from "./DeliveryStatus.js"

const json = (status: number, body: unknown) => HttpServerResponse.unsafeJson(body, { status })

// An escaped NUL or surrogate anywhere in the payload text (the cheap test before the rewrite).
const SUSPECT_ESCAPE = /\\u(?:0000|d[89a-f])/i
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

const storable = (value: unknown): unknown => {
  if (typeof value === "string") return value.replaceAll("\u0000", "\ufffd").replace(LONE_SURROGATE, "\ufffd")
  if (Array.isArray(value)) return value.map(storable)
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k) as string, storable(v)]))
  }
  return value
}

/**
 * PostgreSQL stores neither a NUL character nor a lone UTF-16 surrogate (in text or jsonb), so a
 * message containing one would fail every time and Meta would retry it for days. After the
 * signature check such characters become U+FFFD.
 */
const withStorableText = (body: Uint8Array): Uint8Array => {
  const text = new TextDecoder().decode(body)
  if (!SUSPECT_ESCAPE.test(text)) return body
  try {
    return new TextEncoder().encode(JSON.stringify(storable(JSON.parse(text))))
  } catch {
    // Not JSON (the decoder says so) or absurdly deep: leave it to the decoder.
    return body
  }
}

/** `GET|POST /webhooks/whatsapp`: the handshake, then signature first, then every message and status in order. */
export const WhatsAppWebhookHandlers = HttpApiBuilder.group(TattooBotApi, "whatsappWebhook", (handlers) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const inbound = yield* InboundBatcher
    const statuses = yield* DeliveryStatuses
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
          const decoded = decodeWebhookPayload(withStorableText(body))
          if (Either.isLeft(decoded)) {
            yield* Effect.logWarning("whatsapp webhook: invalid payload").pipe(Effect.annotateLogs({ error: decoded.left.message.slice(0, 500) }))
            return json(400, { received: false, error: "invalid_payload", message: decoded.left.message.slice(0, 1000) })
          }
          const events = webhookEvents(decoded.right)
          const results: Array<Record<string, unknown>> = []
          for (const event of events) {
            if (event._tag === "Message") {
              // Its own transaction, or one shared with messages that arrived at the same time (group commit).
              const outcome = yield* inbound.process(event)
              results.push({ message_id: event.id, outcome: outcome._tag, ...("leadId" in outcome ? { lead_id: outcome.leadId } : {}) })
            } else {
              // One statement, or one shared with statuses that arrived at the same time (a failure: its own transaction).
              const outcome = yield* statuses.process(event)
              results.push({ status_id: event.id, status: event.status.status, outcome })
            }
          }
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
