/**
 * Starts the real host (HTTP server, database, outbox worker) in-process on a free port, for
 * HTTP-level tests. The database is a fresh one per host (real PostgreSQL with
 * `TEST_DATABASE_URL`, else embedded); outside services are whatever the env points at (the
 * fakes in `test/fakes`), with WhatsApp in dry-run unless a Graph API base URL is given.
 */
import { HttpServer } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Effect, Exit, Layer, ManagedRuntime, Scope } from "effect"
import { randomUUID } from "node:crypto"
import { AppLive } from "../../apps/host/src/App.js"
import { AppConfig } from "../../apps/host/src/config/AppConfig.js"
import { loggerLayer } from "../../apps/host/src/logging/JsonLogger.js"
import { drainOnce } from "../../apps/host/src/outbox/OutboxWorker.js"
import { signBody, webhookBody, type WebhookMessageInput } from "../fakes/graph-api.js"
import { testDatabaseEnv } from "./TestDatabase.js"

export const APP_SECRET = "test-app-secret"
export const ADMIN_KEY = "test-admin-key"
export const VERIFY_TOKEN = "test-verify-token"
export const STRIPE_WEBHOOK_SECRET = "whsec_test_secret"

/** Defaults every test host starts with (each test can override). */
export const baseEnv: Record<string, string> = {
  APP_ENV: "test",
  LOG_LEVEL: "warning",
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
  WHATSAPP_DRY_RUN: "true",
  ADMIN_API_KEY: ADMIN_KEY,
  STRIPE_WEBHOOK_SECRET,
  FEATURE_SHEETS_ENABLED: "false",
  FEATURE_CALENDAR_ENABLED: "false",
  // The scheduled jobs would act on rows a test seeds with old timestamps; job tests turn them on.
  JOBS_ENABLED: "false",
  HOST: "127.0.0.1"
}

export interface TestHost {
  readonly url: string
  /** The PostgreSQL URL the host runs on (undefined on the embedded database); pass it as `databaseUrl` to share it. */
  readonly databaseUrl: string | undefined
  /** Runs SQL against the host's database. */
  readonly query: <A extends object = Record<string, unknown>>(text: string, params?: ReadonlyArray<unknown>) => Promise<ReadonlyArray<A>>
  /** Posts a signed WhatsApp webhook with these messages (and statuses). */
  readonly whatsapp: (input: { messages?: ReadonlyArray<WebhookMessageInput>; statuses?: ReadonlyArray<Record<string, unknown>>; names?: Record<string, string> }) => Promise<Response>
  /** Admin API call with the test key. */
  readonly admin: (method: string, path: string, body?: unknown) => Promise<Response>
  /** Sends every due outbox row now (the worker also runs in the background). */
  readonly drain: () => Promise<number>
  /** Runs an effect with the host's services (database, config, integrations), e.g. a job. */
  readonly run: <A, E>(effect: Effect.Effect<A, E, HostServices>) => Promise<A>
  readonly close: () => Promise<void>
}

/** What `TestHost.run` provides: every service of the running host. */
export type HostServices = Layer.Layer.Success<ReturnType<typeof AppLive>> | AppConfig

let clock = Math.floor(Date.now() / 1000) - 600

/** A text message from `from`, with a fresh id and an increasing timestamp. */
export const textMessage = (from: string, body: string, overrides: Partial<WebhookMessageInput> = {}): WebhookMessageInput => ({
  from,
  id: `wamid.${randomUUID()}`,
  timestamp: String(++clock),
  type: "text",
  text: { body },
  ...overrides
})

/** A tapped list row. */
export const listReply = (from: string, id: string, title: string): WebhookMessageInput => ({
  from,
  id: `wamid.${randomUUID()}`,
  timestamp: String(++clock),
  type: "interactive",
  interactive: { type: "list_reply", list_reply: { id, title } }
})

/** An image message (a reference image). */
export const imageMessage = (from: string, caption?: string): WebhookMessageInput => ({
  from,
  id: `wamid.${randomUUID()}`,
  timestamp: String(++clock),
  type: "image",
  image: { id: `media-${randomUUID()}`, mime_type: "image/jpeg", sha256: "abc", ...(caption ? { caption } : {}) }
})

/** How a test host starts, beyond its environment. */
export interface TestHostOptions {
  /** false: no background outbox worker (the test drains). */
  readonly worker?: boolean
  /** false: the scheduled jobs are not even built (they already stay off unless `JOBS_ENABLED=true`). */
  readonly jobs?: boolean
  /**
   * Run on this PostgreSQL database instead of a fresh one, e.g. another host's `databaseUrl`, for
   * several instances on one database. The database is left in place when this host closes.
   */
  readonly databaseUrl?: string
}

/** Starts a host; `env` overrides the defaults. */
export const startTestHost = async (env: Record<string, string> = {}, options: TestHostOptions = {}): Promise<TestHost> => {
  const scope = Effect.runSync(Scope.make())
  const dbEnv =
    options.databaseUrl === undefined ? await Effect.runPromise(Scope.extend(testDatabaseEnv, scope)) : { DATABASE_URL: options.databaseUrl }
  const fullEnv = { ...baseEnv, ...dbEnv, ...env }
  const layer = AppLive({
    port: 0,
    ...(options.worker === undefined ? {} : { worker: options.worker }),
    ...(options.jobs === undefined ? {} : { jobs: options.jobs })
  }).pipe(
    Layer.provideMerge(AppConfig.layerFromEnv(fullEnv)),
    Layer.provide(loggerLayer(fullEnv.LOG_LEVEL ?? "warning"))
  )
  const runtime = ManagedRuntime.make(layer)
  const server = await runtime.runPromise(HttpServer.HttpServer)
  const address = server.address
  const url = address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}` : ""
  const query = <A extends object>(text: string, params: ReadonlyArray<unknown> = []) =>
    runtime.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe<A>(text, params as Array<unknown>)))
  return {
    url,
    databaseUrl: fullEnv.DATABASE_URL,
    query,
    whatsapp: async (input) => {
      const body = webhookBody(input)
      return fetch(`${url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, fullEnv.WHATSAPP_APP_SECRET ?? APP_SECRET) },
        body
      })
    },
    admin: (method, path, body) =>
      fetch(`${url}${path}`, {
        method,
        headers: { "x-admin-api-key": fullEnv.ADMIN_API_KEY ?? ADMIN_KEY, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      }),
    drain: () => runtime.runPromise(drainOnce()),
    run: (effect) => runtime.runPromise(effect),
    close: async () => {
      await runtime.dispose()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export const eventually = async <A>(check: () => Promise<A | undefined | null | false>, timeoutMs = 10_000, intervalMs = 50): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
