import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  ConsultationState,
  classifyKeyword,
  defaultConsultationConfig as config,
  InboundMessage,
  parseBudget,
  parseDimensions,
  parseLocation,
  qualify,
  artistSummary,
  startConsultation,
  stepConsultation
} from "../src/index.js"
import { HAPPY, NOW } from "./helpers.js"

const isState = Schema.is(ConsultationState)

// Effect derives arbitraries against its bundled fast-check 3 typings; the builders it calls
// (record, oneof, string, integer, constantFrom, array) behave the same in fast-check 4.
const fromSchema = <A, I>(schema: Schema.Schema<A, I>): fc.Arbitrary<A> =>
  Arbitrary.makeLazy(schema)(fc as unknown as Parameters<Arbitrary.LazyArbitrary<A>>[0]) as unknown as fc.Arbitrary<A>
const LEFTOVER_PLACEHOLDER = /\{[a-z_][a-z0-9_]*\}/

// Text a client could send: anything Unicode, the answers the bot expects, keywords, and huge blobs.
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.constantFrom(...HAPPY, "STOP", "human", "start over", "10x15", "2k", "£-4", "yes", "no", "anywhere", "🇬🇧", "\u0000", "\uD800"),
  fc.string({ unit: "binary-ascii", minLength: 10_000, maxLength: 60_000 })
)

const inbound: fc.Arbitrary<InboundMessage> = fc.oneof(
  anyText.map((text) => ({ _tag: "Text" as const, text })),
  fromSchema(InboundMessage),
  fc.record({
    _tag: fc.constant("Media" as const),
    mediaKind: fc.constantFrom("image", "document", "audio", "video", "sticker" as const),
    caption: anyText
  })
)

// Shapes a buggy host could pass despite the types.
const junk = fc.oneof(fc.anything(), fc.record({ _tag: fc.constant("Text"), text: fc.anything() })) as fc.Arbitrary<InboundMessage>

const property = { numRuns: 300 }

describe("stepConsultation never throws and keeps the state valid", () => {
  it("for any sequence of messages from the start", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(inbound, junk), { maxLength: 30 }), fc.oneof(fc.integer(), fc.string()), (messages, leadId) => {
        let { state } = startConsultation(config, { leadId, now: NOW })
        for (const m of messages) {
          const r = stepConsultation(state, m, { config, leadId, now: NOW })
          expect(isState(r.state)).toBe(true)
          expect(Schema.decodeUnknownEither(ConsultationState)(JSON.parse(JSON.stringify(r.state)))).toEqual(Either.right(r.state))
          expect(r.state.questionIndex).toBeLessThanOrEqual(config.questions.length)
          for (const reply of r.replies) {
            expect(typeof reply).toBe("string")
            expect(reply.length).toBeGreaterThan(0)
            expect(reply).not.toMatch(LEFTOVER_PLACEHOLDER)
          }
          if (r.outcome._tag === "Handover") expect(r.replies).toHaveLength(1)
          for (const n of Object.values(r.state.failures)) expect(n).toBeLessThanOrEqual(config.maxParseFailures)
          state = r.state
        }
      }),
      property
    )
  })

  it("from any valid state, including odd ones", () => {
    fc.assert(
      fc.property(fromSchema(ConsultationState), fc.oneof(inbound, junk), (state, m) => {
        const r = stepConsultation(state, m, { config, now: NOW })
        expect(isState(r.state)).toBe(true)
      }),
      { numRuns: 200 }
    )
  })

  it("for a corrupt state or a bad clock", () => {
    fc.assert(
      fc.property(fc.anything(), inbound, (state, m) => {
        const r = stepConsultation(state as ConsultationState, m, { config, now: new Date(Number.NaN) })
        expect(isState(r.state)).toBe(true)
      }),
      { numRuns: 100 }
    )
  })
})

describe("the parsers are total", () => {
  it("never throw and keep their promises", () => {
    fc.assert(
      fc.property(anyText, (t) => {
        Either.match(parseBudget(t), {
          onLeft: () => undefined,
          onRight: (p) => {
            expect(Number.isInteger(p)).toBe(true)
            expect(p).toBeGreaterThan(0)
          }
        })
        Either.match(parseDimensions(t), {
          onLeft: () => undefined,
          onRight: (d) => {
            expect(d.widthCm).toBeGreaterThan(0)
            expect(d.heightCm).toBeLessThanOrEqual(100)
          }
        })
        Either.match(parseLocation(t), {
          onLeft: () => undefined,
          onRight: (l) => expect(l.city !== null || l.country !== null).toBe(true)
        })
        expect(["OptOut", "OptIn", "Handover", "None"]).toContain(classifyKeyword(t, config)._tag)
      }),
      { numRuns: 500 }
    )
  })

  it("qualify and artistSummary accept any answers the state schema allows", () => {
    fc.assert(
      fc.property(fromSchema(ConsultationState), (state) => {
        const q = qualify(state.answers, config, NOW)
        expect(Number.isInteger(q.depositAmountPence)).toBe(true)
        expect(typeof artistSummary(state.answers, q, config, 1)).toBe("string")
      }),
      { numRuns: 200 }
    )
  })
})
