import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { webhookBody } from "../../../test/fakes/graph-api.js"
import { decodeWebhookPayload, messageText, statusFailure, WebhookPayload, webhookEvents } from "../src/index.js"
import { CLIENT, envelope, messages, OTHER_CLIENT, PHONE_NUMBER_ID, statuses } from "./fixtures/webhooks.js"

const decode = (body: unknown) => {
  const result = decodeWebhookPayload(typeof body === "string" ? body : JSON.stringify(body))
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

const allMessages = Object.values(messages)

describe("WebhookPayload", () => {
  it("decodes a payload holding one message of every type, with their fields", () => {
    const payload = decode(
      envelope({ contacts: [{ profile: { name: "Jo Bloggs" }, wa_id: CLIENT }], messages: allMessages })
    )
    const change = payload.entry[0]?.changes[0]
    if (change?.field !== "messages") throw new Error("expected a messages change")
    const decoded = (change.value as { messages: ReadonlyArray<{ type: string }> }).messages
    expect(decoded.map((m) => m.type)).toEqual([
      "text",
      "image",
      "document",
      "audio",
      "video",
      "sticker",
      "location",
      "contacts",
      "interactive",
      "interactive",
      "button",
      "reaction",
      "unsupported",
      "unsupported"
    ])
    const events = webhookEvents(payload)
    const byId = new Map(events.map((e) => [e.id, e]))
    const text = byId.get("wamid.TEXT")
    expect(text?._tag === "Message" && text.message.type === "text" && text.message.text.body).toBe(
      "Hi, I'd like a tattoo 🐍"
    )
    // Timestamps arrive as strings and decode to numbers.
    expect(text?.timestamp).toBe(1764590400)
    const image = byId.get("wamid.IMAGE")
    expect(image?._tag === "Message" && image.message.type === "image" && image.message.image).toEqual({
      caption: "Reference for the sleeve",
      mime_type: "image/jpeg",
      sha256: messages.image.image.sha256,
      id: "1037543291543636"
    })
    const doc = byId.get("wamid.DOC")
    expect(doc?._tag === "Message" && doc.message.type === "document" && doc.message.document.filename).toBe(
      "sketch.pdf"
    )
    const location = byId.get("wamid.LOCATION")
    expect(location?._tag === "Message" && location.message.type === "location" && location.message.location).toMatchObject({
      latitude: 51.5072,
      longitude: -0.1276
    })
    const list = byId.get("wamid.LIST")
    expect(
      list?._tag === "Message" &&
        list.message.type === "interactive" &&
        list.message.interactive.type === "list_reply" &&
        list.message.interactive.list_reply.id
    ).toBe("slot-2")
    expect(list?._tag === "Message" && list.message.context?.id).toBe("wamid.OUR_LIST")
    const buttonReply = byId.get("wamid.BUTTONREPLY")
    expect(
      buttonReply?._tag === "Message" &&
        buttonReply.message.type === "interactive" &&
        buttonReply.message.interactive.type === "button_reply" &&
        buttonReply.message.interactive.button_reply
    ).toEqual({ id: "cover-no", title: "No" })
    const templateButton = byId.get("wamid.BUTTON")
    expect(templateButton?._tag === "Message" && templateButton.message.type === "button" && templateButton.message.button.payload).toBe(
      "continue"
    )
    const reaction = byId.get("wamid.REACTION")
    expect(reaction?._tag === "Message" && reaction.message.type === "reaction" && reaction.message.reaction).toEqual({
      message_id: "wamid.OUR_TEXT",
      emoji: "👍"
    })
    const contacts = byId.get("wamid.CONTACTS")
    expect(contacts?._tag === "Message" && contacts.message.type === "contacts" && contacts.message.contacts[0]?.phones?.[0]?.wa_id).toBe(
      "447700900999"
    )
  })

  it("decodes unknown and future types as unsupported, keeping the original type and errors", () => {
    const events = webhookEvents(decode(envelope({ messages: [messages.unsupported, messages.futureType] })))
    const [unsupported, future] = events
    expect(unsupported?._tag === "Message" && unsupported.message).toMatchObject({
      type: "unsupported",
      originalType: "unsupported",
      errors: [{ code: 131051 }]
    })
    expect(future?._tag === "Message" && future.message).toMatchObject({ type: "unsupported", originalType: "hologram" })
  })

  it("one malformed message does not reject the others in its payload", () => {
    const broken = { from: CLIENT, id: "wamid.BROKEN", timestamp: "1764590400", type: "text", text: { wrong: 1 } }
    const events = webhookEvents(decode(envelope({ messages: [broken, messages.text] })))
    expect(events.map((e) => e._tag === "Message" && e.message.type)).toEqual(["unsupported", "text"])
    expect(events[0]?._tag === "Message" && events[0].message).toMatchObject({ originalType: "text" })
  })

  it("decodes status callbacks, including failed ones with Meta's error", () => {
    const events = webhookEvents(decode(envelope({ statuses: Object.values(statuses) })))
    expect(events.map((e) => e._tag === "Status" && e.status.status)).toEqual(["sent", "delivered", "read", "failed"])
    const failed = events[3]
    expect(failed?._tag === "Status" && failed.status.errors?.[0]).toMatchObject({
      code: 131047,
      title: "Re-engagement message"
    })
    expect(failed?._tag === "Status" && failed.recipientId).toBe(CLIENT)
    expect(events[1]?._tag === "Status" && events[1].status.conversation?.expiration_timestamp).toBe(1764676800)
  })

  it("decodes a status value it does not know as unknown instead of rejecting the delivery", () => {
    const events = webhookEvents(decode(envelope({ statuses: [{ ...statuses.read, status: "deleted" }] })))
    expect(events[0]?._tag === "Status" && events[0].status.status).toBe("unknown")
  })

  it("passes changes of other fields through without requiring a messages shape", () => {
    const payload = decode({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            { field: "message_template_status_update", value: { event: "APPROVED", message_template_name: "x" } },
            envelope({ messages: [messages.text] }).entry[0]?.changes[0]
          ]
        }
      ]
    })
    expect(webhookEvents(payload).map((e) => e.id)).toEqual(["wamid.TEXT"])
  })

  it("round-trips through encode (unsupported messages get their original type back)", () => {
    const payload = decode(envelope({ messages: [messages.futureType, messages.text], statuses: [statuses.read] }))
    const encoded = Schema.encodeSync(WebhookPayload)(payload)
    const value = encoded.entry[0]?.changes[0]?.value as { messages: Array<{ type: string; timestamp: unknown }> }
    expect(value.messages[0]?.type).toBe("hologram")
    expect(value.messages[1]?.timestamp).toBe("1764590400")
  })

  it("rejects malformed JSON with a readable message", () => {
    const result = decodeWebhookPayload('{"object": "whatsapp_business_account", "entry": [')
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("WebhookPayloadInvalid")
      expect(result.left.message).toMatch(/^Invalid WhatsApp webhook payload: .*JSON/)
    }
  })

  it("rejects a wrong envelope and names the path", () => {
    const noMetadata = {
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", messages: [] } }] }]
    }
    for (const [body, path] of [
      [{ object: "page", entry: [] }, "object"],
      [noMetadata, "entry[0].changes[0].value.metadata"],
      [envelope({ statuses: [{ ...statuses.read, timestamp: "yesterday" }] }), "entry[0].changes[0].value.statuses[0].timestamp"]
    ] as const) {
      const result = decodeWebhookPayload(JSON.stringify(body))
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left.issues.map((i) => i.path)).toContain(path)
        expect(result.left.message).toBe(`Invalid WhatsApp webhook payload: ${path}: ${result.left.issues[0]?.message}`)
      }
    }
  })

  it("accepts the raw bytes as well as the text", () => {
    const text = JSON.stringify(envelope({ messages: [messages.text] }))
    const fromBytes = decodeWebhookPayload(new TextEncoder().encode(text))
    expect(fromBytes).toEqual(decodeWebhookPayload(text))
  })
})

describe("webhookEvents", () => {
  it("flattens several messages and statuses, sorted by timestamp (stable), across entries", () => {
    const payload = decode({
      object: "whatsapp_business_account",
      entry: [
        envelope({
          contacts: [
            { profile: { name: "Jo" }, wa_id: CLIENT },
            { profile: { name: "Sam" }, wa_id: OTHER_CLIENT }
          ],
          messages: [
            { ...messages.text, id: "m-late", timestamp: "300" },
            { ...messages.text, id: "m-early", timestamp: "100", from: OTHER_CLIENT },
            { ...messages.text, id: "m-tie-a", timestamp: "200" },
            { ...messages.text, id: "m-tie-b", timestamp: "200" }
          ]
        }).entry[0],
        envelope({ statuses: [{ ...statuses.read, id: "s-mid", timestamp: "250" }] }).entry[0]
      ]
    })
    const events = webhookEvents(payload)
    expect(events.map((e) => e.id)).toEqual(["m-early", "m-tie-a", "m-tie-b", "s-mid", "m-late"])
    expect(events.map((e) => e.timestamp)).toEqual([100, 200, 200, 250, 300])
    const early = events[0]
    expect(early?._tag === "Message" && early.from).toBe(OTHER_CLIENT)
    expect(early?.contactName).toBe("Sam")
    expect(events[1]?.contactName).toBe("Jo")
    for (const e of events) expect(e.phoneNumberId).toBe(PHONE_NUMBER_ID)
  })

  it("gives a null contact name when Meta sent none", () => {
    const events = webhookEvents(decode(envelope({ messages: [messages.text] })))
    expect(events[0]?.contactName).toBeNull()
    expect(events[0]?.businessAccountId).toBe("102290129340398")
  })

  it("reads the fake's webhookBody builder, so host tests can rely on it", () => {
    const body = webhookBody({
      messages: [{ ...messages.text }],
      statuses: [{ ...statuses.delivered }],
      names: { [CLIENT]: "Jo" }
    })
    const events = webhookEvents(decode(body))
    expect(events.map((e) => [e._tag, e.contactName])).toEqual([
      ["Message", "Jo"],
      ["Status", "Jo"]
    ])
  })
})

describe("messageText", () => {
  it("finds the words wherever Meta puts them (captions inside the media object)", () => {
    const events = webhookEvents(decode(envelope({ messages: allMessages })))
    const texts = Object.fromEntries(
      events.flatMap((e) => (e._tag === "Message" ? [[e.id, messageText(e.message)]] : []))
    )
    expect(texts).toEqual({
      "wamid.TEXT": "Hi, I'd like a tattoo 🐍",
      "wamid.IMAGE": "Reference for the sleeve",
      "wamid.DOC": "my sketch",
      "wamid.AUDIO": undefined,
      "wamid.VIDEO": "placement",
      "wamid.STICKER": undefined,
      "wamid.LOCATION": undefined,
      "wamid.CONTACTS": undefined,
      "wamid.LIST": "Wed 2 Dec 14:00",
      "wamid.BUTTONREPLY": "No",
      "wamid.BUTTON": "Continue",
      "wamid.REACTION": "👍",
      "wamid.UNSUPPORTED": undefined,
      "wamid.FUTURE": undefined
    })
  })
})

describe("statusFailure", () => {
  it("maps a failed status to the same typed error a failed send would give", () => {
    const events = webhookEvents(
      decode(
        envelope({
          statuses: [
            statuses.failed,
            {
              ...statuses.failed,
              id: "wamid.OUT3",
              errors: [{ code: 131056, title: "(Business Account, Consumer Account) pair rate limit hit" }]
            },
            { ...statuses.failed, id: "wamid.OUT4", errors: undefined },
            statuses.delivered
          ]
        })
      )
    )
    // Events come sorted by time (delivered first here), so look them up by id and status.
    const failureOf = (id: string, status: string) => {
      const event = events.find((e) => e._tag === "Status" && e.id === id && e.status.status === status)
      if (event?._tag !== "Status") throw new Error(`no ${status} status for ${id}`)
      return statusFailure(event.status)
    }
    const failures = [
      failureOf("wamid.OUT2", "failed"),
      failureOf("wamid.OUT3", "failed"),
      failureOf("wamid.OUT4", "failed"),
      failureOf("wamid.OUT1", "delivered")
    ]
    expect(failures[0]?._tag).toBe("WhatsAppWindowClosed")
    expect(failures[0]?.code).toBe(131047)
    expect(failures[0]?.details).toBe(statuses.failed.errors[0].error_data.details)
    expect(failures[1]?._tag === "WhatsAppRateLimited" && failures[1].scope).toBe("pair")
    expect(failures[2]?._tag).toBe("WhatsAppRequestRejected")
    expect(failures[3]).toBeUndefined()
  })
})
