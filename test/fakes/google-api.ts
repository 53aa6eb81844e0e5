/**
 * A local stand-in for the Google OAuth token endpoint, Calendar v3 and Sheets v4, served with plain
 * `node:http` so the real `@googleapis/*` clients (and google-auth-library's JWT exchange) can be
 * exercised end to end in tests without the network.
 *
 * What it models, and why:
 * - `POST /token` verifies the RS256 service-account assertion with the public keys it trusts, so a
 *   test proves the real token exchange happened (and with which claims), not a shortcut.
 * - API calls must carry a bearer token the fake issued, with the scope the API needs (401/403 otherwise).
 * - Calendar: freeBusy from stored events plus extra busy blocks (with a maximum range, like Google's
 *   "The requested time range is too long."), events list/insert/get/patch/delete with pagination,
 *   client-chosen ids (409 on a reused id, also for deleted events) and deleted events kept as `cancelled`.
 * - Sheets: values get/update/append on one spreadsheet, A1 ranges with quoted sheet names.
 * - `failNext` injects Google-style error responses, `delay` slows every response down.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, verify } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

/** One request as the fake received it. */
export interface RecordedRequest {
  readonly method: string
  /** The raw (still percent-encoded) path, without the query string. */
  readonly path: string
  /** `path` percent-decoded. */
  readonly decodedPath: string
  readonly query: URLSearchParams
  readonly headers: Readonly<Record<string, string | Array<string> | undefined>>
  readonly rawBody: string
  /** JSON or form body, parsed; `undefined` when there is no body. */
  readonly body: unknown
  /** The status the fake answered with. */
  status: number
}

/** A claim set the fake's token endpoint received, and whether its signature verified. */
export interface TokenRequest {
  readonly header: Record<string, unknown> | undefined
  readonly claims: Record<string, unknown> | undefined
  readonly verified: boolean
  readonly grantType: string | null
}

export interface FakeEventTime {
  dateTime?: string
  date?: string
  timeZone?: string
}

/** A stored Calendar event (Google's resource shape, the fields the adapters use). */
export interface FakeEvent {
  id: string
  /** Absent: the event belongs to every calendar id (handy in single-calendar tests). */
  calendarId?: string
  status?: "confirmed" | "tentative" | "cancelled"
  summary?: string
  description?: string
  transparency?: "opaque" | "transparent"
  start: FakeEventTime
  end: FakeEventTime
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> }
  [key: string]: unknown
}

/** An extra busy block for freeBusy (time that is busy without a stored event). */
export interface FakeBusy {
  calendarId?: string
  start: string
  end: string
}

export type Cell = string | number | boolean

export interface FakeGoogleOptions {
  /** Extra PEM public keys whose signatures `/token` accepts (the fake's own test account is always trusted). */
  readonly trustedPublicKeys?: ReadonlyArray<string>
  /** Largest page `events.list` returns, whatever `maxResults` asks (Google caps at 2500). */
  readonly pageSize?: number
  /** Longest freeBusy range accepted, in days; longer gets a 400 like Google's. Default 90. */
  readonly freeBusyMaxDays?: number
  /** When set, other spreadsheet ids get a 404. */
  readonly spreadsheetId?: string
  /** `expires_in` of issued tokens, in seconds. Default 3600. */
  readonly tokenLifetimeSeconds?: number
}

export interface FakeGoogle {
  readonly baseUrl: string
  readonly requests: Array<RecordedRequest>
  readonly tokenRequests: Array<TokenRequest>
  /** A service account whose key the fake trusts: pass `serviceAccount.json` as the credentials. */
  readonly serviceAccount: TestServiceAccount
  readonly calendar: { readonly events: Array<FakeEvent>; readonly busy: Array<FakeBusy> }
  /** Rows per sheet name (row 1 is index 0); tabs are created on first use. */
  readonly sheets: { readonly rows: Map<string, Array<Array<Cell>>> }
  /** Answer the next `times` requests whose path starts with `pathPrefix` (raw or decoded) with `status`. */
  failNext(pathPrefix: string, status: number, times?: number, reason?: string): void
  /** Delay every following response by `ms` (0 turns it off). */
  delay(ms: number): void
  /** Requests whose decoded path starts with `prefix` (optionally of one method). */
  requestsTo(prefix: string, method?: string): Array<RecordedRequest>
  close(): Promise<void>
}

export interface TestServiceAccount {
  /** The service-account key file content, as Google's console downloads it. */
  readonly json: string
  readonly clientEmail: string
  readonly privateKeyPem: string
  readonly publicKeyPem: string
}

/** A fresh RSA key pair wrapped in a service-account JSON key file. */
export const makeTestServiceAccount = (
  clientEmail = "tattoo-bot@test-project.iam.gserviceaccount.com"
): TestServiceAccount => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" }
  })
  const json = JSON.stringify(
    {
      type: "service_account",
      project_id: "test-project",
      private_key_id: randomBytes(20).toString("hex"),
      private_key: privateKey,
      client_email: clientEmail,
      client_id: "100000000000000000000",
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: "https://oauth2.googleapis.com/token"
    },
    null,
    2
  )
  return { json, clientEmail, privateKeyPem: privateKey, publicKeyPem: publicKey }
}

const GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
const CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar"
const SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string
  ) {
    super(message)
  }
}

const STATUS_NAMES: Record<number, { status: string; reason: string; message: string }> = {
  400: { status: "INVALID_ARGUMENT", reason: "invalid", message: "Bad Request" },
  401: { status: "UNAUTHENTICATED", reason: "authError", message: "Request had invalid authentication credentials." },
  403: { status: "PERMISSION_DENIED", reason: "forbidden", message: "The caller does not have permission" },
  404: { status: "NOT_FOUND", reason: "notFound", message: "Not Found" },
  409: { status: "ALREADY_EXISTS", reason: "duplicate", message: "The requested identifier already exists." },
  410: { status: "FAILED_PRECONDITION", reason: "deleted", message: "Resource has been deleted" },
  429: { status: "RESOURCE_EXHAUSTED", reason: "rateLimitExceeded", message: "Rate Limit Exceeded" },
  500: { status: "INTERNAL", reason: "backendError", message: "Backend Error" },
  502: { status: "UNAVAILABLE", reason: "backendError", message: "Bad Gateway" },
  503: { status: "UNAVAILABLE", reason: "backendError", message: "The service is currently unavailable." }
}

const googleError = (status: number, message?: string, reason?: string) => {
  const known = STATUS_NAMES[status] ?? { status: "UNKNOWN", reason: "unknown", message: `HTTP ${status}` }
  const text = message ?? known.message
  return {
    error: {
      code: status,
      message: text,
      errors: [{ domain: "global", reason: reason ?? known.reason, message: text }],
      status: known.status
    }
  }
}

const BASE32HEX_ID = /^[a-v0-9]{5,1024}$/

/** Starts the fake on 127.0.0.1 with a random port. */
export const startFakeGoogle = async (options: FakeGoogleOptions = {}): Promise<FakeGoogle> => {
  const serviceAccount = makeTestServiceAccount()
  const trustedKeys: Array<KeyObject> = [serviceAccount.publicKeyPem, ...(options.trustedPublicKeys ?? [])].map(
    (pem) => createPublicKey(pem)
  )
  const requests: Array<RecordedRequest> = []
  const tokenRequests: Array<TokenRequest> = []
  const events: Array<FakeEvent> = []
  const busy: Array<FakeBusy> = []
  const rows = new Map<string, Array<Array<Cell>>>()
  const failures: Array<{ prefix: string; status: number; remaining: number; reason: string | undefined }> = []
  const issuedTokens = new Map<string, { scopes: ReadonlyArray<string> }>()
  let delayMs = 0
  let tokenCounter = 0
  let idCounter = 0

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const rawBody = await readBody(req)
    const url = new URL(req.url ?? "/", "http://fake.invalid")
    const path = url.pathname
    const decodedPath = safeDecode(path)
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      decodedPath,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      body: parseBody(rawBody, req.headers["content-type"]),
      status: 0
    }
    requests.push(recorded)
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))

    const send = (status: number, payload?: unknown) => {
      recorded.status = status
      if (payload === undefined) {
        res.writeHead(status).end()
        return
      }
      const text = JSON.stringify(payload)
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(text)
    }

    const failure = failures.find(
      (f) => f.remaining > 0 && (path.startsWith(f.prefix) || decodedPath.startsWith(f.prefix))
    )
    if (failure) {
      failure.remaining -= 1
      if (path === "/token") {
        send(failure.status, {
          error: failure.status === 400 ? "invalid_grant" : "server_error",
          error_description: failure.reason ?? "Injected failure"
        })
      } else {
        send(failure.status, googleError(failure.status, undefined, failure.reason))
      }
      return
    }

    try {
      if (recorded.method === "POST" && path === "/token") {
        send(...tokenEndpoint(recorded))
        return
      }
      if (path.startsWith("/calendar/v3/")) {
        requireToken(recorded, CALENDAR_SCOPE)
        send(...calendarRoute(recorded))
        return
      }
      if (path.startsWith("/v4/spreadsheets/")) {
        requireToken(recorded, SHEETS_SCOPE)
        send(...sheetsRoute(recorded))
        return
      }
      throw new HttpProblem(404, `No route for ${recorded.method} ${path}`)
    } catch (error) {
      if (error instanceof HttpProblem) send(error.status, googleError(error.status, error.message, error.reason))
      else send(500, googleError(500, String(error)))
    }
  }

  const tokenEndpoint = (r: RecordedRequest): [number, unknown] => {
    const form = r.body instanceof URLSearchParams ? r.body : new URLSearchParams()
    const grantType = form.get("grant_type")
    const assertion = form.get("assertion") ?? ""
    const [h, c, s] = assertion.split(".")
    const header = decodeJwtPart(h)
    const claims = decodeJwtPart(c)
    const signed = h !== undefined && c !== undefined && s !== undefined
    const verified =
      signed &&
      header?.alg === "RS256" &&
      trustedKeys.some((key) =>
        verify("RSA-SHA256", Buffer.from(`${h}.${c}`), key, Buffer.from(s, "base64url"))
      )
    tokenRequests.push({ header, claims, verified, grantType })
    if (grantType !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return [400, { error: "unsupported_grant_type", error_description: "Invalid grant_type." }]
    }
    if (!verified) return [400, { error: "invalid_grant", error_description: "Invalid JWT Signature." }]
    const now = Math.floor(Date.now() / 1000)
    if (claims?.aud !== GOOGLE_TOKEN_AUDIENCE) {
      return [400, { error: "invalid_grant", error_description: "Invalid JWT: Audience is not a valid token endpoint." }]
    }
    if (typeof claims.exp !== "number" || claims.exp < now) {
      return [400, { error: "invalid_grant", error_description: "Invalid JWT: Token must be a short-lived token." }]
    }
    const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter((x) => x !== "") : []
    if (scopes.length === 0) return [400, { error: "invalid_scope", error_description: "Invalid OAuth scope." }]
    tokenCounter += 1
    const accessToken = `ya29.fake-${tokenCounter}-${randomBytes(6).toString("hex")}`
    issuedTokens.set(accessToken, { scopes })
    return [200, { access_token: accessToken, expires_in: options.tokenLifetimeSeconds ?? 3600, token_type: "Bearer" }]
  }

  const requireToken = (r: RecordedRequest, scope: string) => {
    const header = r.headers.authorization
    const token = typeof header === "string" && header.startsWith("Bearer ") ? header.slice(7) : undefined
    const issued = token === undefined ? undefined : issuedTokens.get(token)
    if (issued === undefined) throw new HttpProblem(401, "Request is missing valid authentication credential.")
    if (!issued.scopes.includes(scope)) {
      throw new HttpProblem(403, "Request had insufficient authentication scopes.", "insufficientPermissions")
    }
  }

  // ---- Calendar -------------------------------------------------------------------------------

  const eventsOf = (calendarId: string) =>
    events.filter((e) => e.calendarId === undefined || e.calendarId === calendarId)

  const calendarRoute = (r: RecordedRequest): [number, unknown] => {
    const rest = r.path.slice("/calendar/v3/".length)
    if (rest === "freeBusy" && r.method === "POST") return [200, freeBusy(r.body)]
    const match = /^calendars\/([^/]+)\/events(?:\/([^/]+))?$/.exec(rest)
    if (!match) throw new HttpProblem(404, "Not Found")
    const calendarId = safeDecode(match[1] ?? "")
    const eventId = match[2] === undefined ? undefined : safeDecode(match[2])
    if (eventId === undefined) {
      if (r.method === "GET") return [200, listEvents(calendarId, r.query)]
      if (r.method === "POST") return [200, insertEvent(calendarId, r.body)]
      throw new HttpProblem(405, "Method not allowed")
    }
    const event = eventsOf(calendarId).find((e) => e.id === eventId)
    if (event === undefined) throw new HttpProblem(404, "Not Found")
    if (r.method === "GET") return [200, event]
    if (r.method === "PATCH") {
      const patch = isRecord(r.body) ? r.body : {}
      Object.assign(event, patch, { id: event.id })
      return [200, event]
    }
    if (r.method === "DELETE") {
      if (event.status === "cancelled") throw new HttpProblem(410, "Resource has been deleted")
      event.status = "cancelled"
      return [204, undefined]
    }
    throw new HttpProblem(405, "Method not allowed")
  }

  const freeBusy = (body: unknown) => {
    if (!isRecord(body)) throw new HttpProblem(400, "Bad Request")
    const timeMin = parseInstant(body.timeMin, "timeMin")
    const timeMax = parseInstant(body.timeMax, "timeMax")
    if (timeMax <= timeMin) throw new HttpProblem(400, "The specified time range is empty.", "timeRangeEmpty")
    if (timeMax - timeMin > (options.freeBusyMaxDays ?? 90) * 86_400_000) {
      throw new HttpProblem(400, "The requested time range is too long.", "timeRangeTooLong")
    }
    const items = Array.isArray(body.items) ? body.items : []
    const calendars: Record<string, { busy: Array<{ start: string; end: string }> }> = {}
    for (const item of items) {
      const id = isRecord(item) && typeof item.id === "string" ? item.id : ""
      const intervals: Array<[number, number]> = []
      for (const e of eventsOf(id)) {
        if (e.status === "cancelled" || e.transparency === "transparent") continue
        const span = eventSpan(e)
        if (span) intervals.push(span)
      }
      for (const b of busy) {
        if (b.calendarId === undefined || b.calendarId === id) intervals.push([Date.parse(b.start), Date.parse(b.end)])
      }
      const clipped = intervals
        .filter(([s, e]) => e > timeMin && s < timeMax)
        .map(([s, e]): [number, number] => [Math.max(s, timeMin), Math.min(e, timeMax)])
        .sort((a, b) => a[0] - b[0])
      const merged: Array<[number, number]> = []
      for (const span of clipped) {
        const last = merged[merged.length - 1]
        if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1])
        else merged.push([span[0], span[1]])
      }
      calendars[id] = {
        busy: merged.map(([s, e]) => ({ start: isoSeconds(s), end: isoSeconds(e) }))
      }
    }
    return {
      kind: "calendar#freeBusy",
      timeMin: new Date(timeMin).toISOString(),
      timeMax: new Date(timeMax).toISOString(),
      calendars
    }
  }

  const listEvents = (calendarId: string, query: URLSearchParams) => {
    const timeMin = query.has("timeMin") ? parseInstant(query.get("timeMin"), "timeMin") : -Infinity
    const timeMax = query.has("timeMax") ? parseInstant(query.get("timeMax"), "timeMax") : Infinity
    const showDeleted = query.get("showDeleted") === "true"
    const wanted = query.getAll("privateExtendedProperty").map((kv) => kv.split("=") as [string, string?])
    const requested = Number(query.get("maxResults") ?? "250")
    const pageSize = Math.max(1, Math.min(requested, options.pageSize ?? 2500, 2500))
    const offset = Number(query.get("pageToken") ?? "0")
    const matching = eventsOf(calendarId)
      .filter((e) => showDeleted || e.status !== "cancelled")
      .filter((e) => {
        const span = eventSpan(e)
        return span !== undefined && span[1] > timeMin && span[0] < timeMax
      })
      .filter((e) => wanted.every(([k, v]) => e.extendedProperties?.private?.[k] === v))
      .sort((a, b) => (eventSpan(a)?.[0] ?? 0) - (eventSpan(b)?.[0] ?? 0))
    const items = matching.slice(offset, offset + pageSize).map((e) => ({ status: "confirmed", ...e }))
    const next = offset + pageSize < matching.length ? String(offset + pageSize) : undefined
    return {
      kind: "calendar#events",
      summary: calendarId,
      timeZone: query.get("timeZone") ?? "UTC",
      items,
      ...(next === undefined ? {} : { nextPageToken: next })
    }
  }

  const insertEvent = (calendarId: string, body: unknown) => {
    if (!isRecord(body) || !isRecord(body.start) || !isRecord(body.end)) {
      throw new HttpProblem(400, "Missing time range.", "required")
    }
    let id: string
    if (body.id !== undefined) {
      if (typeof body.id !== "string" || !BASE32HEX_ID.test(body.id)) {
        throw new HttpProblem(400, "Invalid resource id value.", "invalid")
      }
      if (eventsOf(calendarId).some((e) => e.id === body.id)) {
        throw new HttpProblem(409, "The requested identifier already exists.", "duplicate")
      }
      id = body.id
    } else {
      idCounter += 1
      id = `fake${idCounter.toString(32).padStart(6, "0")}`
    }
    const event = { ...(body as Partial<FakeEvent>), id, calendarId, status: (body.status as FakeEvent["status"]) ?? "confirmed" } as FakeEvent
    events.push(event)
    return event
  }

  // ---- Sheets ---------------------------------------------------------------------------------

  const sheetsRoute = (r: RecordedRequest): [number, unknown] => {
    const match = /^\/v4\/spreadsheets\/([^/]+)\/values\/([^/]+)$/.exec(r.path)
    if (!match) throw new HttpProblem(404, "Not Found")
    const spreadsheetId = safeDecode(match[1] ?? "")
    if (options.spreadsheetId !== undefined && spreadsheetId !== options.spreadsheetId) {
      throw new HttpProblem(404, "Requested entity was not found.")
    }
    let rawRange = match[2] ?? ""
    const append = rawRange.endsWith(":append")
    if (append) rawRange = rawRange.slice(0, -":append".length)
    const range = parseA1(safeDecode(rawRange))
    const sheet = rows.get(range.sheet) ?? []
    rows.set(range.sheet, sheet)

    if (r.method === "GET" && !append) {
      const unformatted = r.query.get("valueRenderOption") === "UNFORMATTED_VALUE"
      const lastRow = Math.min(range.endRow ?? sheet.length, sheet.length)
      const values: Array<Array<Cell>> = []
      for (let i = range.startRow - 1; i < lastRow; i++) {
        const row = sheet[i] ?? []
        const end = Math.min(range.endCol ?? row.length - 1, row.length - 1)
        values.push(row.slice(range.startCol, end + 1).map((v) => (unformatted ? v : formatCell(v))))
      }
      while (values.length > 0 && trimRow(values[values.length - 1] ?? []).length === 0) values.pop()
      const trimmed = values.map(trimRow)
      return [
        200,
        { range: a1Text(range), majorDimension: "ROWS", ...(trimmed.length > 0 ? { values: trimmed } : {}) }
      ]
    }
    const body = isRecord(r.body) ? r.body : {}
    const values = Array.isArray(body.values) ? (body.values as Array<Array<Cell | null>>) : []
    const inputOption = r.query.get("valueInputOption")
    if (inputOption !== "RAW" && inputOption !== "USER_ENTERED") {
      throw new HttpProblem(400, "'valueInputOption' is required but not specified", "required")
    }
    if (r.method === "PUT" && !append) {
      writeRows(sheet, range.startRow - 1, range.startCol, values)
      return [200, updateResponse(spreadsheetId, range.sheet, range.startRow, range.startCol, values)]
    }
    if (r.method === "POST" && append) {
      let lastUsed = sheet.length
      while (lastUsed > 0 && trimRow(sheet[lastUsed - 1] ?? []).length === 0) lastUsed--
      writeRows(sheet, lastUsed, range.startCol, values)
      return [
        200,
        {
          spreadsheetId,
          tableRange: `${quoteSheet(range.sheet)}!A1:${columnName(Math.max(0, widest(sheet) - 1))}${lastUsed}`,
          updates: updateResponse(spreadsheetId, range.sheet, lastUsed + 1, range.startCol, values)
        }
      ]
    }
    throw new HttpProblem(405, "Method not allowed")
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500).end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    tokenRequests,
    serviceAccount,
    calendar: { events, busy },
    sheets: { rows },
    failNext: (pathPrefix, status, times = 1, reason) => {
      failures.push({ prefix: pathPrefix, status, remaining: times, reason })
    },
    delay: (ms) => {
      delayMs = ms
    },
    requestsTo: (prefix, method) =>
      requests.filter((r) => r.decodedPath.startsWith(prefix) && (method === undefined || r.method === method)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      })
  }
}

// ---- helpers ----------------------------------------------------------------------------------

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const parseBody = (raw: string, contentType: string | undefined): unknown => {
  if (raw === "") return undefined
  if (contentType?.includes("application/x-www-form-urlencoded")) return new URLSearchParams(raw)
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const decodeJwtPart = (part: string | undefined): Record<string, unknown> | undefined => {
  if (part === undefined) return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"))
    return isRecord(value) ? value : undefined
  } catch {
    return undefined
  }
}

const parseInstant = (value: unknown, name: string): number => {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN
  if (Number.isNaN(ms)) throw new HttpProblem(400, `Bad Request: invalid ${name}`, "badRequest")
  return ms
}

/** Start/end in epoch ms; all-day dates are read as UTC midnights (the fake has no calendar zone). */
const eventSpan = (e: FakeEvent): [number, number] | undefined => {
  const start = e.start.dateTime ?? (e.start.date === undefined ? undefined : `${e.start.date}T00:00:00Z`)
  const end = e.end.dateTime ?? (e.end.date === undefined ? undefined : `${e.end.date}T00:00:00Z`)
  if (start === undefined || end === undefined) return undefined
  const s = Date.parse(start)
  const t = Date.parse(end)
  return Number.isNaN(s) || Number.isNaN(t) ? undefined : [s, t]
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")

interface A1Range {
  readonly sheet: string
  readonly startRow: number
  readonly startCol: number
  readonly endRow: number | undefined
  readonly endCol: number | undefined
}

const parseA1 = (text: string): A1Range => {
  const bang = text.lastIndexOf("!")
  const sheetPart = bang === -1 ? text : text.slice(0, bang)
  const cells = bang === -1 ? "" : text.slice(bang + 1)
  const sheet =
    sheetPart.startsWith("'") && sheetPart.endsWith("'") ? sheetPart.slice(1, -1).replaceAll("''", "'") : sheetPart
  if (sheet === "") throw new HttpProblem(400, `Unable to parse range: ${text}`)
  if (cells === "") return { sheet, startRow: 1, startCol: 0, endRow: undefined, endCol: undefined }
  const [from = "", to = from] = cells.split(":")
  const a = parseCell(from, text)
  const b = parseCell(to, text)
  return {
    sheet,
    startRow: a.row ?? 1,
    startCol: a.col ?? 0,
    endRow: b.row,
    endCol: b.col
  }
}

const parseCell = (ref: string, whole: string) => {
  const m = /^([A-Z]*)(\d*)$/i.exec(ref)
  if (!m || (m[1] === "" && m[2] === "")) throw new HttpProblem(400, `Unable to parse range: ${whole}`)
  return {
    col: m[1] === "" ? undefined : columnIndex((m[1] ?? "").toUpperCase()),
    row: m[2] === "" ? undefined : Number(m[2])
  }
}

const columnIndex = (letters: string) => [...letters].reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0) - 1

const columnName = (index: number): string => {
  let n = index + 1
  let name = ""
  while (n > 0) {
    const r = (n - 1) % 26
    name = String.fromCharCode(65 + r) + name
    n = Math.floor((n - 1) / 26)
  }
  return name
}

const quoteSheet = (name: string) => `'${name.replaceAll("'", "''")}'`

const a1Text = (r: A1Range) =>
  `${quoteSheet(r.sheet)}!${columnName(r.startCol)}${r.startRow}${
    r.endCol === undefined && r.endRow === undefined ? "" : `:${r.endCol === undefined ? "" : columnName(r.endCol)}${r.endRow ?? ""}`
  }`

const formatCell = (v: Cell): Cell => (typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : String(v))

const trimRow = (row: ReadonlyArray<Cell>) => {
  let end = row.length
  while (end > 0 && (row[end - 1] === "" || row[end - 1] === undefined)) end--
  return row.slice(0, end)
}

const widest = (sheet: ReadonlyArray<ReadonlyArray<Cell>>) => sheet.reduce((w, row) => Math.max(w, row.length), 0)

const writeRows = (sheet: Array<Array<Cell>>, rowIndex: number, colIndex: number, values: Array<Array<Cell | null>>) => {
  values.forEach((valueRow, i) => {
    const target = sheet[rowIndex + i] ?? []
    while (sheet.length <= rowIndex + i) sheet.push([])
    valueRow.forEach((v, j) => {
      while (target.length < colIndex + j) target.push("")
      target[colIndex + j] = v ?? ""
    })
    sheet[rowIndex + i] = target
  })
}

const updateResponse = (
  spreadsheetId: string,
  sheet: string,
  startRow: number,
  startCol: number,
  values: ReadonlyArray<ReadonlyArray<unknown>>
) => {
  const width = values.reduce((w, row) => Math.max(w, row.length), 0)
  const endRow = startRow + Math.max(values.length, 1) - 1
  return {
    spreadsheetId,
    updatedRange: `${quoteSheet(sheet)}!${columnName(startCol)}${startRow}:${columnName(startCol + Math.max(width, 1) - 1)}${endRow}`,
    updatedRows: values.length,
    updatedColumns: width,
    updatedCells: values.reduce((n, row) => n + row.length, 0)
  }
}
