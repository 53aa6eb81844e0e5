import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Layer, Redacted } from "effect"
import { afterAll, beforeAll, beforeEach } from "vitest"
import { type FakeGraphApi, metaError, startFakeGraphApi } from "../../../test/fakes/graph-api.js"
import { WhatsAppClient, type WhatsAppClientOptions } from "../src/index.js"

const PHONE_ID = "106540352242922"
const TOKEN = "EAAG-test-token"
const TO = "447700900123"

let fake: FakeGraphApi

beforeAll(async () => {
  fake = await startFakeGraphApi({ accessToken: TOKEN })
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

const clientLayer = (overrides: Partial<WhatsAppClientOptions> = {}) =>
  WhatsAppClient.layer({
    baseUrl: fake.baseUrl,
    phoneNumberId: PHONE_ID,
    accessToken: Redacted.make(TOKEN),
    retry: { times: 3, baseDelay: "5 millis" },
    timeout: "2 seconds",
    ...overrides
  }).pipe(Layer.provide(FetchHttpClient.layer))

const run = <A, E>(effect: Effect.Effect<A, E, WhatsAppClient>, overrides?: Partial<WhatsAppClientOptions>) =>
  Effect.provide(effect, clientLayer(overrides))

describe("request shapes", () => {
  it.live("sendText posts Meta's text shape to /v26.0/<phone id>/messages with the bearer token", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        const result = yield* client.sendText("+44 7700 900123", "Hi Jo 👋", { previewUrl: true, replyTo: "wamid.ABC" })
        expect(result.messageId).toMatch(/^wamid\.FAKE/)
        const [request] = fake.messages()
        expect(fake.requests).toHaveLength(1)
        expect(request?.method).toBe("POST")
        expect(request?.path).toBe(`/v26.0/${PHONE_ID}/messages`)
        expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`)
        expect(request?.headers["content-type"]).toContain("application/json")
        expect(request?.body).toEqual({
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: TO,
          context: { message_id: "wamid.ABC" },
          type: "text",
          text: { body: "Hi Jo 👋", preview_url: true }
        })
      })
    )
  )

  it.live("sendTemplate sends en_GB by default with body parameters in order", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        yield* client.sendTemplate(TO, { name: "deposit_received_next_steps", bodyParams: ["Jo"] })
        yield* client.sendTemplate(TO, { name: "next_steps_reply_to_continue", language: "en_US" })
        const [withParams, withoutParams] = fake.messages()
        expect(withParams?.body).toEqual({
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: TO,
          type: "template",
          template: {
            name: "deposit_received_next_steps",
            language: { code: "en_GB" },
            components: [{ type: "body", parameters: [{ type: "text", text: "Jo" }] }]
          }
        })
        // Meta counts an empty components list as zero parameters; omitting it is the documented form.
        expect(withoutParams?.body).toMatchObject({
          template: { name: "next_steps_reply_to_continue", language: { code: "en_US" } }
        })
        const plain = withoutParams?.body as { template?: Record<string, unknown> } | undefined
        expect(plain?.template).toBeDefined()
        expect(plain?.template).not.toHaveProperty("components")
      })
    )
  )

  it.live("sendList posts an interactive list with header, footer, sections and rows", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        yield* client.sendList(TO, {
          header: "Available times",
          body: "Pick a time for your session",
          footer: "Times are UK time",
          button: "See times",
          sections: [
            {
              title: "Next week",
              rows: [
                { id: "slot-1", title: "Tue 1 Dec 10:00", description: "3 hours" },
                { id: "slot-2", title: "Wed 2 Dec 14:00" }
              ]
            }
          ]
        })
        expect(fake.messages()[0]?.body).toEqual({
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: TO,
          type: "interactive",
          interactive: {
            type: "list",
            header: { type: "text", text: "Available times" },
            body: { text: "Pick a time for your session" },
            footer: { text: "Times are UK time" },
            action: {
              button: "See times",
              sections: [
                {
                  title: "Next week",
                  rows: [
                    { id: "slot-1", title: "Tue 1 Dec 10:00", description: "3 hours" },
                    { id: "slot-2", title: "Wed 2 Dec 14:00" }
                  ]
                }
              ]
            }
          }
        })
      })
    )
  )

  it.live("sendButtons posts reply buttons", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        const { messageId } = yield* client.sendButtons(TO, {
          body: "Is this a cover-up?",
          buttons: [
            { id: "cover-yes", title: "Yes" },
            { id: "cover-no", title: "No" }
          ]
        })
        expect(messageId).toMatch(/^wamid\./)
        expect(fake.messages()[0]?.body).toEqual({
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: TO,
          type: "interactive",
          interactive: {
            type: "button",
            body: { text: "Is this a cover-up?" },
            action: {
              buttons: [
                { type: "reply", reply: { id: "cover-yes", title: "Yes" } },
                { type: "reply", reply: { id: "cover-no", title: "No" } }
              ]
            }
          }
        })
      })
    )
  )

  it.live("the API version and base URL are configurable (a trailing slash is tolerated)", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        yield* client.sendText(TO, "hello")
        expect(fake.requests[0]?.path).toBe(`/v25.0/${PHONE_ID}/messages`)
      }),
      { apiVersion: "25.0", baseUrl: `${fake.baseUrl}/` }
    )
  )
})

describe("error mapping", () => {
  const cases = [
    { code: 131047, tag: "WhatsAppWindowClosed" },
    { code: 132001, tag: "WhatsAppTemplateError" },
    { code: 132000, tag: "WhatsAppTemplateError" },
    { code: 131026, tag: "WhatsAppRecipientError" },
    { code: 190, tag: "WhatsAppAuthError" },
    { code: 100, tag: "WhatsAppRequestRejected" }
  ] as const

  for (const { code, tag } of cases) {
    it.live(`code ${code} becomes ${tag}, with Meta's code, title, details and status, and is not retried`, () =>
      run(
        Effect.gen(function* () {
          const reply = metaError(code)
          const sent = (reply.body as { error: { error_data: { details: string }; fbtrace_id: string } }).error
          fake.reply(() => reply)
          const client = yield* WhatsAppClient
          const error = yield* Effect.flip(client.sendTemplate(TO, { name: "deposit_received_next_steps" }))
          expect(error._tag).toBe(tag)
          expect(error.code).toBe(code)
          expect(error.retryable).toBe(false)
          expect(error.httpStatus).toBe(reply.status)
          expect(error.title.length).toBeGreaterThan(0)
          expect(error.title).not.toMatch(/^\(#/)
          expect(error.details).toBe(sent.error_data.details)
          expect(error.fbtraceId).toBe(sent.fbtrace_id)
          expect(fake.requests).toHaveLength(1)
        })
      )
    )
  }

  it.live("a template error names the template it was about", () =>
    run(
      Effect.gen(function* () {
        fake.failNext(metaError(132001))
        const client = yield* WhatsAppClient
        const error = yield* Effect.flip(client.sendTemplate(TO, { name: "unknown_template" }))
        expect(error._tag === "WhatsAppTemplateError" && error.templateName).toBe("unknown_template")
      })
    )
  )

  it.live("an invalid token answered with 401 is an auth error", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        const error = yield* Effect.flip(client.sendText(TO, "hello"))
        expect(error._tag).toBe("WhatsAppAuthError")
        expect(error.httpStatus).toBe(401)
        // The token never ends up in the error a caller might log.
        expect(JSON.stringify(error)).not.toContain("wrong-token")
        expect(error.message).not.toContain("wrong-token")
      }),
      { accessToken: Redacted.make("wrong-token") }
    )
  )

  it.live("131056 is a pair rate limit, retried twice with backoff, then surfaced", () =>
    run(
      Effect.gen(function* () {
        fake.reply(() => metaError(131056))
        const client = yield* WhatsAppClient
        const error = yield* Effect.flip(client.sendText(TO, "hello"))
        expect(error._tag).toBe("WhatsAppRateLimited")
        expect(error._tag === "WhatsAppRateLimited" && error.scope).toBe("pair")
        expect(fake.requests).toHaveLength(3)
      })
    )
  )

  it.live("130429, 80007 and HTTP 429 are number-wide rate limits", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        for (const reply of [metaError(130429), metaError(80007), { status: 429, body: "slow down" }]) {
          fake.reset()
          fake.reply(() => reply)
          const error = yield* Effect.flip(client.sendText(TO, "hello"))
          expect(error._tag === "WhatsAppRateLimited" && error.scope).toBe("number")
        }
      }),
      { retry: { times: 3, baseDelay: "1 millis", rateLimitTimes: 0 } }
    )
  )

  it.live("a rate limit that clears on the next attempt succeeds", () =>
    run(
      Effect.gen(function* () {
        fake.failNext(metaError(130429))
        const client = yield* WhatsAppClient
        const { messageId } = yield* client.sendText(TO, "hello")
        expect(messageId).toMatch(/^wamid\.FAKE/)
        expect(fake.requests).toHaveLength(2)
      })
    )
  )
})

describe("retries", () => {
  it.live("5xx answers are retried and the send succeeds once Meta recovers", () =>
    run(
      Effect.gen(function* () {
        fake.failNext({ status: 500, body: "<html>oops</html>" }, 2)
        const client = yield* WhatsAppClient
        const { messageId } = yield* client.sendText(TO, "hello")
        expect(messageId).toMatch(/^wamid\.FAKE/)
        expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 200])
      })
    )
  )

  it.live("persistent 5xx gives up after 1 + times attempts with a transient error", () =>
    run(
      Effect.gen(function* () {
        fake.reply(() => metaError(131000))
        const client = yield* WhatsAppClient
        const error = yield* Effect.flip(client.sendText(TO, "hello"))
        expect(error._tag).toBe("WhatsAppTransientError")
        expect(error.code).toBe(131000)
        expect(error.httpStatus).toBe(500)
        expect(fake.requests).toHaveLength(4)
      })
    )
  )

  it.live("a timeout is transient and retried; the fake sees every attempt", () =>
    run(
      Effect.gen(function* () {
        fake.failNext({ delayMs: 1_000 }, 2)
        const client = yield* WhatsAppClient
        const { messageId } = yield* client.sendText(TO, "hello")
        expect(messageId).toMatch(/^wamid\.FAKE/)
        expect(fake.requests).toHaveLength(3)
      }),
      { timeout: "150 millis" }
    )
  )

  it.live("timeouts on every attempt surface as WhatsAppTransientError", () =>
    run(
      Effect.gen(function* () {
        fake.reply(() => ({ delayMs: 1_000 }))
        const client = yield* WhatsAppClient
        const error = yield* Effect.flip(client.sendText(TO, "hello"))
        expect(error._tag).toBe("WhatsAppTransientError")
        expect(error.title).toBe("Timeout")
        expect(fake.requests).toHaveLength(2)
      }),
      { timeout: "100 millis", retry: { times: 1, baseDelay: "1 millis" } }
    )
  )

  it.live("a dropped connection is a network error, retried", () =>
    run(
      Effect.gen(function* () {
        fake.failNext({ destroy: true })
        const client = yield* WhatsAppClient
        yield* client.sendText(TO, "hello")
        expect(fake.requests).toHaveLength(2)
      })
    )
  )

  it.live("an unreachable server fails with a transient network error after the retries", () =>
    Effect.gen(function* () {
      const client = yield* WhatsAppClient
      const error = yield* Effect.flip(client.sendText(TO, "hello"))
      expect(error._tag).toBe("WhatsAppTransientError")
      expect(error.title).toBe("Network error")
    }).pipe(
      Effect.provide(
        WhatsAppClient.layer({
          baseUrl: "http://127.0.0.1:9",
          phoneNumberId: PHONE_ID,
          accessToken: Redacted.make(TOKEN),
          retry: { times: 1, baseDelay: "1 millis" }
        }).pipe(Layer.provide(FetchHttpClient.layer))
      )
    )
  )

  it.live("4xx answers are never retried", () =>
    run(
      Effect.gen(function* () {
        fake.reply(() => ({ status: 400, body: { error: { message: "(#100) Invalid parameter", code: 100 } } }))
        const client = yield* WhatsAppClient
        const error = yield* Effect.flip(client.sendText(TO, "hello"))
        expect(error._tag).toBe("WhatsAppRequestRejected")
        expect(fake.requests).toHaveLength(1)
      })
    )
  )

  it.live("a 200 without a message id is not retried (the message may be out)", () =>
    run(
      Effect.gen(function* () {
        fake.reply(() => ({ status: 200, body: { messaging_product: "whatsapp" } }))
        const client = yield* WhatsAppClient
        const error = yield* Effect.flip(client.sendText(TO, "hello"))
        expect(error._tag).toBe("WhatsAppTransientError")
        expect(error.retryable).toBe(false)
        expect(fake.requests).toHaveLength(1)
      })
    )
  )

  it.live("times: 0 disables retries", () =>
    run(
      Effect.gen(function* () {
        fake.reply(() => ({ status: 503 }))
        const client = yield* WhatsAppClient
        yield* Effect.flip(client.sendText(TO, "hello"))
        expect(fake.requests).toHaveLength(1)
      }),
      { retry: { times: 0, baseDelay: "1 millis" } }
    )
  )
})

describe("limits are checked before any request", () => {
  const long = (n: number) => "x".repeat(n)
  const row = (i: number) => ({ id: `r${i}`, title: `Row ${i}` })

  const invalid = [
    ["empty text", (c: WhatsAppClient["Type"]) => c.sendText(TO, "  ")],
    ["text over 4096", (c: WhatsAppClient["Type"]) => c.sendText(TO, long(4097))],
    ["recipient without digits", (c: WhatsAppClient["Type"]) => c.sendText("not a number", "hi")],
    [
      "11 rows",
      (c: WhatsAppClient["Type"]) =>
        c.sendList(TO, { body: "b", button: "Open", sections: [{ rows: Array.from({ length: 11 }, (_, i) => row(i)) }] })
    ],
    [
      "11 rows across two sections",
      (c: WhatsAppClient["Type"]) =>
        c.sendList(TO, {
          body: "b",
          button: "Open",
          sections: [
            { title: "A", rows: Array.from({ length: 6 }, (_, i) => row(i)) },
            { title: "B", rows: Array.from({ length: 5 }, (_, i) => row(i + 6)) }
          ]
        })
    ],
    [
      "row title over 24",
      (c: WhatsAppClient["Type"]) =>
        c.sendList(TO, { body: "b", button: "Open", sections: [{ rows: [{ id: "a", title: long(25) }] }] })
    ],
    [
      "row description over 72",
      (c: WhatsAppClient["Type"]) =>
        c.sendList(TO, {
          body: "b",
          button: "Open",
          sections: [{ rows: [{ id: "a", title: "t", description: long(73) }] }]
        })
    ],
    [
      "list button over 20",
      (c: WhatsAppClient["Type"]) => c.sendList(TO, { body: "b", button: long(21), sections: [{ rows: [row(1)] }] })
    ],
    [
      "list body over 1024",
      (c: WhatsAppClient["Type"]) => c.sendList(TO, { body: long(1025), button: "Open", sections: [{ rows: [row(1)] }] })
    ],
    [
      "two sections without titles",
      (c: WhatsAppClient["Type"]) =>
        c.sendList(TO, { body: "b", button: "Open", sections: [{ rows: [row(1)] }, { rows: [row(2)] }] })
    ],
    [
      "duplicate row ids",
      (c: WhatsAppClient["Type"]) =>
        c.sendList(TO, { body: "b", button: "Open", sections: [{ rows: [row(1), { id: "r1", title: "again" }] }] })
    ],
    [
      "4 buttons",
      (c: WhatsAppClient["Type"]) =>
        c.sendButtons(TO, { body: "b", buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` })) })
    ],
    [
      "button title over 20",
      (c: WhatsAppClient["Type"]) => c.sendButtons(TO, { body: "b", buttons: [{ id: "a", title: long(21) }] })
    ],
    [
      "duplicate button titles",
      (c: WhatsAppClient["Type"]) =>
        c.sendButtons(TO, {
          body: "b",
          buttons: [
            { id: "a", title: "Yes" },
            { id: "b", title: "Yes" }
          ]
        })
    ],
    ["no buttons", (c: WhatsAppClient["Type"]) => c.sendButtons(TO, { body: "b", buttons: [] })],
    [
      "buttons body over 1024",
      (c: WhatsAppClient["Type"]) => c.sendButtons(TO, { body: long(1025), buttons: [{ id: "a", title: "A" }] })
    ],
    [
      "template parameter with a new line",
      (c: WhatsAppClient["Type"]) => c.sendTemplate(TO, { name: "deposit_received_next_steps", bodyParams: ["Jo\nSmith"] })
    ],
    ["template name in capitals", (c: WhatsAppClient["Type"]) => c.sendTemplate(TO, { name: "Deposit_Received" })]
  ] as const

  for (const [name, send] of invalid) {
    it.live(`${name} → WhatsAppInvalidMessage and no request`, () =>
      run(
        Effect.gen(function* () {
          const client = yield* WhatsAppClient
          const error = yield* Effect.flip(send(client))
          expect(error._tag).toBe("WhatsAppInvalidMessage")
          expect(error._tag === "WhatsAppInvalidMessage" && error.violations.length).toBeGreaterThan(0)
          expect(fake.requests).toHaveLength(0)
        })
      )
    )
  }

  it.live("values exactly at the limits are sent (emoji count as one character)", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        yield* client.sendText(TO, "🙂".repeat(4096))
        yield* client.sendList(TO, {
          header: long(60),
          body: long(1024),
          footer: long(60),
          button: long(20),
          sections: [
            { title: long(24), rows: Array.from({ length: 5 }, (_, i) => ({ ...row(i), title: `${i}${long(23)}` })) },
            { title: "B", rows: Array.from({ length: 5 }, (_, i) => ({ ...row(i + 5), description: long(72) })) }
          ]
        })
        yield* client.sendButtons(TO, {
          body: long(1024),
          buttons: [1, 2, 3].map((i) => ({ id: `${i}${long(255)}`, title: `${i}${long(19)}` }))
        })
        expect(fake.messages().map((r) => r.status)).toEqual([200, 200, 200])
      })
    )
  )

  it.live("every violation is listed, not only the first", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        const error = yield* Effect.flip(
          client.sendButtons(TO, {
            body: "",
            footer: long(61),
            buttons: [{ id: "a", title: long(21) }]
          })
        )
        expect(error._tag === "WhatsAppInvalidMessage" && error.violations).toEqual([
          "body must not be empty",
          "footer is 61 characters; the limit is 60",
          "buttons[0].title is 21 characters; the limit is 20"
        ])
      })
    )
  )
})

describe("media", () => {
  it.live("getMedia looks the id up and downloadMedia fetches the bytes with the bearer token", () =>
    run(
      Effect.gen(function* () {
        const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 250])
        fake.addMedia("1037543291543636", { bytes, mimeType: "image/jpeg" })
        const client = yield* WhatsAppClient
        const info = yield* client.getMedia("1037543291543636")
        expect(info.mimeType).toBe("image/jpeg")
        expect(info.fileSize).toBe(bytes.byteLength)
        expect(info.sha256).toMatch(/^[0-9a-f]{64}$/)
        expect(fake.requests[0]?.path).toBe("/v26.0/1037543291543636")
        const downloaded = yield* client.downloadMedia(info.url)
        expect([...downloaded]).toEqual([...bytes])
        expect(fake.requests[1]?.headers.authorization).toBe(`Bearer ${TOKEN}`)
      })
    )
  )

  it.live("an unknown media id is a rejected request", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        const error = yield* Effect.flip(client.getMedia("does-not-exist"))
        expect(error._tag).toBe("WhatsAppRequestRejected")
        expect(error.code).toBe(100)
      })
    )
  )

  it.live("a media download hit by a 503 is retried", () =>
    run(
      Effect.gen(function* () {
        const { url } = fake.addMedia("m2", { bytes: new Uint8Array([7, 7, 7]), mimeType: "application/pdf" })
        fake.failNext({ status: 503 })
        const client = yield* WhatsAppClient
        const downloaded = yield* client.downloadMedia(url)
        expect([...downloaded]).toEqual([7, 7, 7])
        expect(fake.requests).toHaveLength(2)
      })
    )
  )

  it.live("downloadMedia refuses anything but an http(s) URL without a request", () =>
    run(
      Effect.gen(function* () {
        const client = yield* WhatsAppClient
        const error = yield* Effect.flip(client.downloadMedia("file:///etc/passwd"))
        expect(error._tag).toBe("WhatsAppRequestRejected")
        expect(fake.requests).toHaveLength(0)
      })
    )
  )
})

describe("layerConfig", () => {
  it.live("reads options from a ConfigProvider", () =>
    Effect.gen(function* () {
      const client = yield* WhatsAppClient
      yield* client.sendText(TO, "from config")
      expect(fake.requests[0]?.path).toBe(`/v26.0/${PHONE_ID}/messages`)
    }).pipe(
      Effect.provide(
        WhatsAppClient.layerConfig({
          baseUrl: Config.string("BASE"),
          phoneNumberId: Config.string("PHONE"),
          accessToken: Config.redacted("TOKEN")
        }).pipe(
          Layer.provide(FetchHttpClient.layer),
          Layer.provide(
            Layer.setConfigProvider(
              ConfigProvider.fromMap(
                new Map([
                  ["BASE", fake.baseUrl],
                  ["PHONE", PHONE_ID],
                  ["TOKEN", TOKEN]
                ])
              )
            )
          )
        )
      )
    )
  )
})
