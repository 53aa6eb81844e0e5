import * as DateTime from "effect/DateTime"
import type { Command, CommandOf, CommandTag, Lead, LeadStatus, Slot } from "../src/index.js"
import { newLead } from "../src/index.js"

export const LEAD_ID = 42

export const slot = (startIso: string, hours = 3): Slot => {
  const start = DateTime.unsafeMake(startIso)
  return { start, end: DateTime.add(start, { hours }) }
}

export const SLOT = slot("2030-01-10T10:00:00Z")
export const OTHER_SLOT = slot("2030-01-11T14:00:00Z")

/** A lead in `status` with the given fields. */
export const leadIn = (status: LeadStatus, patch: Partial<Lead> = {}): Lead => ({
  ...newLead(LEAD_ID),
  status,
  ...patch
})

/** A lead with an amount, a held slot and a live checkout, unpaid. */
export const withCheckout: Partial<Lead> = {
  depositAmountPence: 15000,
  checkoutSessionId: "cs_live",
  heldSlot: SLOT
}

/** The same lead after its deposit was applied. */
export const paid: Partial<Lead> = { ...withCheckout, depositPaid: true }

export const tagsOf = (commands: ReadonlyArray<Command>): Array<CommandTag> => commands.map((c) => c._tag)

export const commandsOf = <T extends CommandTag>(commands: ReadonlyArray<Command>, tag: T): Array<CommandOf<T>> =>
  commands.filter((c): c is CommandOf<T> => c._tag === tag)
