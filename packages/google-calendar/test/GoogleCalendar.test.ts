import { afterEach, assert, beforeEach, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Config from "effect/Config"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type FakeGoogle, startFakeGoogle } from "../../../test/fakes/google-api.js"
import { GoogleCalendar, type GoogleCalendarOptions, layer } from "../src/index.js"

const CALENDAR_ID = "c_abc123@group.calendar.google.com"
const EVENTS_PATH = `/calendar/v3/calendars/${CALENDAR_ID}/events`
let fake: FakeGoogle

beforeEach(async () => {
  fake = await startFakeGoogle({ pageSize: 2 })
})
afterEach(async () => {
  await fake.close()
})

const options = (overrides: Partial<GoogleCalendarOptions> = {}): GoogleCalendarOptions => ({
  calendarId: CALENDAR_ID,
  credentials: fake.serviceAccount.json,
  baseUrl: fake.baseUrl,
  timeZone: "Europe/London",
  retry: { times: 3, baseDelay: "1 millis", maxDelay: "5 millis" },
  ...overrides
})

/** Runs `f` with a GoogleCalendar pointed at the fake. */
const withCalendar = <A, E>(
  f: (calendar: GoogleCalendar["Type"]) => Effect.Effect<A, E>,
  overrides: Partial<GoogleCalendarOptions> = {}
) => Effect.flatMap(GoogleCalendar, f).pipe(Effect.provide(layer(options(overrides))))

/** The failure of a call that is expected to fail in the adapter (the layer itself must build). */
const callFailure = <A, E extends { readonly _tag: string }>(
  f: (calendar: GoogleCalendar["Type"]) => Effect.Effect<A, E>,
  overrides: Partial<GoogleCalendarOptions> = {}
) =>
  Effect.flip(withCalendar(f, overrides)).pipe(
    Effect.flatMap((error) =>
      error._tag === "GoogleCredentialsInvalid" ? Effect.dieMessage("the layer failed to build") : Effect.succeed(error as E)
    )
  )

const at = (iso: string) => DateTime.unsafeMake(iso)
const isoOf = (d: DateTime.DateTime) => DateTime.formatIso(d)

describe("busyTimes", () => {
  it.live("exchanges a verified JWT, posts freeBusy for the calendar and returns merged busy times", () =>
    Effect.gen(function* () {
      fake.calendar.events.push(
        { id: "e1", start: { dateTime: "2026-12-01T10:00:00Z" }, end: { dateTime: "2026-12-01T12:00:00Z" } },
        { id: "e2", start: { dateTime: "2026-12-01T11:00:00Z" }, end: { dateTime: "2026-12-01T13:00:00Z" } },
        { id: "free", transparency: "transparent", start: { dateTime: "2026-12-02T10:00:00Z" }, end: { dateTime: "2026-12-02T11:00:00Z" } },
        { id: "gone", status: "cancelled", start: { dateTime: "2026-12-03T10:00:00Z" }, end: { dateTime: "2026-12-03T11:00:00Z" } },
        { id: "elsewhere", calendarId: "other", start: { dateTime: "2026-12-04T10:00:00Z" }, end: { dateTime: "2026-12-04T11:00:00Z" } }
      )
      fake.calendar.busy.push({ start: "2026-12-05T09:00:00Z", end: "2026-12-05T10:00:00Z" })
      const busy = yield* withCalendar((c) =>
        c.busyTimes({ timeMin: at("2026-12-01T00:00:00Z"), timeMax: new Date("2026-12-08T00:00:00Z") })
      )
      assert.deepStrictEqual(
        busy.map((b) => [isoOf(b.start), isoOf(b.end)]),
        [
          ["2026-12-01T10:00:00.000Z", "2026-12-01T13:00:00.000Z"],
          ["2026-12-05T09:00:00.000Z", "2026-12-05T10:00:00.000Z"]
        ]
      )
      assert.strictEqual(fake.tokenRequests.length, 1)
      assert.isTrue(fake.tokenRequests[0]!.verified)
      assert.strictEqual(fake.tokenRequests[0]!.claims?.scope, "https://www.googleapis.com/auth/calendar")
      const [request] = fake.requestsTo("/calendar/v3/freeBusy", "POST")
      assert.deepStrictEqual(request?.body, {
        timeMin: "2026-12-01T00:00:00.000Z",
        timeMax: "2026-12-08T00:00:00.000Z",
        timeZone: "Europe/London",
        items: [{ id: CALENDAR_ID }]
      })
    }))

  it.live("splits a long range into chunks of at most 60 days and merges blocks cut at a boundary", () =>
    Effect.gen(function* () {
      const min = Date.parse("2026-01-01T00:00:00Z")
      const day = 86_400_000
      // A block across the first chunk boundary (day 60) and one near the end.
      fake.calendar.busy.push(
        { start: new Date(min + 59.5 * day).toISOString(), end: new Date(min + 60.5 * day).toISOString() },
        { start: new Date(min + 199 * day).toISOString(), end: new Date(min + 199.5 * day).toISOString() }
      )
      const busy = yield* withCalendar((c) => c.busyTimes({ timeMin: new Date(min), timeMax: new Date(min + 200 * day) }))
      const requests = fake.requestsTo("/calendar/v3/freeBusy")
      assert.strictEqual(requests.length, 4)
      const ranges = requests
        .map((r) => r.body as { timeMin: string; timeMax: string })
        .map((b) => [Date.parse(b.timeMin), Date.parse(b.timeMax)] as const)
        .sort((a, b) => a[0] - b[0])
      assert.strictEqual(ranges[0]![0], min)
      assert.strictEqual(ranges[ranges.length - 1]![1], min + 200 * day)
      ranges.forEach(([s, e], i) => {
        assert.isAtMost(e - s, 60 * day)
        if (i > 0) assert.strictEqual(s, ranges[i - 1]![1])
      })
      assert.deepStrictEqual(
        busy.map((b) => [DateTime.toEpochMillis(b.start), DateTime.toEpochMillis(b.end)]),
        [
          [min + 59.5 * day, min + 60.5 * day],
          [min + 199 * day, min + 199.5 * day]
        ]
      )
    }))

  it.live("an empty or inverted range asks nothing and returns nothing", () =>
    Effect.gen(function* () {
      const busy = yield* withCalendar((c) =>
        c.busyTimes({ timeMin: at("2026-12-02T00:00:00Z"), timeMax: at("2026-12-01T00:00:00Z") })
      )
      assert.deepStrictEqual(busy, [])
      assert.strictEqual(fake.requestsTo("/calendar/").length, 0)
    }))
})

describe("allDayEventDates", () => {
  it.live("pages through events.list and expands all-day events to the dates inside the range", () =>
    Effect.gen(function* () {
      fake.calendar.events.push(
        { id: "trip", start: { date: "2026-11-29" }, end: { date: "2026-12-03" } },
        { id: "holiday", start: { date: "2026-12-05" }, end: { date: "2026-12-06" } },
        { id: "timed", start: { dateTime: "2026-12-04T10:00:00Z" }, end: { dateTime: "2026-12-04T11:00:00Z" } },
        { id: "cancelled", status: "cancelled", start: { date: "2026-12-06" }, end: { date: "2026-12-07" } },
        { id: "late", start: { date: "2026-12-07" }, end: { date: "2026-12-08" } }
      )
      const dates = yield* withCalendar((c) =>
        c.allDayEventDates({
          timeMin: at("2026-12-01T00:00:00Z"),
          timeMax: at("2026-12-07T00:00:00Z"),
          timeZone: "Europe/London"
        })
      )
      assert.deepStrictEqual(dates, ["2026-12-01", "2026-12-02", "2026-12-05"])
      const lists = fake.requestsTo(EVENTS_PATH, "GET")
      // 4 matching events (timed included, cancelled hidden) with a page size of 2: two pages.
      assert.strictEqual(lists.length, 2)
      assert.strictEqual(lists[0]!.query.get("pageToken"), null)
      assert.strictEqual(lists[1]!.query.get("pageToken"), "2")
      assert.strictEqual(lists[0]!.query.get("singleEvents"), "true")
      assert.strictEqual(lists[0]!.query.get("timeZone"), "Europe/London")
      assert.strictEqual(lists[0]!.path, "/calendar/v3/calendars/c_abc123%40group.calendar.google.com/events")
    }))

  it.live("an unknown time zone is rejected before any request", () =>
    Effect.gen(function* () {
      const error = yield* callFailure(
        (c) =>
          c.allDayEventDates({ timeMin: at("2026-12-01T00:00:00Z"), timeMax: at("2026-12-02T00:00:00Z"), timeZone: "Mars/Olympus" })
      )
      assert.strictEqual(error._tag, "GoogleCalendarRequestRejected")
      assert.strictEqual(fake.requestsTo("/calendar/").length, 0)
    }))
})

describe("hold events", () => {
  const hold = {
    leadId: 42,
    summary: "HOLD: Jo (lead 42)",
    description: "Deposit pending",
    start: at("2026-12-01T10:00:00Z"),
    end: at("2026-12-01T13:00:00Z")
  }

  it.live("createHoldEvent inserts a tentative, private-tagged event without notifications", () =>
    Effect.gen(function* () {
      const { eventId } = yield* withCalendar((c) => c.createHoldEvent(hold))
      const [request] = fake.requestsTo(EVENTS_PATH, "POST")
      assert.strictEqual(request?.query.get("sendUpdates"), "none")
      const body = request?.body as Record<string, unknown>
      assert.strictEqual(body.id, eventId)
      assert.match(eventId, /^[a-v0-9]{5,1024}$/)
      assert.strictEqual(body.status, "tentative")
      assert.strictEqual(body.summary, hold.summary)
      assert.strictEqual(body.description, hold.description)
      assert.deepStrictEqual(body.extendedProperties, { private: { leadId: "42" } })
      assert.deepStrictEqual(body.start, { dateTime: "2026-12-01T10:00:00.000Z", timeZone: "Europe/London" })
      const stored = fake.calendar.events.find((e) => e.id === eventId)
      assert.strictEqual(stored?.status, "tentative")
    }))

  it.live("creating the same hold twice yields one event and the same id", () =>
    Effect.gen(function* () {
      const first = yield* withCalendar((c) => c.createHoldEvent(hold))
      const second = yield* withCalendar((c) => c.createHoldEvent(hold))
      assert.strictEqual(second.eventId, first.eventId)
      assert.strictEqual(fake.calendar.events.length, 1)
      // The second insert met 409 and looked the event up instead of failing.
      assert.deepStrictEqual(
        fake.requestsTo(EVENTS_PATH).map((r) => [r.method, r.status]),
        [
          ["POST", 200],
          ["POST", 409],
          ["GET", 200]
        ]
      )
    }))

  it.live("a hold deleted earlier comes back as tentative when the same slot is held again", () =>
    Effect.gen(function* () {
      const { eventId } = yield* withCalendar((c) =>
        Effect.zipLeft(c.createHoldEvent(hold), Effect.flatMap(c.createHoldEvent(hold), (h) => c.deleteEvent(h.eventId)))
      )
      assert.strictEqual(fake.calendar.events[0]?.status, "cancelled")
      const again = yield* withCalendar((c) => c.createHoldEvent({ ...hold, summary: "HOLD again" }))
      assert.strictEqual(again.eventId, eventId)
      assert.strictEqual(fake.calendar.events.length, 1)
      assert.strictEqual(fake.calendar.events[0]?.status, "tentative")
      assert.strictEqual(fake.calendar.events[0]?.summary, "HOLD again")
    }))

  it.live("a different slot for the same lead is a different event", () =>
    Effect.gen(function* () {
      const a = yield* withCalendar((c) => c.createHoldEvent(hold))
      const b = yield* withCalendar((c) => c.createHoldEvent({ ...hold, start: at("2026-12-02T10:00:00Z"), end: at("2026-12-02T13:00:00Z") }))
      assert.notStrictEqual(a.eventId, b.eventId)
      assert.strictEqual(fake.calendar.events.length, 2)
    }))

  it.live("confirmEvent patches the status to confirmed", () =>
    Effect.gen(function* () {
      const { eventId } = yield* withCalendar((c) => c.createHoldEvent(hold))
      yield* withCalendar((c) => c.confirmEvent(eventId))
      const [patch] = fake.requestsTo(`${EVENTS_PATH}/${eventId}`, "PATCH")
      assert.deepStrictEqual(patch?.body, { status: "confirmed" })
      assert.strictEqual(fake.calendar.events[0]?.status, "confirmed")
    }))

  it.live("confirming an unknown event is a rejected request", () =>
    Effect.gen(function* () {
      const error = yield* callFailure((c) => c.confirmEvent("doesnotexist"))
      assert.strictEqual(error._tag, "GoogleCalendarRequestRejected")
      assert.strictEqual(error.status, 404)
      assert.include(error.message, CALENDAR_ID)
    }))

  it.live("deleteEvent deletes, and treats 410 (already deleted) and 404 (unknown) as done", () =>
    Effect.gen(function* () {
      const { eventId } = yield* withCalendar((c) => c.createHoldEvent(hold))
      yield* withCalendar((c) => Effect.all([c.deleteEvent(eventId), c.deleteEvent(eventId), c.deleteEvent("nosuchevent")]))
      assert.deepStrictEqual(
        fake.requestsTo(EVENTS_PATH, "DELETE").map((r) => r.status),
        [204, 410, 404]
      )
      assert.strictEqual(fake.calendar.events[0]?.status, "cancelled")
    }))
})

describe("findLeadEvents", () => {
  it.live("returns our holds, tagged confirmed events and other confirmed timed events; skips the rest", () =>
    Effect.gen(function* () {
      const t = (h: number) => ({ dateTime: `2026-12-01T${String(h).padStart(2, "0")}:00:00Z` })
      fake.calendar.events.push(
        { id: "hold1", status: "tentative", summary: "HOLD", start: t(8), end: t(9), extendedProperties: { private: { leadId: "7" } } },
        { id: "manual1", summary: "Jo tattoo [lead-42]", start: t(10), end: t(11) },
        { id: "manual2", status: "confirmed", summary: "Walk-in", description: "no tag", start: t(12), end: t(13) },
        { id: "maybe", status: "tentative", summary: "Maybe lunch", start: t(14), end: t(15) },
        { id: "gone", status: "cancelled", summary: "[LEAD-9]", start: t(16), end: t(17), extendedProperties: { private: { leadId: "9" } } },
        { id: "allday", summary: "[LEAD-5] day", start: { date: "2026-12-01" }, end: { date: "2026-12-02" } }
      )
      const found = yield* withCalendar((c) =>
        c.findLeadEvents({ timeMin: at("2026-12-01T00:00:00Z"), timeMax: at("2026-12-02T00:00:00Z") })
      )
      assert.deepStrictEqual(
        found.map((e) => [e.eventId, e.leadId, e.status, e.matchedBy]),
        [
          ["hold1", "7", "tentative", "property"],
          ["manual1", "42", "confirmed", "tag"],
          ["manual2", undefined, "confirmed", "confirmed"]
        ]
      )
      assert.strictEqual(isoOf(found[1]!.start), "2026-12-01T10:00:00.000Z")
      // 5 non-cancelled events, page size 2: three pages were followed.
      assert.strictEqual(fake.requestsTo(EVENTS_PATH, "GET").length, 3)
    }))
})

describe("retries and errors", () => {
  const range = { timeMin: at("2026-12-01T00:00:00Z"), timeMax: at("2026-12-02T00:00:00Z") }

  it.live("retries 500 and 429 on POST freeBusy", () =>
    Effect.gen(function* () {
      fake.failNext("/calendar/v3/freeBusy", 500, 1)
      fake.failNext("/calendar/v3/freeBusy", 429, 1)
      yield* withCalendar((c) => c.busyTimes(range))
      assert.deepStrictEqual(
        fake.requestsTo("/calendar/v3/freeBusy").map((r) => r.status),
        [500, 429, 200]
      )
    }))

  it.live("retries 503 on POST insert and 429 on GET list", () =>
    Effect.gen(function* () {
      fake.failNext(EVENTS_PATH, 503, 2)
      yield* withCalendar((c) =>
        c.createHoldEvent({ leadId: "1", summary: "s", start: range.timeMin, end: at("2026-12-01T03:00:00Z") })
      )
      assert.deepStrictEqual(fake.requestsTo(EVENTS_PATH, "POST").map((r) => r.status), [503, 503, 200])
      assert.strictEqual(fake.calendar.events.length, 1)
      fake.failNext(EVENTS_PATH, 429, 2)
      const found = yield* withCalendar((c) => c.findLeadEvents(range))
      assert.strictEqual(found.length, 1)
      assert.deepStrictEqual(fake.requestsTo(EVENTS_PATH, "GET").map((r) => r.status), [429, 429, 200])
    }))

  it.live("a chunk that fails ends busyTimes; its sibling waiting to retry is stopped and nothing escapes", () =>
    Effect.gen(function* () {
      const escaped: Array<unknown> = []
      const record = (error: unknown) => escaped.push(error)
      process.on("uncaughtException", record)
      process.on("unhandledRejection", record)
      try {
        const min = Date.parse("2026-01-01T00:00:00Z")
        // 100 days: two freeBusy chunks in parallel. The first to arrive gets a 503 and waits to be
        // retried; the other gets a rate-limit 403, which is not retried and fails the call.
        fake.failNext("/calendar/v3/freeBusy", 503, 1)
        fake.failNext("/calendar/v3/freeBusy", 403, 1, "userRateLimitExceeded")
        const error = yield* callFailure((c) => c.busyTimes({ timeMin: new Date(min), timeMax: new Date(min + 100 * 86_400_000) }), {
          retry: { times: 2, baseDelay: "400 millis", maxDelay: "400 millis" }
        })
        assert.strictEqual(error._tag, "GoogleCalendarUnavailable")
        assert.strictEqual(error.operation, "busyTimes")
        assert.strictEqual(error.reason, "userRateLimitExceeded")
        // Past the sibling's backoff (at most 400 ms): its retry must neither reach Google nor throw.
        yield* Effect.sleep("1200 millis")
        assert.deepStrictEqual(fake.requestsTo("/calendar/v3/freeBusy").map((r) => r.status), [503, 403])
        assert.deepStrictEqual(escaped.map(String), [])
      } finally {
        process.off("uncaughtException", record)
        process.off("unhandledRejection", record)
      }
    }))

  it.live("an interrupted hold insert waiting to retry sends nothing more and throws nothing", () =>
    Effect.gen(function* () {
      const escaped: Array<unknown> = []
      const record = (error: unknown) => escaped.push(error)
      process.on("uncaughtException", record)
      process.on("unhandledRejection", record)
      try {
        fake.failNext(EVENTS_PATH, 503, 1)
        const insert = withCalendar(
          (c) => c.createHoldEvent({ leadId: "7", summary: "s", start: range.timeMin, end: at("2026-12-01T03:00:00Z") }),
          { retry: { times: 2, baseDelay: "400 millis", maxDelay: "400 millis" } }
        )
        // Interrupted while it waits (200-400 ms) to retry the 503.
        const outcome = yield* Effect.either(Effect.timeout(insert, "100 millis"))
        assert.strictEqual(outcome._tag, "Left")
        yield* Effect.sleep("1200 millis")
        assert.deepStrictEqual(fake.requestsTo(EVENTS_PATH, "POST").map((r) => r.status), [503])
        assert.strictEqual(fake.calendar.events.length, 0)
        assert.deepStrictEqual(escaped.map(String), [])
      } finally {
        process.off("uncaughtException", record)
        process.off("unhandledRejection", record)
      }
    }))

  it.live("retries a 500 on PATCH", () =>
    Effect.gen(function* () {
      fake.calendar.events.push({ id: "evt01", status: "tentative", start: { dateTime: "2026-12-01T10:00:00Z" }, end: { dateTime: "2026-12-01T11:00:00Z" } })
      fake.failNext(`${EVENTS_PATH}/evt01`, 500, 1)
      yield* withCalendar((c) => c.confirmEvent("evt01"))
      assert.deepStrictEqual(fake.requestsTo(`${EVENTS_PATH}/evt01`).map((r) => r.status), [500, 200])
      assert.strictEqual(fake.calendar.events[0]?.status, "confirmed")
    }))

  it.live("gives up after the configured retries with GoogleCalendarUnavailable", () =>
    Effect.gen(function* () {
      fake.failNext("/calendar/v3/freeBusy", 503, 10)
      const error = yield* callFailure((c) => c.busyTimes(range), { retry: { times: 2, baseDelay: "1 millis" } })
      assert.strictEqual(error._tag, "GoogleCalendarUnavailable")
      assert.strictEqual(error.status, 503)
      assert.strictEqual(error.operation, "busyTimes")
      assert.strictEqual(fake.requestsTo("/calendar/v3/freeBusy").length, 3)
    }))

  it.live("retry times 0 makes exactly one attempt", () =>
    Effect.gen(function* () {
      fake.failNext(EVENTS_PATH, 500, 1)
      const error = yield* callFailure((c) => c.findLeadEvents(range), { retry: { times: 0 } })
      assert.strictEqual(error._tag, "GoogleCalendarUnavailable")
      assert.strictEqual(fake.requestsTo(EVENTS_PATH).length, 1)
    }))

  it.live("403 is not retried and is reported as an access problem naming the service account", () =>
    Effect.gen(function* () {
      fake.failNext("/calendar/v3/freeBusy", 403, 5)
      const error = yield* callFailure((c) => c.busyTimes(range))
      assert.strictEqual(error._tag, "GoogleCalendarAuthFailed")
      assert.strictEqual(error.status, 403)
      assert.include(error.message, fake.serviceAccount.clientEmail)
      assert.strictEqual(fake.requestsTo("/calendar/v3/freeBusy").length, 1)
    }))

  it.live("a 403 rate limit is Unavailable, not an access problem", () =>
    Effect.gen(function* () {
      fake.failNext("/calendar/v3/freeBusy", 403, 1, "userRateLimitExceeded")
      const error = yield* callFailure((c) => c.busyTimes(range))
      assert.strictEqual(error._tag, "GoogleCalendarUnavailable")
      assert.strictEqual(error.reason, "userRateLimitExceeded")
    }))

  it.live("a refused token exchange is GoogleCalendarAuthFailed; nothing reaches the API", () =>
    Effect.gen(function* () {
      fake.failNext("/token", 400, 1, "Invalid JWT Signature.")
      const error = yield* callFailure((c) => c.busyTimes(range))
      assert.strictEqual(error._tag, "GoogleCalendarAuthFailed")
      assert.strictEqual(error.reason, "invalid_grant")
      assert.include(error.message, "could not get a token")
      assert.strictEqual(fake.requestsTo("/calendar/").length, 0)
    }))

  it.live("a 400 from the API is GoogleCalendarRequestRejected and not retried", () =>
    Effect.gen(function* () {
      fake.failNext(EVENTS_PATH, 400, 3)
      const error = yield* callFailure((c) => c.findLeadEvents(range))
      assert.strictEqual(error._tag, "GoogleCalendarRequestRejected")
      assert.strictEqual(fake.requestsTo(EVENTS_PATH).length, 1)
    }))

  it.live("no server at all is GoogleCalendarUnavailable", () =>
    Effect.gen(function* () {
      const json = fake.serviceAccount.json
      yield* Effect.promise(() => fake.close())
      const error = yield* callFailure((c) => c.busyTimes(range), { credentials: json, retry: { times: 1, baseDelay: "1 millis" } })
      assert.strictEqual(error._tag, "GoogleCalendarUnavailable")
      assert.strictEqual(error.reason, "ECONNREFUSED")
      assert.include(error.message, "ECONNREFUSED")
      fake = yield* Effect.promise(() => startFakeGoogle())
    }))

  it.live("bad credentials fail the layer with GoogleCredentialsInvalid", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(withCalendar((c) => c.busyTimes(range), { credentials: "{ nope" }))
      assert.strictEqual(error._tag, "GoogleCredentialsInvalid")
    }))

  it.live("layerConfig reads its options from Config", () =>
    Effect.gen(function* () {
      fake.calendar.busy.push({ start: "2026-12-01T10:00:00Z", end: "2026-12-01T11:00:00Z" })
      const provider = ConfigProvider.fromMap(
        new Map([
          ["CAL_ID", CALENDAR_ID],
          ["CAL_CREDENTIALS", fake.serviceAccount.json],
          ["API_BASE", fake.baseUrl]
        ])
      )
      const live = GoogleCalendar.layerConfig({
        calendarId: Config.string("CAL_ID"),
        credentials: Config.redacted("CAL_CREDENTIALS"),
        baseUrl: Config.string("API_BASE")
      }).pipe(Layer.provide(Layer.setConfigProvider(provider)))
      const busy = yield* Effect.flatMap(GoogleCalendar, (c) => c.busyTimes(range)).pipe(Effect.provide(live))
      assert.strictEqual(busy.length, 1)
    }))
})
