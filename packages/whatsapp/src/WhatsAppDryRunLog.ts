import { Context, type Effect } from "effect"

/** One request the dry-run client would have made. */
export interface WhatsAppDryRunEntry {
  /** 1, 2, 3… in the order the requests were attempted. */
  readonly sequence: number
  readonly kind: "text" | "template" | "list" | "buttons" | "getMedia" | "downloadMedia"
  /** Recipient `wa_id` for sends. */
  readonly to?: string
  /** Template name for template sends. */
  readonly templateName?: string
  /** The exact JSON body the real client would have posted. */
  readonly body?: Record<string, unknown>
  /** Media id or download URL for media calls. */
  readonly target?: string
  /** The fake id returned to the caller (`wamid.dryrun.<n>`) for sends. */
  readonly messageId?: string
  /** ISO timestamp from the Effect `Clock`. */
  readonly recordedAt: string
}

/** Reads what `WhatsAppClient.layerDryRun` recorded instead of sending. */
export class WhatsAppDryRunLog extends Context.Tag("@tattoo-bot/whatsapp/WhatsAppDryRunLog")<
  WhatsAppDryRunLog,
  {
    /** Every recorded request, oldest first. */
    readonly entries: Effect.Effect<ReadonlyArray<WhatsAppDryRunEntry>>
    /** Forgets every recorded request (the `wamid.dryrun.<n>` counter keeps counting). */
    readonly clear: Effect.Effect<void>
  }
>() {}
