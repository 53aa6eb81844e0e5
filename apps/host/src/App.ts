import { HttpApiScalar, HttpLayerRouter, HttpServer } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { WhatsAppClient } from "@tattoo-bot/whatsapp"
import { Effect, FiberRef, Layer, Option } from "effect"
import { createServer } from "node:http"
import { AppConfig } from "./config/AppConfig.js"
import { DatabaseLive } from "./db/Database.js"
import { PanicSwitch } from "./flags/PanicSwitch.js"
import { InboundBatcher } from "./conversation/InboundBatcher.js"
import { DeliveryStatuses } from "./webhooks/DeliveryStatus.js"
import { ConsoleRoutes } from "./console/ConsoleRoutes.js"
import { ActionLinkHandlers, actionLinkNotFoundMiddleware } from "./http/ActionLinkHandlers.js"
import { AdminAuthLive } from "./http/AdminAuthLive.js"
import { AdminHandlers } from "./http/AdminHandlers.js"
import { TattooBotApi } from "./http/Api.js"
import { bodyLimitMiddleware } from "./http/BodyLimit.js"
import { HealthHandlers } from "./http/HealthHandlers.js"
import { MetricsHandlers } from "./http/MetricsHandlers.js"
import { rateLimitMiddleware } from "./http/RateLimit.js"
import { IntegrationHandlersLive } from "./integrations/IntegrationHandlers.js"
import { IntegrationsLive } from "./integrations/IntegrationsLive.js"
import { JobSchedulerLive } from "./jobs/JobScheduler.js"
import { ActionTokens } from "./leads/ActionTokens.js"
import { HostSettings } from "./leads/HostSettings.js"
import { LeadActions } from "./leads/LeadActions.js"
import { OutboxSignal } from "./outbox/OutboxSignal.js"
import { OutboxWorkerLive } from "./outbox/OutboxWorker.js"
import { StripeWebhookHandlers } from "./webhooks/StripeWebhook.js"
import { WhatsAppWebhookHandlers } from "./webhooks/WhatsAppWebhook.js"

/** The WhatsApp client: the real Graph API, or the dry run that records and sends nothing. */
export const WhatsAppLive = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    config.whatsapp.dryRun
      ? WhatsAppClient.layerDryRun
      : WhatsAppClient.layer({
          baseUrl: config.whatsapp.apiBaseUrl,
          apiVersion: config.whatsapp.apiVersion,
          phoneNumberId: Option.getOrThrow(config.whatsapp.phoneNumberId),
          accessToken: Option.getOrThrow(config.whatsapp.accessToken)
          // undici's own request API (keep-alive pool): a good deal cheaper per request than `fetch`.
        }).pipe(Layer.provide(NodeHttpClient.layerUndici))
  )
)

/** Everything but the HTTP server: database, settings, adapters, actions, the scheduled jobs and the outbox worker. */
export const ServicesLive = (options?: { readonly worker?: boolean; readonly jobs?: boolean }) => {
  const settings = Layer.mergeAll(HostSettings.layer, OutboxSignal.layer)
  const stateful = Layer.mergeAll(PanicSwitch.layer, ActionTokens.layer).pipe(Layer.provideMerge(DatabaseLive))
  const adapters = Layer.mergeAll(WhatsAppLive, IntegrationsLive)
  const base = Layer.mergeAll(stateful, adapters).pipe(Layer.provideMerge(settings))
  const handlers = IntegrationHandlersLive.pipe(Layer.provideMerge(base))
  const actions = Layer.mergeAll(LeadActions.layer, InboundBatcher.layer, DeliveryStatuses.layer).pipe(Layer.provideMerge(handlers))
  const scheduled = options?.jobs === false ? actions : JobSchedulerLive.pipe(Layer.provideMerge(actions))
  return options?.worker === false ? scheduled : OutboxWorkerLive().pipe(Layer.provideMerge(scheduled))
}

/** Every HTTP route: the API (with its OpenAPI document), the docs page and the body limit. */
export const RoutesLive = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    Layer.mergeAll(
      HttpLayerRouter.addHttpApi(TattooBotApi, { openapiPath: "/openapi.json" }).pipe(
        Layer.provide([HealthHandlers, WhatsAppWebhookHandlers, StripeWebhookHandlers, AdminHandlers, MetricsHandlers, ActionLinkHandlers]),
        Layer.provide(AdminAuthLive)
      ),
      HttpApiScalar.layerHttpLayerRouter({ api: TattooBotApi, path: "/docs" }),
      ConsoleRoutes,
      bodyLimitMiddleware(config.maxBodyBytes),
      rateLimitMiddleware,
      actionLinkNotFoundMiddleware
    )
  )
)

/** Logs where the service listens, and what it runs on. */
const announce = Layer.effectDiscard(
  Effect.gen(function* () {
    const server = yield* HttpServer.HttpServer
    const config = yield* AppConfig
    const address = server.address
    const url = address._tag === "TcpAddress" ? `http://${address.hostname === "0.0.0.0" ? "localhost" : address.hostname}:${address.port}` : String(address)
    yield* Effect.logInfo(`listening on ${url}`).pipe(
      Effect.annotateLogs({
        url,
        docs: `${url}/docs`,
        env: config.appEnv,
        database: Option.isSome(config.databaseUrl) ? "postgresql" : `embedded (${config.dataDir})`,
        whatsapp: config.whatsapp.dryRun ? "dry-run" : "live"
      })
    )
    if (Option.isNone(config.adminApiKey)) {
      yield* Effect.logWarning("ADMIN_API_KEY is not set: the admin API is open (allowed outside production only)")
    }
    if (Option.isNone(config.whatsapp.appSecret)) {
      yield* Effect.logWarning("WHATSAPP_APP_SECRET is not set: webhooks are verified with the local development secret")
    }
  })
)

/**
 * How long an idle keep-alive connection stays open: longer than the idle timeout of the proxy or load
 * balancer in front (commonly 60 s), so the proxy, not Node.js, closes idle connections. With Node's default
 * of 5 s the proxy can reuse a connection at the moment Node closes it, and that request fails at the
 * connection level (a 502 at the proxy; Meta retries, but a client of the admin API sees an error). The
 * header deadline must exceed it, or a slow first request on a reused connection would be cut.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000

const createHttpServer = () => {
  const server = createServer()
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000
  return server
}

/** The whole service on `port` (0 picks a free one). */
export const AppLive = (options?: { readonly port?: number; readonly worker?: boolean; readonly jobs?: boolean }) =>
  Layer.unwrapEffect(
    Effect.map(AppConfig, (config) =>
      announce.pipe(
        Layer.provideMerge(HttpLayerRouter.serve(RoutesLive, { disableLogger: true, disableListenLog: true })),
        Layer.provideMerge(NodeHttpServer.layer(createHttpServer, { port: options?.port ?? config.port, host: config.host })),
        Layer.provideMerge(ServicesLive(options))
      )
    )
  ).pipe(
    // No tracer is installed, so spans (one per request and per SQL statement) would be built and thrown away:
    // with tracing off every fiber the service starts gets no-op spans instead.
    Layer.locally(FiberRef.currentTracerEnabled, false)
  )
