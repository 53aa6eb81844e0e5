import { bench, describe } from "vitest"
import {
  classifyKeyword,
  defaultConsultationConfig as config,
  parseBudget,
  parseDimensions,
  parseLocation,
  qualify,
  startConsultation,
  stepConsultation
} from "../src/index.js"
import { HAPPY, NOW } from "../test/helpers.js"


let answered = startConsultation(config, { leadId: 1, now: NOW }).state
for (const text of HAPPY) answered = stepConsultation(answered, { _tag: "Text", text }, { config, leadId: 1, now: NOW }).state
const atBudget = (() => {
  let s = startConsultation(config, { leadId: 1, now: NOW }).state
  for (const text of HAPPY.slice(0, 7)) s = stepConsultation(s, { _tag: "Text", text }, { config, leadId: 1, now: NOW }).state
  return s
})()
const longMessage = "I would love a really detailed piece with roses and a skull ".repeat(60)

describe("consultation", () => {
  bench("whole consultation (start + 13 answers → Completed)", () => {
    let { state } = startConsultation(config, { leadId: 1, now: NOW })
    for (const text of HAPPY) state = stepConsultation(state, { _tag: "Text", text }, { config, leadId: 1, now: NOW }).state
  })
  bench("one step (budget answer)", () => {
    stepConsultation(atBudget, { _tag: "Text", text: "£500" }, { config, leadId: 1, now: NOW })
  })
  bench("one step (3,600-character message)", () => {
    stepConsultation(atBudget, { _tag: "Text", text: longMessage }, { config, leadId: 1, now: NOW })
  })
  bench("qualify", () => {
    qualify(answered.answers, config, NOW)
  })
})

describe("parsers", () => {
  bench("parseBudget", () => {
    parseBudget("around £1,500 maybe 2k")
  })
  bench("parseDimensions", () => {
    parseDimensions("about 10 by 15 cm")
  })
  bench("parseLocation", () => {
    parseLocation("Belfast, Northern Ireland")
  })
  bench("classifyKeyword", () => {
    classifyKeyword("Can you do fine line on the inside of my wrist?", config)
  })
})
