import cluster, { type Worker } from "node:cluster"
import { Data, Effect, Runtime } from "effect"

/** How long the workers get to finish their requests after SIGTERM before they are killed. */
const SHUTDOWN_TIMEOUT_MS = 30_000
/** Pause before a crashed worker is replaced, so a crash loop does not spin. */
const RESTART_DELAY_MS = 1_000

/** What the supervisor decides when a worker exits (pure, for the tests). */
export type ExitDecision = "shutdown-complete" | "wait" | "fail-start-up" | "restart"

export const decideOnExit = (state: {
  readonly shuttingDown: boolean
  readonly aliveAfterExit: number
  /** False: it died before listening (bad configuration, database unreachable, port taken), so a new copy would too. */
  readonly wasListening: boolean
}): ExitDecision => {
  if (state.shuttingDown) return state.aliveAfterExit === 0 ? "shutdown-complete" : "wait"
  return state.wasListening ? "restart" : "fail-start-up"
}

/**
 * The primary process of `WEB_CONCURRENCY > 1`: starts `count` copies of the host (node:cluster; they share the
 * port, the database and its outbox), replaces a worker that dies, and on SIGTERM/SIGINT stops them all and
 * exits. A worker that dies before it listens stops the whole service (exit 1), since its copies would fail too.
 * Every instance runs its own outbox worker and job scheduler; both are safe with several on one database.
 */
export const superviseWorkers = (count: number): Effect.Effect<never, WorkerStartFailed> =>
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<never>()
    const log = (effect: Effect.Effect<void>) => Runtime.runFork(runtime)(effect)
    return yield* Effect.async<never, WorkerStartFailed>((resume) => {
      const listening = new Set<number>()
      let shuttingDown = false
      let stopped: (() => void) | undefined
      const start = () => {
        const worker = cluster.fork()
        log(Effect.logInfo("cluster: worker started").pipe(Effect.annotateLogs({ worker: worker.id, pid: worker.process.pid })))
      }
      const alive = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead())
      /** Asks every worker to finish (SIGTERM: each closes its server and its outbox claims), killing stragglers. */
      const stopAll = (onStopped: () => void) => {
        shuttingDown = true
        stopped = onStopped
        log(Effect.logInfo("cluster: stopping workers").pipe(Effect.annotateLogs({ workers: alive().length })))
        for (const worker of alive()) worker.process.kill("SIGTERM")
        setTimeout(() => {
          for (const worker of alive()) worker.process.kill("SIGKILL")
        }, SHUTDOWN_TIMEOUT_MS).unref()
        if (alive().length === 0) onStopped()
      }
      cluster.on("listening", (worker) => listening.add(worker.id))
      cluster.on("exit", (worker, code, signal) => {
        const wasListening = listening.delete(worker.id)
        const fields = { worker: worker.id, pid: worker.process.pid, code, signal: signal ?? undefined }
        switch (decideOnExit({ shuttingDown, aliveAfterExit: alive().length, wasListening })) {
          case "shutdown-complete":
            log(Effect.logInfo("cluster: all workers stopped").pipe(Effect.annotateLogs(fields)))
            return stopped?.()
          case "wait":
            return
          case "fail-start-up":
            log(Effect.logError("cluster: a worker failed during start-up; stopping").pipe(Effect.annotateLogs(fields)))
            return stopAll(() => resume(Effect.fail(new WorkerStartFailed({ code, signal }))))
          case "restart":
            log(Effect.logError("cluster: worker died; starting a new one").pipe(Effect.annotateLogs(fields)))
            setTimeout(() => {
              if (!shuttingDown) start()
            }, RESTART_DELAY_MS)
        }
      })
      for (let i = 0; i < count; i++) start()
      // Interrupted (SIGTERM or SIGINT to this process): stop the workers and wait for them.
      return Effect.async<void>((done) => {
        if (shuttingDown) stopped = () => done(Effect.void)
        else stopAll(() => done(Effect.void))
      })
    })
  })

/** A worker exited during start-up (its log says why). */
export class WorkerStartFailed extends Data.TaggedError("WorkerStartFailed")<{ readonly code: number | null; readonly signal: string | null }> {
  override get message() {
    return `a server process exited during start-up (code ${this.code ?? "none"}${this.signal ? `, signal ${this.signal}` : ""}); see its log above`
  }
}
