import * as Data from "effect/Data"
import type { LeadStatus } from "./LeadStatus.js"

/** The event is not allowed for the lead's current status (or a documented guard refused it). */
export class InvalidTransition extends Data.TaggedError("InvalidTransition")<{
  /** The verb phrase of the refused action, e.g. `approve`, `send deposit for`, `mark booked`. */
  readonly action: string
  /** The lead's status when the action was refused. */
  readonly status: LeadStatus
}> {
  override get message(): string {
    return `Cannot ${this.action} lead in status ${this.status}`
  }
}
