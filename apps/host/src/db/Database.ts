import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option, Redacted } from "effect"
import * as EffectString from "effect/String"
import { isAbsolute, resolve } from "node:path"
import { AppConfig } from "../config/AppConfig.js"
import { acquireEmbeddedPostgres } from "./EmbeddedPostgres.js"
import { runMigrations } from "./Migrations.js"

/** Columns are snake_case in SQL and camelCase in TypeScript; JSON documents are left as stored. */
const naming = {
  transformResultNames: EffectString.snakeToCamel,
  transformQueryNames: EffectString.camelToSnake,
  transformJson: false
} as const

/** A PgClient on `url`, or on the embedded PostgreSQL kept in `dataDir` when there is no url. */
export const makeDatabaseLayer = (options: {
  readonly url: Option.Option<Redacted.Redacted<string>>
  readonly dataDir: string
  readonly maxConnections?: number
}) =>
  Option.match(options.url, {
    onSome: (url) =>
      PgClient.layer({
        url,
        maxConnections: options.maxConnections ?? 20,
        applicationName: "tattoo-bot",
        ...naming
      }),
    onNone: () =>
      Layer.unwrapScoped(
        Effect.gen(function* () {
          const dir = options.dataDir.startsWith("memory://")
            ? options.dataDir
            : isAbsolute(options.dataDir)
              ? options.dataDir
              : resolve(process.cwd(), options.dataDir)
          const embedded = yield* acquireEmbeddedPostgres(dir)
          yield* Effect.logInfo("database: embedded PostgreSQL ready").pipe(Effect.annotateLogs({ dataDir: dir }))
          return PgClient.layer({
            host: embedded.host,
            port: embedded.port,
            username: "postgres",
            database: "postgres",
            maxConnections: 1,
            applicationName: "tattoo-bot",
            ...naming
          })
        })
      )
  })

/** The host's database from its configuration, migrated to the latest schema. */
export const DatabaseLive = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    Layer.effectDiscard(runMigrations).pipe(
      Layer.provideMerge(makeDatabaseLayer({ url: config.databaseUrl, dataDir: config.dataDir, maxConnections: config.databasePoolSize }))
    )
  )
)
