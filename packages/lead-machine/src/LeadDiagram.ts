import { isTerminal, LEAD_STATUSES } from "./LeadStatus.js"
import { TRANSITIONS, type TransitionRule } from "./TransitionTable.js"

/** Options for {@link toMermaid}. */
export interface MermaidOptions {
  /** Also draw events that keep the status (slot offers, payment flags, reminders). Default `false`. */
  readonly includeSelfTransitions?: boolean
}

const label = (rule: TransitionRule): string => (rule.guard === undefined ? rule.event : `${rule.event} [${rule.guard}]`)

/** Render the transition table as a Mermaid `stateDiagram-v2` (one edge per status pair, events joined). */
export const toMermaid = (options: MermaidOptions = {}): string => {
  const edges = new Map<string, { from: string; to: string; labels: Array<string> }>()
  for (const rule of TRANSITIONS) {
    if (rule.from === rule.to && options.includeSelfTransitions !== true) continue
    const key = `${rule.from}->${rule.to}`
    const edge = edges.get(key) ?? { from: rule.from, to: rule.to, labels: [] }
    const text = label(rule)
    if (!edge.labels.includes(text)) edge.labels.push(text)
    edges.set(key, edge)
  }
  const lines = [
    "stateDiagram-v2",
    "  [*] --> NEW",
    ...[...edges.values()].map((edge) => `  ${edge.from} --> ${edge.to} : ${edge.labels.join("<br/>")}`),
    ...LEAD_STATUSES.filter(isTerminal).map((status) => `  ${status} --> [*]`)
  ]
  return lines.join("\n") + "\n"
}
