import type { ArtistNotificationKind, Command, CommandOf, EventLevel, FlagReason } from "../Command.js"
import type { CopyKey, TemplateName } from "../Copy.js"
import type { Slot } from "../Lead.js"

// Small constructors so the decision code reads as a list of effects.

type JsonScalar = string | number | boolean | null

export const sendCopy = (
  leadId: number,
  key: CopyKey,
  vars: Readonly<Record<string, string>> = {},
  template?: TemplateName
): CommandOf<"SendCopy"> =>
  template === undefined ? { _tag: "SendCopy", leadId, key, vars } : { _tag: "SendCopy", leadId, key, vars, template }

export const notifyArtist = (
  leadId: number,
  kind: ArtistNotificationKind,
  extra: { readonly reason?: string; readonly amountPence?: number; readonly windows?: ReadonlyArray<string> } = {}
): CommandOf<"NotifyArtist"> => ({ _tag: "NotifyArtist", leadId, kind, ...extra })

export const recordEvent = (
  leadId: number,
  type: string,
  level: EventLevel,
  payload: Readonly<Record<string, JsonScalar>>
): CommandOf<"RecordEvent"> => ({ _tag: "RecordEvent", leadId, type, level, payload })

export const flagForArtist = (leadId: number, reason: FlagReason, detail: string): CommandOf<"FlagForArtist"> => ({
  _tag: "FlagForArtist",
  leadId,
  reason,
  detail
})

export const releaseHold = (leadId: number, slot: Slot): CommandOf<"ReleaseHold"> => ({
  _tag: "ReleaseHold",
  leadId,
  slot
})

export const findSlots = (leadId: number): CommandOf<"FindSlots"> => ({ _tag: "FindSlots", leadId })

export const resumeConsultation = (leadId: number, fromStart: boolean): CommandOf<"ResumeConsultation"> => ({
  _tag: "ResumeConsultation",
  leadId,
  fromStart
})

export const expireCheckout = (leadId: number, checkoutSessionId: string): CommandOf<"ExpireCheckout"> => ({
  _tag: "ExpireCheckout",
  leadId,
  checkoutSessionId
})

/** Pence as the "150.00" string the copy's `{amount_gbp}` expects. */
export const formatPounds = (pence: number): string => (pence / 100).toFixed(2)

/** A deposit the machine will ask a client to pay: whole pence, above zero. */
export const isPositiveAmount = (pence: number | null | undefined): pence is number =>
  typeof pence === "number" && Number.isSafeInteger(pence) && pence > 0

export type Commands = ReadonlyArray<Command>
