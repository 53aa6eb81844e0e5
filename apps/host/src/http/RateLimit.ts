import { HttpLayerRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Option } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { clientAddress, trustedProxyMatcher } from "./ClientAddress.js"
import { errorPage } from "./Html.js"

/** What a limited path belongs to; each scope has its own budget per client address. */
export type RateLimitScope = "admin" | "action_link"

/** Beyond this many tracked addresses the least recently seen are forgotten (bounded memory). */
const MAX_TRACKED = 50_000

interface Bucket {
  tokens: number
  at: number
}

/**
 * A token bucket per key: `limit` requests per `windowMs`, refilled continuously, so a client
 * that stays under the average rate is never refused and a burst is capped at `limit`.
 */
export const makeRateLimiter = (options: { readonly limit: number; readonly windowMs: number; readonly now?: () => number }) => {
  const buckets = new Map<string, Bucket>()
  const now = options.now ?? Date.now
  const perMs = options.limit / options.windowMs
  return {
    /** Takes one request from `key`'s budget: 0 when allowed, else the milliseconds until it would be. */
    take: (key: string): number => {
      const t = now()
      const previous = buckets.get(key)
      const tokens = previous === undefined ? options.limit : Math.min(options.limit, previous.tokens + (t - previous.at) * perMs)
      if (previous !== undefined) buckets.delete(key)
      if (tokens < 1) {
        buckets.set(key, { tokens, at: t })
        return Math.ceil((1 - tokens) / perMs)
      }
      buckets.set(key, { tokens: tokens - 1, at: t })
      if (buckets.size > MAX_TRACKED) {
        // Map iteration is insertion order and every hit re-inserts: the first keys are the stalest.
        const drop = Math.ceil(MAX_TRACKED / 10)
        for (const k of buckets.keys()) {
          if (buckets.size <= MAX_TRACKED - drop) break
          buckets.delete(k)
        }
      }
      return 0
    },
    size: () => buckets.size
  }
}

/** Which limited scope a request path is in (`/admin`, `/admin/…`, `/a/…`), if any. */
export const scopeOf = (url: string): RateLimitScope | undefined => {
  // Not `new URL`: "//admin" would read as a host name.
  let path = url.split(/[?#]/)[0] ?? url
  try {
    path = decodeURIComponent(path)
  } catch {
    // A malformed escape: match on the raw path.
  }
  path = path.replace(/\/{2,}/g, "/")
  if (path === "/admin" || path.startsWith("/admin/")) return "admin"
  if (path.startsWith("/a/")) return "action_link"
  return undefined
}

/**
 * Rate limits the admin API and the action links per client address (the peer, or the
 * `X-Forwarded-For` client when the peer is in `TRUSTED_PROXIES`). Over the limit: 429 with
 * `Retry-After` and the `RateLimitedResponse` body (an HTML page for a browser on an action link).
 * The budget is per instance: with several instances behind a balancer each counts its own share.
 */
export const rateLimitMiddleware = HttpLayerRouter.middleware(
  Effect.gen(function* () {
    const config = yield* AppConfig
    const settings = config.rateLimit
    const windowMs = settings.windowSeconds * 1000
    const limiters = {
      admin: makeRateLimiter({ limit: settings.adminRequests, windowMs }),
      action_link: makeRateLimiter({ limit: settings.actionLinkRequests, windowMs })
    } as const
    const limits = { admin: settings.adminRequests, action_link: settings.actionLinkRequests } as const
    const isTrusted = trustedProxyMatcher(config.trustedProxies)
    return (effect: Effect.Effect<HttpServerResponse.HttpServerResponse, unknown, HttpServerRequest.HttpServerRequest>) =>
      Effect.gen(function* () {
        if (!settings.enabled) return yield* effect
        const request = yield* HttpServerRequest.HttpServerRequest
        const scope = scopeOf(request.url)
        if (scope === undefined) return yield* effect
        const address = clientAddress(Option.getOrUndefined(request.remoteAddress), request.headers["x-forwarded-for"], isTrusted)
        const waitMs = limiters[scope].take(`${scope}|${address}`)
        if (waitMs === 0) return yield* effect
        const retryAfter = Math.max(1, Math.ceil(waitMs / 1000))
        const message = `Too many requests from ${address}: the limit is ${limits[scope]} per ${settings.windowSeconds} seconds. Retry in ${retryAfter} s.`
        yield* Effect.logWarning("rate limit exceeded").pipe(Effect.annotateLogs({ scope, address, retryAfter }))
        const headers = { "retry-after": String(retryAfter), "cache-control": "no-store" }
        if (scope === "action_link" && (request.headers.accept ?? "").includes("text/html")) {
          return errorPage(429, "Too many requests", `${message} Please wait a moment and try the link again.`, headers)
        }
        return HttpServerResponse.unsafeJson({ error: "rate_limited", message }, { status: 429, headers })
      })
  }),
  { global: true }
)
