/**
 * PostgreSQL for tests. With `TEST_DATABASE_URL` set, each suite gets its own fresh database on that
 * server (created here, dropped afterwards); otherwise an in-memory embedded PostgreSQL (PGlite).
 * Either way the host's migrations have run when the layer is ready.
 */
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import { makeDatabaseLayer } from "../../apps/host/src/db/Database.js"
import { runMigrations } from "../../apps/host/src/db/Migrations.js"

/** Which database the suites run on, for test names. */
export const databaseKind = process.env.TEST_DATABASE_URL ? "postgres" : "embedded"

/** True when a real PostgreSQL server is available to the tests. */
export const hasRealPostgres = Boolean(process.env.TEST_DATABASE_URL)

/** Creates a throwaway database on the real server and returns its URL; drops it when the scope closes. */
export const scratchDatabaseUrl = Effect.gen(function* () {
  const adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) return Option.none<string>()
  const name = `tb_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`
  const admin = PgClient.layer({ url: Redacted.make(adminUrl), maxConnections: 1 })
  yield* Effect.acquireRelease(
    Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(`CREATE DATABASE ${name}`)).pipe(Effect.provide(admin), Effect.orDie),
    () =>
      Effect.flatMap(PgClient.PgClient, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).pipe(
        Effect.provide(admin),
        Effect.ignore
      )
  )
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return Option.some(url.toString())
})

/** A migrated database layer for one test suite. */
export const testDatabaseLayer = (options?: { readonly maxConnections?: number }) =>
  Layer.unwrapScoped(
    Effect.map(scratchDatabaseUrl, (url) =>
      Layer.effectDiscard(runMigrations).pipe(
        Layer.provideMerge(
          makeDatabaseLayer({
            url: Option.map(url, Redacted.make),
            dataDir: "memory://",
            maxConnections: options?.maxConnections ?? 20
          })
        )
      )
    )
  )

/** The environment variables a host under test uses for its database. */
export const testDatabaseEnv = Effect.map(scratchDatabaseUrl, (url) =>
  Option.match(url, {
    onNone: () => ({ DATA_DIR: "memory://" }) as Record<string, string>,
    onSome: (u) => ({ DATABASE_URL: u }) as Record<string, string>
  })
)
