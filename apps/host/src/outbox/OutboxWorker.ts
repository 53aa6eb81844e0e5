import { SqlClient } from "@effect/sql"
import { decideDelivery, type WhatsAppSendError, WhatsAppClient } from "@tattoo-bot/whatsapp"
import { Cause, Context, Duration, Effect, Either, Layer, Option, Schedule, Schema } from "effect"
import { recordSystemEvent } from "../events/SystemEvents.js"
import { findLead } from "../leads/LeadStore.js"
import {
  type ConversationEntry,
  claimDue,
  markCancelled,
  markHeld,
  markRetry,
  markSent,
  recordSend,
  recordSentBatch,
  type SentRecord,
  type OutboxLane,
  type OutboxRow,
  type OutboundMessage,
  WhatsAppPayload
} from "./Outbox.js"
import { OutboxSignal } from "./OutboxSignal.js"

/** What a channel handler made of one row. */
export type HandlerOutcome =
  | { readonly _tag: "Done"; readonly note?: string }
  | { readonly _tag: "Retry"; readonly error: string; readonly retryable: boolean }

/** Handlers for the non-WhatsApp channels (sheets, calendar, stripe), provided by the integrations. */
export class OutboxHandlers extends Context.Tag("@tattoo-bot/host/OutboxHandlers")<
  OutboxHandlers,
  { readonly handle: (row: OutboxRow) => Effect.Effect<HandlerOutcome, never, SqlClient.SqlClient> }
>() {}

const messageBody = (message: OutboundMessage): string => {
  switch (message._tag) {
    case "Text":
      return message.body
    case "List":
      return [message.header, message.body, ...message.sections.flatMap((s) => s.rows.map((r, i) => `${i + 1}. ${r.title}${r.description ? ` — ${r.description}` : ""}`))]
        .filter(Boolean)
        .join("\n")
    case "Buttons":
      return `${message.body}\n${message.buttons.map((b) => `[${b.title}]`).join(" ")}`
  }
}

const send = (client: WhatsAppClient["Type"], to: string, message: OutboundMessage) => {
  switch (message._tag) {
    case "Text":
      return client.sendText(to, message.body)
    case "List":
      return client.sendList(to, {
        ...(message.header === undefined ? {} : { header: message.header }),
        body: message.body,
        ...(message.footer === undefined ? {} : { footer: message.footer }),
        button: message.button,
        sections: message.sections.map((s) => ({
          ...(s.title === undefined ? {} : { title: s.title }),
          rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...(r.description === undefined ? {} : { description: r.description }) }))
        }))
      })
    case "Buttons":
      return client.sendButtons(to, { body: message.body, buttons: message.buttons.map((b) => ({ id: b.id, title: b.title })) })
  }
}

/**
 * Once a message has left, recording that fact must not be lost to a short database outage: a
 * row left SENDING would stall its recipient's queue until the claim expires and then be sent a
 * second time. The write is retried (capped backoff) for well under the two-minute claim.
 */
const RECORD_RETRY = Schedule.exponential("100 millis").pipe(Schedule.union(Schedule.spaced("2 seconds")), Schedule.upTo("90 seconds"))
const afterSend = <A, E, R>(effect: Effect.Effect<A, E, R>) => effect.pipe(retryDatabaseWrite("recording a completed send"))

/**
 * Sends completed during one drain, recorded together when the drain's sends are done (one statement instead
 * of one per message). Outside a drain (`executeRow` on its own) each send is recorded at once.
 */
class DrainRecords extends Context.Tag("@tattoo-bot/host/DrainRecords")<DrainRecords, Array<SentRecord>>() {}

const recordFreeFormSend = (record: SentRecord) =>
  Effect.flatMap(Effect.serviceOption(DrainRecords), (records) =>
    Option.isSome(records)
      ? Effect.sync(() => {
          records.value.push(record)
        })
      : afterSend(recordSend(record.id, { _tag: "Sent", waMessageId: record.waMessageId, sentAs: record.sentAs }, record.entry))
  )

/** Retries a database write on any failure: @effect/sql turns a failed COMMIT or ROLLBACK (a dropped connection) into a defect. */
const retryDatabaseWrite =
  (what: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.sandbox,
      Effect.tapError((cause) => Effect.logWarning(`outbox: ${what} failed; retrying`).pipe(Effect.annotateLogs({ error: Cause.pretty(cause).split("\n")[0] ?? "" }))),
      Effect.retry(RECORD_RETRY),
      Effect.unsandbox
    )

const errorText = (e: WhatsAppSendError) => `${e._tag}${"code" in e && e.code !== undefined ? ` ${e.code}` : ""}: ${e.title}`

/** Sends one WhatsApp row through the 24-hour policy; never fails (the row records what happened). */
const deliverWhatsApp = (row: OutboxRow) =>
  Effect.gen(function* () {
    const client = yield* WhatsAppClient
    const decoded = Schema.decodeUnknownEither(WhatsAppPayload)(row.payload)
    if (Either.isLeft(decoded) || row.recipient === null) {
      yield* markCancelled(row.id, "invalid outbox payload")
      return yield* recordSystemEvent({ level: "ERROR", type: "whatsapp.outbox_invalid", leadId: row.leadId, payload: { outboxId: row.id } })
    }
    const payload = decoded.right
    // The claim brings the lead's status and window along; a row from elsewhere reads them.
    const lead =
      row.leadId === null
        ? Option.none()
        : row.leadStatus !== undefined
          ? Option.fromNullable(row.leadStatus === null ? null : { status: row.leadStatus, lastClientMessageAt: row.leadLastClientMessageAt ?? null })
          : yield* findLead(row.leadId)
    const toClient = row.audience === "client"
    if (toClient && Option.isSome(lead) && lead.value.status === "OPTOUT" && !payload.allowWhenOptedOut) {
      yield* markCancelled(row.id, "client opted out")
      return yield* Effect.logInfo("whatsapp message not sent: client opted out").pipe(Effect.annotateLogs({ outboxId: row.id }))
    }
    const now = new Date()
    const decision = toClient
      ? decideDelivery({
          lastClientMessageAt: Option.match(lead, { onNone: () => null, onSome: (l) => l.lastClientMessageAt?.toISOString() ?? null }),
          now: now.toISOString(),
          ...(payload.template !== undefined && payload.templateSentAt === undefined ? { template: payload.template as never } : {}),
          ...(payload.clientName === undefined ? {} : { clientName: payload.clientName })
        })
      : ({ _tag: "FreeForm" } as const)
    // The lead's conversation holds what the client was sent; notifications to the artist stay in the outbox only.
    const entry = (waMessageId: string, kind: string, body: string): ConversationEntry | undefined =>
      row.leadId === null || !toClient ? undefined : { leadId: row.leadId, waMessageId, kind, body }
    if (decision._tag === "Hold") {
      yield* markHeld(row.id, payload, "window closed: waiting for the client to write")
      return yield* Effect.logInfo("whatsapp message held: 24-hour window closed and no template for it").pipe(
        Effect.annotateLogs({ outboxId: row.id, kind: row.kind })
      )
    }
    if (decision._tag === "Template") {
      const result = yield* Effect.either(
        client.sendTemplate(row.recipient, { name: decision.name, language: decision.language, bodyParams: [...decision.bodyParams] })
      )
      if (Either.isLeft(result)) return yield* failed(row, result.left, "template")
      const recorded = entry(result.right.messageId, "template", `[template ${decision.name}]`)
      yield* Effect.logInfo("whatsapp template sent: window closed").pipe(Effect.annotateLogs({ template: decision.name, outboxId: row.id }))
      if (payload.templateReplaces) {
        return yield* afterSend(recordSend(row.id, { _tag: "Sent", waMessageId: result.right.messageId, sentAs: `template:${decision.name}` }, recorded))
      }
      // The message itself goes out when the client replies to the template.
      return yield* afterSend(
        recordSend(
          row.id,
          { _tag: "Held", payload: { ...payload, templateSentAt: now.toISOString() }, note: `template ${decision.name} sent; message waits for the reply` },
          recorded
        )
      )
    }
    const result = yield* Effect.either(send(client, row.recipient, payload.message))
    if (Either.isLeft(result)) {
      const error = result.left
      if (error._tag === "WhatsAppWindowClosed" && toClient) {
        // The window closed between the decision and the send: keep the message for the next reply.
        yield* markHeld(row.id, payload, "window closed (131047) at send time")
        return yield* recordSystemEvent({ level: "WARN", type: "whatsapp.window_closed", leadId: row.leadId, payload: { outboxId: row.id } })
      }
      return yield* failed(row, error, "message")
    }
    yield* recordFreeFormSend({
      id: row.id,
      waMessageId: result.right.messageId,
      sentAs: "free_form",
      entry: entry(result.right.messageId, payload.message._tag.toLowerCase(), messageBody(payload.message))
    })
  })

const failed = (row: OutboxRow, error: WhatsAppSendError, what: string) =>
  Effect.gen(function* () {
    const gaveUp = yield* markRetry(row, errorText(error), error.retryable)
    const type = error._tag === "WhatsAppTemplateError" ? "whatsapp.template_failed" : "whatsapp.send_failed"
    yield* recordSystemEvent({
      level: gaveUp ? "ERROR" : "WARN",
      type: gaveUp ? type : `${type}.retrying`,
      leadId: row.leadId,
      payload: { outboxId: row.id, what, attempts: row.attempts, error: errorText(error), retryable: error.retryable }
    })
  })

/** Executes one claimed row; a defect in a handler is recorded on the row, never lost. */
export const executeRow = (row: OutboxRow) =>
  Effect.gen(function* () {
    if (row.channel === "whatsapp") return yield* deliverWhatsApp(row)
    const handlers = yield* OutboxHandlers
    const outcome = yield* handlers.handle(row)
    if (outcome._tag === "Done") return yield* afterSend(markSent(row.id, { waMessageId: null, sentAs: outcome.note ?? row.channel }))
    const gaveUp = yield* markRetry(row, outcome.error, outcome.retryable)
    yield* recordSystemEvent({
      level: gaveUp ? "ERROR" : "WARN",
      type: `${row.channel}.${row.kind}.${gaveUp ? "failed" : "retrying"}`,
      leadId: row.leadId,
      payload: { outboxId: row.id, attempts: row.attempts, error: outcome.error }
    })
  }).pipe(
    Effect.catchAllCause((cause) =>
      Effect.zipRight(
        Effect.logError(`${row.channel} outbox row failed`, cause).pipe(Effect.annotateLogs({ outboxId: row.id })),
        // A database error lands here too: keep trying to release the claim rather than leave the row SENDING.
        markRetry(row, "internal error", true).pipe(retryDatabaseWrite("releasing a failed row"), Effect.ignore)
      )
    )
  )

/** Claims and executes due rows until none are left; returns how many it handled. */
export const drainOnce = (batch = 50, lane?: OutboxLane) =>
  Effect.gen(function* () {
    let total = 0
    for (;;) {
      const rows = yield* claimDue(batch, lane)
      if (rows.length === 0) return total
      total += rows.length
      // Rows to one client (and the artist's rows about one lead) stay in order; the rest go in parallel.
      const groups = new Map<string, Array<OutboxRow>>()
      for (const row of rows) {
        const key =
          row.channel !== "whatsapp"
            ? `${row.channel}:${row.leadId}:${row.id}`
            : row.audience === "artist"
              ? `wa:${row.recipient}:${row.leadId}`
              : `wa:${row.recipient}`
        groups.set(key, [...(groups.get(key) ?? []), row])
      }
      const records: Array<SentRecord> = []
      yield* Effect.forEach([...groups.values()], (group) => Effect.forEach(group, executeRow, { discard: true }), {
        concurrency: 16,
        discard: true
      }).pipe(
        Effect.provideService(DrainRecords, records),
        // Whatever happened to the other rows, the sends that went out are recorded.
        Effect.ensuring(Effect.suspend(() => afterSend(recordSentBatch(records))).pipe(Effect.orDie))
      )
      if (rows.length < batch) return total
    }
  })

/**
 * The background worker, one loop per lane: WhatsApp drains on every signal and at least every
 * `pollInterval`; the integrations (sheets, calendar, stripe) drain every `pollInterval`, so a slow
 * or failing Google or Stripe never holds up a reply to the client. Rows the integrations queue
 * for WhatsApp (a slot offer) wake the WhatsApp loop.
 */
export const OutboxWorkerLive = (options?: { readonly pollInterval?: Duration.DurationInput }) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const signal = yield* OutboxSignal
      const poll = options?.pollInterval ?? "1 second"
      const whatsapp = drainOnce(50, "whatsapp").pipe(
        Effect.catchAllCause((cause) => Effect.logError("outbox worker: drain failed (database?)", cause)),
        Effect.zipRight(Effect.race(signal.wait, Effect.sleep(poll))),
        Effect.repeat(Schedule.forever)
      )
      const integrations = drainOnce(50, "integrations").pipe(
        Effect.tap((handled) => (handled > 0 ? signal.notify : Effect.void)),
        Effect.catchAllCause((cause) => Effect.logError("outbox worker: integrations drain failed (database?)", cause)),
        Effect.zipRight(Effect.sleep(poll)),
        Effect.repeat(Schedule.forever)
      )
      yield* Effect.forkScoped(whatsapp)
      yield* Effect.forkScoped(integrations)
    })
  )
