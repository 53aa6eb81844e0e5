import { Either, Schema } from "effect"
import {
  WhatsAppAuthError,
  WhatsAppRateLimited,
  WhatsAppRecipientError,
  type WhatsAppSendError,
  WhatsAppTemplateError,
  WhatsAppTransientError,
  WhatsAppRequestRejected,
  WhatsAppWindowClosed
} from "../WhatsAppSendError.js"

// Meta's synchronous error body: `{ error: { message, type, code, error_data: { details }, fbtrace_id } }`.
const MetaErrorBody = Schema.Struct({
  error: Schema.Struct({
    message: Schema.optional(Schema.String),
    type: Schema.optional(Schema.String),
    code: Schema.optional(Schema.Number),
    error_user_title: Schema.optional(Schema.String),
    error_user_msg: Schema.optional(Schema.String),
    error_data: Schema.optional(
      Schema.Struct({ details: Schema.optional(Schema.String) })
    ),
    fbtrace_id: Schema.optional(Schema.String)
  })
})
const decodeMetaErrorBody = Schema.decodeUnknownEither(Schema.parseJson(MetaErrorBody))

// Meta prefixes its message with the code: "(#131047) Re-engagement message".
const stripCodePrefix = (message: string) => message.replace(/^\(#\d+\)\s*/, "")

const RECIPIENT_CODES = new Set([131021, 131026, 131030, 131049, 131050])
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016, 133004])
const NUMBER_RATE_LIMIT_CODES = new Set([4, 80007, 130429])
const AUTH_CODES = new Set([0, 3, 10, 190])

export interface MetaFailure {
  readonly httpStatus: number
  readonly bodyText: string
  readonly templateName?: string | undefined
}

interface Classified {
  readonly code?: number | undefined
  readonly httpStatus?: number | undefined
  readonly title: string
  readonly details: string
  readonly fbtraceId?: string | undefined
  readonly templateName?: string | undefined
}

/** Picks the typed error for Meta's code first (Meta's advice), then for the HTTP status. */
export const classify = (input: Classified): WhatsAppSendError => {
  const { code, httpStatus, templateName } = input
  const fields = {
    title: input.title,
    details: input.details,
    ...(code === undefined ? {} : { code }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(input.fbtraceId === undefined ? {} : { fbtraceId: input.fbtraceId })
  }
  if (code !== undefined) {
    if (code === 131047) return new WhatsAppWindowClosed(fields)
    if (code === 131056) return new WhatsAppRateLimited({ ...fields, scope: "pair" })
    if (NUMBER_RATE_LIMIT_CODES.has(code)) return new WhatsAppRateLimited({ ...fields, scope: "number" })
    if (code >= 132000 && code <= 132069) {
      return new WhatsAppTemplateError({ ...fields, ...(templateName === undefined ? {} : { templateName }) })
    }
    if (RECIPIENT_CODES.has(code)) return new WhatsAppRecipientError(fields)
    if (AUTH_CODES.has(code) || (code >= 200 && code <= 299)) return new WhatsAppAuthError(fields)
    if (TRANSIENT_CODES.has(code)) return new WhatsAppTransientError(fields)
  }
  if (httpStatus === 429) return new WhatsAppRateLimited({ ...fields, scope: "number" })
  if (httpStatus === 401 || httpStatus === 403) return new WhatsAppAuthError(fields)
  if (httpStatus !== undefined && (httpStatus >= 500 || httpStatus === 408)) return new WhatsAppTransientError(fields)
  return new WhatsAppRequestRejected(fields)
}

/** Turns a non-2xx Graph API answer into the typed error the caller can branch on. */
export const fromMetaResponse = ({ bodyText, httpStatus, templateName }: MetaFailure): WhatsAppSendError => {
  const parsed = decodeMetaErrorBody(bodyText)
  const error = Either.isRight(parsed) ? parsed.right.error : undefined
  return classify({
    code: error?.code,
    httpStatus,
    title: error?.message !== undefined ? stripCodePrefix(error.message) : `HTTP ${httpStatus}`,
    details: error?.error_data?.details ?? error?.error_user_msg ?? (error === undefined ? bodyText.slice(0, 300) : ""),
    fbtraceId: error?.fbtrace_id,
    templateName
  })
}
