import { SqlClient } from "@effect/sql"
import { EVENT_ACTIONS, type LeadEvent } from "@tattoo-bot/lead-machine"
import { Context, Effect, Layer, Option } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { InvalidTransitionResponse, NotFoundResponse, UnavailableResponse } from "../http/ApiErrors.js"
import { OutboxSignal } from "../outbox/OutboxSignal.js"
import { ActionTokens } from "./ActionTokens.js"
import { HostSettings } from "./HostSettings.js"
import { applyEvent, notifyArtist } from "./LeadEngine.js"
import { updateLead } from "./LeadStore.js"

/** A status-locked action of the artist (admin API, action links and the console share it). */
export type LeadAction =
  | { readonly _tag: "Approve" }
  | { readonly _tag: "Reject"; readonly reason: string | null }
  | { readonly _tag: "SendDeposit"; readonly amountPence: number | null }
  | { readonly _tag: "MarkBooked" }
  | { readonly _tag: "Resume" }

const MESSAGES: Record<LeadAction["_tag"], string> = {
  Approve: "Lead approved.",
  Reject: "Lead rejected.",
  SendDeposit: "Deposit link is being created and sent.",
  MarkBooked: "Lead marked as booked.",
  Resume: "Lead handed back to the bot."
}

const toEvent = (action: LeadAction): LeadEvent => {
  switch (action._tag) {
    case "Approve":
      return { _tag: "Approve" }
    case "Reject":
      return action.reason ? { _tag: "Reject", reason: action.reason } : { _tag: "Reject" }
    case "SendDeposit":
      return action.amountPence === null ? { _tag: "DepositRequested" } : { _tag: "DepositRequested", amountPence: action.amountPence }
    case "MarkBooked":
      return { _tag: "MarkBooked" }
    case "Resume":
      return { _tag: "Resume" }
  }
}

export interface ActionResult {
  readonly success: boolean
  readonly message: string
  readonly lead_id: number
  readonly status: string
}

/**
 * Runs artist actions atomically: row lock, machine check, writes and outbox in one transaction.
 * An action is a compare-and-set on the status the lead had when the request arrived: if another
 * change moved the lead after that (a concurrent approve while this reject waited for the lock),
 * it is refused with `invalid_transition` and changes nothing, so of two concurrent actions
 * exactly one wins.
 */
export class LeadActions extends Context.Tag("@tattoo-bot/host/LeadActions")<
  LeadActions,
  {
    readonly run: (
      leadId: number,
      action: LeadAction,
      actor: string
    ) => Effect.Effect<ActionResult, InvalidTransitionResponse | NotFoundResponse | UnavailableResponse>
  }
>() {
  static readonly layer = Layer.effect(
    LeadActions,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const config = yield* AppConfig
      const signal = yield* OutboxSignal
      const context = yield* Effect.context<SqlClient.SqlClient | AppConfig | HostSettings | ActionTokens>()
      return {
        run: (leadId, action, actor) =>
          Effect.gen(function* () {
            const requestedAt = Date.now()
            if (action._tag === "SendDeposit" && Option.isNone(config.stripe.secretKey)) {
              return yield* Effect.fail(
                new UnavailableResponse({ error: "stripe_not_configured", message: "Set STRIPE_SECRET_KEY to create deposit links." })
              )
            }
            const applied = yield* Effect.gen(function* () {
              const event = toEvent(action)
              const locked = yield* sql<{ status: string; statusChangedAt: Date }>`
                SELECT status, status_changed_at FROM leads WHERE id = ${leadId} FOR UPDATE`
              const current = locked[0]
              if (current !== undefined && new Date(current.statusChangedAt).getTime() >= requestedAt) {
                yield* Effect.logWarning("lead status transition refused: the lead changed while the action waited (atomic compare-and-set)").pipe(
                  Effect.annotateLogs({ leadId, event: event._tag, status: current.status, actor })
                )
                return yield* Effect.fail(
                  InvalidTransitionResponse.of(
                    `Cannot ${EVENT_ACTIONS[event._tag]} lead in status ${current.status} (it changed while this request was in flight)`
                  )
                )
              }
              const result = yield* applyEvent(leadId, event, actor)
              // Stamped last, just before commit, so an action that arrived while this one ran sees the change.
              if (result.from !== result.to) yield* updateLead(leadId, { statusChangedAt: new Date() }).pipe(Effect.orDie)
              // The artist hears what happens next: the bot offers slots, or the artist sends the deposit link.
              if (action._tag === "Approve" && result.from !== result.to) {
                yield* notifyArtist(result.lead, config.calendarEnabled ? "approved_offering_slots" : "approved_send_deposit")
              }
              if (action._tag === "Reject" && action.reason) {
                const notes = `${result.lead.adminNotes ?? ""}\nRejection reason: ${action.reason}`.trim()
                yield* updateLead(leadId, { adminNotes: notes }).pipe(Effect.orDie)
              }
              return result
            }).pipe(sql.withTransaction)
            yield* signal.notify
            return { success: true, message: MESSAGES[action._tag], lead_id: leadId, status: applied.to }
          }).pipe(
            Effect.catchTags({
              InvalidTransition: (e) => Effect.fail(InvalidTransitionResponse.of(e.message)),
              LeadMissing: () => Effect.fail(NotFoundResponse.lead(leadId)),
              SqlError: (e) => Effect.die(e)
            }),
            Effect.provide(context)
          )
      }
    })
  )
}
