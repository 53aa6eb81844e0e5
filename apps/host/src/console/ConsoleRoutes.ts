import { HttpLayerRouter, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { signWebhookBody } from "@tattoo-bot/whatsapp"
import { Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { AppConfig } from "../config/AppConfig.js"
import { secretsEqual } from "../http/AdminAuthLive.js"
import { CONSOLE_CSS, CONSOLE_HEADERS, consolePage } from "./ConsolePage.js"
import { consoleScript } from "./ConsoleScript.js"
import { demoPage, demoScript } from "./DemoPage.js"

const asset = (body: string, contentType: string) =>
  HttpServerResponse.text(body, { contentType, headers: CONSOLE_HEADERS })

const json = (status: number, body: unknown) => HttpServerResponse.unsafeJson(body, { status, headers: { "cache-control": "no-store" } })

const NOT_FOUND = json(404, { error: "not_found", message: "Not found" })

/** A client number: digits (a leading + and spaces allowed), 8 to 15 of them. */
const ClientNumber = Schema.String.pipe(
  Schema.transform(Schema.String, { strict: true, decode: (s) => s.replace(/[\s+()-]/g, ""), encode: (s) => s }),
  Schema.pattern(/^\d{8,15}$/, { message: () => "from must be a phone number of 8 to 15 digits" })
)

const DemoMessage = Schema.Struct({
  from: ClientNumber,
  name: Schema.optional(Schema.NullOr(Schema.String.pipe(Schema.maxLength(100)))),
  text: Schema.String.pipe(
    Schema.filter((s) => s.trim().length > 0 || "text must not be empty"),
    Schema.maxLength(4096, { message: () => "text must be at most 4096 characters" })
  )
})

/**
 * `GET /console` (and its script and styles): the artist's console, which calls the admin API with
 * the key from sessionStorage. Outside production also `GET /demo`, where a person plays the client:
 * `POST /demo/messages` builds a WhatsApp webhook payload, signs it with the app secret here on the
 * server and posts it to this service's own `/webhooks/whatsapp`; `GET /demo/messages?from=` reads
 * the conversation back. In production every `/demo` path is a 404.
 */
export const ConsoleRoutes = Layer.unwrapEffect(
  Effect.gen(function* () {
    const config = yield* AppConfig
    const server = yield* HttpServer.HttpServer
    const sql = yield* SqlClient.SqlClient
    const demoEnabled = config.appEnv !== "production"
    const artistName = Option.getOrElse(config.artistName, () => "Jonah")
    const page = consolePage(artistName)
    const selfUrl = () => {
      const address = server.address
      if (address._tag !== "TcpAddress") return undefined
      const host = address.hostname === "0.0.0.0" || address.hostname === "" ? "127.0.0.1" : address.hostname === "::" ? "[::1]" : address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname
      return `http://${host}:${address.port}`
    }
    /** The demo endpoints act as a client of the bot: with an admin key configured they need it. */
    const authorized = (request: HttpServerRequest.HttpServerRequest) =>
      Option.match(config.adminApiKey, {
        onNone: () => true,
        onSome: (expected) => {
          const given = request.headers["x-admin-api-key"] ?? ""
          return given.length > 0 && secretsEqual(given, Redacted.value(expected))
        }
      })
    const unauthorized = json(401, { error: "unauthorized", message: "Sign in to the console (the admin key) to use the demo." })

    const postMessage = (request: HttpServerRequest.HttpServerRequest) =>
      Effect.gen(function* () {
        if (!authorized(request)) return unauthorized
        const raw = yield* request.json.pipe(Effect.either)
        if (Either.isLeft(raw)) return json(400, { error: "invalid_json", message: "The body must be JSON: {\"from\", \"text\"}" })
        const decoded = Schema.decodeUnknownEither(DemoMessage)(raw.right, { errors: "first" })
        if (Either.isLeft(decoded)) return json(400, { error: "invalid_message", message: decoded.left.message.split("\n").slice(-1)[0] ?? "Invalid message" })
        const { from, name, text } = decoded.right
        const messageId = `wamid.DEMO-${randomUUID()}`
        const body = JSON.stringify({
          object: "whatsapp_business_account",
          entry: [
            {
              id: "demo",
              changes: [
                {
                  field: "messages",
                  value: {
                    messaging_product: "whatsapp",
                    metadata: { display_phone_number: "15550000000", phone_number_id: Option.getOrElse(config.whatsapp.phoneNumberId, () => "demo") },
                    contacts: [{ profile: { name: name ?? "Demo Client" }, wa_id: from }],
                    messages: [{ from, id: messageId, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }]
                  }
                }
              ]
            }
          ]
        })
        const base = selfUrl()
        if (base === undefined) return json(503, { error: "unavailable", message: "The server address is unknown" })
        const response = yield* Effect.tryPromise(() =>
          fetch(`${base}/webhooks/whatsapp`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-hub-signature-256": signWebhookBody(body, config.webhookAppSecret) },
            body
          }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => null)) as unknown }))
        ).pipe(Effect.either)
        if (Either.isLeft(response)) return json(502, { error: "webhook_unreachable", message: "Could not reach the webhook" })
        if (response.right.status !== 200) {
          return json(502, { error: "webhook_failed", message: `The webhook answered ${response.right.status}`, webhook: response.right.body })
        }
        return json(200, { sent: true, message_id: messageId, webhook: response.right.body })
      })

    const getMessages = (request: HttpServerRequest.HttpServerRequest) =>
      Effect.gen(function* () {
        if (!authorized(request)) return unauthorized
        const from = new URL(request.url, "http://localhost").searchParams.get("from") ?? ""
        const decoded = Schema.decodeUnknownEither(ClientNumber)(from)
        if (Either.isLeft(decoded)) return json(400, { error: "invalid_number", message: "from must be a phone number of 8 to 15 digits" })
        const leads = yield* sql<{ id: number; status: string }>`SELECT id, status FROM leads WHERE wa_from = ${decoded.right} ORDER BY id DESC LIMIT 1`
        const messages = yield* sql<{ id: number; direction: string; kind: string; body: string | null; createdAt: Date }>`
          SELECT m.id, m.direction, m.kind, m.body, m.created_at FROM messages m JOIN leads l ON l.id = m.lead_id
          WHERE l.wa_from = ${decoded.right} ORDER BY m.id DESC LIMIT 500`
        return json(200, {
          lead_id: leads[0]?.id ?? null,
          status: leads[0]?.status ?? null,
          messages: [...messages].reverse().map((m) => ({
            direction: m.direction,
            kind: m.kind,
            body: m.body,
            created_at: new Date(m.createdAt).toISOString()
          }))
        })
      }).pipe(Effect.orDie)

    const demo = <E, R>(handler: (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
      (request: HttpServerRequest.HttpServerRequest) => (demoEnabled ? handler(request) : Effect.succeed(NOT_FOUND))

    return HttpLayerRouter.addAll([
      HttpLayerRouter.route("GET", "/console", Effect.succeed(asset(page, "text/html; charset=utf-8"))),
      HttpLayerRouter.route("GET", "/console/console.js", Effect.succeed(asset(consoleScript, "text/javascript; charset=utf-8"))),
      HttpLayerRouter.route("GET", "/console/console.css", Effect.succeed(asset(CONSOLE_CSS, "text/css; charset=utf-8"))),
      HttpLayerRouter.route("GET", "/demo", demo(() => Effect.succeed(asset(demoPage, "text/html; charset=utf-8")))),
      HttpLayerRouter.route("GET", "/demo/demo.js", demo(() => Effect.succeed(asset(demoScript, "text/javascript; charset=utf-8")))),
      HttpLayerRouter.route("POST", "/demo/messages", demo(postMessage)),
      HttpLayerRouter.route("GET", "/demo/messages", demo(getMessages))
    ])
  })
)
