import { Either, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { verifyHandshake } from "../src/index.js"

const TOKEN = "verify-me"

describe("verifyHandshake", () => {
  it("echoes hub.challenge when hub.mode is subscribe and hub.verify_token matches", () => {
    const params = { "hub.mode": "subscribe", "hub.verify_token": TOKEN, "hub.challenge": "1158201444" }
    expect(verifyHandshake(params, TOKEN)).toEqual(Either.right("1158201444"))
    expect(verifyHandshake(params, Redacted.make(TOKEN))).toEqual(Either.right("1158201444"))
  })

  it("reads Meta's dotted names, not the underscored ones the prior system used", () => {
    const result = verifyHandshake({ hub_mode: "subscribe", hub_verify_token: TOKEN, hub_challenge: "42" }, TOKEN)
    expect(Either.isLeft(result)).toBe(true)
  })

  const rejected = [
    ["wrong mode", { "hub.mode": "unsubscribe", "hub.verify_token": TOKEN, "hub.challenge": "1" }, "mode"],
    ["missing mode", { "hub.verify_token": TOKEN, "hub.challenge": "1" }, "mode"],
    ["wrong token", { "hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1" }, "verify_token"],
    ["token prefix", { "hub.mode": "subscribe", "hub.verify_token": "verify", "hub.challenge": "1" }, "verify_token"],
    ["missing token", { "hub.mode": "subscribe", "hub.challenge": "1" }, "verify_token"],
    ["missing challenge", { "hub.mode": "subscribe", "hub.verify_token": TOKEN }, "challenge"],
    ["empty challenge", { "hub.mode": "subscribe", "hub.verify_token": TOKEN, "hub.challenge": "" }, "challenge"],
    [
      "markup in the challenge",
      { "hub.mode": "subscribe", "hub.verify_token": TOKEN, "hub.challenge": "<script>" },
      "challenge"
    ]
  ] as const

  for (const [name, params, reason] of rejected) {
    it(`rejects: ${name}`, () => {
      const result = verifyHandshake(params, TOKEN)
      expect(Either.isLeft(result) && result.left.reason).toBe(reason)
      expect(Either.isLeft(result) && result.left._tag).toBe("WebhookHandshakeRejected")
    })
  }

  it("rejects everything when no verify token is configured", () => {
    const result = verifyHandshake({ "hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1" }, "")
    expect(Either.isLeft(result) && result.left.reason).toBe("verify_token")
  })
})
