/**
 * `pnpm chat` against a real host: the module's functions (signed webhook posts, replies read back
 * through the admin API) and the CLI itself as a child process driven through stdin.
 */
import { spawn } from "node:child_process"
import { createHmac } from "node:crypto"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { ADMIN_KEY, APP_SECRET, startTestHost, type TestHost } from "../../../test/support/TestHost.js"
import { awaitReplies, makeChat, parseLine, signature, webhookPayload } from "../src/cli/chat.js"

let seq = 0
const newNumber = () => `4476${String(Date.now()).slice(-6)}${String(++seq % 100).padStart(2, "0")}`

/** The texts the host queued for this number's client, oldest first. */
const queuedTexts = async (host: TestHost, from: string) =>
  (
    await host.query<{ body: string }>(
      "SELECT o.payload->'message'->>'body' AS body FROM outbox o JOIN leads l ON l.id = o.lead_id WHERE l.wa_from = $1 AND o.audience = 'client' ORDER BY o.id",
      [from]
    )
  ).map((r) => r.body)

describe("chat payloads", () => {
  it("builds Meta's webhook shape and signs the raw body", () => {
    const payload = webhookPayload({ from: "447700900123", name: "Sam", timestamp: 1_700_000_000, message: { _tag: "Text", text: "hi" } })
    const value = payload.entry[0]!.changes[0]!.value
    expect(payload.object).toBe("whatsapp_business_account")
    expect(value.contacts).toEqual([{ profile: { name: "Sam" }, wa_id: "447700900123" }])
    expect(value.messages[0]).toMatchObject({ from: "447700900123", timestamp: "1700000000", type: "text", text: { body: "hi" } })
    const image = webhookPayload({ from: "447700900123", name: "Sam", timestamp: 1, message: { _tag: "Image", caption: "ref" } }).entry[0]!.changes[0]!.value
      .messages[0] as unknown as { type: string; image: { id: string; mime_type: string; caption: string } }
    expect(image.type).toBe("image")
    expect(image.image).toMatchObject({ mime_type: "image/jpeg", caption: "ref" })
    expect(image.image.id).toMatch(/^\d{15}$/)
    expect(signature("{}", "secret")).toBe(`sha256=${createHmac("sha256", "secret").update("{}").digest("hex")}`)
    expect(signature("{}", "secret")).not.toBe(signature("{}", "other"))
  })

  it("reads commands and messages from typed lines", () => {
    expect(parseLine("  hello there ")).toEqual({ _tag: "Text", text: "hello there" })
    expect(parseLine("/image my reference")).toEqual({ _tag: "Image", caption: "my reference" })
    expect(parseLine("/image")).toEqual({ _tag: "Image", caption: undefined })
    expect(parseLine("/document sketch.pdf")).toEqual({ _tag: "Document", filename: "sketch.pdf" })
    expect(parseLine("/quit")).toEqual({ _tag: "Quit" })
    expect(parseLine("/status")).toEqual({ _tag: "Status" })
    expect(parseLine("/nope")).toEqual({ _tag: "Unknown", command: "/nope" })
    expect(parseLine("   ")).toEqual({ _tag: "Empty" })
  })
})

describe(`pnpm chat against a running host (${databaseKind})`, () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost()
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  it("posts signed messages and returns the bot's replies as they are sent", async () => {
    const from = newNumber()
    const chat = makeChat({ url: host.url, from, name: "Sam", appSecret: APP_SECRET, adminKey: ADMIN_KEY })
    expect(await chat.skipHistory()).toBeUndefined()
    await chat.send({ _tag: "Text", text: "Hi, I'd like a tattoo" })
    const welcome = await awaitReplies(chat, { maxMs: 20_000 })
    expect(welcome.map((r) => r.body)).toEqual(await queuedTexts(host, from))
    expect(welcome.length).toBeGreaterThan(0)
    await chat.send({ _tag: "Text", text: "A dragon on my arm" })
    const next = await awaitReplies(chat, { maxMs: 20_000 })
    expect(next.length).toBeGreaterThan(0)
    // Only the new reply: nothing is printed twice.
    expect([...welcome, ...next].map((r) => r.body)).toEqual(await queuedTexts(host, from))
    expect((await chat.status())?.status).toBe("QUALIFYING")
    // An image is stored as the lead's attachment.
    await chat.send({ _tag: "Image", caption: "like this" })
    const attachments = await host.query<{ caption: string }>("SELECT a.caption FROM attachments a JOIN leads l ON l.id = a.lead_id WHERE l.wa_from = $1", [from])
    expect(attachments).toEqual([{ caption: "like this" }])
  })

  it("says what to fix when the secret or the key is wrong", async () => {
    const from = newNumber()
    const badSecret = makeChat({ url: host.url, from, name: "Sam", appSecret: "wrong", adminKey: ADMIN_KEY })
    await expect(badSecret.send({ _tag: "Text", text: "hi" })).rejects.toThrow(/WHATSAPP_APP_SECRET/)
    const badKey = makeChat({ url: host.url, from, name: "Sam", appSecret: APP_SECRET, adminKey: "wrong" })
    await expect(badKey.newReplies()).rejects.toThrow(/ADMIN_API_KEY/)
    const noHost = makeChat({ url: "http://127.0.0.1:1", from, name: "Sam", appSecret: APP_SECRET, adminKey: ADMIN_KEY })
    await expect(noHost.send({ _tag: "Text", text: "hi" })).rejects.toThrow(/Cannot reach the host/)
  })

  it("runs as a CLI: lines on stdin go out, the bot's replies are printed", async () => {
    const from = newNumber()
    const hostDir = fileURLToPath(new URL("..", import.meta.url))
    const child = spawn(process.execPath, ["--conditions=@tattoo-bot/source", "--import", "tsx", "src/cli/chat.ts", "--url", host.url, "--from", from, "--name", "Sam"], {
      cwd: hostDir,
      env: { PATH: process.env.PATH ?? "", WHATSAPP_APP_SECRET: APP_SECRET, ADMIN_API_KEY: ADMIN_KEY },
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (c) => {
      stdout += String(c)
    })
    child.stderr.on("data", (c) => {
      stderr += String(c)
    })
    child.stdin.end("Hi there\nA dragon on my arm\n/image like this\n/status\n/quit\n")
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve))
    expect([code, stderr]).toEqual([0, ""])
    const queued = await queuedTexts(host, from)
    expect(queued.length).toBeGreaterThanOrEqual(3)
    for (const text of queued) expect(stdout).toContain(`bot> ${text.split("\n").join("\n     ")}`)
    expect(stdout).toContain("you> Hi there")
    expect(stdout).toContain("you> /image like this")
    expect(stdout).toMatch(/\(lead #\d+, status QUALIFYING\)/)
    // The first reply comes after the first message, the second after the second.
    expect(stdout.indexOf(`bot> ${queued[0]!.split("\n")[0]}`)).toBeGreaterThan(stdout.indexOf("you> Hi there"))
    expect(stdout.indexOf(`bot> ${queued[1]!.split("\n")[0]}`)).toBeGreaterThan(stdout.indexOf("you> A dragon on my arm"))
  }, 90_000)
})
