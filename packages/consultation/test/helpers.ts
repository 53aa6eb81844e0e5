import {
  type ConsultationConfig,
  type ConsultationState,
  defaultConsultationConfig,
  type InboundMessage,
  type StepResult,
  startConsultation,
  stepConsultation
} from "../src/index.js"

export const NOW = new Date("2026-01-20T10:00:00Z")
export const LEAD = 7

/** The happy-path answers of the prior system's acceptance scenarios. */
export const HAPPY: ReadonlyArray<string> = [
  "A dragon tattoo on my arm",
  "Upper arm",
  "10x15cm",
  "Realism",
  "2",
  "No",
  "no",
  "500",
  "London",
  "UK",
  "@myhandle",
  "same",
  "Next 2-4 weeks"
]

export const text = (t: string): InboundMessage => ({ _tag: "Text", text: t })

export const ctx = (config: ConsultationConfig = defaultConsultationConfig, leadId: number | string = LEAD) => ({
  config,
  leadId,
  now: NOW
})

/** Starts a consultation and feeds the messages in order, keeping every step's result. */
export const converse = (
  messages: ReadonlyArray<InboundMessage | string>,
  config: ConsultationConfig = defaultConsultationConfig
): { readonly start: ReadonlyArray<string>; readonly steps: ReadonlyArray<StepResult>; readonly state: ConsultationState } => {
  const started = startConsultation(config, { leadId: LEAD, now: NOW })
  let state = started.state
  const steps: Array<StepResult> = []
  for (const m of messages) {
    const r = stepConsultation(state, typeof m === "string" ? text(m) : m, ctx(config))
    steps.push(r)
    state = r.state
  }
  return { start: started.replies, steps, state }
}

/** The state after answering the first `n` happy-path questions. */
export const stateAt = (n: number, config: ConsultationConfig = defaultConsultationConfig): ConsultationState =>
  converse(HAPPY.slice(0, n), config).state

export const step = (state: ConsultationState, m: InboundMessage | string, config = defaultConsultationConfig) =>
  stepConsultation(state, typeof m === "string" ? text(m) : m, ctx(config))

export const withQualification = (patch: Partial<ConsultationConfig>): ConsultationConfig => ({
  ...defaultConsultationConfig,
  ...patch
})
