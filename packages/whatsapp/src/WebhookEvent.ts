import { classify } from "./internal/metaError.js"
import { isMessagesChange, type WebhookMessage, type WebhookPayload, type WebhookStatus } from "./WebhookPayload.js"
import type { WhatsAppSendError } from "./WhatsAppSendError.js"

/** Where an event arrived: our sending number and the business account. */
interface EventOrigin {
  /** Our number's id (the one to send the reply from). */
  readonly phoneNumberId: string
  readonly displayPhoneNumber: string
  /** The WhatsApp Business Account id of the entry. */
  readonly businessAccountId: string
  /** The client's WhatsApp profile name when Meta included it, else null. */
  readonly contactName: string | null
  /** Unix seconds. */
  readonly timestamp: number
}

/** One inbound message with the context needed to handle it on its own. */
export interface WebhookMessageEvent extends EventOrigin {
  readonly _tag: "Message"
  /** The wamid: process each one exactly once. */
  readonly id: string
  /** The client's wa_id. */
  readonly from: string
  readonly message: WebhookMessage
}

/** One delivery status callback for a message we sent. */
export interface WebhookStatusEvent extends EventOrigin {
  readonly _tag: "Status"
  /** The wamid of our message. */
  readonly id: string
  readonly recipientId: string
  readonly status: WebhookStatus
}

export type WebhookEvent = WebhookMessageEvent | WebhookStatusEvent

/**
 * Flattens a payload into every message and status it holds, across all entries and changes, sorted by timestamp
 * (ascending; equal timestamps keep payload order). Meta may batch several and deliver them out of order.
 */
export const webhookEvents = (payload: WebhookPayload): ReadonlyArray<WebhookEvent> => {
  const events: Array<WebhookEvent> = []
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (!isMessagesChange(change)) continue
      const { contacts = [], messages = [], metadata, statuses = [] } = change.value
      const nameOf = (waId: string): string | null => {
        const match = contacts.find((c) => c.wa_id === waId) ?? (contacts.length === 1 ? contacts[0] : undefined)
        const name = match?.profile?.name
        return name === undefined || name === "" ? null : name
      }
      const origin = {
        phoneNumberId: metadata.phone_number_id,
        displayPhoneNumber: metadata.display_phone_number,
        businessAccountId: entry.id
      }
      for (const message of messages) {
        events.push({
          _tag: "Message",
          ...origin,
          contactName: nameOf(message.from),
          timestamp: message.timestamp,
          id: message.id,
          from: message.from,
          message
        })
      }
      for (const status of statuses) {
        events.push({
          _tag: "Status",
          ...origin,
          contactName: contacts.find((c) => c.wa_id === status.recipient_id)?.profile?.name ?? null,
          timestamp: status.timestamp,
          id: status.id,
          recipientId: status.recipient_id,
          status
        })
      }
    }
  }
  // Array.prototype.sort is stable, which keeps equal timestamps in payload order.
  return events.sort((a, b) => a.timestamp - b.timestamp)
}

/**
 * The typed error behind a `failed` status callback (Meta often reports 131047 and 131056 this way, after the send
 * itself returned a wamid); undefined for any other status. The same classes as a failed send, so one handler fits.
 */
export const statusFailure = (status: WebhookStatus): WhatsAppSendError | undefined => {
  if (status.status !== "failed") return undefined
  const error = status.errors?.[0]
  if (error === undefined) return classify({ title: "Message failed", details: "Meta sent no error details" })
  return classify({
    code: error.code,
    title: error.title ?? error.message ?? "Message failed",
    details: error.error_data?.details ?? ""
  })
}
