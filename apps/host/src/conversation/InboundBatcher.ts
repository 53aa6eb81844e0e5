import { SqlClient } from "@effect/sql"
import type { WebhookMessageEvent } from "@tattoo-bot/whatsapp"
import { Context, Deferred, Effect, Exit, Layer, Queue } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { withWriteBuffer } from "../db/WriteBuffer.js"
import { PanicSwitch } from "../flags/PanicSwitch.js"
import { ActionTokens } from "../leads/ActionTokens.js"
import { HostSettings } from "../leads/HostSettings.js"
import { OutboxSignal } from "../outbox/OutboxSignal.js"
import { type InboundOutcome, isFromArtist, processClientMessages, processInboundMessage } from "./Inbound.js"

/** At most this many client messages share one transaction. */
export const MAX_BATCH = 64

/** At most this many batches are in their transactions at once (one commits while the next one runs). */
export const BATCH_CONCURRENCY = 2

/**
 * The next batch from the waiting messages, in arrival order: at most `max`, at most one per sender,
 * and none from a sender whose earlier message is still in a transaction (`busy`). A sender's later
 * messages keep their place, so each conversation sees its messages in the order they came.
 */
export const takeBatch = <A extends { readonly from: string }>(
  waiting: ReadonlyArray<A>,
  busy: ReadonlySet<string>,
  max: number
): { readonly batch: ReadonlyArray<A>; readonly rest: ReadonlyArray<A> } => {
  const batch: Array<A> = []
  const rest: Array<A> = []
  const taken = new Set<string>()
  for (const item of waiting) {
    if (batch.length < max && !busy.has(item.from) && !taken.has(item.from)) {
      batch.push(item)
      taken.add(item.from)
    } else {
      rest.push(item)
    }
  }
  return { batch, rest }
}

interface Waiting {
  readonly from: string
  readonly event: WebhookMessageEvent
  readonly done: Deferred.Deferred<InboundOutcome, unknown>
}

type Mail = { readonly _tag: "Arrived"; readonly waiting: Waiting } | { readonly _tag: "Finished"; readonly senders: ReadonlyArray<string> }

/**
 * Group commit for inbound client messages. Each message is still processed exactly once inside one
 * transaction with all its effects; messages that arrive while earlier ones are being written share
 * the next transaction, so at high load one claim statement, one release statement, one write and one
 * commit serve many messages. Alone, a message goes straight into its own transaction.
 *
 * If a shared transaction fails, it is rolled back and each of its messages is processed again in a
 * transaction of its own, so one bad message fails (500, for Meta to retry) only itself.
 */
export class InboundBatcher extends Context.Tag("@tattoo-bot/host/InboundBatcher")<
  InboundBatcher,
  { readonly process: (event: WebhookMessageEvent) => Effect.Effect<InboundOutcome, unknown> }
>() {
  static readonly layer = Layer.scoped(
    InboundBatcher,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const signal = yield* OutboxSignal
      const context = yield* Effect.context<SqlClient.SqlClient | AppConfig | HostSettings | ActionTokens | PanicSwitch>()
      const scope = yield* Effect.scope
      const mailbox = yield* Queue.unbounded<Mail>()

      const alone = (event: WebhookMessageEvent) => processInboundMessage(event).pipe(sql.withTransaction, Effect.provide(context))

      const runBatch = (batch: ReadonlyArray<Waiting>) =>
        Effect.gen(function* () {
          const exit = yield* processClientMessages(batch.map((w) => w.event)).pipe(
            withWriteBuffer,
            sql.withTransaction,
            Effect.provide(context),
            Effect.exit
          )
          if (Exit.isSuccess(exit)) {
            yield* signal.notify
            yield* Effect.forEach(batch, (w, i) => Deferred.succeed(w.done, exit.value[i]!), { discard: true })
            return
          }
          if (batch.length === 1) {
            yield* Deferred.failCause(batch[0]!.done, exit.cause)
            return
          }
          yield* Effect.logWarning("inbound batch rolled back; processing its messages one at a time", exit.cause).pipe(
            Effect.annotateLogs({ messages: batch.length })
          )
          for (const w of batch) {
            yield* Deferred.complete(w.done, yield* Effect.exit(alone(w.event)))
          }
          yield* signal.notify
        }).pipe(
          // Shutting down mid-batch: the waiting requests end too (their transactions roll back, Meta retries).
          Effect.onInterrupt(() => Effect.forEach(batch, (w) => Deferred.interrupt(w.done), { discard: true }))
        )

      const waiting: Array<Waiting> = []
      const busy = new Set<string>()
      let running = 0
      const dispatch = Effect.gen(function* () {
        while (true) {
          for (const mail of yield* Queue.takeBetween(mailbox, 1, Number.MAX_SAFE_INTEGER)) {
            if (mail._tag === "Arrived") {
              waiting.push(mail.waiting)
            } else {
              running--
              for (const sender of mail.senders) busy.delete(sender)
            }
          }
          while (running < BATCH_CONCURRENCY && waiting.length > 0) {
            const { batch, rest } = takeBatch(waiting, busy, MAX_BATCH)
            if (batch.length === 0) break
            waiting.splice(0, waiting.length, ...rest)
            const senders = batch.map((w) => w.from)
            for (const sender of senders) busy.add(sender)
            running++
            yield* runBatch(batch).pipe(
              Effect.ensuring(Queue.offer(mailbox, { _tag: "Finished", senders })),
              Effect.forkIn(scope)
            )
          }
        }
      }).pipe(Effect.onInterrupt(() => Effect.forEach(waiting, (w) => Deferred.interrupt(w.done), { discard: true })))
      yield* Effect.forkIn(dispatch, scope)

      return {
        process: (event: WebhookMessageEvent) =>
          Effect.gen(function* () {
            // The artist's commands are rare and act on other leads: each keeps a transaction of its own.
            if (yield* isFromArtist(event).pipe(Effect.provide(context))) return yield* alone(event)
            const done = yield* Deferred.make<InboundOutcome, unknown>()
            yield* Queue.offer(mailbox, { _tag: "Arrived", waiting: { from: event.from, event, done } })
            return yield* Deferred.await(done)
          })
      }
    })
  )
}
