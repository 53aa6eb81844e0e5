import { JWT } from "google-auth-library"
import * as Redacted from "effect/Redacted"
import type { ServiceAccount } from "./ServiceAccount.js"

/** The token endpoint google-auth-library always posts to (it ignores the key file's `token_uri`). */
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"

export interface JwtClientOptions {
  readonly credentials: ServiceAccount
  readonly scopes: ReadonlyArray<string>
  /** Send token requests to `<baseUrl>/token` instead of Google's (tests, demos, proxies). */
  readonly baseUrl?: string | undefined
  /** Impersonate this user (domain-wide delegation). */
  readonly subject?: string | undefined
}

/** `<baseUrl>/token`, tolerating a trailing slash on the base URL. */
export const tokenUrlFor = (baseUrl: string): string => `${baseUrl.replace(/\/+$/, "")}/token`

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

/**
 * The `fetch` every request of a client made by `makeJwtClient` goes through: Node's own `fetch`.
 *
 * gaxios would use node-fetch in Node, which throws an *uncaught* AbortError (it destroys the
 * request body stream, which has no error listener yet) when a request with a body starts on a
 * signal that is already aborted. That is exactly what an interrupted call does: an Effect
 * interrupted while gaxios waits to retry (a sibling freeBusy chunk that failed, a timeout) aborts
 * the signal, and gaxios then starts the retry on it, crashing the process. Node's `fetch` rejects
 * such a request instead, so the abort stays inside the interrupted call.
 *
 * A network failure keeps node-fetch's wording and its error code (`ECONNREFUSED`...), which the
 * error classification reports as the reason.
 */
export const googleFetch: typeof fetch = (input, init) =>
  globalThis.fetch(input, init).catch((error: unknown) => {
    const cause = error instanceof Error && isRecord(error.cause) ? error.cause : undefined
    if (error instanceof TypeError && cause !== undefined && typeof cause.code === "string") {
      const url = input instanceof Request ? input.url : String(input)
      const reason = typeof cause.message === "string" ? cause.message : cause.code
      return Promise.reject(Object.assign(new Error(`request to ${url} failed, reason: ${reason}`, { cause: error }), { code: cause.code }))
    }
    return Promise.reject(error)
  })

/**
 * A service-account JWT client whose token requests go to `<baseUrl>/token` when `baseUrl` is set.
 * Its requests (token and API) use `googleFetch`.
 */
export const makeJwtClient = (options: JwtClientOptions): JWT => {
  const client = new JWT({
    email: options.credentials.client_email,
    key: Redacted.value(options.credentials.private_key),
    scopes: [...options.scopes],
    ...(options.subject === undefined ? {} : { subject: options.subject }),
    transporterOptions: { fetchImplementation: googleFetch }
  })
  if (options.baseUrl !== undefined) {
    const tokenUrl = new URL(tokenUrlFor(options.baseUrl))
    // gtoken hardcodes Google's token URL on this client's own transporter, so rewriting it there
    // is the one place that catches every token request (first fetch, refreshes and retries).
    client.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (config.url.href === GOOGLE_TOKEN_URL) config.url = new URL(tokenUrl)
        return config
      }
    })
  }
  return client
}
