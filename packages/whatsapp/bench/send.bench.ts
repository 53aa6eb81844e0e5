import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { afterAll, bench, describe } from "vitest"
import { startFakeGraphApi } from "../../../test/fakes/graph-api.js"
import { WhatsAppClient } from "../src/index.js"

// One send against the local fake Graph API, next to the same POST made with bare fetch: the difference is
// the client's own cost (validation, body building, error mapping, Effect runtime).

const fake = await startFakeGraphApi()
const runtime = ManagedRuntime.make(
  WhatsAppClient.layer({
    baseUrl: fake.baseUrl,
    phoneNumberId: "106540352242922",
    accessToken: Redacted.make("bench-token")
  }).pipe(Layer.provide(FetchHttpClient.layer))
)
const body = JSON.stringify({
  messaging_product: "whatsapp",
  recipient_type: "individual",
  to: "447700900123",
  type: "text",
  text: { body: "Your session is confirmed for Tue 1 Dec 10:00 ✅" }
})

afterAll(async () => {
  await runtime.dispose()
  await fake.close()
})

describe("send one text message to the local fake Graph API", () => {
  bench("baseline: bare fetch POST", async () => {
    fake.requests.length = 0
    const res = await fetch(`${fake.baseUrl}/v26.0/106540352242922/messages`, {
      method: "POST",
      headers: { authorization: "Bearer bench-token", "content-type": "application/json" },
      body
    })
    await res.json()
  })
  bench("WhatsAppClient.sendText", async () => {
    fake.requests.length = 0
    await runtime.runPromise(
      Effect.flatMap(WhatsAppClient, (c) => c.sendText("447700900123", "Your session is confirmed for Tue 1 Dec 10:00 ✅"))
    )
  })
})
