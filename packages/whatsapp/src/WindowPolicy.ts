/**
 * The 24-hour customer-service window, as a pure policy. Each client message opens a window of 24 hours in which
 * free-form and interactive messages may be sent; outside it WhatsApp only delivers approved templates (131047).
 * The policy never reads a clock: the caller passes `now` and the time of the client's last message, and must
 * update that time on every inbound message (the prior system did not, and locked leads in a template loop).
 */

/** How long a client message keeps the window open. */
export const WINDOW_MS = 24 * 60 * 60 * 1000

/** One `{{n}}` placeholder of a template body. */
export interface TemplateParameter {
  /** The `n` of `{{n}}`. */
  readonly position: number
  readonly meaning: "client_name"
  /** Sent when the value is unknown or blank. */
  readonly fallback: string
}

/** A template as approved in WhatsApp Manager (category Utility). */
export interface TemplateDefinition {
  readonly name: string
  readonly language: "en_GB"
  readonly category: "UTILITY"
  /** Body text exactly as it must be created in WhatsApp Manager. */
  readonly body: string
  /** The body's placeholders, in order; their count must match the approved body or Meta rejects the send. */
  readonly parameters: ReadonlyArray<TemplateParameter>
}

const clientName: TemplateParameter = { position: 1, meaning: "client_name", fallback: "there" }

/**
 * The three templates of the operator's runbook. `next_steps_reply_to_continue` has no placeholder in its body, so
 * it takes no parameters: sending one would be refused by Meta (132000, parameter count mismatch).
 */
export const TEMPLATES = {
  consultation_reminder_2_final: {
    name: "consultation_reminder_2_final",
    language: "en_GB",
    category: "UTILITY",
    body: "Hey {{1}} \u2014 just checking in. If you'd like to continue your tattoo enquiry, reply to this message and we'll pick up where we left off.",
    parameters: [clientName]
  },
  next_steps_reply_to_continue: {
    name: "next_steps_reply_to_continue",
    language: "en_GB",
    category: "UTILITY",
    body: "Your enquiry has been reviewed \u2705 Reply to this message to see the next available times and continue.",
    parameters: []
  },
  deposit_received_next_steps: {
    name: "deposit_received_next_steps",
    language: "en_GB",
    category: "UTILITY",
    body: "Deposit received \u2705 Thanks {{1}}. Jonah will confirm your booking in Google Calendar and message you with the details shortly.",
    parameters: [clientName]
  }
} as const satisfies Record<string, TemplateDefinition>

/** The name of one of the three runbook templates. */
export type TemplateName = keyof typeof TEMPLATES

/** The template names, in runbook order. */
export const TEMPLATE_NAMES: ReadonlyArray<TemplateName> = [
  "consultation_reminder_2_final",
  "next_steps_reply_to_continue",
  "deposit_received_next_steps"
]

/** Tells whether a string names one of the runbook templates. */
export const isTemplateName = (name: string): name is TemplateName => Object.hasOwn(TEMPLATES, name)

/** What to do with one outbound message. */
export type DeliveryDecision =
  | { readonly _tag: "FreeForm" }
  | {
      readonly _tag: "Template"
      readonly name: TemplateName
      readonly language: "en_GB"
      readonly bodyParams: ReadonlyArray<string>
    }
  | { readonly _tag: "Hold"; readonly reason: "window_closed" }

/** Input of `decideDelivery`; times are ISO-8601 strings. */
export interface DeliveryInput {
  /** When the client last wrote; null if they never have. */
  readonly lastClientMessageAt: string | null
  readonly now: string
  /** The template that stands in for this kind of message outside the window, if it has one. */
  readonly template?: TemplateName
  /** The client's name for `{{1}}`; blank or absent gives "there". */
  readonly clientName?: string
}

/** True while the client's last message is less than 24 hours old (closed at exactly 24 h, and when unknown). */
export const isWindowOpen = (lastClientMessageAt: string | null, now: string): boolean => {
  if (lastClientMessageAt === null) return false
  const last = Date.parse(lastClientMessageAt)
  const at = Date.parse(now)
  // An unreadable time must never open the window: closed is the side that cannot break WhatsApp's rule.
  if (Number.isNaN(last) || Number.isNaN(at)) return false
  return at - last < WINDOW_MS
}

// Meta refuses template parameters with new lines, tabs or more than four spaces in a row (132018).
const cleanParameter = (value: string | undefined) => (value ?? "").replace(/\s+/g, " ").trim()

/** The body parameters of a template for a client, in placeholder order. */
export const templateBodyParams = (name: TemplateName, clientName?: string): ReadonlyArray<string> =>
  TEMPLATES[name].parameters.map((p) => {
    const value = cleanParameter(clientName)
    return value === "" ? p.fallback : value
  })

/** The text the client sees for a template with these parameters (for previews, logs and the dry run). */
export const renderTemplate = (name: TemplateName, bodyParams: ReadonlyArray<string>): string =>
  TEMPLATES[name].body.replace(/\{\{(\d+)\}\}/g, (placeholder, n: string) => bodyParams[Number(n) - 1] ?? placeholder)

/**
 * Picks how a message may go out: free-form inside the window; outside it, the message kind's template, or Hold
 * when it has none (the caller keeps the message and sends it when the client writes again). Never free-form
 * outside the window.
 */
export const decideDelivery = (input: DeliveryInput): DeliveryDecision => {
  if (isWindowOpen(input.lastClientMessageAt, input.now)) return { _tag: "FreeForm" }
  if (input.template === undefined || !isTemplateName(input.template)) return { _tag: "Hold", reason: "window_closed" }
  return {
    _tag: "Template",
    name: input.template,
    language: TEMPLATES[input.template].language,
    bodyParams: templateBodyParams(input.template, input.clientName)
  }
}
