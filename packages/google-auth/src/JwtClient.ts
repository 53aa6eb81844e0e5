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

/** A service-account JWT client whose token requests go to `<baseUrl>/token` when `baseUrl` is set. */
export const makeJwtClient = (options: JwtClientOptions): JWT => {
  const client = new JWT({
    email: options.credentials.client_email,
    key: Redacted.value(options.credentials.private_key),
    scopes: [...options.scopes],
    ...(options.subject === undefined ? {} : { subject: options.subject })
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
