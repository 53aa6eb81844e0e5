import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { type Answer, ConsultationAnswers, type ParsedAnswer } from "./ConsultationAnswers.js"
import type { ConsultationConfig, ConsultationQuestion, QuestionKey } from "./ConsultationConfig.js"
import { type CopyKey, fillTemplate, renderCopy, renderCopyVariant } from "./Copy.js"
import { InboundMessage, type MediaKind } from "./InboundMessage.js"
import { parseAnswer } from "./internal/answerParsers.js"
import { cmText, formatPounds, poundsText } from "./internal/money.js"
import { wordLine } from "./internal/text.js"
import { classifyKeyword, type HandoverReason, type KeywordHandoverReason, matchesKeywordList } from "./Keywords.js"
import { type ConsultationStatus, type Qualification, qualificationStatus, qualify } from "./Qualification.js"

/** Where a consultation stands. */
export const ConsultationPhase = Schema.Literal("asking", "completed", "handed_over", "opted_out")
export type ConsultationPhase = typeof ConsultationPhase.Type

/**
 * A consultation in progress, as the host stores it (JSON). `questionIndex` points into the
 * config's questions; `failures` counts unreadable answers per question key since its last
 * good answer; times are epoch milliseconds.
 */
export const ConsultationState = Schema.Struct({
  version: Schema.Literal(1),
  phase: ConsultationPhase,
  questionIndex: Schema.NonNegativeInt,
  answers: ConsultationAnswers,
  failures: Schema.Record({ key: Schema.String, value: Schema.NonNegativeInt }),
  mediaCount: Schema.NonNegativeInt,
  startedAt: Schema.Number,
  updatedAt: Schema.Number
})
export interface ConsultationState extends Schema.Schema.Type<typeof ConsultationState> {}

/** What the host does after a step. */
export type StepOutcome =
  | { readonly _tag: "Continue" }
  | { readonly _tag: "Handover"; readonly reason: HandoverReason; readonly detail: string }
  | { readonly _tag: "OptOut" }
  | {
      readonly _tag: "Completed"
      readonly status: ConsultationStatus
      readonly qualification: Qualification
    }

/** The next state, the messages to send the client (in order), and what happened. */
export interface StepResult {
  readonly state: ConsultationState
  readonly replies: ReadonlyArray<string>
  readonly outcome: StepOutcome
}

/** Everything a step needs besides the state and the message; `now` is never read from a clock. */
export interface StepContext {
  readonly config: ConsultationConfig
  readonly leadId?: string | number | undefined
  readonly now: DateTime.DateTime | Date
}

/** Longest answer text kept in the state; WhatsApp allows 4,096 characters per message. */
export const MAX_ANSWER_LENGTH = 4_096

const isState = Schema.is(ConsultationState)
const isInbound = Schema.is(InboundMessage)

const CONTINUE: StepOutcome = { _tag: "Continue" }

const epochMs = (now: DateTime.DateTime | Date | undefined, fallback: number): number => {
  try {
    const ms = DateTime.isDateTime(now) ? DateTime.toEpochMillis(now) : now instanceof Date ? now.getTime() : Number.NaN
    return Number.isFinite(ms) ? ms : fallback
  } catch {
    return fallback
  }
}

const questionAt = (config: ConsultationConfig, index: number): ConsultationQuestion | undefined =>
  config.questions[index]

const questionText = (config: ConsultationConfig, q: ConsultationQuestion): string => fillTemplate(config, q.text, {})

const ask = (config: ConsultationConfig, key: CopyKey, q: ConsultationQuestion, leadId?: string | number) =>
  renderCopy(config, key, { question_text: questionText(config, q) }, leadId)

const initialState = (now: number): ConsultationState => ({
  version: 1,
  phase: "asking",
  questionIndex: 0,
  answers: {},
  failures: {},
  mediaCount: 0,
  startedAt: now,
  updatedAt: now
})

/** Starts a consultation: a fresh state and the welcome message carrying the first question. */
export const startConsultation = (
  config: ConsultationConfig,
  options: { readonly leadId?: string | number | undefined; readonly now: DateTime.DateTime | Date }
): { readonly state: ConsultationState; readonly replies: ReadonlyArray<string> } => {
  const state = initialState(epochMs(options.now, 0))
  const first = questionAt(config, 0)
  return { state, replies: first === undefined ? [] : [ask(config, "welcome", first, options.leadId)] }
}

const CATEGORY_LABEL = { SMALL: "Small", MEDIUM: "Medium", LARGE: "Large", XL: "XL" } as const

const completionReply = (q: Qualification, status: ConsultationStatus, config: ConsultationConfig, leadId?: string | number) => {
  switch (status) {
    case "PENDING_APPROVAL":
      return renderCopy(config, "consultation_complete", { category: CATEGORY_LABEL[q.sizeCategory] }, leadId)
    case "NEEDS_FOLLOW_UP":
      return renderCopy(config, "budget_below_minimum", { min_gbp: poundsText(q.regionMinimumPence) }, leadId)
    case "NEEDS_ARTIST_REPLY":
      return renderCopy(config, "handover_coverup", {}, leadId)
    case "TOUR_CONVERSION_OFFERED":
      return q.tour._tag === "Offer"
        ? renderCopy(config, "tour_offer", { city: q.tour.stop.city, dates: q.tour.dates }, leadId)
        : ""
    case "WAITLISTED":
      return renderCopy(config, "waitlisted", { city: q.requestedCity ?? q.country ?? "your city" }, leadId)
  }
}

const complete = (
  state: ConsultationState,
  ctx: StepContext,
  prefix: ReadonlyArray<string> = []
): StepResult => {
  const qualification = qualify(state.answers, ctx.config, ctx.now)
  const status = qualificationStatus(qualification)
  return {
    state: { ...state, phase: "completed", questionIndex: ctx.config.questions.length },
    replies: [...prefix, completionReply(qualification, status, ctx.config, ctx.leadId)].filter((r) => r !== ""),
    outcome: { _tag: "Completed", status, qualification }
  }
}

const HANDOVER_COPY: Readonly<Record<KeywordHandoverReason, CopyKey>> = {
  human: "handover_client_question",
  refund: "refund_ack",
  data_deletion: "delete_data_ack",
  price_negotiation: "handover_generic",
  cover_up: "handover_coverup"
}

const HANDOVER_DETAIL: Readonly<Record<KeywordHandoverReason, string>> = {
  human: "Client asked to talk to a person",
  refund: "Client asked about a refund",
  data_deletion: "Client asked for their data to be deleted",
  price_negotiation: "Client wants to negotiate the price",
  cover_up: "Cover-up or rework needs the artist's assessment"
}

const QUESTION_LABEL: Readonly<Record<QuestionKey, string>> = {
  idea: "idea",
  placement: "placement",
  dimensions: "size",
  style: "style",
  complexity: "complexity",
  coverup: "cover-up",
  reference_images: "reference images",
  budget: "budget",
  location_city: "city",
  location_country: "country",
  instagram_handle: "Instagram",
  travel_city: "travel city",
  timing: "timing"
}

const quote = (text: string): string => {
  const one = text.replace(/\s+/g, " ").trim()
  return one.length > 200 ? `"${one.slice(0, 200)}…"` : `"${one}"`
}

const handover = (
  state: ConsultationState,
  ctx: StepContext,
  reason: HandoverReason,
  copyKey: CopyKey,
  detail: string
): StepResult => ({
  state: { ...state, phase: "handed_over" },
  replies: [renderCopy(ctx.config, copyKey, {}, ctx.leadId)],
  outcome: { _tag: "Handover", reason, detail }
})

const withoutKey = (failures: ConsultationState["failures"], key: string): ConsultationState["failures"] => {
  const { [key]: _drop, ...rest } = failures
  return rest
}

const confirmation = (answers: ConsultationAnswers, ctx: StepContext): string | undefined => {
  const d = answers.dimensions?.parsed
  const b = answers.budget?.parsed
  const l = answers.location_city?.parsed
  if (d?._tag !== "Dimensions" || b?._tag !== "Budget" || l?._tag !== "Location") return undefined
  return renderCopy(
    ctx.config,
    "confirmation_summary",
    {
      size: `${cmText(d.widthCm)}×${cmText(d.heightCm)}cm`,
      location: l.city ?? l.country ?? "",
      budget: formatPounds(b.pence)
    },
    ctx.leadId
  )
}

const accept = (state: ConsultationState, ctx: StepContext, key: QuestionKey, answer: Answer): StepResult => {
  const answers: ConsultationAnswers = { ...state.answers, [key]: answer }
  const next: ConsultationState = {
    ...state,
    answers,
    failures: withoutKey(state.failures, key),
    questionIndex: state.questionIndex + 1
  }
  const summary = key === "location_city" ? confirmation(answers, ctx) : undefined
  const following = questionAt(ctx.config, next.questionIndex)
  if (following === undefined) return complete(next, ctx, summary === undefined ? [] : [summary])
  const question = ask(ctx.config, "ask_question", following, ctx.leadId)
  return {
    state: next,
    replies: [summary === undefined ? question : `${summary}\n\n${question}`],
    outcome: CONTINUE
  }
}

const reprompt = (state: ConsultationState, ctx: StepContext, key: CopyKey, q: ConsultationQuestion): StepResult => ({
  state,
  replies: [ask(ctx.config, key, q, ctx.leadId)],
  outcome: CONTINUE
})

const answerText = (
  state: ConsultationState,
  ctx: StepContext,
  q: ConsultationQuestion,
  raw: string
): StepResult => {
  const parsed = parseAnswer(q.key, raw, ctx.config)
  if (Either.isRight(parsed)) return accept(state, ctx, q.key, { raw, parsed: parsed.right })
  const rejected = parsed.left
  if (!rejected.counted) return reprompt(state, ctx, rejected.repairKey, q)
  const count = (state.failures[q.key] ?? 0) + 1
  const failed: ConsultationState = { ...state, failures: { ...state.failures, [q.key]: count } }
  if (count >= ctx.config.maxParseFailures) {
    return handover(
      failed,
      ctx,
      "parse_failure",
      "handover_bridge",
      `Could not read the ${QUESTION_LABEL[q.key]} answer after ${count} attempts (last: ${quote(raw)})`
    )
  }
  const repair = renderCopyVariant(ctx.config, rejected.repairKey, count - 1, {
    question_text: questionText(ctx.config, q)
  })
  return { state: failed, replies: [repair], outcome: CONTINUE }
}

// Images, documents and videos are references; voice notes and stickers are not.
const isReference = (kind: MediaKind): boolean => kind === "image" || kind === "document" || kind === "video"

const addMedia = (state: ConsultationState, kind: MediaKind): ConsultationState => {
  if (!isReference(kind)) return state
  const refs = state.answers.reference_images
  const answers =
    refs?.parsed._tag === "Media"
      ? { ...state.answers, reference_images: { ...refs, parsed: { ...refs.parsed, kinds: [...refs.parsed.kinds, kind] } } }
      : state.answers
  return { ...state, answers, mediaCount: state.mediaCount + 1 }
}

const clip = (text: string): string => text.slice(0, MAX_ANSWER_LENGTH).trim()

/** The text to read as an answer, or what to do instead. */
type Incoming =
  | { readonly _tag: "Text"; readonly text: string; readonly media?: MediaKind }
  | { readonly _tag: "MediaOnly"; readonly kind: MediaKind }
  | { readonly _tag: "Ignore" }
  | { readonly _tag: "Unsupported" }

const incomingOf = (inbound: unknown): Incoming => {
  if (!isInbound(inbound)) return { _tag: "Unsupported" }
  switch (inbound._tag) {
    case "Text":
      return { _tag: "Text", text: clip(inbound.text) }
    case "Interactive": {
      const title = clip(inbound.title)
      return { _tag: "Text", text: title === "" ? clip(inbound.id) : title }
    }
    case "Media": {
      const caption = clip(inbound.caption ?? "")
      return caption === ""
        ? { _tag: "MediaOnly", kind: inbound.mediaKind }
        : { _tag: "Text", text: caption, media: inbound.mediaKind }
    }
    case "Reaction":
      return { _tag: "Ignore" }
    case "Unsupported":
      return { _tag: "Unsupported" }
  }
}

const mediaAnswer = (kind: MediaKind, caption?: string): ParsedAnswer =>
  caption === undefined ? { _tag: "Media", kinds: [kind] } : { _tag: "Media", kinds: [kind], caption }

const asking = (state: ConsultationState, incoming: Incoming, ctx: StepContext): StepResult => {
  const { config, leadId } = ctx
  const q = questionAt(config, state.questionIndex)
  if (q === undefined) return complete(state, ctx)

  switch (incoming._tag) {
    case "Ignore":
      return { state, replies: [], outcome: CONTINUE }
    case "Unsupported":
      return reprompt(state, ctx, "unsupported_message_reprompt", q)
    case "MediaOnly":
      if (q.key === "reference_images" && isReference(incoming.kind)) {
        return accept({ ...state, mediaCount: state.mediaCount + 1 }, ctx, q.key, {
          raw: `[${incoming.kind}]`,
          parsed: mediaAnswer(incoming.kind)
        })
      }
      return reprompt(addMedia(state, incoming.kind), ctx, "attachment_ack_reprompt", q)
    case "Text":
      break
  }

  const text = incoming.text
  const line = wordLine(text)
  // Nothing readable (punctuation, a lone emoji): ask again without counting it against the client.
  if (line.trim() === "") return reprompt(state, ctx, "repair_answer", q)

  if (matchesKeywordList(line, config.keywords.restart)) {
    const restarted = startConsultation(config, { leadId, now: ctx.now })
    return { state: restarted.state, replies: restarted.replies, outcome: CONTINUE }
  }
  const intent = classifyKeyword(text, config)
  if (intent._tag === "OptOut") {
    return {
      state: { ...state, phase: "opted_out" },
      replies: [renderCopy(config, "opt_out_confirmation", {}, leadId)],
      outcome: { _tag: "OptOut" }
    }
  }
  // A cover-up mention is not a reason to stop: the consultation finishes so the artist gets
  // the whole picture, and completion routes cover-ups to the artist.
  if (intent._tag === "Handover" && intent.reason !== "cover_up") {
    return handover(
      state,
      ctx,
      intent.reason,
      HANDOVER_COPY[intent.reason],
      `${HANDOVER_DETAIL[intent.reason]}: ${quote(text)}`
    )
  }

  if (incoming.media !== undefined) {
    if (q.key === "reference_images" && isReference(incoming.media)) {
      return accept({ ...state, mediaCount: state.mediaCount + 1 }, ctx, q.key, {
        raw: text,
        parsed: mediaAnswer(incoming.media, text)
      })
    }
    return answerText(addMedia(state, incoming.media), ctx, q, text)
  }
  return answerText(state, ctx, q, text)
}

/**
 * Feeds one inbound message to the consultation: keywords first (opt-out, handover), then the
 * answer to the current question (repair prompt on an unreadable answer, handover after
 * `maxParseFailures`), then the next question or, after the last one, the qualification.
 * Never throws: unknown message shapes are answered as unsupported, and a state that is not a
 * valid {@link ConsultationState} is handed to the artist.
 */
export const stepConsultation = (state: ConsultationState, inbound: InboundMessage, ctx: StepContext): StepResult => {
  if (!isState(state)) {
    const fresh = { ...initialState(epochMs(ctx.now, 0)), phase: "handed_over" as const }
    return {
      state: fresh,
      replies: [renderCopy(ctx.config, "handover_bridge", {}, ctx.leadId)],
      outcome: { _tag: "Handover", reason: "parse_failure", detail: "The stored consultation state could not be read" }
    }
  }
  const stamped: ConsultationState = { ...state, updatedAt: epochMs(ctx.now, state.updatedAt) }
  if (stamped.phase !== "asking") return { state: stamped, replies: [], outcome: CONTINUE }
  return asking(stamped, incomingOf(inbound), ctx)
}

/**
 * Hands a paused consultation back to the bot (after a handover, or an opt-in): the current
 * question is asked again. A finished consultation is left as it is.
 */
export const resumeConsultation = (state: ConsultationState, ctx: StepContext): StepResult => {
  if (!isState(state)) return stepConsultation(state, { _tag: "Unsupported" }, ctx)
  const resumed: ConsultationState = {
    ...state,
    phase: state.phase === "completed" ? "completed" : "asking",
    updatedAt: epochMs(ctx.now, state.updatedAt)
  }
  if (resumed.phase === "completed") return { state: resumed, replies: [], outcome: CONTINUE }
  const q = questionAt(ctx.config, resumed.questionIndex)
  if (q === undefined) return complete(resumed, ctx)
  return reprompt(resumed, ctx, "ask_question", q)
}
