import { createHmac } from "node:crypto"
import { bench, describe } from "vitest"
import { webhookBody } from "../../../test/fakes/graph-api.js"
import { decideDelivery, decodeWebhookPayload, signWebhookBody, verifyWebhookSignature, webhookEvents } from "../src/index.js"

// Each group has a baseline (the bare Node primitive) so the figures read as ratios on any machine.

const SECRET = "bench-app-secret"
const text = (i: number) => ({
  from: "447700900123",
  id: `wamid.BENCH${i}`,
  timestamp: String(1764590400 + ((i * 7) % 10)),
  type: "text",
  text: { body: `Message ${i}: I'd like a fine-line snake on my forearm, about 15 x 8 cm 🐍` }
})
const single = webhookBody({ messages: [text(0)], names: { "447700900123": "Jo" } })
const batch = webhookBody({
  messages: Array.from({ length: 10 }, (_, i) => text(i)),
  statuses: Array.from({ length: 10 }, (_, i) => ({
    id: `wamid.OUT${i}`,
    status: "delivered",
    timestamp: String(1764590400 + i),
    recipient_id: "447700900123"
  }))
})
const singleBytes = new TextEncoder().encode(single)
const header = signWebhookBody(singleBytes, SECRET)

describe("signature of a one-message webhook", () => {
  bench("baseline: createHmac hex digest", () => {
    createHmac("sha256", SECRET).update(singleBytes).digest("hex")
  })
  bench("verifyWebhookSignature", () => {
    verifyWebhookSignature(singleBytes, header, SECRET)
  })
})

describe("decode a one-message webhook", () => {
  bench("baseline: JSON.parse", () => {
    JSON.parse(single)
  })
  bench("decodeWebhookPayload + webhookEvents", () => {
    const decoded = decodeWebhookPayload(single)
    if (decoded._tag === "Right") webhookEvents(decoded.right)
  })
})

describe("decode a 10 messages + 10 statuses webhook", () => {
  bench("baseline: JSON.parse", () => {
    JSON.parse(batch)
  })
  bench("decodeWebhookPayload + webhookEvents", () => {
    const decoded = decodeWebhookPayload(batch)
    if (decoded._tag === "Right") webhookEvents(decoded.right)
  })
})

describe("window policy", () => {
  bench("baseline: two Date.parse calls", () => {
    Date.parse("2026-12-01T10:00:00.000Z") - Date.parse("2026-12-02T12:00:00.000Z")
  })
  bench("decideDelivery (outside the window, template)", () => {
    decideDelivery({
      lastClientMessageAt: "2026-12-01T10:00:00.000Z",
      now: "2026-12-02T12:00:00.000Z",
      template: "deposit_received_next_steps",
      clientName: "Jo"
    })
  })
})
