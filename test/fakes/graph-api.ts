/**
 * A fake of the WhatsApp Cloud API (Meta Graph API) on plain `node:http`, for tests and demos that run the real
 * `@tattoo-bot/whatsapp` client (or the host) against a local server. No dependencies beyond Node.
 *
 * ```ts
 * import { metaError, startFakeGraphApi, webhookBody } from "../../test/fakes/graph-api.js"
 * const fake = await startFakeGraphApi()            // random port on 127.0.0.1; { accessToken, apiVersion, port }
 * // point the client at it: WhatsAppClient.layer({ baseUrl: fake.baseUrl, phoneNumberId, accessToken })
 * //                    or: WHATSAPP_API_BASE_URL=<fake.baseUrl> for the host
 * fake.requests                  // every request in arrival order: method, path, query, headers, rawBody, body, status
 * fake.messages()                // only the POST …/messages requests
 * fake.reply((req, n) => …)      // script answers: return a reply, or undefined for the default behaviour;
 *                                //   n counts the requests the script has seen (1, 2, …)
 * fake.failNext(metaError(131047), 2)          // the next 2 requests get that answer, then the defaults again
 * fake.failNext({ status: 500 })              // a bare 500; { delayMs: 2000 } stalls; { destroy: true } drops the socket
 * const { url } = fake.addMedia("media-1", { bytes, mimeType: "image/jpeg" })
 * fake.reset()                   // forget requests and scripts
 * await fake.close()
 * ```
 *
 * Default behaviour (what Meta does, for the parts we use):
 * - `POST /{version}/{phoneNumberId}/messages` with `Authorization: Bearer <token>` and a JSON body. Checks
 *   `messaging_product: "whatsapp"`, a digits-only `to` and a `type` with its object (`text`, `template`,
 *   `interactive`, …); answers `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id: "wamid.FAKE…" }] }`.
 *   A bad body gets Meta's 400 `(#100) Invalid parameter`.
 * - `GET /{version}/{mediaId}` → `{ messaging_product, url, mime_type, sha256, file_size, id }` for media added with
 *   `addMedia`; unknown ids get Meta's 400 code 100. The `url` points back at this fake (`GET /media-download/{id}`),
 *   which also requires the bearer token and answers the bytes with their `content-type`.
 * - Auth: with `accessToken` set only that token is accepted, otherwise any non-empty bearer; else 401 code 190.
 * - With `apiVersion` set, other versions get 400 code 100 ("Unsupported version"); by default any `vNN.N` works.
 * - Anything else: 400 code 100 "Unknown path components".
 *
 * `metaError(code)` builds Meta's error answers with their real titles and HTTP statuses (131047 re-engagement,
 * 131056 pair rate limit, 130429 throughput, 80007, 132000/132001 template, 131026 undeliverable, 190 token, 131000,
 * 100). `webhookBody(...)` builds a realistic inbound webhook body (messages and/or statuses) and `signBody` its
 * `X-Hub-Signature-256` header, for tests that post webhooks to the host.
 */
import { createHash, createHmac, randomBytes } from "node:crypto"
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

/** One request as the fake received it. */
export interface GraphApiRequest {
  readonly method: string
  /** Path without the query string, e.g. `/v26.0/106540352242922/messages`. */
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  /** The body exactly as sent. */
  readonly rawBody: string
  /** The body parsed as JSON; `undefined` when empty or not JSON. */
  readonly body: unknown
  /** The HTTP status the fake answered with (0 when the socket was dropped or the answer never completed). */
  status: number
}

/** A scripted answer. Every field is optional: `{}` is a 200 with an empty JSON object. */
export interface GraphApiReply {
  readonly status?: number
  /** JSON-encoded unless it is a string or bytes. */
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** Wait this long before answering (to trigger client timeouts). */
  readonly delayMs?: number
  /** Drop the connection without answering (a network failure). */
  readonly destroy?: boolean
}

/** Returns the answer for a request, or undefined to fall through to the default behaviour. */
export type GraphApiScript = (request: GraphApiRequest, count: number) => GraphApiReply | undefined

export interface FakeGraphApiOptions {
  /** Only this bearer token is accepted; by default any non-empty one is. */
  readonly accessToken?: string
  /** Only this Graph API version is served (e.g. `v26.0`); by default any. */
  readonly apiVersion?: string
  readonly port?: number
}

export interface FakeMedia {
  readonly bytes: Uint8Array
  readonly mimeType: string
}

export interface FakeGraphApi {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly baseUrl: string
  readonly port: number
  /** Every request, in arrival order. */
  readonly requests: Array<GraphApiRequest>
  /** The `POST …/messages` requests only. */
  messages(): Array<GraphApiRequest>
  /** Replaces the reply script (see `GraphApiScript`). */
  reply(script: GraphApiScript): void
  /** The next `times` requests (default 1) get this answer, before any script or default. */
  failNext(reply: GraphApiReply, times?: number): void
  /** Makes a media id known to `GET /{version}/{mediaId}`; returns the download URL the lookup will give. */
  addMedia(mediaId: string, media: FakeMedia): { readonly url: string }
  /** Forgets recorded requests, the script and queued failures (media stays). */
  reset(): void
  close(): Promise<void>
}

const META_ERRORS: Record<number, { status: number; title: string; details: string }> = {
  100: { status: 400, title: "Invalid parameter", details: "Invalid parameter" },
  190: { status: 401, title: "Invalid OAuth access token - Cannot parse access token", details: "" },
  80007: {
    status: 400,
    title: "Rate limit issues",
    details: "The WhatsApp Business Account has reached its rate limit."
  },
  130429: { status: 400, title: "Rate limit hit", details: "Cloud API message throughput has been reached." },
  131000: { status: 500, title: "Something went wrong", details: "Message failed to send due to an unknown error." },
  131026: {
    status: 400,
    title: "Message Undeliverable",
    details: "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number."
  },
  131047: {
    status: 400,
    title: "Re-engagement message",
    details:
      "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
  },
  131056: {
    status: 400,
    title: "(Business Account, Consumer Account) pair rate limit hit",
    details:
      "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."
  },
  132000: {
    status: 400,
    title: "Number of parameters does not match the expected number of params",
    details: "body: number of localizable_params (1) does not match the expected number of params (0)"
  },
  132001: {
    status: 404,
    title: "Template name does not exist in the translation",
    details: "template name (unknown_template) does not exist in en_GB"
  }
}

/** Meta's error answer for a code: `{ error: { message: "(#code) title", type, code, error_data, fbtrace_id } }`. */
export const metaError = (
  code: number,
  overrides: { readonly status?: number; readonly title?: string; readonly details?: string } = {}
): GraphApiReply => {
  const known = META_ERRORS[code] ?? { status: 400, title: "Error", details: "" }
  const title = overrides.title ?? known.title
  return {
    status: overrides.status ?? known.status,
    body: {
      error: {
        message: `(#${code}) ${title}`,
        type: "OAuthException",
        code,
        error_data: { messaging_product: "whatsapp", details: overrides.details ?? known.details },
        fbtrace_id: `A${randomBytes(8).toString("hex")}`
      }
    }
  }
}

const MESSAGE_TYPES = new Set([
  "text",
  "template",
  "interactive",
  "image",
  "document",
  "audio",
  "video",
  "sticker",
  "location",
  "contacts",
  "reaction"
])

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const parseJson = (text: string): unknown => {
  if (text === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Starts the fake on 127.0.0.1 (a random port unless `port` is given). */
export const startFakeGraphApi = async (options: FakeGraphApiOptions = {}): Promise<FakeGraphApi> => {
  const requests: Array<GraphApiRequest> = []
  const queued: Array<GraphApiReply> = []
  const media = new Map<string, FakeMedia>()
  let script: GraphApiScript | undefined
  let scriptCount = 0
  let messageCount = 0
  let baseUrl = ""

  const authorized = (request: GraphApiRequest) => {
    const header = request.headers.authorization
    const match = typeof header === "string" ? /^Bearer (\S+)$/.exec(header) : null
    if (match === null) return false
    return options.accessToken === undefined || match[1] === options.accessToken
  }

  const defaultReply = (request: GraphApiRequest): GraphApiReply => {
    if (request.method === "GET" && request.path.startsWith("/media-download/")) {
      if (!authorized(request)) return metaError(190)
      const item = media.get(decodeURIComponent(request.path.slice("/media-download/".length)))
      if (item === undefined) return { status: 404, body: "Not Found", headers: { "content-type": "text/plain" } }
      return { status: 200, body: item.bytes, headers: { "content-type": item.mimeType } }
    }
    const segments = request.path.split("/").filter((s) => s !== "")
    const version = segments[0] ?? ""
    if (!/^v\d+\.\d+$/.test(version)) return metaError(100, { title: "Unknown path components" })
    if (options.apiVersion !== undefined && version !== options.apiVersion) {
      return metaError(100, { title: "Unsupported version", details: `version ${version} is not served` })
    }
    if (!authorized(request)) return metaError(190)

    if (request.method === "POST" && segments.length === 3 && segments[2] === "messages") {
      const body = request.body
      const type = isRecord(body) ? body.type : undefined
      const invalid = (details: string) => metaError(100, { details })
      if (!isRecord(body)) return invalid("The request body is not JSON")
      if (body.messaging_product !== "whatsapp") return invalid("messaging_product must be whatsapp")
      if (typeof body.to !== "string" || !/^\d{5,15}$/.test(body.to)) return invalid("to is not a phone number")
      if (typeof type !== "string" || !MESSAGE_TYPES.has(type) || !isRecord(body[type])) {
        return invalid("type and its object are required")
      }
      messageCount += 1
      return {
        status: 200,
        body: {
          messaging_product: "whatsapp",
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id: `wamid.FAKE${String(messageCount).padStart(6, "0")}` }]
        }
      }
    }
    if (request.method === "GET" && segments.length === 2) {
      const id = decodeURIComponent(segments[1] ?? "")
      const item = media.get(id)
      if (item === undefined) {
        return metaError(100, {
          title: `Unsupported get request. Object with ID '${id}' does not exist`,
          details: "media not found"
        })
      }
      return {
        status: 200,
        body: {
          messaging_product: "whatsapp",
          url: `${baseUrl}/media-download/${encodeURIComponent(id)}`,
          mime_type: item.mimeType,
          sha256: createHash("sha256").update(item.bytes).digest("hex"),
          file_size: item.bytes.byteLength,
          id
        }
      }
    }
    return metaError(100, { title: "Unknown path components" })
  }

  const send = (res: ServerResponse, request: GraphApiRequest, reply: GraphApiReply) => {
    if (reply.destroy === true) {
      res.socket?.destroy()
      return
    }
    if (res.destroyed || res.socket === null || res.socket.destroyed) return
    const status = reply.status ?? 200
    const raw = reply.body
    const payload =
      raw instanceof Uint8Array ? raw : typeof raw === "string" ? raw : JSON.stringify(raw === undefined ? {} : raw)
    const isJson = !(raw instanceof Uint8Array) && typeof raw !== "string"
    res.writeHead(status, {
      ...(isJson ? { "content-type": "application/json" } : {}),
      ...reply.headers
    })
    res.end(payload)
    request.status = status
  }

  const server = createServer((req, res) => {
    void readBody(req).then((rawBody) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      const request: GraphApiRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
        status: 0
      }
      requests.push(request)
      let reply = queued.shift()
      if (reply === undefined && script !== undefined) {
        scriptCount += 1
        reply = script(request, scriptCount)
      }
      const chosen = reply ?? defaultReply(request)
      if (chosen.delayMs !== undefined && chosen.delayMs > 0) {
        setTimeout(() => send(res, request, chosen), chosen.delayMs)
      } else {
        send(res, request, chosen)
      }
    })
  })

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  baseUrl = `http://127.0.0.1:${port}`

  return {
    baseUrl,
    port,
    requests,
    messages: () => requests.filter((r) => r.method === "POST" && r.path.endsWith("/messages")),
    reply: (next) => {
      script = next
      scriptCount = 0
    },
    failNext: (reply, times = 1) => {
      for (let i = 0; i < times; i++) queued.push(reply)
    },
    addMedia: (mediaId, item) => {
      media.set(mediaId, item)
      return { url: `${baseUrl}/media-download/${encodeURIComponent(mediaId)}` }
    },
    reset: () => {
      requests.length = 0
      queued.length = 0
      script = undefined
      scriptCount = 0
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      })
  }
}

/** An inbound message for `webhookBody`, in Meta's shape (`type` plus the object named by it). */
export type WebhookMessageInput = Record<string, unknown> & {
  readonly from: string
  readonly id: string
  readonly timestamp: string
  readonly type: string
}

/**
 * A realistic webhook body: one entry, one `messages` change with the given messages and/or statuses. Contacts
 * default to one per distinct sender, named by `names[waId]` when given.
 */
export const webhookBody = (input: {
  readonly phoneNumberId?: string
  readonly displayPhoneNumber?: string
  readonly businessAccountId?: string
  readonly messages?: ReadonlyArray<WebhookMessageInput>
  readonly statuses?: ReadonlyArray<Record<string, unknown>>
  readonly names?: Readonly<Record<string, string>>
}): string => {
  const messages = input.messages ?? []
  const senders = [...new Set(messages.map((m) => m.from))]
  const value: Record<string, unknown> = {
    messaging_product: "whatsapp",
    metadata: {
      display_phone_number: input.displayPhoneNumber ?? "15550783881",
      phone_number_id: input.phoneNumberId ?? "106540352242922"
    }
  }
  if (senders.length > 0) {
    value.contacts = senders.map((waId) => ({ profile: { name: input.names?.[waId] ?? "Test Client" }, wa_id: waId }))
  }
  if (messages.length > 0) value.messages = messages
  if (input.statuses !== undefined && input.statuses.length > 0) value.statuses = input.statuses
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: input.businessAccountId ?? "102290129340398", changes: [{ field: "messages", value }] }]
  })
}

/** The `X-Hub-Signature-256` header Meta would send for this raw body. */
export const signBody = (rawBody: string | Uint8Array, appSecret: string): string =>
  `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`
