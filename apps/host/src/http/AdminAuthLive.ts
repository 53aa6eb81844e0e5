import { Effect, Layer, Option, Redacted } from "effect"
import { createHash, timingSafeEqual } from "node:crypto"
import { AppConfig } from "../config/AppConfig.js"
import { AdminAuth } from "./Api.js"
import { ForbiddenResponse, UnauthorizedResponse } from "./ApiErrors.js"

/** Constant-time equality of two secrets (hashing first makes the lengths equal). */
export const secretsEqual = (a: string, b: string): boolean =>
  timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest())

/** Checks `X-Admin-API-Key` before anything else; open only outside production with no key set. */
export const AdminAuthLive = Layer.effect(
  AdminAuth,
  Effect.gen(function* () {
    const config = yield* AppConfig
    return {
      adminKey: (provided: Redacted.Redacted<string>) =>
        Option.match(config.adminApiKey, {
          onNone: () => Effect.void,
          onSome: (expected) => {
            const given = Redacted.value(provided)
            if (given.length === 0) {
              return Effect.fail(
                new UnauthorizedResponse({ error: "unauthorized", message: "Missing API key. Provide the X-Admin-API-Key header." })
              )
            }
            return secretsEqual(given, Redacted.value(expected))
              ? Effect.void
              : Effect.fail(new ForbiddenResponse({ error: "forbidden", message: "Invalid API key." }))
          }
        })
    }
  })
)
