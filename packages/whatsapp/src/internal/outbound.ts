import { Either } from "effect"
import type { ButtonsMessage, ListMessage, SendTextOptions, TemplateMessage } from "../OutboundMessage.js"
import { normalizeWaId } from "../Phone.js"
import { WhatsAppInvalidMessage } from "../WhatsAppSendError.js"

// WhatsApp's documented limits (Cloud API reference, interactive and text message objects).
export const LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  header: 60,
  footer: 60,
  listButton: 20,
  listSections: 10,
  listRows: 10,
  sectionTitle: 24,
  rowId: 200,
  rowTitle: 24,
  rowDescription: 72,
  buttons: 3,
  buttonId: 256,
  buttonTitle: 20,
  templateName: 512,
  templateParam: 1024
} as const

export const DEFAULT_TEMPLATE_LANGUAGE = "en_GB"

/** The request body plus what logs and the dry-run record need to know about it. */
export interface Outbound {
  readonly kind: "text" | "template" | "list" | "buttons"
  readonly to: string
  readonly body: Record<string, unknown>
  readonly templateName?: string
}

// Characters as a person counts them (code points), so one emoji counts once.
const length = (s: string) => [...s].length

class Violations {
  readonly list: Array<string> = []
  max(path: string, value: string | undefined, limit: number) {
    if (value === undefined) return
    const n = length(value)
    if (n > limit) this.list.push(`${path} is ${n} characters; the limit is ${limit}`)
  }
  required(path: string, value: string | undefined, limit: number) {
    if (value === undefined || value.trim() === "") this.list.push(`${path} must not be empty`)
    else this.max(path, value, limit)
  }
  check(ok: boolean, message: string) {
    if (!ok) this.list.push(message)
  }
}

const envelope = (to: string) => ({ messaging_product: "whatsapp", recipient_type: "individual", to })

const finish = (
  v: Violations,
  kind: Outbound["kind"],
  rawTo: string,
  build: (to: string) => Record<string, unknown>,
  templateName?: string
): Either.Either<Outbound, WhatsAppInvalidMessage> => {
  const to = normalizeWaId(rawTo)
  // wa_ids are E.164 numbers: a country code and subscriber number, at most 15 digits.
  if (to.length < 7 || to.length > 15) v.list.unshift(`to must be a phone number of 7 to 15 digits`)
  if (v.list.length > 0) {
    return Either.left(
      new WhatsAppInvalidMessage({
        title: `Invalid ${kind} message`,
        details: v.list.join("; "),
        violations: v.list
      })
    )
  }
  return Either.right({
    kind,
    to,
    body: { ...envelope(to), ...build(to) },
    ...(templateName === undefined ? {} : { templateName })
  })
}

/** Validates a text message and builds its request body. */
export const textMessage = (to: string, body: string, options?: SendTextOptions) => {
  const v = new Violations()
  v.required("body", body, LIMITS.textBody)
  if (options?.replyTo !== undefined) v.required("replyTo", options.replyTo, 256)
  return finish(v, "text", to, () => ({
    ...(options?.replyTo === undefined ? {} : { context: { message_id: options.replyTo } }),
    type: "text",
    text: { body, ...(options?.previewUrl === undefined ? {} : { preview_url: options.previewUrl }) }
  }))
}

/** Validates a template message and builds its request body (no `components` when there are no parameters). */
export const templateMessage = (to: string, template: TemplateMessage) => {
  const v = new Violations()
  const language = template.language ?? DEFAULT_TEMPLATE_LANGUAGE
  const params = template.bodyParams ?? []
  v.required("name", template.name, LIMITS.templateName)
  v.check(
    /^[a-z0-9_]*$/.test(template.name),
    "name may only hold lowercase letters, digits and underscores, as WhatsApp Manager requires"
  )
  v.check(/^[A-Za-z]{2,3}(_[A-Za-z0-9]{2,4})?$/.test(language), `language "${language}" is not a language code`)
  params.forEach((p, i) => {
    v.required(`bodyParams[${i}]`, p, LIMITS.templateParam)
    // Meta rejects parameters with new lines, tabs or more than four consecutive spaces (error 132018).
    v.check(!/[\n\t]| {5,}/.test(p), `bodyParams[${i}] must not contain new lines, tabs or more than 4 spaces in a row`)
  })
  return finish(
    v,
    "template",
    to,
    () => ({
      type: "template",
      template: {
        name: template.name,
        language: { code: language },
        ...(params.length === 0
          ? {}
          : { components: [{ type: "body", parameters: params.map((text) => ({ type: "text", text })) }] })
      }
    }),
    template.name
  )
}

const textHeader = (header: string | undefined) => (header === undefined ? {} : { header: { type: "text", text: header } })
const footer = (text: string | undefined) => (text === undefined ? {} : { footer: { text } })

/** Validates an interactive list and builds its request body. */
export const listMessage = (to: string, list: ListMessage) => {
  const v = new Violations()
  v.max("header", list.header, LIMITS.header)
  v.required("body", list.body, LIMITS.interactiveBody)
  v.max("footer", list.footer, LIMITS.footer)
  v.required("button", list.button, LIMITS.listButton)
  const sections = list.sections
  v.check(sections.length >= 1, "sections must hold at least one section")
  v.check(sections.length <= LIMITS.listSections, `sections holds ${sections.length}; the limit is ${LIMITS.listSections}`)
  const totalRows = sections.reduce((n, s) => n + s.rows.length, 0)
  v.check(totalRows <= LIMITS.listRows, `the list holds ${totalRows} rows; the limit is ${LIMITS.listRows} in total`)
  const ids = new Set<string>()
  sections.forEach((section, s) => {
    if (sections.length > 1) v.required(`sections[${s}].title`, section.title, LIMITS.sectionTitle)
    else v.max(`sections[${s}].title`, section.title, LIMITS.sectionTitle)
    v.check(section.rows.length >= 1, `sections[${s}] must hold at least one row`)
    section.rows.forEach((row, r) => {
      const path = `sections[${s}].rows[${r}]`
      v.required(`${path}.id`, row.id, LIMITS.rowId)
      v.check(!ids.has(row.id), `${path}.id "${row.id}" is used twice; row ids must be unique`)
      ids.add(row.id)
      v.required(`${path}.title`, row.title, LIMITS.rowTitle)
      v.max(`${path}.description`, row.description, LIMITS.rowDescription)
    })
  })
  return finish(v, "list", to, () => ({
    type: "interactive",
    interactive: {
      type: "list",
      ...textHeader(list.header),
      body: { text: list.body },
      ...footer(list.footer),
      action: {
        button: list.button,
        sections: sections.map((section) => ({
          ...(section.title === undefined ? {} : { title: section.title }),
          rows: section.rows.map((row) => ({
            id: row.id,
            title: row.title,
            ...(row.description === undefined ? {} : { description: row.description })
          }))
        }))
      }
    }
  }))
}

/** Validates interactive reply buttons and builds their request body. */
export const buttonsMessage = (to: string, message: ButtonsMessage) => {
  const v = new Violations()
  v.max("header", message.header, LIMITS.header)
  v.required("body", message.body, LIMITS.interactiveBody)
  v.max("footer", message.footer, LIMITS.footer)
  const buttons = message.buttons
  v.check(buttons.length >= 1, "buttons must hold at least one button")
  v.check(buttons.length <= LIMITS.buttons, `buttons holds ${buttons.length}; the limit is ${LIMITS.buttons}`)
  const ids = new Set<string>()
  const titles = new Set<string>()
  buttons.forEach((button, i) => {
    v.required(`buttons[${i}].id`, button.id, LIMITS.buttonId)
    v.check(!ids.has(button.id), `buttons[${i}].id "${button.id}" is used twice; button ids must be unique`)
    ids.add(button.id)
    v.required(`buttons[${i}].title`, button.title, LIMITS.buttonTitle)
    v.check(!titles.has(button.title), `buttons[${i}].title "${button.title}" is used twice; titles must be unique`)
    titles.add(button.title)
  })
  return finish(v, "buttons", to, () => ({
    type: "interactive",
    interactive: {
      type: "button",
      ...textHeader(message.header),
      body: { text: message.body },
      ...footer(message.footer),
      action: { buttons: buttons.map((b) => ({ type: "reply", reply: { id: b.id, title: b.title } })) }
    }
  }))
}
