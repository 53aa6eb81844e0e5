import { assert, describe, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import { classifyGoogleError, GOOGLE_TOKEN_URL, retryDelayMillis, retryPolicy } from "../src/index.js"

/** The shape of a gaxios error for an HTTP response. */
const httpError = (status: number, data: unknown, url = "http://127.0.0.1:1/calendar/v3/freeBusy") =>
  Object.assign(new Error("request failed"), { config: { url: new URL(url) }, response: { status, data } })

const apiBody = (status: number, reason: string) => ({
  error: { code: status, message: `msg ${reason}`, errors: [{ reason }], status: "X" }
})

describe("classifyGoogleError", () => {
  it("429, 408 and 5xx are unavailable; 400/404/409 rejected; 401/403 auth", () => {
    for (const status of [408, 429, 500, 502, 503]) {
      assert.strictEqual(classifyGoogleError(httpError(status, apiBody(status, "r"))).kind, "unavailable")
    }
    for (const status of [400, 404, 409, 410]) {
      assert.strictEqual(classifyGoogleError(httpError(status, apiBody(status, "r"))).kind, "rejected")
    }
    assert.strictEqual(classifyGoogleError(httpError(401, apiBody(401, "authError"))).kind, "auth")
    const forbidden = classifyGoogleError(httpError(403, apiBody(403, "forbidden")))
    assert.deepStrictEqual([forbidden.kind, forbidden.status, forbidden.reason], ["auth", 403, "forbidden"])
    assert.strictEqual(forbidden.detail, "HTTP 403 forbidden: msg forbidden")
  })

  it("403 rate limits are unavailable", () => {
    for (const reason of ["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"]) {
      assert.strictEqual(classifyGoogleError(httpError(403, apiBody(403, reason))).kind, "unavailable")
    }
  })

  it("token endpoint errors are auth (4xx) or unavailable (5xx), flagged as token errors", () => {
    const grant = classifyGoogleError(
      httpError(400, { error: "invalid_grant", error_description: "Invalid JWT Signature." }, GOOGLE_TOKEN_URL)
    )
    assert.deepStrictEqual([grant.kind, grant.reason, grant.tokenEndpoint], ["auth", "invalid_grant", true])
    assert.include(grant.detail, "Invalid JWT Signature.")
    const down = classifyGoogleError(httpError(503, { error: "server_error" }, "http://127.0.0.1:1/token"))
    assert.deepStrictEqual([down.kind, down.tokenEndpoint], ["unavailable", true])
  })

  it("no response is unavailable; a signing failure is auth; anything else does not throw", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED", config: { url: "x" } })
    assert.deepStrictEqual([classifyGoogleError(refused).kind, classifyGoogleError(refused).reason], ["unavailable", "ECONNREFUSED"])
    assert.strictEqual(classifyGoogleError(new Error("error:1E08010C:DECODER routines::unsupported")).kind, "auth")
    fc.assert(fc.property(fc.anything(), (u) => typeof classifyGoogleError(u).kind === "string"))
    // Values String() cannot render (fast-check finds these only on some runs).
    for (const odd of [{ toString: false }, Object.create(null), { toString: () => { throw new Error("no") } }]) {
      assert.strictEqual(typeof classifyGoogleError(odd).kind, "string")
    }
  })
})

describe("retry policy", () => {
  it("defaults to 3 retries from 250 ms, capped at 8 s", () => {
    assert.deepStrictEqual(retryPolicy(undefined), { times: 3, baseDelayMillis: 250, maxDelayMillis: 8000 })
    assert.deepStrictEqual(retryPolicy({ times: 0, baseDelay: "1 second", maxDelay: "2 seconds" }), {
      times: 0,
      baseDelayMillis: 1000,
      maxDelayMillis: 2000
    })
  })

  it.prop("delays double per attempt within [step/2, step] and never exceed the cap", [
    fc.integer({ min: 1, max: 30 }),
    fc.double({ min: 0, max: 1, noNaN: true })
  ], ([attempt, random]) => {
    const policy = retryPolicy({ baseDelay: "100 millis", maxDelay: "5 seconds" })
    const step = Math.min(5000, 100 * 2 ** (attempt - 1))
    const delay = retryDelayMillis(policy, attempt, random)
    assert.isAtLeast(delay, step / 2)
    assert.isAtMost(delay, step)
  })
})
