import { Schema } from "effect"

/**
 * The typed failures of the WhatsApp client. Meta advises branching on `error.code`, not on the HTTP status or
 * the title, so every error keeps the code Meta sent (when it sent one) next to what a person needs to act:
 * the title, Meta's details, the HTTP status and whether trying again later can help.
 */

const retryableDefault = (value: boolean) =>
  Schema.Boolean.pipe(Schema.propertySignature, Schema.withConstructorDefault(() => value))

const common = {
  /** Meta's numeric error code, absent when the failure never reached Meta (network, validation). */
  code: Schema.optional(Schema.Number),
  title: Schema.String,
  details: Schema.String,
  /** HTTP status of Meta's answer, absent when there was no answer. */
  httpStatus: Schema.optional(Schema.Number),
  /** Meta's trace id, to quote in a support request. */
  fbtraceId: Schema.optional(Schema.String)
}

const describe = (e: { readonly code?: number | undefined; readonly title: string; readonly details: string }) =>
  `${e.code === undefined ? "" : `(#${e.code}) `}${e.title}${e.details === "" ? "" : `: ${e.details}`}`

/** Code 131047: more than 24 hours since the client last wrote; only a template may be sent. */
export class WhatsAppWindowClosed extends Schema.TaggedError<WhatsAppWindowClosed>()("WhatsAppWindowClosed", {
  ...common,
  retryable: retryableDefault(false)
}) {
  override get message(): string {
    return describe(this)
  }
}

/** Codes 130429 / 80007 / 4 (whole number) and 131056 (this business–client pair), or HTTP 429. */
export class WhatsAppRateLimited extends Schema.TaggedError<WhatsAppRateLimited>()("WhatsAppRateLimited", {
  ...common,
  /** `pair`: too many messages to this one recipient; `number`: the sending number's throughput is exhausted. */
  scope: Schema.Literal("pair", "number"),
  retryable: retryableDefault(true)
}) {
  override get message(): string {
    return `${describe(this)} [scope: ${this.scope}]`
  }
}

/** Codes 132000–132069: the template is missing, paused, disabled or its parameters do not match. */
export class WhatsAppTemplateError extends Schema.TaggedError<WhatsAppTemplateError>()("WhatsAppTemplateError", {
  ...common,
  templateName: Schema.optional(Schema.String),
  retryable: retryableDefault(false)
}) {
  override get message(): string {
    return `${describe(this)}${this.templateName === undefined ? "" : ` [template: ${this.templateName}]`}`
  }
}

/** Codes such as 131026: the recipient cannot receive the message (not on WhatsApp, blocked, not allowed). */
export class WhatsAppRecipientError extends Schema.TaggedError<WhatsAppRecipientError>()("WhatsAppRecipientError", {
  ...common,
  retryable: retryableDefault(false)
}) {
  override get message(): string {
    return describe(this)
  }
}

/** Code 190 and friends, or HTTP 401/403: the access token is invalid, expired or lacks a permission. */
export class WhatsAppAuthError extends Schema.TaggedError<WhatsAppAuthError>()("WhatsAppAuthError", {
  ...common,
  retryable: retryableDefault(false)
}) {
  override get message(): string {
    return describe(this)
  }
}

/** HTTP 5xx, Meta's "try again" codes, network failures and timeouts; retried with backoff before surfacing. */
export class WhatsAppTransientError extends Schema.TaggedError<WhatsAppTransientError>()("WhatsAppTransientError", {
  ...common,
  retryable: retryableDefault(true)
}) {
  override get message(): string {
    return describe(this)
  }
}

/** Any other refusal (4xx): sending the same request again cannot succeed, so it is never retried. */
export class WhatsAppRequestRejected extends Schema.TaggedError<WhatsAppRequestRejected>()(
  "WhatsAppRequestRejected",
  { ...common, retryable: retryableDefault(false) }
) {
  override get message(): string {
    return describe(this)
  }
}

/** The message breaks one of WhatsApp's limits; detected before any request is made. */
export class WhatsAppInvalidMessage extends Schema.TaggedError<WhatsAppInvalidMessage>()("WhatsAppInvalidMessage", {
  ...common,
  /** One readable line per broken rule, e.g. `sections[0].rows[2].title is 31 characters; the limit is 24`. */
  violations: Schema.Array(Schema.String),
  retryable: retryableDefault(false)
}) {
  override get message(): string {
    return `${this.title}: ${this.violations.join("; ")}`
  }
}

/** Every way a WhatsApp Cloud API call can fail. */
export type WhatsAppSendError =
  | WhatsAppWindowClosed
  | WhatsAppRateLimited
  | WhatsAppTemplateError
  | WhatsAppRecipientError
  | WhatsAppAuthError
  | WhatsAppTransientError
  | WhatsAppRequestRejected
  | WhatsAppInvalidMessage

/** Schema of the union, for storing a failure (for example on an outbox row) and reading it back. */
export const WhatsAppSendError = Schema.Union(
  WhatsAppWindowClosed,
  WhatsAppRateLimited,
  WhatsAppTemplateError,
  WhatsAppRecipientError,
  WhatsAppAuthError,
  WhatsAppTransientError,
  WhatsAppRequestRejected,
  WhatsAppInvalidMessage
)
