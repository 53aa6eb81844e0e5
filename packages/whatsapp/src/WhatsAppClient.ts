import { HttpClient, type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import {
  Clock,
  Config,
  type ConfigError,
  Context,
  Duration,
  Effect,
  type Either,
  Layer,
  Random,
  type Redacted,
  Ref,
  Schema
} from "effect"
import { fromMetaResponse } from "./internal/metaError.js"
import { buttonsMessage, listMessage, type Outbound, templateMessage, textMessage } from "./internal/outbound.js"
import type {
  ButtonsMessage,
  ListMessage,
  MediaInfo,
  SendResult,
  SendTextOptions,
  TemplateMessage
} from "./OutboundMessage.js"
import { maskPhone } from "./Phone.js"
import { type WhatsAppDryRunEntry, WhatsAppDryRunLog } from "./WhatsAppDryRunLog.js"
import {
  WhatsAppInvalidMessage,
  WhatsAppRequestRejected,
  type WhatsAppSendError,
  WhatsAppTransientError
} from "./WhatsAppSendError.js"

/** Graph API version used when none is configured. */
export const DEFAULT_API_VERSION = "v26.0"
/** Graph API origin used when none is configured. */
export const DEFAULT_BASE_URL = "https://graph.facebook.com"

/** How failed requests are retried. */
export interface WhatsAppRetryOptions {
  /** Retries after a transient failure (5xx, network, timeout); default 3, so at most 4 attempts. */
  readonly times: number
  /** First backoff delay; each retry doubles it, with jitter. Default 500 millis. */
  readonly baseDelay: Duration.DurationInput
  /** Retries after a rate-limit error, at four times the backoff; default `min(times, 2)`. */
  readonly rateLimitTimes?: number
}

/** Everything `WhatsAppClient.make` / `layer` needs. */
export interface WhatsAppClientOptions {
  /** Graph API origin; default `https://graph.facebook.com`. Point it at a fake server in tests. */
  readonly baseUrl?: string
  /** Graph API version, `v26.0` by default (`26.0` is accepted too). */
  readonly apiVersion?: string
  /** The sending number's id from WhatsApp Manager (not the phone number itself). */
  readonly phoneNumberId: string
  readonly accessToken: Redacted.Redacted<string>
  readonly retry?: WhatsAppRetryOptions
  /** Limit for one attempt, response body included; default 10 seconds. A timeout counts as transient. */
  readonly timeout?: Duration.DurationInput
}

/** The WhatsApp Cloud API operations. Every send validates WhatsApp's limits first and returns the wamid. */
export interface WhatsAppClientService {
  /** Sends free-form text (only delivered inside the 24-hour window). */
  readonly sendText: (
    to: string,
    body: string,
    options?: SendTextOptions
  ) => Effect.Effect<SendResult, WhatsAppSendError>
  /** Sends an approved template (language `en_GB` unless given). */
  readonly sendTemplate: (to: string, template: TemplateMessage) => Effect.Effect<SendResult, WhatsAppSendError>
  /** Sends an interactive list. */
  readonly sendList: (to: string, list: ListMessage) => Effect.Effect<SendResult, WhatsAppSendError>
  /** Sends interactive reply buttons. */
  readonly sendButtons: (to: string, message: ButtonsMessage) => Effect.Effect<SendResult, WhatsAppSendError>
  /** Looks up a media id from an inbound message: its short-lived download URL and metadata. */
  readonly getMedia: (mediaId: string) => Effect.Effect<MediaInfo, WhatsAppSendError>
  /** Downloads media bytes from a URL returned by `getMedia` (the access token is sent to it). */
  readonly downloadMedia: (url: string) => Effect.Effect<Uint8Array, WhatsAppSendError>
}

const SendResponse = Schema.Struct({
  messages: Schema.NonEmptyArray(Schema.Struct({ id: Schema.String }))
})
const MediaResponse = Schema.Struct({
  url: Schema.String,
  mime_type: Schema.String,
  sha256: Schema.optional(Schema.String),
  file_size: Schema.optional(Schema.Union(Schema.Number, Schema.NumberFromString))
})

const normalizeVersion = (version: string) => (/^\d/.test(version) ? `v${version}` : version)

const transportError = (error: HttpClientError.HttpClientError): WhatsAppSendError =>
  error._tag === "RequestError" && error.reason !== "Transport"
    ? new WhatsAppRequestRejected({ title: `Request not sent (${error.reason})`, details: error.message })
    : new WhatsAppTransientError({ title: "Network error", details: error.message })

// Once Meta answered 2xx the message may already be out: reading problems must not trigger a resend.
const unreadableSuccess = (details: string) =>
  new WhatsAppTransientError({
    title: "Unreadable success response",
    details: `${details}; the message may have been sent, so it is not retried`,
    retryable: false
  })

const make = (options: WhatsAppClientOptions): Effect.Effect<WhatsAppClientService, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const base = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "")
    const version = normalizeVersion(options.apiVersion ?? DEFAULT_API_VERSION)
    const messagesUrl = `${base}/${version}/${encodeURIComponent(options.phoneNumberId)}/messages`
    const timeout = Duration.decode(options.timeout ?? "10 seconds")
    const times = Math.max(0, options.retry?.times ?? 3)
    const rateLimitTimes = Math.max(0, options.retry?.rateLimitTimes ?? Math.min(times, 2))
    const baseDelayMs = Duration.toMillis(Duration.decode(options.retry?.baseDelay ?? "500 millis"))

    const once = <A>(
      request: HttpClientRequest.HttpClientRequest,
      read: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<A, WhatsAppSendError>,
      templateName?: string
    ): Effect.Effect<A, WhatsAppSendError> =>
      http.execute(HttpClientRequest.bearerToken(request, options.accessToken)).pipe(
        Effect.mapError(transportError),
        Effect.flatMap((response) =>
          response.status >= 200 && response.status < 300
            ? read(response)
            : response.text.pipe(
                Effect.orElseSucceed(() => ""),
                Effect.flatMap((bodyText) =>
                  Effect.fail(fromMetaResponse({ httpStatus: response.status, bodyText, templateName }))
                )
              )
        ),
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new WhatsAppTransientError({
              title: "Timeout",
              details: `no complete answer from the Graph API within ${Duration.format(timeout)}`
            })
        })
      )

    // Jittered exponential backoff: the delay lies between half and all of base·2ⁿ, capped at 30 s.
    const backoff = (baseMs: number, n: number) =>
      Random.next.pipe(Effect.map((r) => Duration.millis(Math.min(30_000, baseMs * 2 ** n) * (0.5 + r / 2))))

    const withRetry = <A>(attempt: Effect.Effect<A, WhatsAppSendError>, operation: string) => {
      const loop = (transientLeft: number, rateLeft: number): Effect.Effect<A, WhatsAppSendError> =>
        Effect.catchAll(attempt, (error) => {
          const rateLimited = error._tag === "WhatsAppRateLimited"
          const transient = error._tag === "WhatsAppTransientError"
          const left = rateLimited ? rateLeft : transientLeft
          if (!error.retryable || !(rateLimited || transient) || left <= 0) return Effect.fail(error)
          const n = rateLimited ? rateLimitTimes - rateLeft : times - transientLeft
          return backoff(rateLimited ? baseDelayMs * 4 : baseDelayMs, n).pipe(
            Effect.tap((delay) =>
              Effect.logWarning(`whatsapp ${operation} failed, retrying`).pipe(
                Effect.annotateLogs({
                  error: error._tag,
                  code: error.code ?? null,
                  retry: n + 1,
                  delay: Duration.format(delay)
                })
              )
            ),
            Effect.flatMap(Effect.sleep),
            Effect.zipRight(loop(transient ? transientLeft - 1 : transientLeft, rateLimited ? rateLeft - 1 : rateLeft))
          )
        })
      return loop(times, rateLimitTimes)
    }

    const send = (outbound: Either.Either<Outbound, WhatsAppInvalidMessage>) =>
      Effect.gen(function* () {
        const message = yield* outbound
        const request = HttpClientRequest.post(messagesUrl).pipe(
          HttpClientRequest.acceptJson,
          HttpClientRequest.bodyUnsafeJson(message.body)
        )
        const read = (response: HttpClientResponse.HttpClientResponse) =>
          response.json.pipe(
            Effect.flatMap(Schema.decodeUnknown(SendResponse)),
            Effect.mapError((e) => unreadableSuccess(`send answer without a message id (${e.message})`)),
            Effect.map((body): SendResult => ({ messageId: body.messages[0].id }))
          )
        const result = yield* withRetry(once(request, read, message.templateName), `send ${message.kind}`)
        yield* Effect.logDebug(
          `whatsapp sent ${message.kind}${message.templateName === undefined ? "" : ` template ${message.templateName}`}`
        ).pipe(Effect.annotateLogs({ to: maskPhone(message.to), messageId: result.messageId }))
        return result
      }).pipe(Effect.withSpan("WhatsAppClient.send", { captureStackTrace: false }))

    const getMedia = (mediaId: string) =>
      Effect.gen(function* () {
        if (mediaId.trim() === "") {
          return yield* new WhatsAppInvalidMessage({
            title: "Invalid media id",
            details: "mediaId must not be empty",
            violations: ["mediaId must not be empty"]
          })
        }
        const request = HttpClientRequest.get(`${base}/${version}/${encodeURIComponent(mediaId)}`).pipe(
          HttpClientRequest.acceptJson
        )
        const read = (response: HttpClientResponse.HttpClientResponse) =>
          response.json.pipe(
            Effect.flatMap(Schema.decodeUnknown(MediaResponse)),
            // A GET has no side effect, so an unreadable answer may be retried.
            Effect.mapError((e) => new WhatsAppTransientError({ title: "Unreadable media answer", details: e.message })),
            Effect.map(
              (body): MediaInfo => ({
                url: body.url,
                mimeType: body.mime_type,
                sha256: body.sha256 ?? "",
                fileSize: body.file_size ?? 0
              })
            )
          )
        return yield* withRetry(once(request, read), "media lookup")
      }).pipe(Effect.withSpan("WhatsAppClient.getMedia"))

    const downloadMedia = (url: string) =>
      Effect.gen(function* () {
        if (!/^https?:\/\//i.test(url)) {
          return yield* new WhatsAppRequestRejected({
            title: "Invalid media URL",
            details: "downloadMedia takes the http(s) URL returned by getMedia"
          })
        }
        const read = (response: HttpClientResponse.HttpClientResponse) =>
          response.arrayBuffer.pipe(
            Effect.mapError((e) => new WhatsAppTransientError({ title: "Media download broke off", details: e.message })),
            Effect.map((buffer) => new Uint8Array(buffer))
          )
        return yield* withRetry(once(HttpClientRequest.get(url), read), "media download")
      }).pipe(Effect.withSpan("WhatsAppClient.downloadMedia"))

    return {
      sendText: (to, body, textOptions) => send(textMessage(to, body, textOptions)),
      sendTemplate: (to, template) => send(templateMessage(to, template)),
      sendList: (to, list) => send(listMessage(to, list)),
      sendButtons: (to, message) => send(buttonsMessage(to, message)),
      getMedia,
      downloadMedia
    } satisfies WhatsAppClientService
  })

const makeDryRun = Effect.gen(function* () {
  const entries = yield* Ref.make<ReadonlyArray<WhatsAppDryRunEntry>>([])
  const sequence = yield* Ref.make(0)

  const record = (entry: Omit<WhatsAppDryRunEntry, "sequence" | "recordedAt" | "messageId">, isSend: boolean) =>
    Effect.gen(function* () {
      const n = yield* Ref.updateAndGet(sequence, (k) => k + 1)
      const recordedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
      const messageId = isSend ? `wamid.dryrun.${n}` : undefined
      const full: WhatsAppDryRunEntry = {
        ...entry,
        sequence: n,
        recordedAt,
        ...(messageId === undefined ? {} : { messageId })
      }
      yield* Ref.update(entries, (all) => [...all, full])
      const what = entry.templateName === undefined ? entry.kind : `template ${entry.templateName}`
      yield* Effect.logInfo(
        `whatsapp dry-run: ${isSend ? `would send ${what}` : `would request ${entry.kind}`} (nothing sent)`
      ).pipe(Effect.annotateLogs(entry.to === undefined ? {} : { to: maskPhone(entry.to) }))
      return full
    })

  const send = (outbound: Either.Either<Outbound, WhatsAppInvalidMessage>) =>
    Effect.gen(function* () {
      const message = yield* outbound
      const entry = yield* record(
        {
          kind: message.kind,
          to: message.to,
          body: message.body,
          ...(message.templateName === undefined ? {} : { templateName: message.templateName })
        },
        true
      )
      return { messageId: entry.messageId ?? "" }
    })

  const client: WhatsAppClientService = {
    sendText: (to, body, textOptions) => send(textMessage(to, body, textOptions)),
    sendTemplate: (to, template) => send(templateMessage(to, template)),
    sendList: (to, list) => send(listMessage(to, list)),
    sendButtons: (to, message) => send(buttonsMessage(to, message)),
    getMedia: (mediaId) =>
      record({ kind: "getMedia", target: mediaId }, false).pipe(
        Effect.as({ url: `dryrun://media/${encodeURIComponent(mediaId)}`, mimeType: "application/octet-stream", sha256: "", fileSize: 0 })
      ),
    downloadMedia: (url) => record({ kind: "downloadMedia", target: url }, false).pipe(Effect.as(new Uint8Array(0)))
  }
  const log: Context.Tag.Service<WhatsAppDryRunLog> = {
    entries: Ref.get(entries),
    clear: Ref.set(entries, [])
  }
  return Context.make(WhatsAppDryRunLog, log).pipe(Context.add(WhatsAppClient, client))
})

/**
 * The WhatsApp Cloud API client service. `layer` and `layerConfig` need an `HttpClient` from `@effect/platform`
 * (for example `FetchHttpClient.layer`, or `NodeHttpClient.layerUndici` from `@effect/platform-node`).
 */
export class WhatsAppClient extends Context.Tag("@tattoo-bot/whatsapp/WhatsAppClient")<
  WhatsAppClient,
  WhatsAppClientService
>() {
  /** Builds the client from options; requires an `HttpClient`. */
  static readonly make = make

  /** A layer for the client; requires an `HttpClient`. */
  static readonly layer = (options: WhatsAppClientOptions): Layer.Layer<WhatsAppClient, never, HttpClient.HttpClient> =>
    Layer.effect(WhatsAppClient, make(options))

  /** A layer reading its options from `Config` values (e.g. `Config.redacted("WHATSAPP_ACCESS_TOKEN")`). */
  static readonly layerConfig = (
    config: Config.Config.Wrap<WhatsAppClientOptions>
  ): Layer.Layer<WhatsAppClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
    Layer.effect(WhatsAppClient, Effect.flatMap(Config.unwrap(config), make))

  /**
   * A client that sends nothing: every would-be request is validated, recorded in `WhatsAppDryRunLog`, logged
   * (with a masked number) and answered with a fake `wamid.dryrun.<n>` id.
   */
  static readonly layerDryRun: Layer.Layer<WhatsAppClient | WhatsAppDryRunLog> = Layer.effectContext(makeDryRun)
}
