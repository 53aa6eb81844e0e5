import type { ConsultationAnswers } from "./ConsultationAnswers.js"
import type { ConsultationConfig } from "./ConsultationConfig.js"
import { cmText, formatPounds } from "./internal/money.js"
import { type Qualification, mentionsCoverUp, qualificationStatus } from "./Qualification.js"

const HEADLINE = {
  PENDING_APPROVAL: "Ready for review",
  NEEDS_FOLLOW_UP: "Needs follow-up",
  NEEDS_ARTIST_REPLY: "Needs you",
  TOUR_CONVERSION_OFFERED: "Tour stop offered",
  WAITLISTED: "Waitlisted"
} as const

const COMPLEXITY = { 1: "Simple", 2: "Medium", 3: "High detail" } as const

const firstLine = (text: string, max: number): string => {
  const line = (text.split("\n")[0] ?? "").trim()
  return text.trim().length > max || line.length > max ? `${line.slice(0, max).trimEnd()}...` : line
}

const raw = (a: { readonly raw: string } | undefined): string => a?.raw.trim() ?? ""

/**
 * The summary the artist reads for a finished consultation (WhatsApp formatting), after the prior
 * system's layout: headline, idea, placement/size/complexity, location and region, budget against
 * the minimum, Instagram, estimate, tour, then notes. Lines with nothing to say are left out.
 */
export const artistSummary = (
  answers: ConsultationAnswers,
  qualification: Qualification,
  config: ConsultationConfig,
  leadId?: string | number
): string => {
  const q = qualification
  const status = qualificationStatus(q)
  const who = leadId === undefined ? "New enquiry" : `Lead #${String(leadId)}`
  const lines: Array<string> = [`🎨 *${who} — ${HEADLINE[status]}*`, ""]

  const idea = raw(answers.idea)
  if (idea !== "") lines.push(`💭 *Idea:* ${firstLine(idea, 100)}`, "")

  const size =
    q.widthCm !== null && q.heightCm !== null ? `${cmText(q.widthCm)}×${cmText(q.heightCm)}cm` : raw(answers.dimensions)
  const details = [
    raw(answers.placement) !== "" ? `📍 Placement: ${raw(answers.placement)}` : "",
    size !== "" ? `Size: ${size}` : "",
    `Complexity: ${q.complexity === null ? "Not specified" : COMPLEXITY[q.complexity]}`
  ].filter((s) => s !== "")
  lines.push(details.join(" | "))

  const style = raw(answers.style)
  const timing = raw(answers.timing)
  const flavour = [style !== "" ? `🖌️ Style: ${style}` : "", timing !== "" ? `Timing: ${timing}` : ""].filter(
    (s) => s !== ""
  )
  if (flavour.length > 0) lines.push(flavour.join(" | "))

  const refs = answers.reference_images?.parsed
  if (refs?._tag === "Media") lines.push(`🖼️ *References:* ${refs.kinds.length} sent${refs.caption ? ` (${refs.caption})` : ""}`)
  else if (refs?._tag === "Text") lines.push(`🖼️ *References:* ${refs.text}`)

  const place = [q.city, q.country].filter((s): s is string => s !== null && s !== "").join(", ")
  lines.push(`🌍 *Location:* ${place === "" ? "Not given" : place} (${q.region})`)

  const budget = q.budgetPence === null ? raw(answers.budget) || "Not given" : formatPounds(q.budgetPence)
  lines.push(`💰 *Budget:* ${budget} (Min: ${formatPounds(q.regionMinimumPence)})${q.belowMinimum ? " ⚠️ BELOW MIN" : ""}`)

  if (q.instagramHandle !== null) lines.push(`📱 *IG:* ${q.instagramHandle}`)

  const days = q.estimatedDays === null ? "" : ` | ${q.estimatedDays} day${q.estimatedDays === 1 ? "" : "s"}`
  lines.push(`📊 *Estimate:* ${q.sizeCategory}${days} | Deposit: ${formatPounds(q.depositAmountPence)}`)

  const tour = (() => {
    switch (q.tour._tag) {
      case "Studio":
        return q.requestedCity !== null && q.requestedCity !== q.city ? `Requested city: ${q.requestedCity}` : "Studio"
      case "OnTour":
        return `On tour in ${q.tour.stop.city}`
      case "Offer":
        return `Tour conversion offered: ${q.tour.stop.city} (${q.tour.dates})`
      case "Waitlist":
        return `Waitlisted for ${q.requestedCity ?? "their city"}`
    }
  })()
  lines.push(`✈️ *Tour:* ${tour}`)

  const notes = [
    q.coverUp ? "Cover-up" : mentionsCoverUp(answers, config) ? "Mentions a cover-up" : "",
    q.hardPlacement ? "Hard placement" : ""
  ].filter((s) => s !== "")
  if (notes.length > 0) lines.push(`⚠️ *Notes:* ${notes.join(", ")}`)
  return `${lines.join("\n")}\n`
}
