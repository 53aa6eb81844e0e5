import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSchema, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  BadRequestResponse,
  ConflictResponse,
  ForbiddenResponse,
  InvalidTransitionResponse,
  MediaUnavailableResponse,
  NotFoundResponse,
  RateLimitedResponse,
  UnauthorizedResponse,
  UnavailableResponse
} from "./ApiErrors.js"

/** `X-Admin-API-Key`, checked (in constant time) before anything else on every admin route. */
export class AdminAuth extends HttpApiMiddleware.Tag<AdminAuth>()("AdminAuth", {
  failure: Schema.Union(UnauthorizedResponse, ForbiddenResponse, RateLimitedResponse),
  security: { adminKey: HttpApiSecurity.apiKey({ in: "header", key: "X-Admin-API-Key" }) }
}) {}

const Health = Schema.Struct({
  ok: Schema.Boolean,
  templates_configured: Schema.Array(Schema.String),
  templates_missing: Schema.Array(Schema.String),
  whatsapp_enabled: Schema.Boolean,
  features: Schema.Struct({
    sheets_enabled: Schema.Boolean,
    calendar_enabled: Schema.Boolean,
    reminders_enabled: Schema.Boolean,
    notifications_enabled: Schema.Boolean,
    panic_mode_enabled: Schema.Boolean
  }),
  calendar_enabled: Schema.Boolean,
  sheets_enabled: Schema.Boolean
})

const Ready = Schema.Struct({ ok: Schema.Boolean, database: Schema.String })
export class NotReady extends Schema.Class<NotReady>("NotReady")(
  { ok: Schema.Literal(false), database: Schema.String, error: Schema.String },
  HttpApiSchema.annotations({ status: 503 })
) {}

const Json = Schema.Unknown

/** Health and readiness. */
export class HealthGroup extends HttpApiGroup.make("health")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(Health).annotate(OpenApi.Summary, "Liveness, templates and feature flags"))
  .add(
    HttpApiEndpoint.get("ready", "/ready").addSuccess(Ready).addError(NotReady).annotate(OpenApi.Summary, "Database readiness")
  ) {}

/** Meta's WhatsApp webhook: the GET handshake and signed POST deliveries. */
export class WhatsAppWebhookGroup extends HttpApiGroup.make("whatsappWebhook")
  .add(
    HttpApiEndpoint.get("handshake", "/webhooks/whatsapp")
      .setUrlParams(
        Schema.Struct({
          "hub.mode": Schema.optional(Schema.String),
          "hub.verify_token": Schema.optional(Schema.String),
          "hub.challenge": Schema.optional(Schema.String)
        })
      )
      .addSuccess(HttpApiSchema.Text())
      .annotate(OpenApi.Summary, "Subscription handshake (echoes hub.challenge)")
  )
  .add(
    HttpApiEndpoint.post("receive", "/webhooks/whatsapp")
      .setPayload(Json)
      .addSuccess(Json)
      .annotate(OpenApi.Summary, "Inbound messages and status callbacks (X-Hub-Signature-256 required)")
  ) {}

/** Stripe's signed webhook. */
export class StripeWebhookGroup extends HttpApiGroup.make("stripeWebhook").add(
  HttpApiEndpoint.post("receive", "/webhooks/stripe")
    .setPayload(Json)
    .addSuccess(Json)
    .annotate(OpenApi.Summary, "Checkout and charge events (Stripe-Signature required)")
) {}

const LeadId = Schema.NumberFromString.pipe(Schema.int(), Schema.positive(), Schema.lessThan(2 ** 31))
const IdPath = Schema.Struct({ id: LeadId })
const Paging = {
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 500))),
  offset: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 10_000_000)))
}

const LeadSummary = Schema.Struct({
  id: Schema.Number,
  wa_from: Schema.String,
  client_name: Schema.NullOr(Schema.String),
  status: Schema.String,
  created_at: Schema.String,
  updated_at: Schema.String,
  last_client_message_at: Schema.NullOr(Schema.String)
})

const LeadList = Schema.Struct({
  leads: Schema.Array(LeadSummary),
  total: Schema.Number.annotations({
    description: "Leads matching status and search (before_id and offset aside): exact up to 10,000, PostgreSQL's estimate above (then total_exact is false)"
  }),
  total_exact: Schema.Boolean.annotations({ description: "false when total is an estimate (more than 10,000 matches)" }),
  limit: Schema.Number,
  offset: Schema.Number,
  next_before_id: Schema.NullOr(Schema.Number).annotations({
    description: "Pass as before_id for the next page (keyset paging); null on the last page"
  })
})

const ActionResult = Schema.Struct({
  success: Schema.Boolean,
  message: Schema.String,
  lead_id: Schema.Number,
  status: Schema.String
})

/**
 * Text the admin API passes on to PostgreSQL (a filter, a search, a reason): at most `max` characters and
 * no NUL character, which PostgreSQL text cannot hold (the request is refused with 400, not failed with 500).
 */
const AdminText = (max: number) =>
  Schema.String.pipe(
    Schema.maxLength(max),
    Schema.filter((s) => !s.includes("\u0000"), { message: () => "must not contain a NUL character" })
  )

const RejectBody = Schema.Struct({ reason: Schema.optional(Schema.NullOr(AdminText(2000))) })
const DepositBody = Schema.Struct({
  amount_pence: Schema.optional(Schema.NullOr(Schema.Int.pipe(Schema.between(1, 100_000_000))))
})

const PanicState = Schema.Struct({ panic_mode_enabled: Schema.Boolean })

const leadAction = <const N extends string>(name: N, path: `/${string}`, summary: string) =>
  HttpApiEndpoint.post(name, path)
    .setPath(IdPath)
    .addSuccess(ActionResult)
    .addError(InvalidTransitionResponse)
    .addError(NotFoundResponse)
    .addError(ConflictResponse)
    .addError(UnavailableResponse)
    .annotate(OpenApi.Summary, summary)

/** The artist's admin API. */
export class AdminGroup extends HttpApiGroup.make("admin")
  .add(
    HttpApiEndpoint.get("listLeads", "/admin/leads")
      .setUrlParams(
        Schema.Struct({
          status: Schema.optional(AdminText(64)),
          search: Schema.optional(AdminText(200)),
          before_id: Schema.optional(LeadId),
          ...Paging
        })
      )
      .addSuccess(LeadList)
      .addError(BadRequestResponse)
      .annotate(OpenApi.Summary, "Leads, newest first (filter by status, search by number, name or id; page by before_id or offset)")
  )
  .add(
    HttpApiEndpoint.get("getLead", "/admin/leads/:id")
      .setPath(IdPath)
      .addSuccess(Json)
      .addError(NotFoundResponse)
      .annotate(OpenApi.Summary, "One lead: answers, messages both ways, attachments, events")
  )
  .add(
    HttpApiEndpoint.get("attachmentContent", "/admin/attachments/:id/content")
      .setPath(IdPath)
      .addSuccess(HttpApiSchema.Uint8Array({ contentType: "application/octet-stream" }))
      .addError(NotFoundResponse)
      .addError(MediaUnavailableResponse)
      .annotate(
        OpenApi.Summary,
        "An attachment's bytes (e.g. a reference image), fetched from WhatsApp and answered with its stored content type; 502 media_unavailable when WhatsApp cannot provide it"
      )
  )
  .add(leadAction("approve", "/admin/leads/:id/approve", "Approve (PENDING_APPROVAL or NEEDS_FOLLOW_UP → AWAITING_DEPOSIT)"))
  .add(leadAction("reject", "/admin/leads/:id/reject", "Reject (any status but BOOKED/REJECTED)").setPayload(RejectBody))
  .add(
    leadAction("sendDeposit", "/admin/leads/:id/send-deposit", "Create a Stripe deposit link and send it")
      .setPayload(DepositBody)
  )
  .add(leadAction("markBooked", "/admin/leads/:id/mark-booked", "Confirm the booking (BOOKING_PENDING → BOOKED)"))
  .add(leadAction("resume", "/admin/leads/:id/resume", "Hand a lead back to the bot (NEEDS_ARTIST_REPLY → where it was)"))
  .add(
    HttpApiEndpoint.get("events", "/admin/events")
      .setUrlParams(
        Schema.Struct({
          limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 1000))),
          lead_id: Schema.optional(LeadId),
          event_type: Schema.optional(AdminText(200))
        })
      )
      .addSuccess(Json)
      .annotate(OpenApi.Summary, "System events, newest first")
  )
  .add(
    HttpApiEndpoint.post("retentionCleanup", "/admin/events/retention-cleanup")
      .setUrlParams(
        Schema.Struct({ retention_days: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 36500))) })
      )
      .addSuccess(Schema.Struct({ deleted: Schema.Number, retention_days: Schema.Number }))
      .annotate(OpenApi.Summary, "Delete system events older than retention_days (default 90)")
  )
  .add(
    HttpApiEndpoint.get("outbox", "/admin/outbox")
      .setUrlParams(
        Schema.Struct({
          status: Schema.optional(Schema.Literal("PENDING", "HELD", "SENDING", "SENT", "FAILED", "CANCELLED")),
          lead_id: Schema.optional(LeadId),
          limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 500)))
        })
      )
      .addSuccess(Json)
      .annotate(OpenApi.Summary, "Outbox rows, newest first")
  )
  .add(
    HttpApiEndpoint.post("outboxRetry", "/admin/outbox/retry")
      .setUrlParams(Schema.Struct({ limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 1000))) }))
      .addSuccess(Schema.Struct({ outbox_retry: Schema.Struct({ retried: Schema.Number, ids: Schema.Array(Schema.Number) }) }))
      .annotate(OpenApi.Summary, "Make failed and backing-off outbox rows due now")
  )
  .add(
    HttpApiEndpoint.get("getPanic", "/admin/panic")
      .addSuccess(PanicState)
      .annotate(OpenApi.Summary, "Whether panic mode is on")
  )
  .add(
    HttpApiEndpoint.post("setPanic", "/admin/panic")
      .setPayload(Schema.Struct({ enabled: Schema.Boolean }))
      .addSuccess(PanicState)
      .annotate(OpenApi.Summary, "Switch panic mode on or off without a restart (same as PANIC ON / PANIC OFF from the artist)")
  )
  .middleware(AdminAuth) {}

const Days = Schema.Struct({
  days: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 3650)))
})

const Rate = Schema.NullOr(Schema.Number)

const FunnelStage = Schema.Struct({
  stage: Schema.Literal("new", "qualifying", "pending_approval", "approved", "slot_chosen", "deposit_paid", "booked"),
  count: Schema.Number,
  rate_from_previous: Rate,
  rate_from_new: Rate
})

/** `GET /admin/funnel`: the leads created in the period, followed through the stages to now. */
export const Funnel = Schema.Struct({
  period_days: Schema.Number,
  since: Schema.String,
  until: Schema.String,
  stages: Schema.Array(FunnelStage),
  counts: Schema.Record({ key: Schema.String, value: Schema.Number }),
  rates: Schema.Record({ key: Schema.String, value: Rate }),
  overall_conversion: Rate,
  drop_off: Schema.Record({ key: Schema.String, value: Schema.Number }),
  current_status: Schema.Record({ key: Schema.String, value: Schema.Number })
})

/** `GET /admin/slot-parse-stats`: how the clients' slot replies were read. */
export const SlotParseStats = Schema.Struct({
  period_days: Schema.Number,
  since: Schema.String,
  until: Schema.String,
  success: Schema.Record({ key: Schema.String, value: Schema.Number }),
  reject: Schema.Record({ key: Schema.String, value: Schema.Number }),
  ambiguous: Schema.Record({ key: Schema.String, value: Schema.Number }),
  total_success: Schema.Number,
  total_reject: Schema.Number,
  total_ambiguous: Schema.Number,
  total: Schema.Number
})

/** Funnel and slot-parse metrics for the artist (admin key required). */
export class MetricsGroup extends HttpApiGroup.make("metrics")
  .add(
    HttpApiEndpoint.get("funnel", "/admin/funnel")
      .setUrlParams(Days)
      .addSuccess(Funnel)
      .annotate(OpenApi.Summary, "Leads created in the last `days` days (default 7) through each stage, with conversion rates and drop-off reasons")
  )
  .add(
    HttpApiEndpoint.get("slotParseStats", "/admin/slot-parse-stats")
      .setUrlParams(Days)
      .addSuccess(SlotParseStats)
      .annotate(OpenApi.Summary, "Slot replies of the last `days` days (default 7) by matched_by and by reject / ambiguity reason")
  )
  .middleware(AdminAuth) {}

const TokenPath = Schema.Struct({ token: Schema.String })
const HtmlPage = HttpApiSchema.Text({ contentType: "text/html" })

/** The artist's one-tap links `{ACTION_TOKEN_BASE_URL}/a/{token}` (HTML pages; the token is the credential). */
export class ActionLinksGroup extends HttpApiGroup.make("actionLinks")
  .add(
    HttpApiEndpoint.get("confirm", "/a/:token")
      .setPath(TokenPath)
      .addSuccess(HtmlPage)
      .annotate(OpenApi.Summary, "Confirmation page for an action link (changes nothing; safe for link previews)")
  )
  .add(
    HttpApiEndpoint.post("perform", "/a/:token")
      .setPath(TokenPath)
      .addSuccess(HtmlPage)
      .annotate(
        OpenApi.Summary,
        "Performs the link's action once (404 unknown, 410 used or expired, 409 when the lead has moved on; nothing changes then)"
      )
  ) {}

/** The whole HTTP API (the OpenAPI document is generated from it). */
export class TattooBotApi extends HttpApi.make("tattoo-bot")
  .add(HealthGroup)
  .add(WhatsAppWebhookGroup)
  .add(StripeWebhookGroup)
  .add(AdminGroup)
  .add(MetricsGroup)
  .add(ActionLinksGroup)
  .annotate(OpenApi.Title, "Tattoo Booking Bot")
  .annotate(OpenApi.Description, "WhatsApp booking assistant for tattoo artists: webhooks, admin API, health.") {}
