import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { ADMIN_KEY, startTestHost, type TestHost } from "../../../test/support/TestHost.js"
import { clientAddress, trustedProxyMatcher } from "../src/http/ClientAddress.js"
import { makeRateLimiter, scopeOf } from "../src/http/RateLimit.js"

// A long window: no budget refills while a test runs, however slow the machine.
const LIMITS = {
  RATE_LIMIT_ADMIN_REQUESTS: "5",
  RATE_LIMIT_ACTION_LINK_REQUESTS: "3",
  RATE_LIMIT_WINDOW_SECONDS: "3600",
  JOBS_ENABLED: "false"
}

const adminGet = (host: TestHost, path: string, headers: Record<string, string> = {}) =>
  fetch(`${host.url}${path}`, { headers: { "x-admin-api-key": ADMIN_KEY, ...headers } })

describe("client address and limiter (pure)", () => {
  const trusted = trustedProxyMatcher(["10.0.0.0/8", "192.168.1.5"])

  it("ignores X-Forwarded-For from an untrusted peer", () => {
    expect(clientAddress("203.0.113.9", "1.2.3.4", trusted)).toBe("203.0.113.9")
    expect(clientAddress("::ffff:203.0.113.9", "1.2.3.4", trusted)).toBe("203.0.113.9")
    expect(clientAddress(undefined, "1.2.3.4", trusted)).toBe("unknown")
  })

  it("behind trusted proxies takes the first untrusted hop from the right", () => {
    expect(clientAddress("10.1.2.3", "198.51.100.7", trusted)).toBe("198.51.100.7")
    // The client wrote "6.6.6.6" itself; the proxy appended what it saw.
    expect(clientAddress("10.1.2.3", "6.6.6.6, 198.51.100.7", trusted)).toBe("198.51.100.7")
    expect(clientAddress("192.168.1.5", "6.6.6.6, 198.51.100.7, 10.9.9.9", trusted)).toBe("198.51.100.7")
    expect(clientAddress("10.1.2.3", "garbage", trusted)).toBe("10.1.2.3")
    expect(clientAddress("10.1.2.3", "", trusted)).toBe("10.1.2.3")
  })

  it("limits a burst to the budget and refills over the window", () => {
    let now = 0
    const limiter = makeRateLimiter({ limit: 3, windowMs: 3000, now: () => now })
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([0, 0, 0])
    expect(limiter.take("a")).toBe(1000)
    expect(limiter.take("b")).toBe(0)
    now = 1000
    expect(limiter.take("a")).toBe(0)
    expect(limiter.take("a")).toBeGreaterThan(0)
  })

  it("scopes /admin and /a/ paths only", () => {
    expect(scopeOf("/admin/leads?x=1")).toBe("admin")
    expect(scopeOf("/admin")).toBe("admin")
    expect(scopeOf("//admin/leads")).toBe("admin")
    expect(scopeOf("/%61dmin/leads")).toBe("admin")
    expect(scopeOf("/a/abc")).toBe("action_link")
    expect(scopeOf("/administrator")).toBeUndefined()
    expect(scopeOf("/health")).toBeUndefined()
    expect(scopeOf("/webhooks/whatsapp")).toBeUndefined()
  })
})

describe(`rate limits over HTTP (${databaseKind})`, () => {
  let host: TestHost
  let proxied: TestHost

  beforeAll(async () => {
    host = await startTestHost(LIMITS, { worker: false })
    proxied = await startTestHost({ ...LIMITS, TRUSTED_PROXIES: "127.0.0.1, ::1" }, { worker: false })
  }, 120_000)
  afterAll(async () => {
    await host?.close()
    await proxied?.close()
  })

  it("answers the request over the admin budget with 429, Retry-After and the RateLimitedResponse body", async () => {
    for (let i = 0; i < 5; i++) expect((await adminGet(host, "/admin/leads")).status).toBe(200)
    const limited = await adminGet(host, "/admin/leads")
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0)
    const body = (await limited.json()) as { error: string; message: string }
    expect(body.error).toBe("rate_limited")
    expect(body.message).toContain("the limit is 5 per 3600 seconds")
    // Wrong keys count too (no free guessing), and other routes are not limited.
    expect((await fetch(`${host.url}/admin/leads`, { headers: { "x-admin-api-key": "guess" } })).status).toBe(429)
    expect((await fetch(`${host.url}/health`)).status).toBe(200)
    expect((await fetch(`${host.url}/console`)).status).toBe(200)
  })

  it("a spoofed X-Forwarded-For from an untrusted peer does not evade the limit", async () => {
    for (const spoof of ["1.1.1.1", "2.2.2.2", "3.3.3.3, 4.4.4.4", "unknown"]) {
      const res = await adminGet(host, "/admin/leads", { "x-forwarded-for": spoof, "x-real-ip": spoof })
      expect(res.status, spoof).toBe(429)
    }
  })

  it("action links have their own budget; a browser gets an HTML page", async () => {
    const token = "A".repeat(43)
    for (let i = 0; i < 3; i++) expect((await fetch(`${host.url}/a/${token}`)).status).toBe(404)
    const json = await fetch(`${host.url}/a/${token}`)
    expect(json.status).toBe(429)
    expect(((await json.json()) as { error: string }).error).toBe("rate_limited")
    const page = await fetch(`${host.url}/a/${token}`, { method: "POST", headers: { accept: "text/html" } })
    expect(page.status).toBe(429)
    expect(page.headers.get("content-type")).toContain("text/html")
    expect(await page.text()).toContain("Too many requests")
  })

  it("behind a trusted proxy each forwarded client has its own budget, and what a client prepends is ignored", async () => {
    const client = "198.51.100.20"
    for (let i = 0; i < 5; i++) expect((await adminGet(proxied, "/admin/leads", { "x-forwarded-for": client })).status).toBe(200)
    expect((await adminGet(proxied, "/admin/leads", { "x-forwarded-for": client })).status).toBe(429)
    expect((await adminGet(proxied, "/admin/leads", { "x-forwarded-for": `9.9.9.9, ${client}` })).status).toBe(429)
    expect((await adminGet(proxied, "/admin/leads", { "x-forwarded-for": "198.51.100.21" })).status).toBe(200)
  })
})
