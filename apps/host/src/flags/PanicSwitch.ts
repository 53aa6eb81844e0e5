import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Ref, Schedule } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { recordSystemEvent } from "../events/SystemEvents.js"

/**
 * Panic mode, switchable at run time. The stored value (table `settings`) wins; without one,
 * `FEATURE_PANIC_MODE_ENABLED` is the start-up default. Every instance re-reads it every few
 * seconds, so a switch made on one reaches all.
 */
export class PanicSwitch extends Context.Tag("@tattoo-bot/host/PanicSwitch")<
  PanicSwitch,
  {
    /** The value in force (cached; refreshed in the background). */
    readonly current: Effect.Effect<boolean>
    /** Reads the stored value now, inside the caller's transaction. */
    readonly read: Effect.Effect<boolean, never, SqlClient.SqlClient>
    readonly set: (on: boolean, actor: string) => Effect.Effect<void, never, SqlClient.SqlClient>
  }
>() {
  static readonly layer = Layer.scoped(
    PanicSwitch,
    Effect.gen(function* () {
      const config = yield* AppConfig
      const sql = yield* SqlClient.SqlClient
      const fallback = config.features.panicMode
      const readStored = Effect.gen(function* () {
        const rows = yield* sql<{ value: unknown }>`SELECT value FROM settings WHERE key = 'panic_mode'`
        const value = rows[0]?.value
        return typeof value === "boolean" ? value : fallback
      }).pipe(Effect.orElseSucceed(() => fallback))
      const cache = yield* Ref.make(yield* readStored)
      yield* readStored.pipe(
        Effect.flatMap((v) => Ref.set(cache, v)),
        Effect.repeat(Schedule.spaced("3 seconds")),
        Effect.forkScoped
      )
      return {
        current: Ref.get(cache),
        read: Effect.flatMap(SqlClient.SqlClient, (tx) =>
          tx<{ value: unknown }>`SELECT value FROM settings WHERE key = 'panic_mode'`.pipe(
            Effect.map((rows) => (typeof rows[0]?.value === "boolean" ? (rows[0].value as boolean) : fallback)),
            Effect.orElseSucceed(() => fallback)
          )
        ),
        set: (on, actor) =>
          Effect.gen(function* () {
            const tx = yield* SqlClient.SqlClient
            yield* tx`
              INSERT INTO settings (key, value, updated_at) VALUES ('panic_mode', ${JSON.stringify(on)}::jsonb, now())
              ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`
            yield* Ref.set(cache, on)
            yield* recordSystemEvent({ level: "WARN", type: on ? "panic_mode.enabled" : "panic_mode.disabled", payload: { actor } })
          }).pipe(Effect.orDie)
      }
    })
  )
}
