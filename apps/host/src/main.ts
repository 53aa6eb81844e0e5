import { NodeRuntime } from "@effect/platform-node"
import { Cause, ConfigError, Effect, Layer, Option } from "effect"
import cluster from "node:cluster"
import { AppLive } from "./App.js"
import { superviseWorkers } from "./cluster/Supervisor.js"
import { AppConfig, appConfig, ConfigInvalid, formatConfigError } from "./config/AppConfig.js"
import { DatabaseLive } from "./db/Database.js"
import { loggerLayer } from "./logging/JsonLogger.js"

/** Serves until interrupted: the configuration, then everything else (a bad variable stops it with the variable's name). */
const serve = Layer.launch(AppLive().pipe(Layer.provide(AppConfig.layer)))

/**
 * Starts the host. With `WEB_CONCURRENCY` above 1 (and PostgreSQL at `DATABASE_URL`) this process supervises that
 * many server processes sharing the port; otherwise it is the server.
 */
const program = Effect.gen(function* () {
  const config = yield* Effect.either(appConfig)
  const level = config._tag === "Right" ? config.right.logLevel : "info"
  const run = Effect.gen(function* () {
    if (config._tag === "Left" || !cluster.isPrimary || config.right.webConcurrency <= 1) return yield* serve
    if (Option.isNone(config.right.databaseUrl)) {
      yield* Effect.logWarning("WEB_CONCURRENCY ignored: the embedded database serves one process; set DATABASE_URL to run several")
      return yield* serve
    }
    // The primary checks the whole configuration and migrates the database (once, so the workers do not race
    // to create the schema of a new database) before starting any worker.
    yield* Layer.build(DatabaseLive.pipe(Layer.provideMerge(AppConfig.layer))).pipe(Effect.scoped)
    return yield* superviseWorkers(config.right.webConcurrency)
  })
  return yield* run.pipe(Effect.provide(loggerLayer(level)))
}).pipe(
  Effect.catchAllCause((cause) => {
    const failure = Cause.failureOption(cause)
    const message = Option.match(failure, {
      onNone: () => Cause.pretty(cause),
      // ConfigInvalid is checked first: as an Effect error it also carries an `_op`, like a ConfigError.
      onSome: (e) =>
        e instanceof ConfigInvalid
          ? e.message
          : ConfigError.isConfigError(e)
            ? formatConfigError(e)
            : (e as { message?: string }).message ?? String(e)
    })
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: "fatal", message: `start-up failed: ${message}` })}\n`)
    return Effect.sync(() => process.exit(1))
  })
)

NodeRuntime.runMain(program, { disableErrorReporting: true, disablePrettyLogger: true })
