/**
 * A small HTTP load generator on plain `node:http` with a keep-alive agent (no dependencies).
 *
 * - `closedLoop`: `connections` workers, each sending its next request as soon as the previous answer
 *   came back, for `durationMs` → throughput (requests/s). Its latency is mostly queueing (connections ÷
 *   throughput), so it is reported but not the latency figure.
 * - `openLoop`: requests are started on a fixed schedule (`rate` per second) whatever the answers do, over at
 *   most `connections` sockets. Latency is measured from each request's *scheduled* start, so a stalled
 *   server is charged for the requests that queued behind it (no coordinated omission).
 */
import { Agent, request as httpRequest } from "node:http"

/** One request to send; `done` is told the status (0 for a network error) when the answer is complete. */
export interface LoadRequest {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly headers?: Record<string, string>
  readonly body?: string
  readonly done?: (status: number, body: string) => void
  /** Collect the answer body for `done` (default: drained without reading). */
  readonly readBody?: boolean
}

/** Produces the next request; `undefined` means "nothing to send right now" (the worker waits a little). */
export type NextRequest = () => LoadRequest | undefined

export interface RunResult {
  readonly requests: number
  readonly ok: number
  readonly errors: number
  readonly statuses: Record<string, number>
  readonly elapsedMs: number
  /** Completed requests per second. */
  readonly rate: number
  readonly latency: Percentiles
}

export interface Percentiles {
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly max: number
  readonly mean: number
}

/** Latencies in milliseconds, grown as needed. */
class Samples {
  private data = new Float64Array(1 << 16)
  length = 0
  push(value: number) {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }
  percentiles(): Percentiles {
    const sorted = this.data.slice(0, this.length).sort()
    const at = (q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!)
    let sum = 0
    for (const v of sorted) sum += v
    return {
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
      max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
      mean: sorted.length === 0 ? Number.NaN : sum / sorted.length
    }
  }
}

const send = (agent: Agent, port: number, req: LoadRequest): Promise<{ status: number; body: string }> =>
  new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...req.headers }
    if (req.body !== undefined) headers["content-length"] = Buffer.byteLength(req.body)
    const r = httpRequest({ host: "127.0.0.1", port, method: req.method, path: req.path, agent, headers }, (res) => {
      const chunks: Array<Buffer> = []
      if (req.readBody) res.on("data", (c: Buffer) => chunks.push(c))
      else res.resume()
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: req.readBody ? Buffer.concat(chunks).toString("utf8") : "" }))
      res.on("error", () => resolve({ status: 0, body: "" }))
    })
    r.on("error", () => resolve({ status: 0, body: "" }))
    if (req.body !== undefined) r.write(req.body)
    r.end()
  })

const result = (samples: Samples, statuses: Map<number, number>, started: number): RunResult => {
  const elapsedMs = performance.now() - started
  let ok = 0
  let errors = 0
  const byStatus: Record<string, number> = {}
  for (const [status, n] of statuses) {
    byStatus[String(status)] = n
    if (status >= 200 && status < 300) ok += n
    else errors += n
  }
  return { requests: ok + errors, ok, errors, statuses: byStatus, elapsedMs, rate: ((ok + errors) * 1000) / elapsedMs, latency: samples.percentiles() }
}

const count = (statuses: Map<number, number>, status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1)

/** `connections` workers each sending back to back for `durationMs`. */
export const closedLoop = async (options: { readonly port: number; readonly connections: number; readonly durationMs: number; readonly next: NextRequest }): Promise<RunResult> => {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections })
  const samples = new Samples()
  const statuses = new Map<number, number>()
  const started = performance.now()
  const deadline = started + options.durationMs
  const worker = async () => {
    while (performance.now() < deadline) {
      const req = options.next()
      if (req === undefined) {
        await new Promise((r) => setTimeout(r, 1))
        continue
      }
      const t0 = performance.now()
      const answer = await send(agent, options.port, req)
      samples.push(performance.now() - t0)
      count(statuses, answer.status)
      req.done?.(answer.status, answer.body)
    }
  }
  await Promise.all(Array.from({ length: options.connections }, worker))
  const out = result(samples, statuses, started)
  agent.destroy()
  return out
}

/** Requests started at `rate` per second for `durationMs`, over at most `connections` sockets. */
export const openLoop = async (options: {
  readonly port: number
  readonly connections: number
  readonly rate: number
  readonly durationMs: number
  readonly next: NextRequest
  /**
   * At most this many requests started but unanswered (default: 2 seconds' worth, at least 4 per connection).
   * Beyond it the schedule's requests are dropped and counted, so a server that cannot keep up ends the run on
   * time instead of queueing minutes of work; any drop means the server did not sustain the rate.
   */
  readonly maxBacklog?: number
}): Promise<RunResult & { readonly offered: number; readonly skipped: number; readonly dropped: number }> => {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections })
  const samples = new Samples()
  const statuses = new Map<number, number>()
  const started = performance.now()
  const total = Math.floor((options.rate * options.durationMs) / 1000)
  const interval = 1000 / options.rate
  const maxBacklog = options.maxBacklog ?? Math.max(options.connections * 4, options.rate * 2)
  let issued = 0
  let skipped = 0
  let dropped = 0
  const inflight = new Set<Promise<void>>()
  await new Promise<void>((resolveAll) => {
    const tick = () => {
      const now = performance.now()
      const due = Math.min(total, Math.floor((now - started) / interval) + 1)
      while (issued < due) {
        const scheduled = started + issued * interval
        issued++
        if (inflight.size >= maxBacklog) {
          dropped++
          continue
        }
        const req = options.next()
        if (req === undefined) {
          skipped++
          continue
        }
        const p = send(agent, options.port, req).then((answer) => {
          samples.push(performance.now() - scheduled)
          count(statuses, answer.status)
          req.done?.(answer.status, answer.body)
          inflight.delete(p)
        })
        inflight.add(p)
      }
      if (issued >= total) resolveAll()
      else setTimeout(tick, Math.max(0, Math.min(interval, started + issued * interval - performance.now())))
    }
    tick()
  })
  await Promise.all(inflight)
  const out = result(samples, statuses, started)
  agent.destroy()
  return { ...out, offered: total, skipped, dropped }
}
