/**
 * `pnpm chat`: play the client in the terminal against a running host. Each line you type is
 * posted to `POST /webhooks/whatsapp` as Meta would post it (same JSON shape, signed with
 * `X-Hub-Signature-256`), and the bot's replies are printed as the host sends them (read back
 * through the admin API: the lead found by your number, then its outbound messages).
 *
 *   pnpm chat [--url http://localhost:8000] [--from 447700900123] [--name "Sam"]
 *
 * Reads `WHATSAPP_APP_SECRET` (else the host's development default) and `ADMIN_API_KEY`.
 * Commands: /image [caption], /document [file name], /status, /help, /quit.
 */
import { createHmac, randomBytes, randomInt } from "node:crypto"
import { createInterface } from "node:readline"
import { pathToFileURL } from "node:url"
import { parseArgs } from "node:util"
import { DEVELOPMENT_APP_SECRET } from "../config/AppConfig.js"

export interface ChatOptions {
  /** The host's base URL, e.g. `http://localhost:8000`. */
  readonly url: string
  /** The client's WhatsApp number (digits, international format). */
  readonly from: string
  /** The WhatsApp profile name sent with each message. */
  readonly name: string
  readonly appSecret: string
  readonly adminKey: string | undefined
}

/** One outbound message of the bot, as the admin API shows it. */
export interface BotReply {
  readonly id: number
  readonly kind: string
  readonly body: string
  readonly leadId: number
}

/** What the client sends: a text, or a media message (a reference image or document). */
export type ClientMessage =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "Image"; readonly caption?: string | undefined }
  | { readonly _tag: "Document"; readonly filename: string; readonly caption?: string | undefined }

/** A problem the person at the terminal can fix (wrong URL, key or secret). */
export class ChatError extends Error {
  override readonly name = "ChatError"
}

const wamid = () => `wamid.HBgM${randomBytes(18).toString("hex").toUpperCase()}`

/** A media id shaped like Meta's (15 digits). */
const mediaId = () => `${randomInt(100_000, 1_000_000)}${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`

/** Meta's webhook body for one message from `from` (one entry, one `messages` change, the contact). */
export const webhookPayload = (options: { readonly from: string; readonly name: string; readonly timestamp: number; readonly message: ClientMessage }) => {
  const base = { from: options.from, id: wamid(), timestamp: String(options.timestamp) }
  const message = (() => {
    switch (options.message._tag) {
      case "Text":
        return { ...base, type: "text", text: { body: options.message.text } }
      case "Image":
        return {
          ...base,
          type: "image",
          image: {
            id: mediaId(),
            mime_type: "image/jpeg",
            sha256: randomBytes(32).toString("base64"),
            ...(options.message.caption ? { caption: options.message.caption } : {})
          }
        }
      case "Document":
        return {
          ...base,
          type: "document",
          document: {
            id: mediaId(),
            mime_type: "application/pdf",
            sha256: randomBytes(32).toString("base64"),
            filename: options.message.filename,
            ...(options.message.caption ? { caption: options.message.caption } : {})
          }
        }
    }
  })()
  return {
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
              contacts: [{ profile: { name: options.name }, wa_id: options.from }],
              messages: [message]
            }
          }
        ]
      }
    ]
  }
}

/** The `X-Hub-Signature-256` header for a raw body. */
export const signature = (rawBody: string, appSecret: string) => `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`

/** A client conversation with a running host: send messages, collect the bot's new replies. */
export const makeChat = (options: ChatOptions) => {
  const seen = new Set<number>()
  let lastTimestamp = 0
  let leadId: number | undefined

  const request = async (path: string, init: RequestInit = {}) => {
    try {
      return await fetch(`${options.url}${path}`, init)
    } catch (error) {
      throw new ChatError(`Cannot reach the host at ${options.url} (${(error as Error).message}). Start it with: npx -y pnpm@10 start`)
    }
  }

  const admin = async <A>(path: string): Promise<A> => {
    const res = await request(path, { headers: options.adminKey ? { "x-admin-api-key": options.adminKey } : {} })
    if (res.status === 401 || res.status === 403) {
      throw new ChatError(`The admin API refused the key (${res.status}): set ADMIN_API_KEY to the host's value to see the bot's replies.`)
    }
    if (!res.ok) throw new ChatError(`GET ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
    return (await res.json()) as A
  }

  /** The newest lead for this number, if there is one. */
  const findLead = async () => {
    const list = await admin<{ leads: Array<{ id: number; wa_from: string; status: string }> }>(
      `/admin/leads?search=${encodeURIComponent(options.from)}&limit=20`
    )
    return list.leads.find((l) => l.wa_from === options.from)
  }

  const outbound = async (id: number) => {
    const detail = await admin<{ status: string; messages: Array<{ id: number; direction: string; kind: string; body: string | null }> }>(`/admin/leads/${id}`)
    return { status: detail.status, messages: detail.messages.filter((m) => m.direction === "out") }
  }

  return {
    options,
    /** Marks every reply already sent as seen (so a resumed conversation starts quiet); returns the lead and its last reply. */
    skipHistory: async () => {
      const lead = await findLead()
      if (lead === undefined) return undefined
      leadId = lead.id
      const messages = (await outbound(lead.id)).messages
      for (const m of messages) seen.add(m.id)
      return { ...lead, lastReply: messages.at(-1)?.body ?? null }
    },
    /** Posts one signed message to the webhook; throws a ChatError when the host refuses it. */
    send: async (message: ClientMessage) => {
      lastTimestamp = Math.max(Math.floor(Date.now() / 1000), lastTimestamp)
      const body = JSON.stringify(webhookPayload({ from: options.from, name: options.name, timestamp: lastTimestamp, message }))
      const res = await request("/webhooks/whatsapp", {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signature(body, options.appSecret) },
        body
      })
      if (res.status === 403) {
        throw new ChatError("The host refused the signature (403): set WHATSAPP_APP_SECRET to the host's value.")
      }
      if (!res.ok) throw new ChatError(`The webhook answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
      return (await res.json()) as { results: Array<{ outcome: string; lead_id?: number }> }
    },
    /** The bot's replies sent since the last call (oldest first). */
    newReplies: async (): Promise<Array<BotReply>> => {
      const lead = await findLead()
      if (lead === undefined) return []
      leadId = lead.id
      const fresh = (await outbound(lead.id)).messages.filter((m) => !seen.has(m.id))
      for (const m of fresh) seen.add(m.id)
      return fresh.map((m) => ({ id: m.id, kind: m.kind, body: m.body ?? "", leadId: lead.id }))
    },
    /** The lead's id and status, for `/status`. */
    status: async () => {
      const lead = await findLead()
      return lead === undefined ? undefined : { id: lead.id, status: lead.status }
    },
    get leadId() {
      return leadId
    }
  }
}

export type Chat = ReturnType<typeof makeChat>

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Waits for the bot's answer: polls until at least one new reply has arrived and nothing more came
 * for `quietMs`, or until `maxMs` passes (some messages get no reply, e.g. in panic mode or after STOP).
 */
export const awaitReplies = async (chat: Chat, options: { readonly quietMs?: number; readonly maxMs?: number; readonly intervalMs?: number } = {}) => {
  const quietMs = options.quietMs ?? 1200
  const deadline = Date.now() + (options.maxMs ?? 8000)
  const replies: Array<BotReply> = []
  let lastArrival = 0
  while (Date.now() < deadline) {
    const fresh = await chat.newReplies()
    if (fresh.length > 0) {
      replies.push(...fresh)
      lastArrival = Date.now()
    } else if (replies.length > 0 && Date.now() - lastArrival >= quietMs) {
      break
    }
    await sleep(options.intervalMs ?? 250)
  }
  return replies
}

/** Parses one typed line into a message or a command. */
export const parseLine = (
  line: string
): ClientMessage | { readonly _tag: "Quit" } | { readonly _tag: "Help" } | { readonly _tag: "Status" } | { readonly _tag: "Empty" } | { readonly _tag: "Unknown"; readonly command: string } => {
  const trimmed = line.trim()
  if (trimmed === "") return { _tag: "Empty" }
  if (!trimmed.startsWith("/")) return { _tag: "Text", text: trimmed }
  const [command = "", ...rest] = trimmed.split(/\s+/)
  const arg = rest.join(" ")
  switch (command.toLowerCase()) {
    case "/quit":
    case "/exit":
      return { _tag: "Quit" }
    case "/help":
      return { _tag: "Help" }
    case "/status":
      return { _tag: "Status" }
    case "/image":
    case "/photo":
      return { _tag: "Image", caption: arg || undefined }
    case "/document":
    case "/doc":
      return { _tag: "Document", filename: arg || "reference.pdf" }
    default:
      return { _tag: "Unknown", command }
  }
}

const HELP = `Type a message and press Enter to send it as the client.
  /image [caption]      send a photo (a reference image)
  /document [file name] send a PDF document
  /status               show your lead's id and status
  /quit                 leave (the conversation stays on the host)`

const indent = (text: string) => text.split("\n").join("\n     ")

/** The terminal program: reads lines from stdin until /quit or end of input. */
export const runChat = async (options: ChatOptions, io: { readonly input: NodeJS.ReadableStream; readonly output: NodeJS.WritableStream; readonly echo: boolean }) => {
  const out = (line: string) => io.output.write(`${line}\n`)
  const chat = makeChat(options)
  const printReplies = (replies: ReadonlyArray<BotReply>) => {
    for (const r of replies) out(`bot> ${indent(r.body)}`)
  }
  out(`Tattoo Booking Bot chat: you are +${options.from} (${options.name}), talking to ${options.url}`)
  const existing = await chat.skipHistory()
  if (existing !== undefined) {
    out(`(continuing lead #${existing.id}, status ${existing.status}${existing.lastReply === null ? "" : "; the bot's last message:"})`)
    if (existing.lastReply !== null) out(`bot> ${indent(existing.lastReply)}`)
  }
  out("Type a message, or /help for commands.")
  const rl = createInterface({ input: io.input, terminal: false })
  let busy = false
  // Replies that arrive while you are typing (an approval, a reminder) are printed too.
  const idle = setInterval(() => {
    if (busy) return
    busy = true
    chat
      .newReplies()
      .then(printReplies, () => undefined)
      .finally(() => {
        busy = false
      })
  }, 2000)
  try {
    for await (const line of rl) {
      const parsed = parseLine(line)
      if (parsed._tag === "Empty") continue
      if (io.echo) out(`you> ${line.trim()}`)
      if (parsed._tag === "Quit") break
      if (parsed._tag === "Help") {
        out(HELP)
        continue
      }
      if (parsed._tag === "Unknown") {
        out(`Unknown command ${parsed.command}. ${HELP}`)
        continue
      }
      while (busy) await sleep(20)
      busy = true
      try {
        if (parsed._tag === "Status") {
          const status = await chat.status()
          out(status === undefined ? "(no lead yet: send a message first)" : `(lead #${status.id}, status ${status.status})`)
          continue
        }
        await chat.send(parsed)
        printReplies(await awaitReplies(chat))
      } finally {
        busy = false
      }
    }
  } finally {
    clearInterval(idle)
    rl.close()
  }
  const status = await chat.status().catch(() => undefined)
  if (status !== undefined) out(`(lead #${status.id} is ${status.status}; see it with: curl ${options.url}/admin/leads/${status.id})`)
}

/** A random UK test number (07700 900xxx is reserved for drama, so it is nobody's). */
const randomNumber = () => `447700900${String(randomInt(0, 1000)).padStart(3, "0")}`

const main = async () => {
  const { values } = parseArgs({
    options: {
      url: { type: "string", default: process.env.CHAT_HOST_URL ?? "http://localhost:8000" },
      from: { type: "string" },
      name: { type: "string", default: "Chat Tester" },
      help: { type: "boolean", short: "h", default: false }
    },
    allowPositionals: false
  })
  if (values.help) {
    process.stdout.write(`pnpm chat [--url http://localhost:8000] [--from 447700900123] [--name "Sam"]\n${HELP}\n`)
    return
  }
  const from = (values.from ?? randomNumber()).replace(/[\s+()-]/g, "")
  if (!/^\d{8,15}$/.test(from)) throw new ChatError(`--from must be a phone number in international format, got "${values.from}"`)
  await runChat(
    {
      url: values.url.replace(/\/+$/, ""),
      from,
      name: values.name,
      appSecret: process.env.WHATSAPP_APP_SECRET?.trim() || DEVELOPMENT_APP_SECRET,
      adminKey: process.env.ADMIN_API_KEY?.trim() || undefined
    },
    { input: process.stdin, output: process.stdout, echo: !process.stdin.isTTY }
  )
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof ChatError ? error.message : String((error as Error)?.stack ?? error)}\n`)
      process.exit(1)
    }
  )
}
