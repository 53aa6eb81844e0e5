import { GOOGLE_TOKEN_URL } from "./JwtClient.js"

/**
 * What a failed Google API call means for the caller:
 * - `unavailable`: worth retrying later (429, 408, 5xx, rate-limit 403s, no response);
 * - `auth`: the token exchange failed, or the account lacks access (fix the key or the sharing);
 * - `rejected`: Google refused this request (bad input, unknown resource, conflict).
 */
export interface GoogleApiFailure {
  readonly kind: "unavailable" | "auth" | "rejected"
  /** HTTP status, when there was a response. */
  readonly status: number | undefined
  /** Google's `errors[].reason` / `error.status`, the OAuth `error`, or the network error code. */
  readonly reason: string | undefined
  /** True when the failure came from the OAuth token endpoint rather than the API. */
  readonly tokenEndpoint: boolean
  /** A one-line description without headers, tokens or request bodies. */
  readonly detail: string
}

const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"])

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const stringField = (record: unknown, key: string): string | undefined =>
  isRecord(record) && typeof record[key] === "string" ? record[key] : undefined

// String() throws on objects whose toString is not callable (e.g. { toString: false }).
const safeText = (value: unknown): string => {
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** Reads a gaxios / google-auth-library error into a `GoogleApiFailure` (never throws). */
export const classifyGoogleError = (error: unknown): GoogleApiFailure => {
  const response = isRecord(error) && isRecord(error.response) ? error.response : undefined
  const config = isRecord(error) && isRecord(error.config) ? error.config : undefined
  const status = typeof response?.status === "number" ? response.status : undefined
  const data = response?.data
  const code = isRecord(error) && (typeof error.code === "string" || typeof error.code === "number") ? String(error.code) : undefined
  const message = error instanceof Error ? error.message : safeText(error)
  const url = config?.url instanceof URL ? config.url.href : typeof config?.url === "string" ? config.url : undefined
  const oauthError = stringField(data, "error")
  const tokenEndpoint = oauthError !== undefined || url === GOOGLE_TOKEN_URL || (url?.endsWith("/token") ?? false)

  if (status === undefined) {
    if (config !== undefined || (code !== undefined && /^E[A-Z]+$/.test(code)) || isAbort(error)) {
      return { kind: "unavailable", status, reason: code, tokenEndpoint, detail: `no response from Google: ${message}` }
    }
    // Not an HTTP failure: google-auth-library throws these while signing the assertion (a corrupt key).
    const keyProblem = /key|pem|sign|decoder|asn1/i.test(message)
    return {
      kind: keyProblem ? "auth" : "unavailable",
      status,
      reason: code,
      tokenEndpoint: keyProblem,
      detail: keyProblem ? `could not sign the token request with the private key: ${message}` : message
    }
  }

  const apiError = isRecord(data) && isRecord(data.error) ? data.error : undefined
  const firstReason = Array.isArray(apiError?.errors) ? stringField(apiError.errors[0], "reason") : undefined
  const reason = firstReason ?? stringField(apiError, "status") ?? oauthError
  const apiMessage = stringField(apiError, "message") ?? stringField(data, "error_description") ?? message
  const detail = `HTTP ${status}${reason === undefined ? "" : ` ${reason}`}: ${apiMessage}`
  const retryable = status === 408 || status === 429 || status >= 500
  if (retryable) return { kind: "unavailable", status, reason, tokenEndpoint, detail }
  if (tokenEndpoint) return { kind: "auth", status, reason, tokenEndpoint, detail }
  if (status === 403 && reason !== undefined && RATE_LIMIT_REASONS.has(reason)) {
    return { kind: "unavailable", status, reason, tokenEndpoint, detail }
  }
  if (status === 401 || status === 403) return { kind: "auth", status, reason, tokenEndpoint, detail }
  return { kind: "rejected", status, reason, tokenEndpoint, detail }
}

const isAbort = (error: unknown) =>
  error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")
