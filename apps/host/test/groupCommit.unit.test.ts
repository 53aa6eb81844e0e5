import { Cause, Effect, Exit, Fiber, Option } from "effect"
import { describe, expect, it } from "vitest"
import { makeGroupCommit } from "../src/db/GroupCommit.js"

/** The batching on its own, with an in-memory writer that records every batch it is given. */
describe("makeGroupCommit (in memory)", () => {
  interface Item {
    readonly key: string
    readonly n: number
  }
  const run = <A>(effect: Effect.Effect<A, unknown, import("effect").Scope.Scope>) => Effect.runPromise(Effect.scoped(effect))

  it("gives each caller its own result; shares batches; never puts one key twice in a batch; keeps each key's order", async () => {
    const batches: Array<ReadonlyArray<Item>> = []
    let inFlight = 0
    let maxInFlight = 0
    const results = await run(
      Effect.gen(function* () {
        const submit = yield* makeGroupCommit({
          name: "test",
          key: (item: Item) => item.key,
          batch: (items) =>
            Effect.gen(function* () {
              inFlight++
              maxInFlight = Math.max(maxInFlight, inFlight)
              batches.push(items)
              yield* Effect.sleep("2 millis")
              inFlight--
              return items.map((i) => `${i.key}:${i.n}`)
            }),
          alone: (item) => Effect.succeed(`${item.key}:${item.n} alone`),
          maxBatch: 16,
          concurrency: 2
        })
        const items = Array.from({ length: 300 }, (_, n) => ({ key: `k${n % 10}`, n }))
        return yield* Effect.forEach(items, submit, { concurrency: "unbounded" })
      })
    )
    expect(results).toEqual(Array.from({ length: 300 }, (_, n) => `k${n % 10}:${n}`))
    expect(batches.length).toBeLessThan(300)
    expect(maxInFlight).toBeLessThanOrEqual(2)
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(16)
      expect(new Set(batch.map((i) => i.key)).size).toBe(batch.length)
    }
    // Each key's items were written in the order they were submitted.
    const order = new Map<string, Array<number>>()
    for (const item of batches.flat()) order.set(item.key, [...(order.get(item.key) ?? []), item.n])
    for (const ns of order.values()) expect(ns).toEqual([...ns].sort((a, b) => a - b))
  })

  it("writes each item of a failed batch on its own: only the bad one fails", async () => {
    const batches: Array<ReadonlyArray<number>> = []
    const exits = await run(
      Effect.gen(function* () {
        const latch = yield* Effect.makeLatch(false)
        let submitted = 0
        const submit = yield* makeGroupCommit({
          name: "test",
          key: (item: Item) => {
            submitted++
            return item.key
          },
          // The first batch waits until all eight are queued, so the other seven share the next one.
          batch: (items) =>
            latch.await.pipe(
              Effect.zipRight(Effect.sync(() => batches.push(items.map((i) => i.n)))),
              Effect.zipRight(items.some((i) => i.n === 3) ? Effect.fail("bad batch") : Effect.succeed(items.map((i) => i.n)))
            ),
          alone: (item) => (item.n === 3 ? Effect.fail(`bad item ${item.n}`) : Effect.succeed(item.n * 10)),
          maxBatch: 64,
          concurrency: 1
        })
        const all = yield* Effect.fork(
          Effect.forEach(Array.from({ length: 8 }, (_, n) => ({ key: `k${n}`, n })), (item) => Effect.exit(submit(item)), {
            concurrency: "unbounded"
          })
        )
        while (submitted < 8) yield* Effect.sleep("5 millis")
        yield* latch.open
        return yield* Fiber.join(all)
      })
    )
    expect(batches).toEqual([[0], [1, 2, 3, 4, 5, 6, 7]])
    const bad = exits[3]!
    expect(Exit.isFailure(bad) && Option.getOrUndefined(Cause.failureOption(bad.cause))).toBe("bad item 3")
    // The first batch succeeded as a batch; the rest of the failed one were written again alone.
    expect(exits.map((e) => (Exit.isSuccess(e) ? e.value : "failed"))).toEqual([0, 10, 20, "failed", 40, 50, 60, 70])
  })

  it("holds a backlog of 150,000 waiting items while batches are stuck, then answers them all (no argument-list overflow)", async () => {
    const total = 150_000
    const answered = await run(
      Effect.gen(function* () {
        const latch = yield* Effect.makeLatch(false)
        let submitted = 0
        let sizes: Array<number> = []
        const submit = yield* makeGroupCommit({
          name: "test",
          key: (item: Item) => {
            submitted++
            return item.key
          },
          // The first batches wait until everything has queued up behind them.
          batch: (items) => latch.await.pipe(Effect.as(items.map(() => 1)), Effect.tap(() => Effect.sync(() => sizes.push(items.length)))),
          alone: () => Effect.succeed(1),
          maxBatch: 5_000,
          concurrency: 2
        })
        const all = yield* Effect.fork(
          Effect.forEach(Array.from({ length: total }, (_, n) => ({ key: String(n), n })), submit, { concurrency: "unbounded" })
        )
        while (submitted < total) yield* Effect.sleep("20 millis")
        yield* latch.open
        const results = yield* all.await.pipe(Effect.flatten)
        expect(Math.max(...sizes)).toBe(5_000)
        sizes = []
        return results.reduce((a, b) => a + b, 0)
      })
    )
    expect(answered).toBe(total)
  }, 120_000)
})
