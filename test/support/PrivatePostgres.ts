/**
 * A private PostgreSQL 15 server for fault tests that stop and start the database: initdb into a
 * temporary directory, a random port, unix socket in /tmp. Never the shared server on 5432.
 * When the binaries are missing, `privatePostgresUnavailable()` says why, and suites skip.
 */
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Effect, ManagedRuntime, Redacted, String as Str } from "effect"
import { execFileSync, spawnSync } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

const BIN = process.env.PG_BIN_DIR ?? "/usr/lib/postgresql/15/bin"

/** Why a private server cannot be started here, or undefined when it can. */
export const privatePostgresUnavailable = (): string | undefined => {
  for (const tool of ["initdb", "pg_ctl", "postgres"]) {
    if (!existsSync(join(BIN, tool))) return `${join(BIN, tool)} not found (set PG_BIN_DIR to the PostgreSQL 15 binaries)`
  }
  if (process.getuid?.() === 0 && postgresUser() === undefined) return "running as root and no 'postgres' system user to run initdb as"
  return undefined
}

const postgresUser = (): { uid: number; gid: number } | undefined => {
  const result = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" })
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" })
  if (result.status !== 0 || gid.status !== 0) return undefined
  return { uid: Number(result.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

/** A free TCP port on 127.0.0.1. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

export interface PrivatePostgres {
  readonly port: number
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string
  /** Stops the server (fast shutdown: open connections are cut). */
  readonly stop: () => void
  /** Starts it again on the same port and data directory. */
  readonly start: () => void
  /** Stops it and removes the data directory. */
  readonly destroy: () => void
  /** Creates a database and returns its URL. */
  readonly createDatabase: (name: string) => string
}

/** initdb + start; synchronous (a few seconds). */
export const startPrivatePostgres = async (): Promise<PrivatePostgres> => {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), "tb-faults-pg-"))
  const data = join(dir, "data")
  const log = join(dir, "server.log")
  const user = process.getuid?.() === 0 ? postgresUser() : undefined
  if (user !== undefined) chownSync(dir, user.uid, user.gid)
  const run = (tool: string, args: ReadonlyArray<string>) =>
    execFileSync(join(BIN, tool), [...args], {
      stdio: ["ignore", "pipe", "pipe"],
      cwd: dir,
      ...(user === undefined ? {} : { uid: user.uid, gid: user.gid }),
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" }
    })
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
  const start = () => {
    run("pg_ctl", ["-D", data, "-o", `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, "-l", log, "-w", "-t", "60", "start"])
  }
  const stop = () => {
    run("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"])
  }
  start()
  return {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    createDatabase: (name) => {
      run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name])
      return `postgresql://postgres@127.0.0.1:${port}/${name}`
    },
    destroy: () => {
      try {
        if (existsSync(join(data, "postmaster.pid"))) stop()
      } catch {
        // Already stopped.
      }
      if (existsSync(dir) && statSync(dir).isDirectory()) rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** A small SQL client on `url` for tests that run the host elsewhere (results camelCased, like the host's). */
export const sqlClientFor = (url: string) => {
  const runtime = ManagedRuntime.make(
    PgClient.layer({ url: Redacted.make(url), maxConnections: 2, transformResultNames: Str.snakeToCamel })
  )
  return {
    query: <A extends object = Record<string, unknown>>(text: string, params: ReadonlyArray<unknown> = []) =>
      runtime.runPromise(Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe<A>(text, params as Array<unknown>))),
    close: () => runtime.dispose()
  }
}
