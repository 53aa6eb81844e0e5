/**
 * Load, latency and soak figures for the host on real PostgreSQL (see BENCHMARKS.md for the results).
 *
 *   pnpm load                      # from the repo root (or: pnpm --filter @tattoo-bot/host load)
 *   pnpm load --soak 10m           # also soak for 10 minutes at half the peak inbound rate
 *
 * What it does, in one run:
 * 1. Creates a fresh database `tb_load_<pid>_<time>` on PostgreSQL (127.0.0.1:5432, user postgres by default;
 *    LOAD_PGHOST / LOAD_PGPORT / LOAD_PGUSER to change) and drops it at the end (`--keep-db` keeps it).
 * 2. Starts the fake Graph API and the host as child processes (`node --conditions=@tattoo-bot/source --import tsx
 *    src/main.ts`, APP_ENV=production, WhatsApp live against the fake, so the outbox worker really sends).
 * 3. Baselines in the same run: a bare `node:http` server answering the same requests, and pgbench with the
 *    writes of one inbound message (and a bare single-row insert) on copies of our tables.
 * 4. `POST /webhooks/whatsapp`: signed text messages from thousands of distinct numbers, each walking through the
 *    whole consultation (14 messages to PENDING_APPROVAL, then a fresh number); closed loop at 50 connections
 *    (throughput) and open loop at a fixed rate (latency p50/p95/p99). Host RSS sampled from /proc.
 * 5. `POST /webhooks/stripe`: signed `checkout.session.completed` events for seeded AWAITING_DEPOSIT leads.
 * 6. `GET /admin/leads` over 100,000 seeded leads (first page; status filter and search as extra closed-loop runs).
 * 7. Optional soak (`--soak 10m`): open loop at half the peak inbound rate, sampling RSS, the database's
 *    connections (pg_stat_activity) and the host's open file descriptors/sockets every 10 s.
 *
 * Options: --duration <s> (each measured phase, default 15), --warmup <s> (default 3), --connections <n> (50),
 * --conversations <n> (conversations in progress at once, default 1000; each gets its next message in turn),
 * --rate <msg/s> (open-loop inbound rate, 500), --status-rate <n> (500), --stripe-rate <n> (200), --admin-rate <n> (100),
 * --soak <10m|600s>, --soak-rate <n>, --only whatsapp,statuses,stripe,admin,baseline,pgbench, --log-level <level> (info),
 * --cpu-prof <dir> (profile the host with `node --cpu-prof`), --workers <n> (the host's WEB_CONCURRENCY, default 1),
 * --host-env NAME=value (repeatable; extra host environment, e.g. to compare a setting),
 * --keep-db, --json <file>.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { createHmac, randomUUID } from "node:crypto"
import { mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { cpus, tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { signBody, webhookBody } from "../../../../test/fakes/graph-api.js"
import { closedLoop, type LoadRequest, type NextRequest, openLoop, type RunResult } from "./generator.js"
import { CONSULTATION_ANSWERS } from "../../../../test/support/Answers.js"

const run = promisify(execFile)
const here = dirname(fileURLToPath(import.meta.url))
const hostDir = resolve(here, "../..")
const repoRoot = resolve(hostDir, "../..")

// ---------------------------------------------------------------------------------------------- options

const argv = process.argv.slice(2)
const flag = (name: string) => argv.includes(`--${name}`)
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : undefined
}
const numberOption = (name: string, fallback: number) => {
  const raw = option(name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0, got ${raw}`)
  return n
}
const parseDuration = (raw: string): number => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim())
  if (!m) throw new Error(`bad duration "${raw}" (use e.g. 10m, 600s)`)
  const n = Number(m[1])
  const unit = m[2] ?? "s"
  return n * (unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "m" ? 60_000 : 3_600_000)
}

const DURATION_MS = numberOption("duration", 15) * 1000
const WARMUP_MS = numberOption("warmup", 3) * 1000
const CONNECTIONS = numberOption("connections", 50)
const CONVERSATIONS = numberOption("conversations", 1000)
const RATE = numberOption("rate", 500)
const STRIPE_RATE = numberOption("stripe-rate", 200)
const STATUS_RATE = numberOption("status-rate", 500)
const ADMIN_RATE = numberOption("admin-rate", 100)
const SOAK_MS = option("soak") === undefined ? 0 : parseDuration(option("soak")!)
const SOAK_RATE = option("soak-rate") === undefined ? undefined : numberOption("soak-rate", 1)
const ONLY = new Set((option("only") ?? "baseline,pgbench,whatsapp,statuses,stripe,admin").split(",").map((s) => s.trim()))
const LOG_LEVEL = option("log-level") ?? "info"
const CPU_PROF = option("cpu-prof")
const WORKERS = numberOption("workers", 1)
const KEEP_DB = flag("keep-db")
/** `--host-env NAME=value` (repeatable): extra environment for the host, e.g. to compare a setting. */
const HOST_ENV = Object.fromEntries(
  argv.flatMap((arg, i) => {
    if (arg !== "--host-env") return []
    const pair = argv[i + 1] ?? ""
    const eq = pair.indexOf("=")
    if (eq <= 0) throw new Error(`--host-env takes NAME=value, got "${pair}"`)
    return [[pair.slice(0, eq), pair.slice(eq + 1)]]
  })
)
const ADMIN_LEADS = 100_000

const PG = {
  host: process.env.LOAD_PGHOST ?? "127.0.0.1",
  port: process.env.LOAD_PGPORT ?? "5432",
  user: process.env.LOAD_PGUSER ?? "postgres"
}
const DB = `tb_load_${process.pid}_${Date.now().toString(36)}`
const APP_SECRET = `load-app-secret-${randomUUID()}`
const STRIPE_SECRET = `whsec_load_${randomUUID().replace(/-/g, "")}`
const ADMIN_KEY = `load-admin-${randomUUID()}`
const ARTIST_NUMBER = "447700900001"

const log = (message: string) => process.stderr.write(`[load] ${message}\n`)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n)

// ---------------------------------------------------------------------------------------------- helpers

const psql = async (sql: string, database = DB): Promise<string> => {
  const { stdout } = await run("psql", ["-h", PG.host, "-p", PG.port, "-U", PG.user, "-d", database, "-v", "ON_ERROR_STOP=1", "-Atqc", sql], {
    maxBuffer: 64 * 1024 * 1024
  })
  return stdout.trim()
}
const psqlFile = (file: string) => run("psql", ["-h", PG.host, "-p", PG.port, "-U", PG.user, "-d", DB, "-v", "ON_ERROR_STOP=1", "-qf", file])

const freePort = () =>
  new Promise<number>((resolvePort, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })

/** Starts `node [flags] <script>` and waits for its first stdout line (JSON). */
const startChild = (script: string, env: Record<string, string> = {}) =>
  new Promise<{ child: ChildProcess; info: Record<string, unknown> }>((resolveChild, reject) => {
    const child = spawn(process.execPath, ["--conditions=@tattoo-bot/source", "--import", "tsx", script], {
      cwd: hostDir,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"]
    })
    let buffer = ""
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8")
      const nl = buffer.indexOf("\n")
      if (nl >= 0) {
        child.stdout!.removeAllListeners("data")
        child.stdout!.resume()
        resolveChild({ child, info: JSON.parse(buffer.slice(0, nl)) as Record<string, unknown> })
      }
    })
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code} before it was ready`)))
  })

const stopChild = async (child: ChildProcess, timeoutMs = 20_000) => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((r) => child.once("exit", () => r()))
  child.kill("SIGTERM")
  const done = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)])
  if (!done) {
    child.kill("SIGKILL")
    await exited
  }
}

/** The process and its descendants (the server processes of `WEB_CONCURRENCY`). */
const processTree = (pid: number): Array<number> => {
  const children = new Map<number, Array<number>>()
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8")
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []))
  return tree
}

/** VmRSS of a process and its descendants, in MiB. */
const rssMiB = (pid: number): number => {
  let total = 0
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"))
      total += m ? Number(m[1]) / 1024 : 0
    } catch {
      if (p === pid) return Number.NaN
    }
  }
  return total
}

/** CPU seconds (user + system) a process and its descendants have used. */
const cpuSeconds = (pid: number): number => {
  let total = 0
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8")
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      total += (Number(fields[11]) + Number(fields[12])) / 100
    } catch {
      if (p === pid) return Number.NaN
    }
  }
  return total
}

/** Open file descriptors of a process, and how many of them are sockets. */
const openFds = (pid: number): { fds: number; sockets: number } => {
  let fds = 0
  let sockets = 0
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    fds++
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) sockets++
    } catch {
      // closed while listing
    }
  }
  return { fds, sockets }
}

/** Samples the host's RSS every 250 ms while `work` runs. */
const withRss = async <A>(pid: number, work: () => Promise<A>) => {
  const samples: Array<number> = [rssMiB(pid)]
  const timer = setInterval(() => samples.push(rssMiB(pid)), 250)
  const cpu0 = cpuSeconds(pid)
  const self0 = process.cpuUsage()
  try {
    const value = await work()
    const selfCpu = process.cpuUsage(self0)
    return {
      value,
      loadAverageAfter: loadAverage(),
      rss: { startMiB: round(samples[0]!), maxMiB: round(Math.max(...samples)), endMiB: round(rssMiB(pid)) },
      hostCpuSeconds: round(cpuSeconds(pid) - cpu0, 2),
      generatorCpuSeconds: round((selfCpu.user + selfCpu.system) / 1e6, 2)
    }
  } finally {
    clearInterval(timer)
  }
}

const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")

const summary = (r: RunResult) => ({
  requests: r.requests,
  ok: r.ok,
  errors: r.errors,
  statuses: r.statuses,
  seconds: round(r.elapsedMs / 1000, 2),
  perSecond: round(r.rate, 0),
  latencyMs: { p50: round(r.latency.p50, 2), p95: round(r.latency.p95, 2), p99: round(r.latency.p99, 2), max: round(r.latency.max, 1) }
})

// ---------------------------------------------------------------------------------------------- workloads

/** The first message, then the answers that take a new client to PENDING_APPROVAL. */
const ANSWERS = ["Hi, I'd like a tattoo", ...CONSULTATION_ANSWERS]

/**
 * Conversations from distinct numbers. A lead is either waiting for its turn (in the queue) or has one message
 * in flight; its next message goes only after the previous answer, so each conversation stays in order while
 * thousands of them interleave. A finished conversation is replaced by a new number.
 */
class Conversations {
  private readonly ready: Array<{ number: string; step: number }> = []
  private head = 0
  private created = 0
  leadsStarted = 0
  leadsCompleted = 0
  constructor(
    private readonly prefix: string,
    initial: number
  ) {
    for (let i = 0; i < initial; i++) this.ready.push(this.fresh())
  }
  private fresh() {
    this.created++
    return { number: `${this.prefix}${String(this.created).padStart(7, "0")}`, step: 0 }
  }
  next: NextRequest = () => {
    let lead = this.head < this.ready.length ? this.ready[this.head++] : undefined
    if (this.head > 4096 && this.head * 2 > this.ready.length) {
      this.ready.splice(0, this.head)
      this.head = 0
    }
    if (lead === undefined) lead = this.fresh()
    if (lead.step === 0) this.leadsStarted++
    const current = lead
    const body = webhookBody({
      messages: [
        {
          from: current.number,
          id: `wamid.load.${randomUUID()}`,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: "text",
          text: { body: ANSWERS[current.step]! }
        }
      ],
      names: { [current.number]: `Load Client ${current.number.slice(-4)}` }
    })
    return {
      method: "POST",
      path: "/webhooks/whatsapp",
      headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, APP_SECRET) },
      body,
      done: (status) => {
        current.step = status === 200 ? current.step + 1 : current.step
        if (current.step >= ANSWERS.length) {
          this.leadsCompleted++
          this.ready.push(this.fresh())
        } else this.ready.push(current)
      }
    } satisfies LoadRequest
  }
}

const stripeHeader = (payload: string) => {
  const t = Math.floor(Date.now() / 1000)
  return `t=${t},v1=${createHmac("sha256", STRIPE_SECRET).update(`${t}.${payload}`).digest("hex")}`
}

/** `checkout.session.completed` (paid, the locked amount) for seeded AWAITING_DEPOSIT leads, one lead each. */
const stripeEvents = (firstLeadId: number, lastLeadId: number) => {
  let next = firstLeadId
  let wrapped = 0
  const make: NextRequest = () => {
    if (next > lastLeadId) {
      next = firstLeadId
      wrapped++
    }
    const leadId = next++
    const now = Math.floor(Date.now() / 1000)
    const payload = JSON.stringify({
      id: `evt_load_${randomUUID().replace(/-/g, "")}`,
      object: "event",
      api_version: "2025-09-30.clover",
      created: now,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: "checkout.session.completed",
      data: {
        object: {
          id: `cs_test_load${leadId}`,
          object: "checkout.session",
          url: null,
          status: "complete",
          payment_status: "paid",
          amount_total: 5000,
          currency: "gbp",
          expires_at: now + 3600,
          created: now - 120,
          client_reference_id: String(leadId),
          metadata: { lead_id: String(leadId) },
          payment_intent: `pi_load_${leadId}`,
          mode: "payment"
        }
      }
    })
    return {
      method: "POST",
      path: "/webhooks/stripe",
      headers: { "content-type": "application/json", "stripe-signature": stripeHeader(payload) },
      body: payload
    }
  }
  return { next: make, wrapped: () => wrapped }
}

/**
 * Delivery status callbacks for the replies the host sent (Meta posts `sent`, `delivered` and `read` for each),
 * one status per webhook: every message id gets its three in turn.
 */
const statusCallbacks = (sent: ReadonlyArray<{ readonly waMessageId: string; readonly recipient: string }>): NextRequest => {
  let k = 0
  const order = ["sent", "delivered", "read"]
  return () => {
    const message = sent[k % sent.length]!
    const status = order[Math.floor(k / sent.length) % order.length]!
    k++
    const body = webhookBody({
      statuses: [{ id: message.waMessageId, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: message.recipient }]
    })
    return {
      method: "POST",
      path: "/webhooks/whatsapp",
      headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, APP_SECRET) },
      body
    }
  }
}

const adminGet =
  (paths: ReadonlyArray<string>): NextRequest =>
  () => {
    const path = paths[Math.floor(Math.random() * paths.length)]!
    return { method: "GET", path, headers: { "x-admin-api-key": ADMIN_KEY } }
  }

// ---------------------------------------------------------------------------------------------- phases

interface Host {
  readonly child: ChildProcess
  readonly pid: number
  readonly port: number
  readonly logFile: string
}

const startHost = async (graphBaseUrl: string, graphToken: string, workDir: string): Promise<Host> => {
  const port = await freePort()
  const logFile = join(workDir, "host.log")
  const out = openSync(logFile, "a")
  const flags = CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${resolve(CPU_PROF)}`] : []
  const child = spawn(process.execPath, [...flags, "--conditions=@tattoo-bot/source", "--import", "tsx", "src/main.ts"], {
    cwd: hostDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: "production",
      APP_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: LOG_LEVEL,
      WEB_CONCURRENCY: String(WORKERS),
      DATABASE_URL: `postgresql://${PG.user}@${PG.host}:${PG.port}/${DB}`,
      WHATSAPP_DRY_RUN: "false",
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: "load-verify-token",
      WHATSAPP_ACCESS_TOKEN: graphToken,
      WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
      WHATSAPP_API_BASE_URL: graphBaseUrl,
      STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
      ADMIN_API_KEY: ADMIN_KEY,
      // The admin API is measured, not its per-address limiter (the load comes from one address).
      RATE_LIMIT_ADMIN_REQUESTS: "1000000",
      ARTIST_WHATSAPP_NUMBER: ARTIST_NUMBER,
      FEATURE_SHEETS_ENABLED: "false",
      FEATURE_CALENDAR_ENABLED: "false",
      CONFIG_DIR: join(repoRoot, "config"),
      CALENDAR_RULES_PATH: join(repoRoot, "config", "calendar_rules.yml"),
      ...HOST_ENV
    },
    stdio: ["ignore", out, out]
  })
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the host exited with ${child.exitCode}; see ${logFile}`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`)
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the host did not become ready; see ${logFile}`)
    await sleep(250)
  }
  return { child, pid: child.pid!, port, logFile }
}

/** Waits until the outbox has nothing left to send; returns the seconds it took (or the backlog at the timeout). */
const drainOutbox = async (timeoutMs = 180_000) => {
  const started = Date.now()
  for (;;) {
    const pending = Number(await psql("SELECT count(*) FROM outbox WHERE status IN ('PENDING', 'SENDING')"))
    if (pending === 0) return { seconds: round((Date.now() - started) / 1000, 1), left: 0 }
    if (Date.now() - started > timeoutMs) return { seconds: round((Date.now() - started) / 1000, 1), left: pending }
    await sleep(500)
  }
}

const outboxCounts = async () =>
  Object.fromEntries(
    (await psql("SELECT status, count(*) FROM outbox GROUP BY status ORDER BY status"))
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [status, n] = line.split("|")
        return [status!, Number(n)]
      })
  )

const measure = async (pid: number, port: number, next: NextRequest, rate: number) => {
  if (WARMUP_MS > 0) await closedLoop({ port, connections: CONNECTIONS, durationMs: WARMUP_MS, next })
  const closed = await withRss(pid, () => closedLoop({ port, connections: CONNECTIONS, durationMs: DURATION_MS, next }))
  await sleep(1000)
  const open = await withRss(pid, () => openLoop({ port, connections: CONNECTIONS, rate, durationMs: DURATION_MS, next }))
  return {
    closedLoop: { connections: CONNECTIONS, ...summary(closed.value), loadAverageAfter: closed.loadAverageAfter, rss: closed.rss, hostCpuSeconds: closed.hostCpuSeconds, generatorCpuSeconds: closed.generatorCpuSeconds },
    openLoop: {
      offeredPerSecond: rate,
      connections: CONNECTIONS,
      ...summary(open.value),
      dropped: open.value.dropped,
      loadAverageAfter: open.loadAverageAfter,
      rss: open.rss,
      hostCpuSeconds: open.hostCpuSeconds,
      generatorCpuSeconds: open.generatorCpuSeconds
    }
  }
}

const pgbench = async (script: string, clients: number, seconds: number) => {
  const bin = (() => {
    try {
      readFileSync("/usr/lib/postgresql/15/bin/pgbench")
      return "/usr/lib/postgresql/15/bin/pgbench"
    } catch {
      return "pgbench"
    }
  })()
  const args = ["-h", PG.host, "-p", PG.port, "-U", PG.user, "-n", "-M", "extended", "-c", String(clients), "-j", String(Math.min(clients, cpus().length)), "-T", String(seconds), "-f", script, DB]
  const { stdout } = await run(bin, args, { maxBuffer: 16 * 1024 * 1024 })
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)
  const latency = /latency average = ([\d.]+) ms/.exec(stdout)
  return {
    command: `pgbench ${args.slice(6).join(" ").replace(DB, "<db>").replace(script, `apps/host/bench/load/pgbench/${script.split("/").pop()}`)}`,
    tps: tps ? round(Number(tps[1]), 0) : Number.NaN,
    latencyAvgMs: latency ? round(Number(latency[1]), 2) : Number.NaN
  }
}

// ---------------------------------------------------------------------------------------------- main

const children: Array<ChildProcess> = []

/** Stops the children (host, fakes) and drops the database; also on Ctrl-C. */
const cleanup = async () => {
  for (const child of children.splice(0).reverse()) await stopChild(child)
  if (!KEEP_DB) {
    await psql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`, "postgres").catch((e: unknown) => log(`could not drop ${DB}: ${String(e)}`))
  } else log(`kept database ${DB}`)
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the host and dropping ${DB}`)
    void cleanup().finally(() => process.exit(130))
  })
}

const machine = async () => {
  const pgVersion = await psql("SHOW server_version", "postgres").catch(() => "unknown")
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    node: process.version,
    postgresql: pgVersion,
    loadAverageAtStart: loadAverage()
  }
}

const main = async () => {
  const results: Record<string, unknown> = {
    command: `pnpm load ${argv.join(" ")}`.trim(),
    machine: await machine(),
    settings: { durationS: DURATION_MS / 1000, warmupS: WARMUP_MS / 1000, connections: CONNECTIONS, conversations: CONVERSATIONS, workers: WORKERS, rate: RATE, statusRate: STATUS_RATE, stripeRate: STRIPE_RATE, adminRate: ADMIN_RATE, logLevel: LOG_LEVEL }
  }
  const workDir = join(tmpdir(), DB)
  mkdirSync(workDir, { recursive: true })
  let host: Host | undefined
  log(`database ${DB}; logs in ${workDir}`)
  await psql(`CREATE DATABASE ${DB}`, "postgres")
  try {
    // Baseline 1: a bare node:http server answering the same requests.
    if (ONLY.has("baseline")) {
      const bare = await startChild("bench/load/bare-server.ts")
      children.push(bare.child)
      const port = bare.info.port as number
      const pid = bare.child.pid!
      log("baseline: bare node:http server")
      const conversations = new Conversations("4478", CONVERSATIONS)
      results.bareNodeHttp = {
        whatsappShapedPost: await measure(pid, port, conversations.next, RATE),
        adminShapedGet: await measure(pid, port, () => ({ method: "GET", path: "/admin/leads" }), ADMIN_RATE)
      }
      await stopChild(bare.child)
    }

    const graph = await startChild("bench/load/graph-api-server.ts")
    children.push(graph.child)
    host = await startHost(graph.info.baseUrl as string, graph.info.accessToken as string, workDir)
    children.push(host.child)
    log(`host pid ${host.pid} on port ${host.port}; RSS at start ${round(rssMiB(host.pid))} MiB`)
    results.hostRssAtStartMiB = round(rssMiB(host.pid))

    // Baseline 2: PostgreSQL's own rate for our writes, on copies of our tables.
    if (ONLY.has("pgbench")) {
      log("baseline: pgbench")
      await psqlFile(join(here, "pgbench", "setup.sql"))
      results.pgbench = {
        inboundTransaction10Clients: await pgbench(join(here, "pgbench", "inbound.sql"), 10, Math.round(DURATION_MS / 1000)),
        inboundTransaction50Clients: await pgbench(join(here, "pgbench", "inbound.sql"), 50, Math.round(DURATION_MS / 1000)),
        singleInsert10Clients: await pgbench(join(here, "pgbench", "insert.sql"), 10, Math.round(DURATION_MS / 1000))
      }
      await psql("DROP TABLE pgb_outbox, pgb_messages, pgb_processed_messages, pgb_leads")
    }

    let peakInbound = RATE
    if (ONLY.has("whatsapp")) {
      log("POST /webhooks/whatsapp")
      const conversations = new Conversations("4477", CONVERSATIONS)
      const figures = await measure(host.pid, host.port, conversations.next, RATE)
      const drain = await drainOutbox()
      peakInbound = figures.closedLoop.perSecond
      const processed = Number(await psql("SELECT count(*) FROM processed_messages"))
      const leads = await psql("SELECT count(*) || ' leads, ' || count(*) FILTER (WHERE status = 'PENDING_APPROVAL') || ' at PENDING_APPROVAL' FROM leads")
      results.whatsapp = {
        ...figures,
        leadsStarted: conversations.leadsStarted,
        leadsCompleted: conversations.leadsCompleted,
        processedMessages: processed,
        leads,
        outboxDrain: drain,
        outbox: await outboxCounts()
      }
    }

    if (ONLY.has("statuses")) {
      const rows = await psql("SELECT wa_message_id || ' ' || recipient FROM outbox WHERE wa_message_id IS NOT NULL ORDER BY id LIMIT 50000")
      const sent = rows
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [waMessageId, recipient] = line.split(" ")
          return { waMessageId: waMessageId!, recipient: recipient! }
        })
      if (sent.length === 0) {
        log("POST /webhooks/whatsapp (statuses): skipped, no sent message to report on (run the whatsapp phase with it)")
      } else {
        log(`POST /webhooks/whatsapp (statuses) for ${sent.length} sent messages`)
        const figures = await measure(host.pid, host.port, statusCallbacks(sent), STATUS_RATE)
        results.statuses = {
          ...figures,
          messages: sent.length,
          deliveryStatuses: await psql("SELECT s || ':' || n FROM (SELECT coalesce(delivery_status, 'none') AS s, count(*) AS n FROM outbox WHERE wa_message_id IS NOT NULL GROUP BY 1) c ORDER BY 1").then((s) => s.split("\n"))
        }
      }
    }

    if (ONLY.has("stripe")) {
      log("POST /webhooks/stripe: seeding AWAITING_DEPOSIT leads")
      const n = Math.max(20_000, Math.ceil(((STRIPE_RATE + 2000) * (DURATION_MS * 2 + WARMUP_MS)) / 1000))
      const range = await psql(`
        WITH seeded AS (
          INSERT INTO leads (wa_from, client_name, status, deposit_amount_pence, stripe_checkout_session_id, deposit_sent_at,
                             last_client_message_at, last_client_wa_timestamp, status_changed_at)
          SELECT '4476' || lpad(g::text, 8, '0'), 'Deposit Client ' || g, 'AWAITING_DEPOSIT', 5000, NULL, now(), now(),
                 extract(epoch FROM now())::bigint, now()
          FROM generate_series(1, ${n}) g
          RETURNING id)
        SELECT min(id) || ' ' || max(id) FROM seeded`)
      const [first, last] = range.split(" ").map(Number) as [number, number]
      await psql(`UPDATE leads SET stripe_checkout_session_id = 'cs_test_load' || id WHERE id BETWEEN ${first} AND ${last}; ANALYZE leads`)
      const events = stripeEvents(first, last)
      const figures = await measure(host.pid, host.port, events.next, STRIPE_RATE)
      const drain = await drainOutbox()
      results.stripe = {
        ...figures,
        seededLeads: n,
        wrappedAround: events.wrapped(),
        outcomes: await psql("SELECT o || ':' || count(*) FROM (SELECT coalesce(outcome, 'none') AS o FROM stripe_events) e GROUP BY o ORDER BY o").then((s) => s.split("\n")),
        outboxDrain: drain
      }
    }

    if (ONLY.has("admin")) {
      const existing = Number(await psql("SELECT count(*) FROM leads"))
      const add = Math.max(0, ADMIN_LEADS - existing)
      log(`GET /admin/leads: seeding ${add} leads (${existing} exist)`)
      await psql(`
        INSERT INTO leads (wa_from, client_name, status, created_at, updated_at, last_client_message_at)
        SELECT '4475' || lpad(g::text, 8, '0'),
               (ARRAY['Alex','Sam','Jo','Chris','Morgan','Taylor','Jamie','Robin'])[1 + g % 8] || ' ' || g,
               (ARRAY['QUALIFYING','PENDING_APPROVAL','AWAITING_DEPOSIT','BOOKING_PENDING','BOOKED','REJECTED','ABANDONED','STALE','NEEDS_ARTIST_REPLY'])[1 + g % 9],
               now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
        FROM generate_series(1, ${add}) g;
        ANALYZE leads`)
      const total = Number(await psql("SELECT count(*) FROM leads"))
      const firstPage = await measure(host.pid, host.port, adminGet(["/admin/leads"]), ADMIN_RATE)
      const pages = Array.from({ length: 20 }, (_, i) => `/admin/leads?offset=${i * 500}&limit=50`)
      const statusFilter = ["PENDING_APPROVAL", "AWAITING_DEPOSIT", "BOOKED", "NEEDS_ARTIST_REPLY"].map((s) => `/admin/leads?status=${s}`)
      const search = ["Alex 12", "Morgan", "44750000123", "Jo 9"].map((s) => `/admin/leads?search=${encodeURIComponent(s)}`)
      const extra = async (paths: ReadonlyArray<string>) =>
        summary(await closedLoop({ port: host!.port, connections: CONNECTIONS, durationMs: Math.min(DURATION_MS, 10_000), next: adminGet(paths) }))
      results.admin = {
        leads: total,
        firstPage,
        closedLoopPaged: await extra(pages),
        closedLoopStatusFilter: await extra(statusFilter),
        closedLoopSearch: await extra(search)
      }
    }

    if (SOAK_MS > 0) {
      const rate = SOAK_RATE ?? Math.max(1, Math.round(peakInbound / 2))
      log(`soak: ${SOAK_MS / 1000} s at ${rate} msg/s`)
      const conversations = new Conversations("4474", CONVERSATIONS)
      const samples: Array<Record<string, number>> = []
      const started = Date.now()
      const sample = async () => {
        const fd = openFds(host!.pid)
        const pgConnections = Number(await psql(`SELECT count(*) FROM pg_stat_activity WHERE datname = '${DB}'`))
        const pending = Number(await psql("SELECT count(*) FROM outbox WHERE status IN ('PENDING', 'SENDING')"))
        samples.push({ t: Math.round((Date.now() - started) / 1000), rssMiB: round(rssMiB(host!.pid)), pgConnections, fds: fd.fds, sockets: fd.sockets, outboxPending: pending })
      }
      await sample()
      const timer = setInterval(() => void sample(), 10_000)
      const soak = await openLoop({ port: host.port, connections: CONNECTIONS, rate, durationMs: SOAK_MS, next: conversations.next })
      clearInterval(timer)
      await sample()
      const first = samples[0]!
      const last = samples[samples.length - 1]!
      // Growth is read after the first minute (JIT, pools and caches warm up first).
      const settled = samples.find((s) => s.t! >= 60) ?? first
      results.soak = {
        offeredPerSecond: rate,
        ...summary(soak),
        dropped: soak.dropped,
        leadsStarted: conversations.leadsStarted,
        growthAfterFirstMinute: {
          rssMiB: round(last.rssMiB! - settled.rssMiB!),
          pgConnections: last.pgConnections! - settled.pgConnections!,
          fds: last.fds! - settled.fds!,
          sockets: last.sockets! - settled.sockets!
        },
        first,
        last,
        samples
      }
    }
    results.hostRssAtEndMiB = round(rssMiB(host.pid))
  } finally {
    await cleanup()
  }
  const out = option("json") ?? join(workDir, "results.json")
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
  log(`results in ${out}${CPU_PROF ? `; host CPU profile in ${resolve(CPU_PROF)}` : ""}`)
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exit(1)
})
