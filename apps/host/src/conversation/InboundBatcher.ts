import { SqlClient } from "@effect/sql"
import type { WebhookMessageEvent } from "@tattoo-bot/whatsapp"
import { Context, Effect, Layer } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { makeGroupCommit } from "../db/GroupCommit.js"
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
 * Group commit for inbound client messages (see `GroupCommit`). Each message is still processed
 * exactly once inside one transaction with all its effects; messages that arrive while earlier ones
 * are being written share the next transaction (at most one per client, so each conversation sees
 * its messages in the order they came), so at high load one claim statement, one release statement,
 * one write and one commit serve many messages. Alone, a message goes straight into its own transaction.
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
      const alone = (event: WebhookMessageEvent) => processInboundMessage(event).pipe(sql.withTransaction, Effect.provide(context))
      const submit = yield* makeGroupCommit({
        name: "inbound messages",
        key: (event: WebhookMessageEvent) => event.from,
        batch: (events) => processClientMessages(events).pipe(withWriteBuffer, sql.withTransaction, Effect.provide(context)),
        alone,
        maxBatch: MAX_BATCH,
        concurrency: BATCH_CONCURRENCY,
        afterCommit: signal.notify
      })
      return {
        process: (event: WebhookMessageEvent) =>
          Effect.gen(function* () {
            // The artist's commands are rare and act on other leads: each keeps a transaction of its own
            // (and wakes the outbox worker for what it queued, as a committed batch does).
            if (yield* isFromArtist(event).pipe(Effect.provide(context))) return yield* Effect.zipLeft(alone(event), signal.notify)
            return yield* submit(event)
          })
      }
    })
  )
}
