import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { afterAll, bench, describe } from "vitest"
import { startFakeGoogle } from "../../../test/fakes/google-api.js"
import { GoogleCalendar, layer } from "../src/index.js"
import { mergeSpans, type Span } from "../src/internal/intervals.js"

const fake = await startFakeGoogle()
const day = 86_400_000
const start = Date.parse("2026-12-01T00:00:00Z")
// 3 events a day for 90 days, as a busy artist's calendar might hold.
for (let d = 0; d < 90; d++) {
  for (const h of [10, 14, 16]) {
    const s = start + d * day + h * 3_600_000
    fake.calendar.events.push({
      id: `bench${d}x${h}`,
      start: { dateTime: new Date(s).toISOString() },
      end: { dateTime: new Date(s + 2 * 3_600_000).toISOString() }
    })
  }
}
const runtime = ManagedRuntime.make(
  layer({ calendarId: "primary", credentials: fake.serviceAccount.json, baseUrl: fake.baseUrl })
)
afterAll(async () => {
  await runtime.dispose()
  await fake.close()
})

const spans: Array<Span> = Array.from({ length: 10_000 }, (_, i) => {
  const s = (i * 7919) % 1_000_000
  return [s, s + 500] as const
})

describe("GoogleCalendar", () => {
  bench("mergeSpans, 10 000 spans (pure)", () => {
    mergeSpans(spans)
  })

  bench("busyTimes over 21 days through the local fake (1 freeBusy request)", async () => {
    await runtime.runPromise(
      Effect.flatMap(GoogleCalendar, (c) =>
        c.busyTimes({ timeMin: DateTime.unsafeMake(start), timeMax: DateTime.unsafeMake(start + 21 * day) })
      )
    )
  })

  bench("busyTimes over 90 days through the local fake (2 chunks)", async () => {
    await runtime.runPromise(
      Effect.flatMap(GoogleCalendar, (c) =>
        c.busyTimes({ timeMin: DateTime.unsafeMake(start), timeMax: DateTime.unsafeMake(start + 90 * day) })
      )
    )
  })
})
