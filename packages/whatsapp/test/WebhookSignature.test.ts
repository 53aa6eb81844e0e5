import { createHmac } from "node:crypto"
import { Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { signBody } from "../../../test/fakes/graph-api.js"
import { signWebhookBody, verifyWebhookSignature } from "../src/index.js"

const SECRET = "app-secret-123"
const bytes = (s: string) => new TextEncoder().encode(s)
const body = bytes('{"object":"whatsapp_business_account","entry":[]}')

describe("verifyWebhookSignature", () => {
  it("accepts Meta's header: sha256= and the hex HMAC-SHA256 of the raw body", () => {
    const header = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`
    expect(verifyWebhookSignature(body, header, SECRET)).toBe(true)
    expect(verifyWebhookSignature(body, header, Redacted.make(SECRET))).toBe(true)
  })

  it("signWebhookBody produces exactly that header (and agrees with the fake's signer)", () => {
    const expected = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`
    expect(signWebhookBody(body, SECRET)).toBe(expected)
    expect(signWebhookBody(body, Redacted.make(SECRET))).toBe(expected)
    expect(signBody(body, SECRET)).toBe(expected)
  })

  it("rejects a tampered body", () => {
    const header = signWebhookBody(body, SECRET)
    const tampered = bytes('{"object":"whatsapp_business_account","entry":[ ]}')
    expect(verifyWebhookSignature(tampered, header, SECRET)).toBe(false)
  })

  it("rejects the wrong secret", () => {
    expect(verifyWebhookSignature(body, signWebhookBody(body, "another-secret"), SECRET)).toBe(false)
  })

  it("returns false, without throwing, for missing and malformed headers", () => {
    const good = signWebhookBody(body, SECRET)
    const hex = good.slice("sha256=".length)
    const malformed = [
      undefined,
      "",
      "sha256=",
      hex,
      `sha1=${hex}`,
      `sha256=${hex.slice(0, 63)}`,
      `sha256=${hex}00`,
      `sha256=${hex.slice(0, 62)}zz`,
      "sha256=not-hex-at-all",
      `sha256= ${hex}`,
      "garbage"
    ]
    for (const header of malformed) expect(verifyWebhookSignature(body, header, SECRET)).toBe(false)
  })

  it("tolerates an upper-case prefix or hex digits, as the compare is on the decoded bytes", () => {
    const hex = signWebhookBody(body, SECRET).slice("sha256=".length)
    expect(verifyWebhookSignature(body, `SHA256=${hex.toUpperCase()}`, SECRET)).toBe(true)
  })

  it("never accepts anything with an empty app secret", () => {
    expect(verifyWebhookSignature(body, signWebhookBody(body, ""), "")).toBe(false)
  })

  it("is byte-exact on unicode and emoji bodies", () => {
    const text = '{"text":{"body":"Café 世界 🚀  tattoo\\n"}}\n'
    const raw = bytes(text)
    const header = signWebhookBody(raw, SECRET)
    expect(header).toBe(`sha256=${createHmac("sha256", SECRET).update(Buffer.from(text, "utf8")).digest("hex")}`)
    expect(signWebhookBody(text, SECRET)).toBe(header)
    expect(verifyWebhookSignature(raw, header, SECRET)).toBe(true)
    // The same characters in another normal form are other bytes, so the signature no longer matches.
    expect(verifyWebhookSignature(bytes(text.normalize("NFD")), header, SECRET)).toBe(false)
    // Dropping the trailing newline changes the bytes too.
    expect(verifyWebhookSignature(raw.subarray(0, raw.length - 1), header, SECRET)).toBe(false)
  })
})
