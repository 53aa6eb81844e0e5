import { describe, expect, it } from "vitest"
import { classifyKeyword, defaultConsultationConfig as config } from "../src/index.js"

describe("classifyKeyword", () => {
  it.each(["STOP", "stop", "Stop!", "stop.", " opt out ", "Opt-out", "OPTOUT", "unsubscribe", "Please unsubscribe me", "stop messaging me please"])(
    "%o → OptOut",
    (t) => {
      expect(classifyKeyword(t, config)).toEqual({ _tag: "OptOut" })
    }
  )

  it.each(["START", "start", "Resume", "continue", "yes", "YES!"])("%o → OptIn", (t) => {
    expect(classifyKeyword(t, config)).toEqual({ _tag: "OptIn" })
  })

  it.each([
    ["human", "human"],
    ["HUMAN", "human"],
    ["agent", "human"],
    ["talk to someone", "human"],
    ["Can I speak to a real person?", "human"],
    ["ARTIST", "human"],
    ["I want a refund", "refund"],
    ["REFUND please", "refund"],
    ["can I get my money back", "refund"],
    ["please delete my data", "data_deletion"],
    ["GDPR", "data_deletion"],
    ["remove my data", "data_deletion"],
    ["It's a cover-up", "cover_up"],
    ["cover up an old tattoo", "cover_up"],
    ["rework of a old piece", "cover_up"],
    ["Can you give me a discount?", "price_negotiation"],
    ["any cheaper?", "price_negotiation"],
    ["is the price negotiable", "price_negotiation"]
  ] as const)("%o → Handover %s", (t, reason) => {
    expect(classifyKeyword(t, config)).toEqual({ _tag: "Handover", reason })
  })

  it.each([
    "My offer is 500", // "offer" alone is not a negotiation
    "An ideal rose", // "deal" inside "ideal"
    "Idealistic linework",
    "@dealer_ink",
    "A deal with the devil",
    "I discovered this style",
    "recover",
    "covering my back",
    "Can you do fine line?",
    "don't stop believing",
    "when can we start?",
    "the person I love",
    "a secret agent design",
    "my favourite artist is Dali",
    "Germany",
    "the week after my wedding",
    "stopwatch",
    "refundable?",
    "",
    "   "
  ])("trap %o → None", (t) => {
    expect(classifyKeyword(t, config)).toEqual({ _tag: "None" })
  })

  it("opt-out wins over everything else", () => {
    expect(classifyKeyword("unsubscribe, and I want a refund", config)).toEqual({ _tag: "OptOut" })
  })

  it("uses the config's lists", () => {
    const custom = {
      ...config,
      keywords: { ...config.keywords, priceNegotiation: { wholeMessage: [], anywhere: ["mates rates", "deal"] } }
    }
    expect(classifyKeyword("any deal?", custom)).toEqual({ _tag: "Handover", reason: "price_negotiation" })
    expect(classifyKeyword("any deal?", config)).toEqual({ _tag: "None" })
  })
})
