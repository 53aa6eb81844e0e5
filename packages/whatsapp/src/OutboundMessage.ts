/**
 * What the client can send, as plain data. The limits quoted are WhatsApp's and are checked before any request.
 */

/** Options of a free-form text message. */
export interface SendTextOptions {
  /** Let WhatsApp render a preview of the first URL in the body. */
  readonly previewUrl?: boolean
  /** The wamid of the message this one quotes. */
  readonly replyTo?: string
}

/** A template message: the only kind WhatsApp delivers outside the 24-hour window. */
export interface TemplateMessage {
  /** Template name exactly as approved in WhatsApp Manager (lowercase letters, digits, `_`). */
  readonly name: string
  /** Language code of the approved translation; default `en_GB`. */
  readonly language?: string
  /** Values for `{{1}}`, `{{2}}`, … of the template body, in order. */
  readonly bodyParams?: ReadonlyArray<string>
}

/** One row of an interactive list (title ≤ 24, description ≤ 72, id ≤ 200 and unique in the message). */
export interface ListRow {
  readonly id: string
  readonly title: string
  readonly description?: string
}

/** A section of an interactive list; the title (≤ 24) is required when there is more than one section. */
export interface ListSection {
  readonly title?: string
  readonly rows: ReadonlyArray<ListRow>
}

/** An interactive list: at most 10 rows in total, button label ≤ 20, body ≤ 1024, header and footer ≤ 60. */
export interface ListMessage {
  readonly header?: string
  readonly body: string
  readonly footer?: string
  /** Label of the button that opens the list. */
  readonly button: string
  readonly sections: ReadonlyArray<ListSection>
}

/** A reply button (title ≤ 20 and unique, id ≤ 256 and unique). */
export interface ReplyButton {
  readonly id: string
  readonly title: string
}

/** Interactive reply buttons: one to three buttons, body ≤ 1024, header and footer ≤ 60. */
export interface ButtonsMessage {
  readonly header?: string
  readonly body: string
  readonly footer?: string
  readonly buttons: ReadonlyArray<ReplyButton>
}

/** What every send returns: the wamid Meta assigned (status callbacks refer to it). */
export interface SendResult {
  readonly messageId: string
}

/** Media metadata from `GET /{version}/{mediaId}`; the URL is short-lived and needs the access token. */
export interface MediaInfo {
  readonly url: string
  readonly mimeType: string
  readonly sha256: string
  readonly fileSize: number
}
