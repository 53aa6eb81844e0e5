/**
 * `WEB_CONCURRENCY`: several server processes on one port (node:cluster) supervised by the primary,
 * which replaces a dead worker and stops them all on SIGTERM. The process tests need PostgreSQL
 * (`TEST_DATABASE_URL`): the embedded database serves one process only.
 */
import { Cause, Effect, Exit, Option, Scope } from "effect"
import { availableParallelism } from "node:os"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startChildHost, type ChildHost } from "../../../test/support/ChildHost.js"
import { hasRealPostgres, scratchDatabaseUrl } from "../../../test/support/TestDatabase.js"
import { decideOnExit } from "../src/cluster/Supervisor.js"
import { AppConfig } from "../src/config/AppConfig.js"

const concurrency = async (value: string | undefined) => {
  const exit = await Effect.runPromiseExit(
    Effect.provide(AppConfig, AppConfig.layerFromEnv(value === undefined ? {} : { WEB_CONCURRENCY: value }))
  )
  if (Exit.isFailure(exit)) {
    const failure = Cause.failureOption(exit.cause)
    return { error: Option.isSome(failure) ? (failure.value as { message: string }).message : Cause.pretty(exit.cause) }
  }
  return { workers: exit.value.webConcurrency }
}

describe("WEB_CONCURRENCY", () => {
  it("is one process unless set; `auto` is one per core; a number is that many", async () => {
    expect(await concurrency(undefined)).toEqual({ workers: 1 })
    expect(await concurrency("")).toEqual({ workers: 1 })
    expect(await concurrency("auto")).toEqual({ workers: availableParallelism() })
    expect(await concurrency(" 3 ")).toEqual({ workers: 3 })
  })

  it("refuses anything else, naming the variable", async () => {
    for (const bad of ["0", "-2", "1.5", "many", "65"]) {
      const result = await concurrency(bad)
      expect(result).toHaveProperty("error")
      expect((result as { error: string }).error).toContain("WEB_CONCURRENCY")
    }
  })
})

describe("the supervisor's decision when a worker exits", () => {
  it("replaces a worker that dies after it was listening", () => {
    expect(decideOnExit({ shuttingDown: false, aliveAfterExit: 1, wasListening: true })).toBe("restart")
  })
  it("stops everything when a worker dies before listening (its copies would fail the same way)", () => {
    expect(decideOnExit({ shuttingDown: false, aliveAfterExit: 1, wasListening: false })).toBe("fail-start-up")
  })
  it("waits for the last worker when stopping, then is done", () => {
    expect(decideOnExit({ shuttingDown: true, aliveAfterExit: 1, wasListening: true })).toBe("wait")
    expect(decideOnExit({ shuttingDown: true, aliveAfterExit: 0, wasListening: false })).toBe("shutdown-complete")
  })
})

/** The host's JSON log lines. */
const logLines = (host: ChildHost): Array<Record<string, unknown>> =>
  host.log.lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>]
    } catch {
      return []
    }
  })

const workerPids = (host: ChildHost) =>
  logLines(host)
    .filter((line) => line.message === "cluster: worker started")
    .map((line) => Number(line.pid))

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const waitFor = async (what: string, check: () => boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe.skipIf(!hasRealPostgres)("two server processes on one port (postgres)", () => {
  let host: ChildHost
  let dropDatabase: () => Promise<void> = async () => {}

  beforeAll(async () => {
    const scope = Effect.runSync(Scope.make())
    dropDatabase = () => Effect.runPromise(Scope.close(scope, Exit.void))
    const url = Option.getOrThrow(await Effect.runPromise(Scope.extend(scratchDatabaseUrl, scope)))
    host = await startChildHost({ DATABASE_URL: url, WEB_CONCURRENCY: "2", JOBS_ENABLED: "false" })
    await waitFor("both workers listening", () => logLines(host).filter((l) => String(l.message).startsWith("listening on")).length === 2)
  }, 120_000)

  afterAll(async () => {
    if (host && host.process.exitCode === null) await host.stop()
    await dropDatabase()
  }, 60_000)

  it("starts two workers that both serve the port, and processes messages once", async () => {
    const pids = workerPids(host)
    expect(pids).toHaveLength(2)
    // The primary migrated the new database before starting the workers (they would race to create the schema).
    const log = logLines(host)
    expect(log.filter((l) => l.message === "database: migrations applied")).toHaveLength(1)
    expect(log.findIndex((l) => l.message === "database: migrations applied")).toBeLessThan(log.findIndex((l) => l.message === "cluster: worker started"))
    expect(new Set(pids).size).toBe(2)
    expect(pids.every(alive)).toBe(true)
    // Separate connections are spread over the workers; every message is processed exactly once whichever serves it.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        host.whatsapp({ messages: [{ from: `44770090${String(5000 + i)}`, id: `wamid.cluster.${i}`, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: "Hi" } }] })
      )
    )
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200))
    const again = await host.whatsapp({ messages: [{ from: "447700905000", id: "wamid.cluster.0", timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: "Hi" } }] })
    expect(((await again.json()) as { results: Array<{ outcome: string }> }).results[0]?.outcome).toBe("Duplicate")
  }, 60_000)

  it("replaces a worker that dies, and keeps serving meanwhile", async () => {
    const [victim, survivor] = workerPids(host)
    process.kill(victim!, "SIGKILL")
    await waitFor("a replacement worker", () => workerPids(host).length === 3)
    const replacement = workerPids(host)[2]!
    expect([victim, survivor]).not.toContain(replacement)
    expect(alive(survivor!)).toBe(true)
    await waitFor("the replacement listening", () => logLines(host).filter((l) => String(l.message).startsWith("listening on")).length === 3)
    expect((await fetch(`${host.url}/health`)).status).toBe(200)
    expect(logLines(host).some((l) => l.message === "cluster: worker died; starting a new one" && Number(l.pid) === victim)).toBe(true)
  }, 90_000)

  it("stops every worker on SIGTERM and exits 0", async () => {
    const pids = workerPids(host).filter(alive)
    expect(pids.length).toBe(2)
    await host.stop()
    expect(host.process.exitCode).toBe(0)
    expect(pids.some(alive)).toBe(false)
    expect(logLines(host).some((l) => l.message === "cluster: all workers stopped")).toBe(true)
  }, 60_000)
})
