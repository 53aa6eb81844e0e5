import { SqlClient } from "@effect/sql"
import { Effect, Exit, Layer, Option, Redacted, Scope } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind, scratchDatabaseUrl } from "../../../test/support/TestDatabase.js"
import { makeDatabaseLayer } from "../src/db/Database.js"
import { runMigrations } from "../src/db/Migrations.js"
import { JOB_NAMES } from "../src/jobs/Jobs.js"

const hostDir = join(dirname(fileURLToPath(import.meta.url)), "..")

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `job <args>` exactly as `pnpm --filter @tattoo-bot/host job` does, in a child process. */
const runCli = (args: ReadonlyArray<string>, env: Record<string, string>): Promise<Run> =>
  new Promise((resolve, reject) => {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !["DATABASE_URL", "DATA_DIR", "TEST_DATABASE_URL"].includes(k) && !k.startsWith("FEATURE_"))
    )
    const child = spawn(process.execPath, ["--conditions=@tattoo-bot/source", "--import", "tsx", "src/cli/job.ts", ...args], {
      cwd: hostDir,
      env: { ...inherited, APP_ENV: "test", LOG_LEVEL: "warning", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += d))
    child.stderr.on("data", (d) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

describe(`job CLI as a child process (${databaseKind})`, () => {
  const scope = Effect.runSync(Scope.make())
  let env: Record<string, string>
  let database: Layer.Layer<SqlClient.SqlClient, unknown>
  let dataDir: string | undefined

  /** Opens the database the CLI uses (and closes it again: the embedded one has a single user). */
  const withSql = <A>(f: (sql: SqlClient.SqlClient) => Effect.Effect<A, unknown>) =>
    Effect.runPromise(Effect.flatMap(SqlClient.SqlClient, f).pipe(Effect.provide(database)) as Effect.Effect<A, unknown>)

  beforeAll(async () => {
    const url = await Effect.runPromise(Scope.extend(scratchDatabaseUrl, scope))
    if (Option.isSome(url)) {
      env = { DATABASE_URL: url.value }
    } else {
      dataDir = mkdtempSync(join(tmpdir(), "tattoo-bot-jobs-cli-"))
      env = { DATA_DIR: dataDir }
    }
    database = Layer.effectDiscard(runMigrations).pipe(
      Layer.provideMerge(makeDatabaseLayer({ url: Option.map(url, Redacted.make), dataDir: dataDir ?? "memory://", maxConnections: 2 }))
    )
    await withSql(() => Effect.void)
  }, 120_000)
  afterAll(async () => {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it("--list prints every job as JSON and exits 0", async () => {
    const run = await runCli(["--list"], {})
    expect(run.code).toBe(0)
    const listed = JSON.parse(run.stdout) as { jobs: ReadonlyArray<{ name: string; flags: ReadonlyArray<{ flag: string }> }> }
    expect(listed.jobs.map((j) => j.name)).toEqual([...JOB_NAMES])
    expect(listed.jobs.find((j) => j.name === "cleanup-system-events")?.flags.map((f) => f.flag)).toEqual(["--retention-days"])
  }, 120_000)

  it("refuses bad arguments with exit code 2 and a clear message, touching nothing", async () => {
    await withSql((sql) => sql`INSERT INTO system_events (level, event_type, payload, created_at) VALUES ('INFO', 'cli.kept', '{}'::jsonb, now() - interval '1 day')`)
    const cases: ReadonlyArray<[ReadonlyArray<string>, string]> = [
      [[], "no job named"],
      [["cleanup-everything"], 'unknown job "cleanup-everything"'],
      [["cleanup-system-events", "--retention-days", "0"], "--retention-days must be a whole number between 1 and 36500"],
      [["cleanup-system-events", "--retention-days=-5"], "--retention-days must be a whole number"],
      [["cleanup-system-events", "--retention-days"], "--retention-days needs a value"],
      [["cleanup-system-events", "--days", "3"], "job cleanup-system-events has no option --days"]
    ]
    const runs = await Promise.all(cases.map(([args]) => runCli(args, env)))
    runs.forEach((run, i) => {
      expect(run.code, cases[i]![0].join(" ")).toBe(2)
      expect(JSON.parse(run.stderr.split("\n")[0]!)).toEqual({ error: "bad_arguments", message: expect.stringContaining(cases[i]![1]) })
      expect(run.stdout).toBe("")
    })
    const kept = await withSql((sql) => sql<{ n: number }>`SELECT count(*)::int AS n FROM system_events WHERE event_type = 'cli.kept'`)
    expect(kept[0]!.n).toBe(1)
  }, 300_000)

  it("cleanup-system-events --retention-days 90 deletes older events and prints the summary", async () => {
    await withSql(
      (sql) => sql`
        INSERT INTO system_events (level, event_type, payload, created_at) VALUES
          ('INFO', 'cli.old', '{}'::jsonb, now() - interval '120 days'),
          ('WARN', 'cli.old', '{}'::jsonb, now() - interval '91 days'),
          ('INFO', 'cli.recent', '{}'::jsonb, now() - interval '89 days')`
    )
    const run = await runCli(["cleanup-system-events", "--retention-days", "90"], env)
    expect(run.code, run.stderr).toBe(0)
    const summary = JSON.parse(run.stdout)
    expect(summary).toMatchObject({ job: "cleanup-system-events", status: "done", deleted: 2, retention_days: 90 })
    const left = await withSql((sql) => sql<{ eventType: string }>`SELECT event_type FROM system_events WHERE event_type LIKE 'cli.%' ORDER BY event_type`)
    expect(left.map((r) => r.eventType)).toEqual(["cli.kept", "cli.recent"])
  }, 300_000)

  it("runs a lead job: mark-stale-approvals moves a 4-day-old approval to STALE", async () => {
    const [lead] = await withSql(
      (sql) => sql<{ id: number }>`
        INSERT INTO leads (wa_from, status, status_changed_at, last_client_message_at)
        VALUES ('447700911222', 'PENDING_APPROVAL', now() - interval '4 days', now() - interval '4 days') RETURNING id`
    )
    const run = await runCli(["mark-stale-approvals"], env)
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ job: "mark-stale-approvals", status: "done", applied: 1, lead_ids: [lead!.id] })
    const status = await withSql((sql) => sql<{ status: string }>`SELECT status FROM leads WHERE id = ${lead!.id}`)
    expect(status[0]!.status).toBe("STALE")
  }, 300_000)
})
