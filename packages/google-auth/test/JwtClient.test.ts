import { afterEach, assert, beforeEach, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { type FakeGoogle, makeTestServiceAccount, startFakeGoogle } from "../../../test/fakes/google-api.js"
import { classifyGoogleError, GOOGLE_TOKEN_URL, googleFetch, loadServiceAccount, makeJwtClient, tokenUrlFor } from "../src/index.js"

const CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar"
let fake: FakeGoogle

beforeEach(async () => {
  fake = await startFakeGoogle()
})
afterEach(async () => {
  await fake.close()
})

describe("makeJwtClient", () => {
  it.live("exchanges a signed RS256 assertion at <baseUrl>/token and uses the token on API calls", () =>
    Effect.gen(function* () {
      const credentials = yield* loadServiceAccount(fake.serviceAccount.json)
      const client = makeJwtClient({ credentials, scopes: [CALENDAR_SCOPE], baseUrl: fake.baseUrl })
      const res = yield* Effect.promise(() =>
        client.request({ url: `${fake.baseUrl}/calendar/v3/calendars/primary/events` })
      )
      assert.strictEqual(res.status, 200)
      assert.strictEqual(fake.tokenRequests.length, 1)
      const token = fake.tokenRequests[0]!
      assert.isTrue(token.verified)
      assert.strictEqual(token.grantType, "urn:ietf:params:oauth:grant-type:jwt-bearer")
      assert.strictEqual(token.header?.alg, "RS256")
      assert.strictEqual(token.claims?.iss, fake.serviceAccount.clientEmail)
      assert.strictEqual(token.claims?.scope, CALENDAR_SCOPE)
      assert.strictEqual(token.claims?.aud, GOOGLE_TOKEN_URL)
      const api = fake.requestsTo("/calendar/v3/")[0]!
      assert.match(String(api.headers.authorization), /^Bearer ya29\.fake-1-/)
    }))

  it.live("caches the token across calls", () =>
    Effect.gen(function* () {
      const credentials = yield* loadServiceAccount(fake.serviceAccount.json)
      const client = makeJwtClient({ credentials, scopes: [CALENDAR_SCOPE], baseUrl: `${fake.baseUrl}/` })
      for (let i = 0; i < 3; i++) {
        yield* Effect.promise(() => client.request({ url: `${fake.baseUrl}/calendar/v3/calendars/primary/events` }))
      }
      assert.strictEqual(fake.tokenRequests.length, 1)
      assert.strictEqual(fake.requestsTo("/calendar/v3/").length, 3)
    }))

  it.live("a key pair the test generated itself is trusted when passed as trustedPublicKeys", () =>
    Effect.gen(function* () {
      const own = makeTestServiceAccount("own@example.iam.gserviceaccount.com")
      const trusting = yield* Effect.promise(() => startFakeGoogle({ trustedPublicKeys: [own.publicKeyPem] }))
      const credentials = yield* loadServiceAccount(own.json)
      const client = makeJwtClient({ credentials, scopes: [CALENDAR_SCOPE], baseUrl: trusting.baseUrl })
      const { token } = yield* Effect.promise(() => client.getAccessToken())
      yield* Effect.promise(() => trusting.close())
      assert.match(String(token), /^ya29\.fake-/)
      assert.isTrue(trusting.tokenRequests[0]!.verified)
      assert.strictEqual(trusting.tokenRequests[0]!.claims?.iss, own.clientEmail)
    }))

  it.live("an assertion signed with an unknown key is refused with invalid_grant", () =>
    Effect.gen(function* () {
      const stranger = makeTestServiceAccount("stranger@example.iam.gserviceaccount.com")
      const credentials = yield* loadServiceAccount(stranger.json)
      const client = makeJwtClient({ credentials, scopes: [CALENDAR_SCOPE], baseUrl: fake.baseUrl })
      const error = yield* Effect.flip(Effect.tryPromise(() => client.getAccessToken()))
      assert.include(String(error.cause), "invalid_grant")
      assert.isFalse(fake.tokenRequests[0]!.verified)
    }))

  it.live("the token request goes to Google's URL without baseUrl and to <baseUrl>/token with it", () =>
    Effect.gen(function* () {
      const credentials = yield* loadServiceAccount(fake.serviceAccount.json)
      const seenTokenUrl = (baseUrl: string | undefined) =>
        Effect.gen(function* () {
          const client = makeJwtClient({ credentials, scopes: [CALENDAR_SCOPE], baseUrl })
          const seen: Array<string> = []
          // Runs after the adapter's own interceptor; stops the request so nothing leaves the machine.
          client.transporter.interceptors.request.add({
            resolved: async (config) => {
              seen.push(config.url.href)
              throw new Error("stopped by test")
            }
          })
          yield* Effect.flip(Effect.tryPromise(() => client.getAccessToken()))
          return seen[0]
        })
      assert.strictEqual(yield* seenTokenUrl(undefined), GOOGLE_TOKEN_URL)
      assert.strictEqual(yield* seenTokenUrl("http://127.0.0.1:9/google/"), "http://127.0.0.1:9/google/token")
      assert.strictEqual(fake.tokenRequests.length, 0)
      assert.strictEqual(tokenUrlFor("http://h:1//"), "http://h:1/token")
    }))
})

describe("googleFetch", () => {
  it.live("a POST started on an already aborted signal is rejected, not thrown: nothing is sent", () =>
    Effect.gen(function* () {
      const escaped: Array<unknown> = []
      const record = (error: unknown) => escaped.push(error)
      process.on("uncaughtException", record)
      try {
        const credentials = yield* loadServiceAccount(fake.serviceAccount.json)
        const client = makeJwtClient({ credentials, scopes: [CALENDAR_SCOPE], baseUrl: fake.baseUrl })
        const controller = new AbortController()
        controller.abort()
        const outcome = yield* Effect.either(
          Effect.tryPromise(() =>
            client.request({ url: `${fake.baseUrl}/calendar/v3/freeBusy`, method: "POST", data: { items: [] }, signal: controller.signal })
          )
        )
        assert.strictEqual(outcome._tag, "Left")
        yield* Effect.sleep("100 millis")
        assert.strictEqual(fake.requestsTo("/calendar/").length, 0)
        assert.deepStrictEqual(escaped.map(String), [])
      } finally {
        process.off("uncaughtException", record)
      }
    }))

  it.live("a refused connection keeps its code and the address in the message", () =>
    Effect.gen(function* () {
      const url = `${fake.baseUrl}/token`
      yield* Effect.promise(() => fake.close())
      const error = yield* Effect.flip(Effect.tryPromise({ try: () => googleFetch(url), catch: (e) => e as Error & { code?: string } }))
      assert.strictEqual(error.code, "ECONNREFUSED")
      assert.include(error.message, `request to ${url} failed`)
      assert.strictEqual(classifyGoogleError(Object.assign(error, { config: { url } })).reason, "ECONNREFUSED")
      fake = yield* Effect.promise(() => startFakeGoogle())
    }))
})
