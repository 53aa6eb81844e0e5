import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import {
  WhatsAppInvalidMessage,
  WhatsAppRateLimited,
  WhatsAppSendError,
  WhatsAppTransientError,
  WhatsAppWindowClosed
} from "../src/index.js"

describe("WhatsAppSendError", () => {
  it("defaults retryable per class", () => {
    expect(new WhatsAppWindowClosed({ code: 131047, title: "t", details: "d" }).retryable).toBe(false)
    expect(new WhatsAppRateLimited({ code: 130429, title: "t", details: "d", scope: "number" }).retryable).toBe(true)
    expect(new WhatsAppTransientError({ title: "t", details: "d" }).retryable).toBe(true)
  })

  it("has a readable message with Meta's code", () => {
    const error = new WhatsAppRateLimited({
      code: 131056,
      title: "(Business Account, Consumer Account) pair rate limit hit",
      details: "too many messages",
      scope: "pair",
      httpStatus: 400
    })
    expect(error.message).toBe(
      "(#131056) (Business Account, Consumer Account) pair rate limit hit: too many messages [scope: pair]"
    )
    const invalid = new WhatsAppInvalidMessage({ title: "Invalid list message", details: "x", violations: ["a", "b"] })
    expect(invalid.message).toBe("Invalid list message: a; b")
  })

  it("round-trips through the union schema, so an outbox row can store it", () => {
    const original = new WhatsAppWindowClosed({
      code: 131047,
      title: "Re-engagement message",
      details: "more than 24 hours",
      httpStatus: 400,
      fbtraceId: "Aabc"
    })
    const stored = JSON.parse(JSON.stringify(Schema.encodeSync(WhatsAppSendError)(original)))
    const restored = Schema.decodeUnknownSync(WhatsAppSendError)(stored)
    expect(restored).toBeInstanceOf(WhatsAppWindowClosed)
    expect(restored).toEqual(original)
  })
})
