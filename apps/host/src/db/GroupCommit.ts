import { Effect, Exit, Fiber, FiberId, Runtime, type Scope } from "effect"

/**
 * The next batch from the waiting items, in arrival order: at most `max`, at most one per key, and
 * none whose key is still in a running batch (`busy`). An item that waits keeps its place, so the
 * items of one key are written in the order they came.
 */
export const takeBatch = <A>(
  waiting: ReadonlyArray<A>,
  keyOf: (item: A) => string,
  busy: ReadonlySet<string>,
  max: number
): { readonly batch: ReadonlyArray<A>; readonly rest: ReadonlyArray<A> } => {
  const batch: Array<A> = []
  const rest: Array<A> = []
  const taken = new Set<string>()
  for (const item of waiting) {
    const key = keyOf(item)
    if (batch.length < max && !busy.has(key) && !taken.has(key)) {
      batch.push(item)
      taken.add(key)
    } else {
      rest.push(item)
    }
  }
  return { batch, rest }
}

export interface GroupCommitOptions<A, B, E> {
  /** Names the writer in logs. */
  readonly name: string
  /** Items with one key never share a batch, and a key's next item waits until its batch is done. */
  readonly key: (item: A) => string
  /** Writes a batch atomically (one transaction or one statement): one result per item, in order. */
  readonly batch: (items: ReadonlyArray<A>) => Effect.Effect<ReadonlyArray<B>, E>
  /** Writes one item on its own: how each item of a failed batch is tried again. */
  readonly alone: (item: A) => Effect.Effect<B, E>
  /** At most this many items share one batch. */
  readonly maxBatch: number
  /** At most this many batches are written at once (one commits while the next one runs). */
  readonly concurrency: number
  /** Runs after each batch that wrote something (e.g. wakes the outbox worker). */
  readonly afterCommit?: Effect.Effect<void>
}

/** Submits one item and waits for its own result (after its batch has committed). */
export type GroupCommit<A, B> = (item: A) => Effect.Effect<B, unknown>

interface Waiting<A, B> {
  readonly item: A
  readonly key: string
  readonly resume: (exit: Exit.Exit<B, unknown>) => void
}

/**
 * Group commit: items that arrive while earlier ones are being written share the next batch, so at
 * high load one transaction (or one statement) serves many of them; alone, an item goes straight
 * into a batch of one. Each caller still gets its own result only once its batch has committed.
 *
 * If a shared batch fails, it is rolled back as a whole and each of its items is written again on
 * its own, so one bad item fails only itself.
 *
 * Every message and status callback passes through here, so the bookkeeping is plain data (no queue,
 * no dispatcher fiber, no deferred per item): a caller parks on `Effect.async`, and a batch's fiber
 * resumes its callers and starts the next batch when it ends.
 */
export const makeGroupCommit = <A, B, E>(options: GroupCommitOptions<A, B, E>): Effect.Effect<GroupCommit<A, B>, never, Scope.Scope> =>
  Effect.gen(function* () {
    const runFork = Runtime.runFork(yield* Effect.runtime<never>())
    const afterCommit = options.afterCommit ?? Effect.void
    let waiting: Array<Waiting<A, B>> = []
    const busy = new Set<string>()
    const running = new Set<Fiber.RuntimeFiber<void>>()
    let closed = false

    const runBatch = (batch: ReadonlyArray<Waiting<A, B>>) =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(options.batch(batch.map((w) => w.item)))
        if (Exit.isSuccess(exit)) {
          yield* afterCommit
          for (const [i, w] of batch.entries()) w.resume(Exit.succeed(exit.value[i]!))
          return
        }
        if (batch.length === 1) {
          batch[0]!.resume(Exit.failCause(exit.cause))
          return
        }
        yield* Effect.logWarning(`${options.name}: batch rolled back; writing its items one at a time`, exit.cause).pipe(
          Effect.annotateLogs({ items: batch.length })
        )
        for (const w of batch) w.resume(yield* Effect.exit(options.alone(w.item)))
        yield* afterCommit
      }).pipe(
        // Shutting down mid-batch: the waiting callers end too (their writes roll back; the sender retries).
        Effect.onInterrupt(() =>
          Effect.sync(() => {
            for (const w of batch) w.resume(Exit.interrupt(FiberId.none))
          })
        )
      )

    const dispatch = (): void => {
      while (!closed && running.size < options.concurrency && waiting.length > 0) {
        const { batch, rest } = takeBatch(waiting, (w) => w.key, busy, options.maxBatch)
        if (batch.length === 0) return
        // A new array, not `splice(0, n, ...rest)`: a long backlog would overflow a call's argument list.
        waiting = [...rest]
        for (const w of batch) busy.add(w.key)
        const fiber = runFork(runBatch(batch))
        running.add(fiber)
        fiber.addObserver(() => {
          running.delete(fiber)
          for (const w of batch) busy.delete(w.key)
          dispatch()
        })
      }
    }

    yield* Effect.addFinalizer(() =>
      Effect.suspend(() => {
        closed = true
        const left = waiting
        waiting = []
        for (const w of left) w.resume(Exit.interrupt(FiberId.none))
        return Fiber.interruptAll(running)
      })
    )

    return (item: A) =>
      Effect.async<B, unknown>((resume) => {
        if (closed) return resume(Exit.interrupt(FiberId.none))
        waiting.push({ item, key: options.key(item), resume })
        dispatch()
      })
  })
