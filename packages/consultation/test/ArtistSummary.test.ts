import { describe, expect, it } from "vitest"
import { artistSummary, defaultConsultationConfig as config, qualify } from "../src/index.js"
import { converse, HAPPY } from "./helpers.js"

describe("artistSummary", () => {
  it("summarises the happy path like the prior system, with our fixes", () => {
    const { state } = converse(HAPPY)
    const q = qualify(state.answers, config)
    expect(artistSummary(state.answers, q, config, 7)).toBe(
      [
        "🎨 *Lead #7 — Ready for review*",
        "",
        "💭 *Idea:* A dragon tattoo on my arm",
        "",
        "📍 Placement: Upper arm | Size: 10×15cm | Complexity: Medium",
        "🖌️ Style: Realism | Timing: Next 2-4 weeks",
        "🌍 *Location:* London, United Kingdom (UK)",
        "💰 *Budget:* £500 (Min: £400)",
        "📱 *IG:* myhandle",
        "📊 *Estimate:* LARGE | Deposit: £200",
        "✈️ *Tour:* Studio",
        ""
      ].join("\n")
    )
  })

  it("flags a budget below the minimum (2k is £2,000, not £2) and cover-ups", () => {
    const low = converse(HAPPY.map((a, i) => (i === 7 ? "300" : i === 5 ? "yes" : a))).state
    const text = artistSummary(low.answers, qualify(low.answers, config), config)
    expect(text).toContain("🎨 *New enquiry — Needs you*")
    expect(text).toContain("💰 *Budget:* £300 (Min: £400) ⚠️ BELOW MIN")
    expect(text).toContain("⚠️ *Notes:* Cover-up")
    const rich = converse(HAPPY.map((a, i) => (i === 7 ? "2k" : a))).state
    expect(artistSummary(rich.answers, qualify(rich.answers, config), config)).toContain("💰 *Budget:* £2,000 (Min: £400)\n")
  })

  it("shortens a long idea and shows XL days", () => {
    const long = `${"A very detailed sleeve with koi and waves ".repeat(5)}\nsecond line`
    const s = converse(HAPPY.map((a, i) => (i === 0 ? long : i === 2 ? "25x25cm" : a))).state
    const text = artistSummary(s.answers, qualify(s.answers, config), config)
    const idea = text.split("\n").find((l) => l.startsWith("💭"))!
    expect(idea.endsWith("...")).toBe(true)
    expect(idea.length).toBeLessThanOrEqual("💭 *Idea:* ".length + 103)
    expect(text).toContain("📊 *Estimate:* XL | 2.5 days | Deposit: £500")
  })
})
