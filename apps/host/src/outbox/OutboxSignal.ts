import { Context, Effect, Layer, Queue } from "effect"

/** Wakes the outbox worker as soon as a transaction has committed new rows (it also polls). */
export class OutboxSignal extends Context.Tag("@tattoo-bot/host/OutboxSignal")<
  OutboxSignal,
  { readonly notify: Effect.Effect<void>; readonly wait: Effect.Effect<void> }
>() {
  static readonly layer = Layer.effect(
    OutboxSignal,
    Effect.map(Queue.sliding<void>(1), (queue) => ({
      notify: Queue.offer(queue, undefined).pipe(Effect.asVoid),
      wait: Queue.take(queue)
    }))
  )
}
