/**
 * Runs the host's scheduled jobs by hand, for cron:
 *
 *   pnpm --filter @tattoo-bot/host job <name> [--flag value | --flag=value]...
 *   pnpm --filter @tattoo-bot/host job all        (one scheduler tick: every scheduled job)
 *   pnpm --filter @tattoo-bot/host job --list
 *
 * It builds the host's services (configuration, database, adapters) without the HTTP server, the
 * outbox worker or the scheduler, prints one JSON summary on stdout (logs go to stderr) and exits
 * 0 on success, 1 when the job failed, 2 on bad arguments.
 */
import { Cause, Effect, Either, Exit, Layer, Option } from "effect"
import { pathToFileURL } from "node:url"
import { AppConfig, appConfig, formatConfigError } from "../config/AppConfig.js"
import { type FlagValues, findJob, JOBS, type JobDefinition, type JobResult, runJob, runScheduledJobs } from "../jobs/Jobs.js"
import { loggerLayer } from "../logging/JsonLogger.js"

/** What the command line asked for. */
export type JobCommand =
  | { readonly _tag: "List" }
  | { readonly _tag: "Help" }
  | { readonly _tag: "Run"; readonly job: JobDefinition; readonly flags: FlagValues }
  | { readonly _tag: "All" }

export const USAGE = [
  "usage: job <name> [--flag value]...   run one job now",
  "       job all                        run every scheduled job once (one scheduler tick)",
  "       job --list                     list the jobs and their flags (JSON)"
].join("\n")

/** Reads the arguments; a problem is a message for the user (exit code 2). */
export const parseJobArgs = (args: ReadonlyArray<string>): Either.Either<JobCommand, string> => {
  const [first, ...rest] = args
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    return first === undefined ? Either.left("no job named") : Either.right({ _tag: "Help" })
  }
  if (first === "--list" || first === "list") {
    return rest.length === 0 ? Either.right({ _tag: "List" }) : Either.left(`--list takes no other arguments, got "${rest.join(" ")}"`)
  }
  if (first === "all") {
    return rest.length === 0 ? Either.right({ _tag: "All" }) : Either.left(`"all" takes no flags, got "${rest.join(" ")}"`)
  }
  if (first.startsWith("-")) return Either.left(`unknown option "${first}"`)
  const job = findJob(first)
  if (job === undefined) return Either.left(`unknown job "${first}"; jobs: ${JOBS.map((j) => j.name).join(", ")}`)
  const flags: Record<string, number | boolean> = {}
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (!arg.startsWith("--")) return Either.left(`unexpected argument "${arg}"`)
    const eq = arg.indexOf("=")
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
    const spec = job.flags.find((f) => f.name === name)
    if (spec === undefined) {
      const known = job.flags.map((f) => `--${f.name}`).join(", ")
      return Either.left(`job ${job.name} has no option --${name}${known ? ` (options: ${known})` : " (it takes none)"}`)
    }
    if (name in flags) return Either.left(`--${name} given twice`)
    if (spec.kind === "switch") {
      if (eq !== -1) return Either.left(`--${name} takes no value`)
      flags[name] = true
      continue
    }
    const raw = eq === -1 ? rest[++i] : arg.slice(eq + 1)
    if (raw === undefined || raw === "") return Either.left(`--${name} needs a value`)
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
    const min = spec.min ?? 0
    const max = spec.max ?? Number.MAX_SAFE_INTEGER
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      return Either.left(`--${name} must be a whole number between ${min} and ${max}, got "${raw}"`)
    }
    flags[name] = value
  }
  return Either.right({ _tag: "Run", job, flags })
}

/** The `--list` document. */
export const jobList = () => ({
  jobs: JOBS.map((job) => ({
    name: job.name,
    description: job.description,
    schedule: job.schedule,
    flags: job.flags.map((f) => ({
      flag: `--${f.name}`,
      description: f.description,
      ...(f.kind === "switch" ? { switch: true } : { min: f.min ?? 0, max: f.max ?? null })
    }))
  }))
})

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
const fail = (code: number, error: string, message: string) => {
  process.stderr.write(`${JSON.stringify({ error, message })}\n`)
  if (code === 2) process.stderr.write(`${USAGE}\n`)
  process.exit(code)
}

/** A run with lead transactions that failed is reported as a failure (they are retried next time). */
const hadFailures = (results: ReadonlyArray<JobResult>) => results.some((r) => typeof r.failed === "number" && r.failed > 0)

const main = async () => {
  const parsed = parseJobArgs(process.argv.slice(2))
  if (Either.isLeft(parsed)) return fail(2, "bad_arguments", parsed.left)
  const command = parsed.right
  if (command._tag === "Help") {
    process.stdout.write(`${USAGE}\n`)
    return process.exit(0)
  }
  if (command._tag === "List") {
    print(jobList())
    return process.exit(0)
  }
  const level = await Effect.runPromise(
    appConfig.pipe(
      Effect.map((c) => c.logLevel),
      Effect.orElseSucceed(() => "info" as const)
    )
  )
  // Loaded only to run a job: the argument checks and --list answer without building the host.
  const { ServicesLive } = await import("../App.js")
  const services = ServicesLive({ worker: false, jobs: false }).pipe(Layer.provideMerge(AppConfig.layer))
  const program = Effect.gen(function* () {
    const now = new Date()
    if (command._tag === "All") return yield* runScheduledJobs(now)
    return [yield* runJob(command.job, now, command.flags)]
  })
  const exit = await Effect.runPromiseExit(program.pipe(Effect.provide(services), Effect.provide(loggerLayer(level, "stderr"))))
  if (Exit.isSuccess(exit)) {
    const results = exit.value
    print(command._tag === "All" ? { jobs: results } : results[0])
    return process.exit(hadFailures(results) ? 1 : 0)
  }
  const failure = Cause.failureOption(exit.cause)
  const message = Option.match(failure, {
    onNone: () => Cause.pretty(exit.cause),
    onSome: (e) =>
      typeof e === "object" && e !== null && "_op" in e ? formatConfigError(e as never) : ((e as { message?: string }).message ?? String(e))
  })
  return fail(1, "job_failed", message)
}

// Run only as the entry point (the parser above can be imported).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main()
