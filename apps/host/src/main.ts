import { NodeRuntime } from "@effect/platform-node"
import { Cause, ConfigError, Effect, Layer, Option } from "effect"
import { AppLive } from "./App.js"
import { AppConfig, appConfig, ConfigInvalid, formatConfigError } from "./config/AppConfig.js"
import { loggerLayer } from "./logging/JsonLogger.js"

/** Starts the host: configuration first (a bad variable stops it with the variable's name), then everything else. */
const program = Effect.gen(function* () {
  const level = yield* appConfig.pipe(
    Effect.map((c) => c.logLevel),
    Effect.catchAll(() => Effect.succeed("info" as const))
  )
  return yield* Layer.launch(AppLive().pipe(Layer.provide(AppConfig.layer))).pipe(Effect.provide(loggerLayer(level)))
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
