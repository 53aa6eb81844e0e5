import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  decideDelivery,
  isTemplateName,
  isWindowOpen,
  renderTemplate,
  TEMPLATE_NAMES,
  TEMPLATES,
  type TemplateName,
  WINDOW_MS
} from "../src/index.js"

const NOW = "2026-12-02T12:00:00.000Z"
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString()
const HOUR = 60 * 60 * 1000

describe("TEMPLATES", () => {
  it("holds the three runbook templates, en_GB, with the runbook's body text", () => {
    expect(TEMPLATE_NAMES).toEqual([
      "consultation_reminder_2_final",
      "next_steps_reply_to_continue",
      "deposit_received_next_steps"
    ])
    expect(Object.keys(TEMPLATES).sort()).toEqual([...TEMPLATE_NAMES].sort())
    for (const name of TEMPLATE_NAMES) {
      expect(TEMPLATES[name].name).toBe(name)
      expect(TEMPLATES[name].language).toBe("en_GB")
    }
    expect(TEMPLATES.consultation_reminder_2_final.body).toBe(
      "Hey {{1}} — just checking in. If you'd like to continue your tattoo enquiry, reply to this message and we'll pick up where we left off."
    )
    expect(TEMPLATES.next_steps_reply_to_continue.body).toBe(
      "Your enquiry has been reviewed ✅ Reply to this message to see the next available times and continue."
    )
    expect(TEMPLATES.deposit_received_next_steps.body).toBe(
      "Deposit received ✅ Thanks {{1}}. Jonah will confirm your booking in Google Calendar and message you with the details shortly."
    )
  })

  it("declares exactly as many parameters as each body has placeholders (Meta rejects a mismatch)", () => {
    for (const name of TEMPLATE_NAMES) {
      const placeholders = TEMPLATES[name].body.match(/\{\{\d+\}\}/g) ?? []
      expect(TEMPLATES[name].parameters.map((p) => `{{${p.position}}}`)).toEqual(placeholders)
      for (const p of TEMPLATES[name].parameters) {
        expect(p.meaning).toBe("client_name")
        expect(p.fallback).toBe("there")
      }
    }
  })

  it("isTemplateName knows the three names and nothing else", () => {
    expect(TEMPLATE_NAMES.every(isTemplateName)).toBe(true)
    expect(isTemplateName("reminder_booking")).toBe(false)
    expect(isTemplateName("toString")).toBe(false)
  })

  it("renderTemplate fills the placeholders", () => {
    expect(renderTemplate("deposit_received_next_steps", ["Jo"])).toBe(
      "Deposit received ✅ Thanks Jo. Jonah will confirm your booking in Google Calendar and message you with the details shortly."
    )
  })
})

describe("isWindowOpen", () => {
  it.each([
    ["just now", ago(0), true],
    ["1 minute ago", ago(60_000), true],
    ["23 h 59 m 59.999 s ago", ago(WINDOW_MS - 1), true],
    ["exactly 24 h ago", ago(WINDOW_MS), false],
    ["24 h and 1 ms ago", ago(WINDOW_MS + 1), false],
    ["3 days ago", ago(72 * HOUR), false],
    ["never wrote", null, false],
    ["unreadable time", "not a date", false],
    ["a few seconds in the future (clock skew)", ago(-5_000), true]
  ] as const)("%s → %s", (_name, last, open) => {
    expect(isWindowOpen(last, NOW)).toBe(open)
  })

  it("is closed when now is unreadable", () => {
    expect(isWindowOpen(ago(0), "garbage")).toBe(false)
  })

  it("compares instants, whatever the offset notation", () => {
    // 12:30 at +01:00 is 11:30Z: 30 minutes before NOW.
    expect(isWindowOpen("2026-12-02T12:30:00+01:00", NOW)).toBe(true)
    // 23 h 30 m before NOW, written in another zone.
    expect(isWindowOpen("2026-12-01T07:30:00-05:00", NOW)).toBe(true)
    expect(isWindowOpen("2026-12-01T06:59:59-05:00", NOW)).toBe(false)
  })
})

describe("decideDelivery", () => {
  const table: ReadonlyArray<
    readonly [string, Parameters<typeof decideDelivery>[0], ReturnType<typeof decideDelivery>]
  > = [
    ["inside the window: free-form", { lastClientMessageAt: ago(HOUR), now: NOW }, { _tag: "FreeForm" }],
    [
      "inside the window, even with a template at hand",
      { lastClientMessageAt: ago(HOUR), now: NOW, template: "next_steps_reply_to_continue" },
      { _tag: "FreeForm" }
    ],
    [
      "outside with a name parameter: the template with the name",
      { lastClientMessageAt: ago(25 * HOUR), now: NOW, template: "deposit_received_next_steps", clientName: "Jo" },
      { _tag: "Template", name: "deposit_received_next_steps", language: "en_GB", bodyParams: ["Jo"] }
    ],
    [
      "outside, unknown name: 'there'",
      { lastClientMessageAt: ago(36 * HOUR), now: NOW, template: "consultation_reminder_2_final" },
      { _tag: "Template", name: "consultation_reminder_2_final", language: "en_GB", bodyParams: ["there"] }
    ],
    [
      "outside, blank name: 'there'",
      { lastClientMessageAt: ago(36 * HOUR), now: NOW, template: "consultation_reminder_2_final", clientName: "  " },
      { _tag: "Template", name: "consultation_reminder_2_final", language: "en_GB", bodyParams: ["there"] }
    ],
    [
      "outside, a name with new lines is flattened (Meta refuses them)",
      { lastClientMessageAt: ago(36 * HOUR), now: NOW, template: "deposit_received_next_steps", clientName: " Jo\n\tAnn  " },
      { _tag: "Template", name: "deposit_received_next_steps", language: "en_GB", bodyParams: ["Jo Ann"] }
    ],
    [
      "outside, template without placeholders: no parameters",
      { lastClientMessageAt: ago(30 * HOUR), now: NOW, template: "next_steps_reply_to_continue", clientName: "Jo" },
      { _tag: "Template", name: "next_steps_reply_to_continue", language: "en_GB", bodyParams: [] }
    ],
    [
      "outside, no template for this kind of message: hold it",
      { lastClientMessageAt: ago(30 * HOUR), now: NOW },
      { _tag: "Hold", reason: "window_closed" }
    ],
    [
      "client never wrote, no template: hold",
      { lastClientMessageAt: null, now: NOW },
      { _tag: "Hold", reason: "window_closed" }
    ],
    [
      "client never wrote, template: template",
      { lastClientMessageAt: null, now: NOW, template: "next_steps_reply_to_continue" },
      { _tag: "Template", name: "next_steps_reply_to_continue", language: "en_GB", bodyParams: [] }
    ],
    [
      "exactly 24 h: already closed",
      { lastClientMessageAt: ago(WINDOW_MS), now: NOW },
      { _tag: "Hold", reason: "window_closed" }
    ],
    [
      "a template name from outside the registry is not sent",
      { lastClientMessageAt: ago(30 * HOUR), now: NOW, template: "reminder_booking" as TemplateName },
      { _tag: "Hold", reason: "window_closed" }
    ]
  ]

  it.each(table)("%s", (_name, input, expected) => {
    expect(decideDelivery(input)).toEqual(expected)
  })

  // Instants between 2020 and 2035, in milliseconds.
  const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) })
  const template = fc.option(fc.constantFrom(...TEMPLATE_NAMES), { nil: undefined })
  const name = fc.option(fc.string(), { nil: undefined })

  const input = (last: number, now: number, t: TemplateName | undefined, n: string | undefined) => ({
    lastClientMessageAt: new Date(last).toISOString(),
    now: new Date(now).toISOString(),
    ...(t === undefined ? {} : { template: t }),
    ...(n === undefined ? {} : { clientName: n })
  })

  it("never answers FreeForm when the last client message is 24 h old or more", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: WINDOW_MS, max: 400 * 24 * HOUR }), template, name, (now, age, t, n) => {
        expect(decideDelivery(input(now - age, now, t, n))._tag).not.toBe("FreeForm")
      })
    )
  })

  it("always answers FreeForm when it is less than 24 h old", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: WINDOW_MS - 1 }), template, name, (now, age, t, n) => {
        expect(decideDelivery(input(now - age, now, t, n))).toEqual({ _tag: "FreeForm" })
      })
    )
  })

  it("outside the window: a template exactly when one is given, with one clean parameter per placeholder", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: WINDOW_MS, max: 400 * 24 * HOUR }), template, name, (now, age, t, n) => {
        const decision = decideDelivery(input(now - age, now, t, n))
        if (t === undefined) {
          expect(decision).toEqual({ _tag: "Hold", reason: "window_closed" })
        } else {
          expect(decision._tag === "Template" && decision.name).toBe(t)
          const params = decision._tag === "Template" ? decision.bodyParams : []
          expect(params.length).toBe(TEMPLATES[t].parameters.length)
          for (const p of params) {
            expect(p.trim()).toBe(p)
            expect(p).not.toBe("")
            expect(p).not.toMatch(/[\n\t]| {5,}/)
          }
        }
      })
    )
  })

  it("the decision flips from FreeForm to not-FreeForm exactly at 24 h", () => {
    fc.assert(
      fc.property(instant, (last) => {
        const at = (offset: number) => decideDelivery(input(last, last + offset, undefined, undefined))._tag
        expect(at(WINDOW_MS - 1)).toBe("FreeForm")
        expect(at(WINDOW_MS)).toBe("Hold")
      })
    )
  })
})
