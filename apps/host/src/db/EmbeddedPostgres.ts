import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import { Data, Effect } from "effect"
import { mkdirSync } from "node:fs"

/** The embedded PostgreSQL could not be opened (bad data folder, corrupt files...). */
export class EmbeddedPostgresFailed extends Data.TaggedError("EmbeddedPostgresFailed")<{
  readonly dataDir: string
  readonly cause: unknown
}> {
  override get message() {
    return `database: could not open the embedded PostgreSQL in ${this.dataDir}: ${String(this.cause)}`
  }
}

/**
 * Opens PGlite on `dataDir` (or in memory for "memory://") and serves it over the PostgreSQL
 * wire protocol on an ephemeral loopback port, so the same `pg` driver works in every mode.
 * One connection: PGlite is a single backend and serializes transactions anyway.
 */
export const acquireEmbeddedPostgres = (dataDir: string) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true })
        const db = await PGlite.create(dataDir)
        const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 1 })
        await server.start()
        const [host, port] = server.getServerConn().split(":")
        return { db, server, host: host ?? "127.0.0.1", port: Number(port) }
      },
      catch: (cause) => new EmbeddedPostgresFailed({ dataDir, cause })
    }),
    ({ db, server }) =>
      Effect.promise(async () => {
        await server.stop().catch(() => undefined)
        await db.close().catch(() => undefined)
      })
  )
