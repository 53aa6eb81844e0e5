// Proves the deployable artifact: bundles the host with scripts/bundle-host.sh into a folder outside
// the repository, starts `node dist/main.js` from that folder (embedded PostgreSQL, and real
// PostgreSQL when TEST_DATABASE_URL is set), waits for /health and /ready, posts one signed WhatsApp
// message, finds the lead through /admin/leads and the bot's reply in /admin/leads/{id}, runs the
// retention CLI job when the bundle has one, and stops the host.
//
// Usage: node scripts/check-bundle.mjs            (builds first)
//        SKIP_BUILD=1 node scripts/check-bundle.mjs  (reuse the dist/ folders just built)
//        KEEP_BUNDLE=1 ...                          (leave the bundle folder for inspection)
import { spawn, spawnSync } from "node:child_process"
import { createHmac, randomBytes, randomInt } from "node:crypto"
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const DEV_SECRET = "local-development-app-secret" // the host's documented development default
const ADMIN_KEY = `bundle-check-${randomBytes(8).toString("hex")}`
const started = Date.now()

const log = (message) => console.log(`[bundle] ${message}`)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const eventually = async (what, check, timeoutMs) => {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (${last.message ?? last})` : ""}`)
    await sleep(250)
  }
}

const getJson = async (url, headers = {}) => {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) })
  const text = await res.text()
  let body
  try {
    body = JSON.parse(text)
  } catch {
    body = text
  }
  return { status: res.status, body }
}

// 1. The bundle, built by the same script the Dockerfile runs.
const out = mkdtempSync(join(tmpdir(), "tattoo-bot-bundle-"))
const work = mkdtempSync(join(tmpdir(), "tattoo-bot-bundle-data-"))
const cleanup = () => {
  if (!process.env.KEEP_BUNDLE) rmSync(out, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
}
log(`bundling into ${out}`)
const bundled = spawnSync("bash", [join(root, "scripts/bundle-host.sh"), out], { cwd: root, stdio: "inherit", env: process.env })
if (bundled.status !== 0) {
  cleanup()
  console.error("[bundle] FAILED: scripts/bundle-host.sh exited with", bundled.status)
  process.exit(1)
}
for (const file of ["dist/main.js", "config/calendar_rules.yml", "config/whatsapp_templates.yml", "node_modules/@electric-sql/pglite/package.json"]) {
  if (!existsSync(join(out, file))) {
    cleanup()
    console.error(`[bundle] FAILED: ${file} is missing from the bundle`)
    process.exit(1)
  }
}

// A scratch database on the real server, created and dropped with the bundle's own `pg`.
const scratchDatabase = async (adminUrl) => {
  const requireFromSqlPg = createRequire(realpathSync(join(out, "node_modules/@effect/sql-pg/package.json")))
  const pg = requireFromSqlPg("pg")
  const name = `tb_bundle_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`
  const run = async (text) => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    try {
      await client.query(text)
    } finally {
      await client.end()
    }
  }
  await run(`CREATE DATABASE ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const query = async (text) => {
    const client = new pg.Client({ connectionString: url.toString() })
    await client.connect()
    try {
      return (await client.query(text)).rows
    } finally {
      await client.end()
    }
  }
  return { url: url.toString(), query, drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {}) }
}

/** Only what a deployment would set: no workspace paths, no NODE_OPTIONS, no source conditions. */
const baseEnv = () => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: process.env.HOME ?? work,
  TZ: "UTC"
})

const runHost = async (label, env, secret) => {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const output = []
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: out,
    env: { ...baseEnv(), ...env, PORT: String(port), HOST: "127.0.0.1", ADMIN_API_KEY: ADMIN_KEY },
    stdio: ["ignore", "pipe", "pipe"]
  })
  child.stdout.on("data", (d) => output.push(d))
  child.stderr.on("data", (d) => output.push(d))
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })))
  let done = false
  void exited.then(() => {
    done = true
  })
  const fail = (error) => {
    const text = Buffer.concat(output).toString("utf8")
    throw new Error(`${label}: ${error.message}\n--- host output ---\n${text.slice(-6000)}`)
  }
  try {
    const t0 = Date.now()
    const health = await eventually(
      "GET /health",
      async () => {
        if (done) throw new Error("the host exited")
        const r = await getJson(`${base}/health`)
        return r.status === 200 ? r.body : undefined
      },
      240_000
    )
    if (health.ok !== true || health.templates_missing?.length !== 0) throw new Error(`/health: ${JSON.stringify(health)}`)
    const ready = await eventually("GET /ready", async () => (await getJson(`${base}/ready`)).status === 200, 30_000)
    if (!ready) throw new Error("/ready failed")
    log(`${label}: /health and /ready answer after ${((Date.now() - t0) / 1000).toFixed(1)} s`)

    // One signed inbound message, as Meta sends it.
    const from = `4477${randomInt(10_000_000, 99_999_999)}`
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "102290129340398",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
                contacts: [{ profile: { name: "Bundle Check" }, wa_id: from }],
                messages: [
                  { from, id: `wamid.bundle-${randomBytes(8).toString("hex")}`, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: "Hi, I'd like a tattoo" } }
                ]
              }
            }
          ]
        }
      ]
    })
    const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`
    const posted = await fetch(`${base}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      body,
      signal: AbortSignal.timeout(15_000)
    })
    if (posted.status !== 200) throw new Error(`POST /webhooks/whatsapp answered ${posted.status}: ${await posted.text()}`)

    const admin = { "x-admin-api-key": ADMIN_KEY }
    const unauthorized = await getJson(`${base}/admin/leads`)
    if (unauthorized.status !== 401) throw new Error(`/admin/leads without the key answered ${unauthorized.status}, expected 401`)
    const lead = await eventually(
      "the lead in /admin/leads",
      async () => {
        const r = await getJson(`${base}/admin/leads?search=${from}`, admin)
        return r.status === 200 ? r.body.leads?.find((l) => l.wa_from === from) : undefined
      },
      30_000
    )
    const detail = await eventually(
      "the bot's reply in /admin/leads/{id}",
      async () => {
        const r = await getJson(`${base}/admin/leads/${lead.id}`, admin)
        return r.status === 200 && r.body.messages?.some((m) => m.direction === "out") ? r.body : undefined
      },
      30_000
    )
    log(`${label}: lead ${lead.id} in ${detail.status}, ${detail.messages.length} messages (${detail.messages.filter((m) => m.direction === "out").length} out)`)
  } catch (error) {
    child.kill("SIGKILL")
    await exited
    fail(error)
  }

  // Stop it as a platform would (SIGTERM), then make sure it is gone.
  child.kill("SIGTERM")
  const stopped = await Promise.race([exited, sleep(30_000).then(() => undefined)])
  if (stopped === undefined) {
    child.kill("SIGKILL")
    await exited
    fail(new Error("did not stop within 30 s of SIGTERM"))
  }
  log(`${label}: stopped (${stopped.signal ?? `exit ${stopped.code}`})`)
}

const runJob = (label, env) => {
  if (!existsSync(join(out, "dist/cli/job.js"))) {
    log(`${label}: dist/cli/job.js is not in this build; retention CLI not checked`)
    return
  }
  const result = spawnSync(process.execPath, ["dist/cli/job.js", "cleanup-system-events", "--retention-days", "90"], {
    cwd: out,
    env: { ...baseEnv(), ...env },
    encoding: "utf8",
    timeout: 120_000
  })
  if (result.status !== 0) {
    throw new Error(`${label}: node dist/cli/job.js cleanup-system-events exited ${result.status}\n${result.stdout}\n${result.stderr}`)
  }
  let summary
  try {
    summary = JSON.parse(result.stdout)
  } catch {
    throw new Error(`${label}: the job printed no JSON summary on stdout: ${result.stdout.slice(-500)}`)
  }
  log(`${label}: node dist/cli/job.js cleanup-system-events --retention-days 90 → ${JSON.stringify(summary).slice(0, 300)}`)
}

let failed = false
try {
  // Embedded PostgreSQL in a data folder, the development webhook secret.
  const embeddedEnv = { APP_ENV: "development", DATA_DIR: join(work, "data"), LOG_LEVEL: "info" }
  await runHost("embedded", embeddedEnv, DEV_SECRET)
  runJob("embedded", embeddedEnv)

  if (process.env.TEST_DATABASE_URL) {
    const db = await scratchDatabase(process.env.TEST_DATABASE_URL)
    try {
      const secret = process.env.WHATSAPP_APP_SECRET || randomBytes(16).toString("hex")
      const pgEnv = {
        APP_ENV: "staging",
        DATABASE_URL: db.url,
        WHATSAPP_APP_SECRET: secret,
        WHATSAPP_DRY_RUN: "true",
        LOG_LEVEL: "info"
      }
      await runHost("postgres", pgEnv, secret)
      if (existsSync(join(out, "dist/cli/job.js"))) {
        // One event past the retention period and one inside it: the cron form deletes only the first.
        await db.query(
          "INSERT INTO system_events (created_at, level, event_type, payload) VALUES (now() - interval '100 days', 'info', 'bundle.check.old', '{}'), (now() - interval '10 days', 'info', 'bundle.check.recent', '{}')"
        )
        runJob("postgres", pgEnv)
        const left = (await db.query("SELECT event_type FROM system_events WHERE event_type LIKE 'bundle.check.%'")).map((r) => r.event_type)
        if (left.length !== 1 || left[0] !== "bundle.check.recent") {
          throw new Error(`postgres: after cleanup-system-events --retention-days 90 the check events left are ${JSON.stringify(left)}`)
        }
        log("postgres: the retention job deleted the 100-day-old event and kept the 10-day-old one")
      } else {
        runJob("postgres", pgEnv)
      }
    } finally {
      await db.drop()
    }
  } else {
    log("TEST_DATABASE_URL is not set: real PostgreSQL not checked")
  }
} catch (error) {
  failed = true
  console.error(`[bundle] FAILED: ${error.message}`)
} finally {
  cleanup()
}
log(`${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(0)} s`)
process.exit(failed ? 1 : 0)
