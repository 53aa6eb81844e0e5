import { type calendar_v3, calendar } from "@googleapis/calendar"
import {
  classifyGoogleError,
  type GoogleCredentialsInvalid,
  type GoogleRetryOptions,
  gaxiosRetryConfig,
  loadServiceAccount,
  makeJwtClient,
  retryPolicy
} from "@tattoo-bot/google-auth"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { holdEventId, leadIdFromTag } from "./internal/eventId.js"
import { datesOf, FREEBUSY_CHUNK_DAYS, mergeSpans, type Span, splitRange } from "./internal/intervals.js"
import { CalendarEvent, EventsPage, FreeBusyResponse } from "./internal/responses.js"

/** The OAuth scope the adapter asks for (read free/busy and events, write hold events). */
export const CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar"

/** The private extended property that marks an event as a hold for a lead. */
export const LEAD_ID_PROPERTY = "leadId"

// ---- errors -------------------------------------------------------------------------------------

interface GoogleCalendarErrorFields {
  /** The adapter method that failed, e.g. `busyTimes`. */
  readonly operation: string
  readonly status: number | undefined
  /** Google's reason (`notFound`, `rateLimitExceeded`, `invalid_grant`, …) or the network error code. */
  readonly reason: string | undefined
  readonly message: string
}

/** Google Calendar did not answer usefully (429, 5xx, network), after the configured retries. */
export class GoogleCalendarUnavailable extends Data.TaggedError("GoogleCalendarUnavailable")<GoogleCalendarErrorFields> {}

/** The token exchange failed or the service account may not use the calendar (401/403). */
export class GoogleCalendarAuthFailed extends Data.TaggedError("GoogleCalendarAuthFailed")<GoogleCalendarErrorFields> {}

/** Google refused the request itself (unknown calendar or event, invalid input, conflict). */
export class GoogleCalendarRequestRejected extends Data.TaggedError(
  "GoogleCalendarRequestRejected"
)<GoogleCalendarErrorFields> {}

/** Any failure of a `GoogleCalendar` method. */
export type GoogleCalendarError = GoogleCalendarUnavailable | GoogleCalendarAuthFailed | GoogleCalendarRequestRejected

// ---- service shape ------------------------------------------------------------------------------

/** An instant accepted by the adapter. */
export type Instant = DateTime.DateTime | Date

/** A busy interval, [start, end). */
export interface BusyInterval {
  readonly start: DateTime.Utc
  readonly end: DateTime.Utc
}

export interface HoldEventInput {
  readonly leadId: string | number
  readonly summary: string
  readonly description?: string | undefined
  readonly start: Instant
  readonly end: Instant
}

/**
 * An event `findLeadEvents` reports:
 * - `property`: a hold this adapter created (private extended property `leadId`), tentative or confirmed;
 * - `tag`: a confirmed timed event whose title or description carries `[LEAD-<id>]`;
 * - `confirmed`: any other confirmed timed event (no lead id; match it to a held slot by time).
 */
export interface LeadEvent {
  readonly eventId: string
  readonly leadId: string | undefined
  readonly status: "tentative" | "confirmed"
  readonly start: DateTime.Utc
  readonly end: DateTime.Utc
  readonly summary: string
  readonly matchedBy: "property" | "tag" | "confirmed"
}

export interface GoogleCalendarService {
  /** Busy intervals of the calendar in [timeMin, timeMax), merged and sorted. */
  readonly busyTimes: (range: {
    readonly timeMin: Instant
    readonly timeMax: Instant
  }) => Effect.Effect<ReadonlyArray<BusyInterval>, GoogleCalendarError>
  /** Dates (`YYYY-MM-DD`, in `timeZone`) covered by an all-day event overlapping [timeMin, timeMax). */
  readonly allDayEventDates: (range: {
    readonly timeMin: Instant
    readonly timeMax: Instant
    readonly timeZone: string
  }) => Effect.Effect<ReadonlyArray<string>, GoogleCalendarError>
  /** Creates (or finds again) the tentative hold event for a lead's slot; invites nobody. */
  readonly createHoldEvent: (input: HoldEventInput) => Effect.Effect<{ readonly eventId: string }, GoogleCalendarError>
  /** Marks an event confirmed. */
  readonly confirmEvent: (eventId: string) => Effect.Effect<void, GoogleCalendarError>
  /** Deletes an event; an event that is already gone (404/410) counts as deleted. */
  readonly deleteEvent: (eventId: string) => Effect.Effect<void, GoogleCalendarError>
  /** Holds and confirmed timed events in [timeMin, timeMax) (see `LeadEvent` for the rule). */
  readonly findLeadEvents: (range: {
    readonly timeMin: Instant
    readonly timeMax: Instant
  }) => Effect.Effect<ReadonlyArray<LeadEvent>, GoogleCalendarError>
}

/** The Google Calendar adapter. `GoogleCalendar.layer` / `.layerConfig` are the module's `layer` / `layerConfig`. */
export class GoogleCalendar extends Context.Tag("@tattoo-bot/google-calendar/GoogleCalendar")<
  GoogleCalendar,
  GoogleCalendarService
>() {
  /** See `layer`. */
  static readonly layer = (options: GoogleCalendarOptions): Layer.Layer<GoogleCalendar, GoogleCredentialsInvalid> =>
    layer(options)
  /** See `layerConfig`. */
  static readonly layerConfig = (
    options: Config.Config.Wrap<GoogleCalendarOptions>
  ): Layer.Layer<GoogleCalendar, GoogleCredentialsInvalid | ConfigError.ConfigError> => layerConfig(options)
}

export interface GoogleCalendarOptions {
  /** e.g. `xxxxx@group.calendar.google.com` or `primary`. */
  readonly calendarId: string
  /** A service-account key file path, or the key JSON itself. */
  readonly credentials: string | Redacted.Redacted<string>
  /** Send API and token requests to this origin instead of Google's (tests, demos). */
  readonly baseUrl?: string | undefined
  /** Zone sent with queries and hold events (default `UTC`). */
  readonly timeZone?: string | undefined
  readonly retry?: GoogleRetryOptions | undefined
}

// ---- implementation -----------------------------------------------------------------------------

const toUtc = (instant: Instant): DateTime.Utc => DateTime.toUtc(DateTime.unsafeMake(instant))
const toMillis = (instant: Instant): number => DateTime.toEpochMillis(toUtc(instant))
const iso = (ms: number) => new Date(ms).toISOString()

/** Builds the service: loads the credentials and prepares the API client (no request is made yet). */
export const make = (
  options: GoogleCalendarOptions
): Effect.Effect<GoogleCalendarService, GoogleCredentialsInvalid> =>
  Effect.gen(function* () {
    const credentials = yield* loadServiceAccount(options.credentials)
    const auth = makeJwtClient({ credentials, scopes: [CALENDAR_SCOPE], baseUrl: options.baseUrl })
    const policy = retryPolicy(options.retry)
    const api = calendar({
      version: "v3",
      auth,
      // Every method is retried, POST and PATCH included: inserts carry a deterministic id and
      // patches set absolute values, so a repeated request cannot do anything twice.
      retryConfig: gaxiosRetryConfig(policy),
      ...(options.baseUrl === undefined ? {} : { rootUrl: options.baseUrl })
    })
    const calendarId = options.calendarId
    const timeZone = options.timeZone ?? "UTC"

    const toError = (operation: string, error: unknown): GoogleCalendarError => {
      const failure = classifyGoogleError(error)
      const fields = { operation, status: failure.status, reason: failure.reason }
      switch (failure.kind) {
        case "unavailable":
          return new GoogleCalendarUnavailable({
            ...fields,
            message: `Google Calendar ${operation} failed (retried up to ${policy.times} times): ${failure.detail}`
          })
        case "auth":
          return new GoogleCalendarAuthFailed({
            ...fields,
            message: failure.tokenEndpoint
              ? `Google Calendar ${operation}: the service account ${credentials.client_email} could not get a token: ${failure.detail}`
              : `Google Calendar ${operation}: access denied; share calendar ${calendarId} with ${credentials.client_email} ("Make changes to events"): ${failure.detail}`
          })
        case "rejected":
          return new GoogleCalendarRequestRejected({
            ...fields,
            message: `Google Calendar ${operation} on calendar ${calendarId} was rejected: ${failure.detail}`
          })
      }
    }

    const call = <A>(operation: string, run: (signal: AbortSignal) => Promise<{ readonly data: A }>) =>
      Effect.tryPromise({
        try: (signal) => run(signal).then((res) => res.data),
        catch: (error) => toError(operation, error)
      })

    const decode = <A, I>(operation: string, schema: Schema.Schema<A, I>, data: unknown) =>
      Schema.decodeUnknown(schema)(data).pipe(
        Effect.mapError(
          (error) =>
            new GoogleCalendarRequestRejected({
              operation,
              status: undefined,
              reason: "unexpectedResponse",
              message: `Google Calendar ${operation} returned an unexpected response: ${error.message}`
            })
        )
      )

    const listEvents = (operation: string, params: calendar_v3.Params$Resource$Events$List) =>
      Effect.gen(function* () {
        const items: Array<CalendarEvent> = []
        let pageToken: string | undefined
        do {
          const request = { ...params, ...(pageToken === undefined ? {} : { pageToken }) }
          const data = yield* call(operation, (signal) => api.events.list(request, { signal }))
          const page = yield* decode(operation, EventsPage, data)
          items.push(...(page.items ?? []))
          pageToken = page.nextPageToken
        } while (pageToken !== undefined)
        return items
      })

    const timedSpan = (event: CalendarEvent): Span | undefined => {
      const start = event.start?.dateTime === undefined ? Number.NaN : Date.parse(event.start.dateTime)
      const end = event.end?.dateTime === undefined ? Number.NaN : Date.parse(event.end.dateTime)
      return Number.isNaN(start) || Number.isNaN(end) ? undefined : [start, end]
    }

    const freeBusyChunk = (operation: string, [min, max]: Span) =>
      Effect.gen(function* () {
        const data = yield* call(operation, (signal) =>
          api.freebusy.query({ requestBody: { timeMin: iso(min), timeMax: iso(max), timeZone, items: [{ id: calendarId }] } }, { signal })
        )
        const response = yield* decode(operation, FreeBusyResponse, data)
        const entry = response.calendars?.[calendarId]
        const problem = entry?.errors?.[0]
        if (entry === undefined || problem !== undefined) {
          const reason = problem?.reason ?? "notFound"
          return yield* new GoogleCalendarRequestRejected({
            operation,
            status: undefined,
            reason,
            message: `Google Calendar ${operation}: calendar ${calendarId} is not readable (${reason}); check the id and that it is shared with ${credentials.client_email}`
          })
        }
        const spans: Array<Span> = []
        for (const busy of entry.busy ?? []) {
          const start = Date.parse(busy.start)
          const end = Date.parse(busy.end)
          if (!Number.isNaN(start) && !Number.isNaN(end)) spans.push([start, end])
        }
        return spans
      })

    const busyTimes: GoogleCalendarService["busyTimes"] = Effect.fn("GoogleCalendar.busyTimes")(function* ({
      timeMin,
      timeMax
    }) {
      // freeBusy refuses long windows ("The requested time range is too long."), so ask in chunks.
      const chunks = splitRange(toMillis(timeMin), toMillis(timeMax), FREEBUSY_CHUNK_DAYS)
      const perChunk = yield* Effect.forEach(chunks, (chunk) => freeBusyChunk("busyTimes", chunk), {
        concurrency: 4
      })
      return mergeSpans(perChunk.flat()).map(([start, end]) => ({
        start: DateTime.unsafeMake(start),
        end: DateTime.unsafeMake(end)
      }))
    })

    const allDayEventDates: GoogleCalendarService["allDayEventDates"] = Effect.fn("GoogleCalendar.allDayEventDates")(
      function* ({ timeMin, timeMax, timeZone: zone }) {
        const min = toMillis(timeMin)
        const max = toMillis(timeMax)
        if (max <= min) return []
        const tz = DateTime.zoneMakeNamed(zone)
        if (tz._tag === "None") {
          return yield* new GoogleCalendarRequestRejected({
            operation: "allDayEventDates",
            status: undefined,
            reason: "invalidTimeZone",
            message: `Google Calendar allDayEventDates: unknown time zone ${JSON.stringify(zone)}`
          })
        }
        const localDate = (ms: number) => DateTime.formatIsoDate(DateTime.unsafeMakeZoned(ms, { timeZone: tz.value }))
        const firstDate = localDate(min)
        const lastDate = localDate(max - 1)
        const events = yield* listEvents("allDayEventDates", {
          calendarId,
          timeMin: iso(min),
          timeMax: iso(max),
          timeZone: zone,
          singleEvents: true,
          showDeleted: false,
          maxResults: 2500
        })
        const dates = new Set<string>()
        for (const event of events) {
          if (event.status === "cancelled" || event.start?.date === undefined || event.end?.date === undefined) continue
          for (const date of datesOf(event.start.date, event.end.date)) {
            if (date >= firstDate && date <= lastDate) dates.add(date)
          }
        }
        return [...dates].sort()
      }
    )

    const createHoldEvent: GoogleCalendarService["createHoldEvent"] = Effect.fn("GoogleCalendar.createHoldEvent")(
      function* (input) {
        const leadId = String(input.leadId)
        const startIso = DateTime.formatIso(toUtc(input.start))
        const endIso = DateTime.formatIso(toUtc(input.end))
        const eventId = holdEventId(leadId, startIso, endIso)
        const fields: calendar_v3.Schema$Event = {
          summary: input.summary,
          ...(input.description === undefined ? {} : { description: input.description }),
          start: { dateTime: startIso, timeZone },
          end: { dateTime: endIso, timeZone },
          status: "tentative",
          transparency: "opaque",
          extendedProperties: { private: { [LEAD_ID_PROPERTY]: leadId } }
        }
        const inserted = call("createHoldEvent", (signal) =>
          api.events.insert({ calendarId, sendUpdates: "none", requestBody: { id: eventId, ...fields } }, { signal })
        ).pipe(Effect.as({ eventId }))
        // 409: an earlier attempt (a retry whose first response was lost, or a re-sent command)
        // already created this id. Reuse it; if it was deleted since, bring it back as a hold.
        return yield* Effect.catchIf(
          inserted,
          (error) => error._tag === "GoogleCalendarRequestRejected" && error.status === 409,
          () =>
            Effect.gen(function* () {
              const data = yield* call("createHoldEvent", (signal) => api.events.get({ calendarId, eventId }, { signal }))
              const existing = yield* decode("createHoldEvent", CalendarEvent, data)
              if (existing.status === "cancelled") {
                yield* call("createHoldEvent", (signal) =>
                  api.events.patch(
                    { calendarId, eventId, sendUpdates: "none", requestBody: fields },
                    { signal }
                  )
                )
              }
              return { eventId }
            })
        )
      }
    )

    const confirmEvent: GoogleCalendarService["confirmEvent"] = Effect.fn("GoogleCalendar.confirmEvent")(
      function* (eventId) {
        yield* call("confirmEvent", (signal) =>
          api.events.patch({ calendarId, eventId, sendUpdates: "none", requestBody: { status: "confirmed" } }, { signal })
        )
      }
    )

    const deleteEvent: GoogleCalendarService["deleteEvent"] = Effect.fn("GoogleCalendar.deleteEvent")(
      function* (eventId) {
        yield* call("deleteEvent", (signal) => api.events.delete({ calendarId, eventId, sendUpdates: "none" }, { signal })).pipe(
          Effect.catchIf(
            (error) => error._tag === "GoogleCalendarRequestRejected" && (error.status === 404 || error.status === 410),
            () => Effect.void
          )
        )
      }
    )

    const findLeadEvents: GoogleCalendarService["findLeadEvents"] = Effect.fn("GoogleCalendar.findLeadEvents")(
      function* ({ timeMin, timeMax }) {
        const min = toMillis(timeMin)
        const max = toMillis(timeMax)
        if (max <= min) return []
        const events = yield* listEvents("findLeadEvents", {
          calendarId,
          timeMin: iso(min),
          timeMax: iso(max),
          singleEvents: true,
          orderBy: "startTime",
          showDeleted: false,
          maxResults: 2500
        })
        const found: Array<LeadEvent> = []
        for (const event of events) {
          const span = timedSpan(event)
          if (span === undefined || event.status === "cancelled") continue
          const status = event.status === "tentative" ? "tentative" : "confirmed"
          const propertyLeadId = event.extendedProperties?.private?.[LEAD_ID_PROPERTY]
          const taggedLeadId = leadIdFromTag(event.summary, event.description)
          const matchedBy =
            propertyLeadId !== undefined ? "property" : status !== "confirmed" ? undefined : taggedLeadId !== undefined ? "tag" : "confirmed"
          if (matchedBy === undefined) continue
          found.push({
            eventId: event.id,
            leadId: propertyLeadId ?? taggedLeadId,
            status,
            start: DateTime.unsafeMake(span[0]),
            end: DateTime.unsafeMake(span[1]),
            summary: event.summary ?? "",
            matchedBy
          })
        }
        return found
      }
    )

    return GoogleCalendar.of({
      busyTimes,
      allDayEventDates,
      createHoldEvent,
      confirmEvent,
      deleteEvent,
      findLeadEvents
    })
  })

/** The adapter as a layer. */
export const layer = (options: GoogleCalendarOptions): Layer.Layer<GoogleCalendar, GoogleCredentialsInvalid> =>
  Layer.effect(GoogleCalendar, make(options))

/** The adapter as a layer whose options come from `Config` values chosen by the host. */
export const layerConfig = (
  options: Config.Config.Wrap<GoogleCalendarOptions>
): Layer.Layer<GoogleCalendar, GoogleCredentialsInvalid | ConfigError.ConfigError> =>
  Layer.effect(GoogleCalendar, Effect.flatMap(Config.unwrap(options), make))
