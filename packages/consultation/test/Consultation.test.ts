import { describe, expect, it } from "vitest"
import {
  type ConsultationState,
  defaultConsultationConfig as config,
  type QuestionKey,
  renderCopy,
  renderCopyVariant,
  resumeConsultation,
  startConsultation,
  stepConsultation
} from "../src/index.js"
import { converse, ctx, HAPPY, LEAD, NOW, stateAt, step, withQualification } from "./helpers.js"

const questionText = (key: QuestionKey): string => config.questions.find((q) => q.key === key)?.text ?? ""
const indexOf = (key: QuestionKey): number => config.questions.findIndex((q) => q.key === key)
const ask = (key: QuestionKey) => renderCopy(config, "ask_question", { question_text: questionText(key) }, LEAD)

describe("startConsultation", () => {
  it("welcomes the client with the first question and a fresh state", () => {
    const { state, replies } = startConsultation(config, { leadId: LEAD, now: NOW })
    expect(replies).toEqual([renderCopy(config, "welcome", { question_text: questionText("idea") }, LEAD)])
    expect(replies[0]).toContain("What tattoo do you want? Please describe it in detail.")
    expect(state).toMatchObject({ phase: "asking", questionIndex: 0, answers: {}, failures: {}, startedAt: NOW.getTime() })
  })

  it("gives the same lead the same wording every time", () => {
    const a = startConsultation(config, { leadId: 42, now: NOW })
    const b = startConsultation(config, { leadId: 42, now: new Date("2030-01-01T00:00:00Z") })
    expect(a.replies).toEqual(b.replies)
  })
})

describe("a full conversation", () => {
  // inbound → the reply must contain → outcome
  const table: ReadonlyArray<readonly [string, string, string]> = [
    ["A dragon tattoo on my arm", "Where on your body would you like this tattoo?", "Continue"],
    ["Upper arm", "What's the approximate size?", "Continue"],
    ["10x15cm", "Any specific style?", "Continue"],
    ["Realism", "How would you describe the complexity/detail level?", "Continue"],
    ["2", "Is this a cover-up, rework, or touch-up? (Yes/No)", "Continue"],
    ["No", "Do you have reference images?", "Continue"],
    ["no", "What's your budget amount for this tattoo?", "Continue"],
    ["500", "What city are you located in?", "Continue"],
    ["London", "10×15cm, London, budget ~£500.\n\n", "Continue"],
    ["UK", "What's your Instagram handle?", "Continue"],
    ["@myhandle", "If you'd like to book in a different city", "Continue"],
    ["same", "What's your preferred timing window?", "Continue"],
    ["Next 2-4 weeks", "this looks like a *Large* project. Jonah will confirm.", "Completed"]
  ]
  const run = converse(table.map(([inbound]) => inbound))

  it.each(table.map((row, i) => [i, ...row] as const))("step %i: %j", (i, _inbound, contains, outcome) => {
    const r = run.steps[i]!
    expect(r.replies).toHaveLength(1)
    expect(r.replies[0]).toContain(contains)
    expect(r.outcome._tag).toBe(outcome)
  })

  it("the micro-confirmation has a single pound sign and comes before the next question", () => {
    expect(run.steps[8]!.replies[0]).not.toContain("££")
    expect(run.steps[8]!.replies[0]!.endsWith(ask("location_country"))).toBe(true)
  })

  it("ends PENDING_APPROVAL with the prior system's numbers", () => {
    const last = run.steps[12]!
    expect(last.outcome).toMatchObject({
      _tag: "Completed",
      status: "PENDING_APPROVAL",
      qualification: {
        sizeCategory: "LARGE",
        areaCm2: 150,
        estimatedDays: null,
        depositAmountPence: 20000,
        region: "UK",
        regionMinimumPence: 40000,
        budgetPence: 50000,
        belowMinimum: false,
        city: "London",
        country: "United Kingdom",
        instagramHandle: "myhandle",
        tour: { _tag: "Studio" }
      }
    })
    expect(last.replies[0]).toMatch(/^✅ Perfect! I've received all your details\./)
    expect(last.state.phase).toBe("completed")
  })

  it("keeps every answer raw and parsed", () => {
    expect(run.state.answers.dimensions).toEqual({ raw: "10x15cm", parsed: { _tag: "Dimensions", widthCm: 10, heightCm: 15 } })
    expect(run.state.answers.budget).toEqual({ raw: "500", parsed: { _tag: "Budget", pence: 50000 } })
    expect(run.state.answers.location_city?.parsed).toEqual({
      _tag: "Location",
      city: "London",
      country: "United Kingdom",
      countryInferred: true
    })
    expect(run.state.answers.travel_city?.parsed).toEqual({ _tag: "Nothing" })
  })

  it("ignores messages once completed", () => {
    const after = step(run.state, "hello?")
    expect(after.replies).toEqual([])
    expect(after.outcome).toEqual({ _tag: "Continue" })
    expect(after.state.phase).toBe("completed")
  })
})

describe("every question's accepted and rejected answers", () => {
  type Row = readonly [QuestionKey, string, "accept" | "repair" | "reprompt", string?]
  const rows: ReadonlyArray<Row> = [
    ["idea", "2 dragons fighting", "accept"],
    ["idea", "A rose with my mum's name", "accept"],
    ["idea", "500", "reprompt", "one_at_a_time_reprompt"],
    ["idea", "10x15cm", "reprompt", "one_at_a_time_reprompt"],
    ["idea", ".", "reprompt", "repair_answer"],
    ["idea", "x", "repair", "repair_answer"],
    ["placement", "10cm above wrist", "accept"],
    ["placement", "inside forearm", "accept"],
    ["placement", "£500", "reprompt", "one_at_a_time_reprompt"],
    ["placement", "?!", "reprompt", "repair_answer"],
    ["dimensions", "10x15", "accept"],
    ["dimensions", "25cm x 30cm", "accept"],
    ["dimensions", "3 x 5 inches", "accept"],
    ["dimensions", "10x15cm £500", "accept"],
    ["dimensions", "palm-sized", "repair", "repair_size"],
    ["dimensions", "small", "repair", "repair_size"],
    ["dimensions", "big", "repair", "repair_size"],
    ["dimensions", "huge", "repair", "repair_size"],
    ["style", "not sure", "accept"],
    ["style", "fine line", "accept"],
    ["style", "   ", "reprompt", "repair_answer"],
    ["style", "👍", "reprompt", "repair_answer"],
    ["complexity", "1", "accept"],
    ["complexity", "2) medium", "accept"],
    ["complexity", "High detail please", "accept"],
    ["complexity", "three", "accept"],
    ["complexity", "pretty", "repair", "repair_complexity"],
    ["complexity", "5", "repair", "repair_complexity"],
    ["coverup", "yes", "accept"],
    ["coverup", "No, it's a new one", "accept"],
    ["coverup", "nah", "accept"],
    ["coverup", "maybe", "repair", "repair_coverup"],
    ["coverup", "not sure", "repair", "repair_coverup"],
    ["reference_images", "no", "accept"],
    ["reference_images", "instagram.com/someartist", "accept"],
    ["reference_images", "Realism like @someartist", "accept"],
    ["budget", "£500", "accept"],
    ["budget", "1.5k", "accept"],
    ["budget", "2,000", "accept"],
    ["budget", "around 800", "accept"],
    ["budget", "50", "accept"],
    ["budget", "4", "repair", "repair_budget"],
    ["budget", "not a number", "repair", "repair_budget"],
    ["budget", "$500", "repair", "repair_budget_currency"],
    ["location_city", "London", "accept"],
    ["location_city", "Germany", "accept"],
    ["location_city", "Paris, France", "accept"],
    ["location_city", "United Kingdom", "accept"],
    ["location_city", "anywhere", "repair", "repair_location"],
    ["location_city", "flexible", "repair", "repair_location"],
    ["location_city", "idk", "repair", "repair_location"],
    ["location_city", "E1 6AN", "repair", "repair_location"],
    ["location_country", "UK", "accept"],
    ["location_country", "U.K.", "accept"],
    ["location_country", "Deutschland", "accept"],
    ["location_country", "Narnia", "accept"],
    ["location_country", "idk", "repair", "repair_answer"],
    ["instagram_handle", "no", "accept"],
    ["instagram_handle", "@ink.lover", "accept"],
    ["instagram_handle", "https://instagram.com/ink_lover", "accept"],
    ["travel_city", "same", "accept"],
    ["travel_city", "Manchester", "accept"],
    ["timing", "Flexible", "accept"],
    ["timing", "before my wedding", "accept"]
  ]

  const cases = rows.map(([key, answer, verdict, copyKey]) => ({ key, answer, verdict, copyKey }))
  it.each(cases)("$key ← $answer: $verdict", ({ key, answer, verdict, copyKey }) => {
    const at = stateAt(indexOf(key))
    expect(at.questionIndex).toBe(indexOf(key))
    const r = step(at, answer)
    if (verdict === "accept") {
      expect(r.state.questionIndex).toBe(at.questionIndex + 1)
      expect(r.state.answers[key]?.raw).toBe(answer.trim())
      return
    }
    expect(r.state.questionIndex).toBe(at.questionIndex)
    expect(r.state.answers[key]).toBeUndefined()
    expect(r.outcome).toEqual({ _tag: "Continue" })
    const q = { question_text: questionText(key) }
    if (verdict === "repair") {
      expect(r.replies).toEqual([renderCopyVariant(config, copyKey as never, 0, q)])
      expect(r.state.failures[key]).toBe(1)
    } else {
      expect(r.replies).toEqual([renderCopy(config, copyKey as never, q, LEAD)])
      expect(r.state.failures[key]).toBeUndefined()
    }
  })

  it("reads each accepted answer as the right kind", () => {
    const parsedAt = (key: QuestionKey, answer: string) => step(stateAt(indexOf(key)), answer).state.answers[key]?.parsed
    expect(parsedAt("dimensions", "3 x 5 inches")).toEqual({ _tag: "Dimensions", widthCm: 7.62, heightCm: 12.7 })
    expect(parsedAt("complexity", "High detail please")).toEqual({ _tag: "Complexity", level: 3 })
    expect(parsedAt("coverup", "No, it's a new one")).toEqual({ _tag: "YesNo", value: false })
    expect(parsedAt("budget", "1.5k")).toEqual({ _tag: "Budget", pence: 150000 })
    expect(parsedAt("location_city", "Germany")).toEqual({
      _tag: "Location",
      city: null,
      country: "Germany",
      countryInferred: false
    })
    expect(parsedAt("location_country", "U.K.")).toEqual({ _tag: "Country", country: "United Kingdom", recognised: true })
    expect(parsedAt("location_country", "Narnia")).toEqual({ _tag: "Country", country: "Narnia", recognised: false })
    expect(parsedAt("instagram_handle", "https://instagram.com/ink_lover")).toEqual({ _tag: "Handle", handle: "ink_lover" })
    expect(parsedAt("instagram_handle", "no")).toEqual({ _tag: "Nothing" })
    expect(parsedAt("reference_images", "no")).toEqual({ _tag: "Nothing" })
  })
})

describe("repairs and the parse-failure handover", () => {
  const atSize = stateAt(indexOf("dimensions"))

  it("escalates the repair prompt, then hands over on the third failure", () => {
    const first = step(atSize, "huge")
    expect(first.replies).toEqual([renderCopyVariant(config, "repair_size", 0)])
    const second = step(first.state, "big one")
    expect(second.replies).toEqual([renderCopyVariant(config, "repair_size", 1)])
    expect(second.replies[0]).toContain("One more try then I'll get Jonah to help.")
    const third = step(second.state, "still not a size")
    expect(third.outcome).toEqual({
      _tag: "Handover",
      reason: "parse_failure",
      detail: 'Could not read the size answer after 3 attempts (last: "still not a size")'
    })
    expect(third.replies).toEqual([renderCopy(config, "handover_bridge", {}, LEAD)])
    expect(third.state.phase).toBe("handed_over")
    expect(third.state.failures.dimensions).toBe(3)
  })

  it("never suggests an answer it cannot read", () => {
    for (const variant of config.copy.repair_size ?? []) expect(variant).not.toContain("palm-sized")
  })

  it("a good answer clears the failure count", () => {
    const failed = step(atSize, "huge")
    const fixed = step(failed.state, "10×7cm")
    expect(fixed.state.questionIndex).toBe(atSize.questionIndex + 1)
    expect(fixed.state.failures.dimensions).toBeUndefined()
  })

  it("counts failures per question", () => {
    const budget = stateAt(indexOf("budget"))
    const once = step(budget, "no idea")
    expect(once.state.failures).toEqual({ budget: 1 })
    const twice = step(once.state, "dunno")
    const fixed = step(twice.state, "£600")
    expect(fixed.state.failures).toEqual({})
  })

  it("honours max_parse_failures from the config", () => {
    const strict = withQualification({ maxParseFailures: 1 })
    const r = step(stateAt(indexOf("dimensions"), strict), "huge", strict)
    expect(r.outcome._tag).toBe("Handover")
  })

  it("answering ahead is re-asked without counting as a failure", () => {
    let s: ConsultationState = stateAt(0)
    for (let i = 0; i < 5; i++) s = step(s, "£500").state
    expect(s.phase).toBe("asking")
    expect(s.failures).toEqual({})
  })
})

describe("completion statuses", () => {
  const answersWith = (patch: Readonly<Record<number, string>>) => HAPPY.map((a, i) => patch[i] ?? a)

  it("budget below the region minimum → NEEDS_FOLLOW_UP with the minimum in the reply", () => {
    const r = converse(answersWith({ [indexOf("budget")]: "300" })).steps.at(-1)!
    expect(r.outcome).toMatchObject({ _tag: "Completed", status: "NEEDS_FOLLOW_UP", qualification: { belowMinimum: true } })
    expect(r.replies[0]).toContain("*£400*")
  })

  it("a budget exactly at the minimum passes", () => {
    const r = converse(answersWith({ [indexOf("budget")]: "400" })).steps.at(-1)!
    expect(r.outcome).toMatchObject({ status: "PENDING_APPROVAL", qualification: { belowMinimum: false } })
  })

  it('"2k" is £2,000 at completion too', () => {
    const r = converse(answersWith({ [indexOf("budget")]: "2k" })).steps.at(-1)!
    expect(r.outcome).toMatchObject({ status: "PENDING_APPROVAL", qualification: { budgetPence: 200000 } })
  })

  it("Europe has its own minimum", () => {
    const r = converse(
      answersWith({ [indexOf("budget")]: "450", [indexOf("location_city")]: "Berlin", [indexOf("location_country")]: "Germany" })
    ).steps.at(-1)!
    expect(r.outcome).toMatchObject({
      status: "NEEDS_FOLLOW_UP",
      qualification: { region: "EUROPE", regionMinimumPence: 50000, city: "Berlin", country: "Germany" }
    })
    expect(r.replies[0]).toContain("*£500*")
  })

  it("cover-up → NEEDS_ARTIST_REPLY with the cover-up holding reply", () => {
    const r = converse(answersWith({ [indexOf("coverup")]: "yes" })).steps.at(-1)!
    expect(r.outcome).toMatchObject({ _tag: "Completed", status: "NEEDS_ARTIST_REPLY", qualification: { coverUp: true } })
    expect(r.replies).toEqual([renderCopy(config, "handover_coverup", {}, LEAD)])
  })

  it("a cover-up mentioned mid-way does not stop the consultation", () => {
    const run = converse(answersWith({ [indexOf("idea")]: "Cover up my old tribal band", [indexOf("coverup")]: "yes" }))
    expect(run.steps[0]!.outcome).toEqual({ _tag: "Continue" })
    expect(run.steps[0]!.state.questionIndex).toBe(1)
    expect(run.steps.at(-1)!.outcome).toMatchObject({ status: "NEEDS_ARTIST_REPLY" })
  })
})

describe("tour schedule", () => {
  const tour = withQualification({
    tourSchedule: [
      { city: "Manchester", country: "United Kingdom", startDate: "2026-01-01", endDate: "2026-01-05" },
      { city: "Berlin", country: "Germany", startDate: "2026-02-19", endDate: "2026-02-24" },
      { city: "London", startDate: "2026-03-02", endDate: "2026-03-06" }
    ]
  })
  const finish = (patch: Readonly<Record<number, string>>, config = tour) =>
    converse(
      HAPPY.map((a, i) => patch[i] ?? a),
      config
    ).steps.at(-1)!

  it("no schedule: every city is served at the studio", () => {
    expect(finish({ [indexOf("location_city")]: "Glasgow" }, config).outcome).toMatchObject({ status: "PENDING_APPROVAL" })
  })

  it("a city on an open stop is served there", () => {
    expect(finish({}).outcome).toMatchObject({ status: "PENDING_APPROVAL", qualification: { tour: { _tag: "OnTour" } } })
  })

  it("another city is offered the next open stop (ended stops are skipped)", () => {
    const r = finish({ [indexOf("location_city")]: "Leeds" })
    expect(r.outcome).toMatchObject({
      status: "TOUR_CONVERSION_OFFERED",
      qualification: { tour: { _tag: "Offer", stop: { city: "Berlin" }, dates: "19–24 February 2026" } }
    })
    expect(r.replies[0]).toContain("I'll be in *Berlin* on 19–24 February 2026.")
  })

  it("the travel city is the requested city", () => {
    const r = finish({ [indexOf("location_city")]: "Leeds", [indexOf("travel_city")]: "London" })
    expect(r.outcome).toMatchObject({ status: "PENDING_APPROVAL", qualification: { requestedCity: "London" } })
  })

  it("no open stop → WAITLISTED", () => {
    const past = withQualification({
      tourSchedule: [{ city: "Paris", startDate: "2025-05-01", endDate: "2025-05-03" }]
    })
    const r = finish({}, past)
    expect(r.outcome).toMatchObject({ status: "WAITLISTED" })
    expect(r.replies[0]).toBe(
      "I don't have London scheduled yet. I'll add you to the waitlist and let you know when I'm planning to visit!"
    )
  })

  it("studio cities are always served", () => {
    const studio = withQualification({ ...tour, studioCities: ["Leeds"] })
    expect(finish({ [indexOf("location_city")]: "Leeds" }, studio).outcome).toMatchObject({ status: "PENDING_APPROVAL" })
  })
})

describe("keywords during the consultation", () => {
  const mid = stateAt(3)

  it.each(["STOP", "stop", "Stop!", " opt out ", "OPTOUT", "unsubscribe", "Please unsubscribe me"])(
    "%j opts out mid-way",
    (m) => {
      const r = step(mid, m)
      expect(r.outcome).toEqual({ _tag: "OptOut" })
      expect(r.replies).toEqual([renderCopy(config, "opt_out_confirmation", {}, LEAD)])
      expect(r.replies[0]).toContain("START")
      expect(r.state.phase).toBe("opted_out")
      expect(step(r.state, "hello").replies).toEqual([])
    }
  )

  it.each([
    ["human", "human", "handover_client_question"],
    ["I want to talk to someone", "human", "handover_client_question"],
    ["ARTIST", "human", "handover_client_question"],
    ["I want a refund", "refund", "refund_ack"],
    ["please delete my data", "data_deletion", "delete_data_ack"],
    ["GDPR", "data_deletion", "delete_data_ack"],
    ["Can you give me a discount?", "price_negotiation", "handover_generic"]
  ] as const)("%j hands over (%s)", (m, reason, copyKey) => {
    const r = step(mid, m)
    expect(r.outcome).toMatchObject({ _tag: "Handover", reason })
    expect(r.replies).toEqual([renderCopy(config, copyKey, {}, LEAD)])
    expect(r.state.phase).toBe("handed_over")
    expect(r.state.answers).toEqual(mid.answers)
  })

  it.each([
    ["budget", "My offer is 500"],
    ["idea", "An ideal rose"],
    ["idea", "A dealer's badge"],
    ["idea", "I discovered roses in my garden"],
    ["placement", "covering my back"],
    ["style", "Can you do fine line?"],
    ["style", "don't stop till you get enough lyrics"],
    ["location_city", "Germany"],
    ["timing", "the week after my wedding"],
    ["placement", "upper arm, the person I love will see it"]
  ] as const)("trap: at %s, %j is an answer, not a keyword", (key, m) => {
    const r = step(stateAt(indexOf(key)), m)
    expect(["Continue", "Completed"]).toContain(r.outcome._tag)
    expect(r.state.questionIndex).toBe(indexOf(key) + 1)
    expect(r.state.answers[key]?.raw).toBe(m)
  })

  it('"start over" restarts from the welcome', () => {
    const r = step(mid, "start over")
    expect(r.state.questionIndex).toBe(0)
    expect(r.state.answers).toEqual({})
    expect(r.replies).toEqual(startConsultation(config, { leadId: LEAD, now: NOW }).replies)
  })
})

describe("media and other message kinds", () => {
  const atRefs = stateAt(indexOf("reference_images"))

  it("an image on the reference question is the answer", () => {
    const r = step(atRefs, { _tag: "Media", mediaKind: "image" })
    expect(r.state.questionIndex).toBe(atRefs.questionIndex + 1)
    expect(r.state.answers.reference_images?.parsed).toEqual({ _tag: "Media", kinds: ["image"] })
    expect(r.replies).toEqual([ask("budget")])
  })

  it("more images are acknowledged and the current question asked again, never counted as failures", () => {
    let s = step(atRefs, { _tag: "Media", mediaKind: "image" }).state
    for (let i = 0; i < 4; i++) {
      const r = step(s, { _tag: "Media", mediaKind: "image" })
      expect(r.replies).toEqual([
        renderCopy(config, "attachment_ack_reprompt", { question_text: questionText("budget") }, LEAD)
      ])
      expect(r.outcome).toEqual({ _tag: "Continue" })
      s = r.state
    }
    expect(s.questionIndex).toBe(indexOf("budget"))
    expect(s.failures).toEqual({})
    expect(s.mediaCount).toBe(5)
    expect(s.answers.reference_images?.parsed).toMatchObject({ kinds: ["image", "image", "image", "image", "image"] })
  })

  it("an image elsewhere is acknowledged and the question re-asked", () => {
    const r = step(stateAt(0), { _tag: "Media", mediaKind: "image" })
    expect(r.state.questionIndex).toBe(0)
    expect(r.replies[0]).toContain("What tattoo do you want?")
  })

  it("a caption elsewhere is read as the answer", () => {
    const r = step(stateAt(indexOf("dimensions")), { _tag: "Media", mediaKind: "image", caption: "about 10x12cm" })
    expect(r.state.answers.dimensions?.parsed).toEqual({ _tag: "Dimensions", widthCm: 10, heightCm: 12 })
  })

  it("a voice note on the reference question is not a reference", () => {
    const r = step(atRefs, { _tag: "Media", mediaKind: "audio" })
    expect(r.state.questionIndex).toBe(atRefs.questionIndex)
  })

  it("a tapped button reads as its title", () => {
    const r = step(stateAt(indexOf("coverup")), { _tag: "Interactive", id: "coverup_no", title: "No" })
    expect(r.state.answers.coverup?.parsed).toEqual({ _tag: "YesNo", value: false })
  })

  it("reactions are ignored and unsupported messages get a polite re-ask", () => {
    const s = stateAt(2)
    expect(step(s, { _tag: "Reaction", emoji: "👍" })).toMatchObject({ replies: [], state: { questionIndex: 2 } })
    const u = step(s, { _tag: "Unsupported" })
    expect(u.replies).toEqual([
      renderCopy(config, "unsupported_message_reprompt", { question_text: questionText("dimensions") }, LEAD)
    ])
  })
})

describe("resume and bad input", () => {
  it("resumeConsultation re-asks the current question after a handover", () => {
    const handed = step(stateAt(4), "human").state
    const r = resumeConsultation(handed, ctx())
    expect(r.state.phase).toBe("asking")
    expect(r.replies).toEqual([ask("complexity")])
    expect(step(r.state, "2").state.questionIndex).toBe(5)
  })

  it("a corrupt state is handed to the artist instead of throwing", () => {
    const r = stepConsultation({ nonsense: true } as unknown as ConsultationState, { _tag: "Text", text: "hi" }, ctx())
    expect(r.outcome).toMatchObject({ _tag: "Handover", reason: "parse_failure" })
  })

  it("an unknown message shape is treated as unsupported", () => {
    const r = stepConsultation(stateAt(0), { _tag: "Location", lat: 1 } as never, ctx())
    expect(r.state.questionIndex).toBe(0)
    expect(r.replies[0]).toContain("What tattoo do you want?")
  })
})
