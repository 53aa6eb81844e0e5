import { describe, expect, it } from "@effect/vitest"
import { Effect, Logger, LogLevel } from "effect"
import { afterAll, beforeAll } from "vitest"
import { type FakeGraphApi, startFakeGraphApi } from "../../../test/fakes/graph-api.js"
import { WhatsAppClient, WhatsAppDryRunLog } from "../src/index.js"

let fake: FakeGraphApi
beforeAll(async () => {
  fake = await startFakeGraphApi()
})
afterAll(() => fake.close())

describe("layerDryRun", () => {
  it.live("records every would-be request, returns wamid.dryrun.<n> ids and sends nothing", () =>
    Effect.gen(function* () {
      const client = yield* WhatsAppClient
      const log = yield* WhatsAppDryRunLog
      const a = yield* client.sendText("+44 7700 900123", "Hello")
      const b = yield* client.sendTemplate("447700900123", { name: "deposit_received_next_steps", bodyParams: ["Jo"] })
      const c = yield* client.sendList("447700900123", {
        body: "Pick one",
        button: "Times",
        sections: [{ rows: [{ id: "s1", title: "Tue 10:00" }] }]
      })
      const d = yield* client.sendButtons("447700900123", { body: "OK?", buttons: [{ id: "y", title: "Yes" }] })
      const media = yield* client.getMedia("m-1")
      const bytes = yield* client.downloadMedia(media.url)
      expect([a, b, c, d].map((r) => r.messageId)).toEqual([
        "wamid.dryrun.1",
        "wamid.dryrun.2",
        "wamid.dryrun.3",
        "wamid.dryrun.4"
      ])
      expect(bytes.byteLength).toBe(0)
      const entries = yield* log.entries
      expect(entries.map((e) => e.kind)).toEqual(["text", "template", "list", "buttons", "getMedia", "downloadMedia"])
      expect(entries[0]?.to).toBe("447700900123")
      expect(entries[1]?.templateName).toBe("deposit_received_next_steps")
      expect(entries[1]?.body).toMatchObject({
        type: "template",
        template: { components: [{ type: "body", parameters: [{ type: "text", text: "Jo" }] }] }
      })
      expect(entries[4]?.target).toBe("m-1")
      // The fake Graph API is running, yet it saw nothing: dry run never leaves the process.
      expect(fake.requests).toHaveLength(0)
    }).pipe(Effect.provide(WhatsAppClient.layerDryRun))
  )

  it.live("clear empties the log while ids keep counting", () =>
    Effect.gen(function* () {
      const client = yield* WhatsAppClient
      const log = yield* WhatsAppDryRunLog
      yield* client.sendText("447700900123", "one")
      yield* log.clear
      expect(yield* log.entries).toEqual([])
      const { messageId } = yield* client.sendText("447700900123", "two")
      expect(messageId).toBe("wamid.dryrun.2")
      expect((yield* log.entries).length).toBe(1)
    }).pipe(Effect.provide(WhatsAppClient.layerDryRun))
  )

  it.live("still validates limits: an invalid message fails and is not recorded", () =>
    Effect.gen(function* () {
      const client = yield* WhatsAppClient
      const log = yield* WhatsAppDryRunLog
      const error = yield* Effect.flip(client.sendButtons("447700900123", { body: "b", buttons: [] }))
      expect(error._tag).toBe("WhatsAppInvalidMessage")
      expect(yield* log.entries).toEqual([])
    }).pipe(Effect.provide(WhatsAppClient.layerDryRun))
  )

  it.live("logs each would-be send with the number masked and the template named", () => {
    const lines: Array<string> = []
    const capture = Logger.make(({ annotations, message }) => {
      lines.push(`${String(message)} ${JSON.stringify(Object.fromEntries(annotations))}`)
    })
    return Effect.gen(function* () {
      const client = yield* WhatsAppClient
      yield* client.sendTemplate("447700900123", { name: "consultation_reminder_2_final", bodyParams: ["there"] })
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain("template consultation_reminder_2_final")
      expect(lines[0]).toContain("+44\u2022\u2022\u2022\u2022\u2022\u2022\u2022123")
      expect(lines[0]).not.toContain("447700900123")
    }).pipe(
      Effect.provide(WhatsAppClient.layerDryRun),
      Effect.provide(Logger.replace(Logger.defaultLogger, capture)),
      Logger.withMinimumLogLevel(LogLevel.Info)
    )
  })

  it.live("each provision starts its own log", () =>
    Effect.gen(function* () {
      const first = yield* Effect.provide(
        Effect.flatMap(WhatsAppClient, (c) => c.sendText("447700900123", "x")),
        WhatsAppClient.layerDryRun
      )
      const second = yield* Effect.provide(
        Effect.flatMap(WhatsAppClient, (c) => c.sendText("447700900123", "x")),
        WhatsAppClient.layerDryRun
      )
      expect(first.messageId).toBe("wamid.dryrun.1")
      expect(second.messageId).toBe("wamid.dryrun.1")
    })
  )
})
