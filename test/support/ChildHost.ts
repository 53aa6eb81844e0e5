/**
 * The real host as a child process (`node --conditions=@tattoo-bot/source --import tsx
 * apps/host/src/main.ts`), for tests that kill it (SIGKILL) or run two instances on one database.
 * Its stdout (the JSON log) is recorded line by line.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { signBody, webhookBody, type WebhookMessageInput } from "../fakes/graph-api.js"
import { type LogCapture, lineRecorder } from "./LogCapture.js"
import { freePort } from "./PrivatePostgres.js"
import { APP_SECRET, baseEnv } from "./TestHost.js"

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..")

export interface ChildHost {
  readonly url: string
  readonly port: number
  readonly process: ChildProcess
  /** The host's stdout, line by line (all lives of this host). */
  readonly log: LogCapture
  /** The host's stderr (start-up failures are written there). */
  readonly stderr: () => string
  /** Posts a signed WhatsApp webhook. */
  readonly whatsapp: (input: { messages?: ReadonlyArray<WebhookMessageInput>; names?: Record<string, string> }) => Promise<Response>
  /** SIGKILL, and wait for the exit. */
  readonly kill: () => Promise<void>
  /** SIGTERM, and wait for the exit. */
  readonly stop: () => Promise<void>
}

const waitForListening = (child: ChildProcess, url: string, timeoutMs: number, stderr: () => string) =>
  new Promise<void>((resolvePromise, reject) => {
    const deadline = Date.now() + timeoutMs
    let exited = false
    child.once("exit", (code) => {
      exited = true
      reject(new Error(`host exited with ${code} before listening: ${stderr().slice(-2000)}`))
    })
    const poll = async () => {
      if (exited) return
      try {
        const res = await fetch(`${url}/health`)
        if (res.ok) return resolvePromise()
      } catch {
        // Not up yet.
      }
      if (Date.now() > deadline) return reject(new Error(`host not listening within ${timeoutMs} ms: ${stderr().slice(-2000)}`))
      setTimeout(poll, 100)
    }
    void poll()
  })

/** Starts a host process with `baseEnv` + `env` on a free port; resolves when `/health` answers. */
export const startChildHost = async (env: Record<string, string>, options: { log?: LogCapture; port?: number } = {}): Promise<ChildHost> => {
  const port = options.port ?? (await freePort())
  const url = `http://127.0.0.1:${port}`
  const log = options.log ?? lineRecorder()
  let errText = ""
  const fullEnv: Record<string, string> = { ...baseEnv, LOG_LEVEL: "info", ...env, PORT: String(port) }
  const child = spawn(process.execPath, ["--conditions=@tattoo-bot/source", "--import", "tsx", "src/main.ts"], {
    cwd: resolve(repoRoot, "apps/host"),
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...fullEnv },
    stdio: ["ignore", "pipe", "pipe"]
  })
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => log.add(chunk))
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    errText += chunk
  })
  const exited = new Promise<void>((r) => child.once("exit", () => r()))
  await waitForListening(child, url, 90_000, () => errText)
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig)
    await exited
  }
  return {
    url,
    port,
    process: child,
    log,
    stderr: () => errText,
    whatsapp: (input) => {
      const body = webhookBody(input)
      return fetch(`${url}/webhooks/whatsapp`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, fullEnv.WHATSAPP_APP_SECRET ?? APP_SECRET) },
        body
      })
    },
    kill: () => signal("SIGKILL"),
    stop: () => signal("SIGTERM")
  }
}

