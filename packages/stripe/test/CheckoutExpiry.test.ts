import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import {
  clampExpiresAt,
  EXPIRY_SAFETY_MARGIN_SECONDS,
  MAX_EXPIRY_SECONDS,
  MIN_EXPIRY_SECONDS
} from "../src/index.js"

// Instants between 2000 and 2100, in ms, not necessarily on a second boundary.
const instant = fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 })
const offset = fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 })

describe("clampExpiresAt", () => {
  it("always lands inside Stripe's window with the safety margin on both sides", () => {
    fc.assert(
      fc.property(instant, offset, (now, delta) => {
        const expires = clampExpiresAt(now + delta, now)
        const seconds = now / 1000
        assert(Number.isInteger(expires))
        assert(expires - seconds >= MIN_EXPIRY_SECONDS + EXPIRY_SAFETY_MARGIN_SECONDS)
        assert(expires - seconds <= MAX_EXPIRY_SECONDS - EXPIRY_SAFETY_MARGIN_SECONDS)
      })
    )
  })

  it("leaves an expiry already inside the window alone (to the second)", () => {
    const inside = fc.integer({
      min: (MIN_EXPIRY_SECONDS + EXPIRY_SAFETY_MARGIN_SECONDS + 1) * 1000,
      max: (MAX_EXPIRY_SECONDS - EXPIRY_SAFETY_MARGIN_SECONDS) * 1000
    })
    fc.assert(
      fc.property(instant, inside, (now, delta) => {
        assert.strictEqual(clampExpiresAt(now + delta, now), Math.floor((now + delta) / 1000))
      })
    )
  })

  it("is monotonic in the wanted expiry", () => {
    fc.assert(
      fc.property(instant, offset, offset, (now, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a]
        assert(clampExpiresAt(now + low, now) <= clampExpiresAt(now + high, now))
      })
    )
  })

  it("pins the edges", () => {
    const now = Date.UTC(2026, 11, 1, 10, 0, 0)
    assert.strictEqual(clampExpiresAt(now, now), now / 1000 + 31 * 60)
    assert.strictEqual(clampExpiresAt(now + 30 * 86_400_000, now), now / 1000 + 86_400 - 60)
    assert.strictEqual(clampExpiresAt(now + 3 * 3600_000, now), now / 1000 + 3 * 3600)
  })
})
