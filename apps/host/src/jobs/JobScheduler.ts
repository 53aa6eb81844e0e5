import { Clock, Duration, Effect, Layer, Schedule } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { runScheduledJobs } from "./Jobs.js"

/**
 * The in-process scheduler: every `JOBS_INTERVAL_SECONDS` (jittered, so instances drift apart)
 * it runs the housekeeping jobs at the clock's `now`. Several instances may run it against one
 * database: the jobs lock what they act on, so each effect happens once. `JOBS_ENABLED=false`
 * leaves this instance out (the CLI jobs still work, e.g. from cron).
 */
export const JobSchedulerLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const config = yield* AppConfig
    if (!config.jobs.enabled) {
      return yield* Effect.logInfo("scheduled jobs: disabled on this instance (JOBS_ENABLED=false)")
    }
    const tick = Clock.currentTimeMillis.pipe(
      Effect.flatMap((millis) => runScheduledJobs(new Date(millis))),
      Effect.catchAllCause((cause) => Effect.logError("scheduled jobs: tick failed", cause))
    )
    yield* tick.pipe(
      Effect.repeat(Schedule.spaced(Duration.seconds(config.jobs.intervalSeconds)).pipe(Schedule.jittered)),
      Effect.forkScoped
    )
    yield* Effect.logDebug("scheduled jobs: running").pipe(Effect.annotateLogs({ intervalSeconds: config.jobs.intervalSeconds }))
  })
)
