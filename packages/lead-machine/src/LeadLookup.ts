import type { LeadStatus } from "./LeadStatus.js"
import { categoryOf } from "./LeadStatus.js"

/** Which lead an inbound message from a number lands on. */
export type InboundLeadChoice = { readonly _tag: "Reuse"; readonly id: number } | { readonly _tag: "CreateNew" }

/** The part of a lead the lookup reads. */
export interface LeadRef {
  readonly id: number
  readonly status: LeadStatus
}

/**
 * Choose the lead for an inbound message, given the sender's leads newest first:
 * 1. newest lead OPTOUT → that lead (STOP is never bypassed; START comes back on it);
 * 2. else the newest active lead (consultation, approval, deposit, booking, handover, follow-up, tour offer,
 *    time windows) → that lead, even if a newer lead is closed;
 * 3. else newest lead dormant (ABANDONED, STALE, WAITLISTED, DEPOSIT_EXPIRED) → that lead, revived by `NewEnquiry`;
 * 4. else (no leads, or the newest is BOOKED, REJECTED, REFUNDED, CANCELLED) → a new lead.
 */
export const chooseLeadForInbound = (leadsNewestFirst: ReadonlyArray<LeadRef>): InboundLeadChoice => {
  const newest = leadsNewestFirst[0]
  if (newest === undefined) return { _tag: "CreateNew" }
  if (categoryOf(newest.status) === "optedOut") return { _tag: "Reuse", id: newest.id }
  const active = leadsNewestFirst.find((lead) => categoryOf(lead.status) === "active")
  if (active !== undefined) return { _tag: "Reuse", id: active.id }
  if (categoryOf(newest.status) === "dormant") return { _tag: "Reuse", id: newest.id }
  return { _tag: "CreateNew" }
}
