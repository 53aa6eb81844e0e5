import type { AmbiguityReason, MatchedBy, RejectReason, SlotParseResult } from "../SlotParseResult.js"
import type { DateRef, Group, Reading, RelativeDay } from "./reading.js"
import { hasDescription } from "./reading.js"
import type { LocalParts } from "./zone.js"

/** The offered slots and `now`, as wall-clock parts in the artist's zone. */
export interface Calendar {
  readonly slots: ReadonlyArray<LocalParts>
  /** Whether each slot starts after `now`. */
  readonly future: ReadonlyArray<boolean>
  readonly now: LocalParts
}

/** How far (minutes) a stated time may be from a slot's start and still mean it. */
const TIME_TOLERANCE = 30

type Outcome =
  | { readonly ok: true; readonly set: ReadonlyArray<number>; readonly kind: MatchedBy; readonly group: Group; readonly readings: boolean }
  | { readonly ok: false; readonly reason: RejectReason }

const fail = (reason: RejectReason): Outcome => ({ ok: false, reason })

/** Inclusive day-number ranges a relative day refers to. */
const relativeRanges = (r: RelativeDay, now: LocalParts): ReadonlyArray<readonly [number, number]> => {
  const today = now.dayNumber
  const iso = now.weekday === 0 ? 7 : now.weekday
  const sunday = today + (7 - iso)
  switch (r.k) {
    case "offset":
      return [[today + r.n, today + r.n]]
    case "this": {
      const d = today + ((r.wd - now.weekday + 7) % 7)
      return [[d, d]]
    }
    case "next": {
      // "next Tuesday" said on a Monday may mean tomorrow or a week later: keep both, let the
      // offered slots decide, and ask when both are offered.
      const d = today + ((r.wd - now.weekday + 7) % 7 || 7)
      return d <= sunday ? [[d, d], [d + 7, d + 7]] : [[d, d]]
    }
    case "thisWeek":
      return [[today, sunday]]
    case "nextWeek":
      return [[sunday + 1, sunday + 7]]
    case "weekend":
      return iso === 7 ? [[today, today]] : [[sunday - 1, sunday]]
    case "nextWeekend":
      return [[sunday + 6, sunday + 7]]
  }
}

const dateMatches = (p: LocalParts, d: DateRef): boolean =>
  p.day === d.d && (d.mo === undefined || p.month === d.mo) && (d.y === undefined || p.year === d.y)

const filter = (set: ReadonlyArray<number>, keep: (i: number) => boolean): Array<number> => {
  const out: Array<number> = []
  for (const i of set) if (keep(i)) out.push(i)
  return out
}

const dayKind = (g: Group, asDate: boolean): "date" | "relative_day" | "weekday" | undefined =>
  g.dates.length > 0 || asDate ? "date" : g.rel.length > 0 ? "relative_day" : g.wd.length > 0 ? "weekday" : undefined

const KINDS: Record<string, MatchedBy> = {
  "weekday:": "weekday",
  "weekday:time": "weekday_time",
  "weekday:daypart": "weekday_daypart",
  "relative_day:": "relative_day",
  "relative_day:time": "relative_day_time",
  "relative_day:daypart": "relative_day_daypart",
  "date:": "date",
  "date:time": "date_time",
  "date:daypart": "date_daypart",
  ":time": "time",
  ":daypart": "daypart"
}

const descriptionKind = (g: Group, asDate: boolean): MatchedBy => {
  const time = g.times.length > 0 ? "time" : g.parts.length > 0 ? "daypart" : ""
  return KINDS[`${dayKind(g, asDate) ?? ""}:${time}`] ?? "time"
}

const distinct = (xs: ReadonlyArray<unknown>): number =>
  xs.length < 2 ? xs.length : new Set(xs.map((x) => (typeof x === "number" ? x : JSON.stringify(x)))).size

const isMulti = (g: Group): boolean =>
  distinct(g.idx.map((x) => x.n)) > 1 ||
  distinct(g.wd) > 1 ||
  distinct(g.rel) > 1 ||
  distinct(g.dates) > 1 ||
  distinct(g.times) > 1 ||
  distinct(g.parts) > 1

/** Slots satisfying every descriptive constraint of a group (days first, then part of day, then time). */
const describe = (g: Group, cal: Calendar, extraDates: ReadonlyArray<DateRef>): Outcome => {
  const all = cal.slots.map((_, i) => i)
  const dates = extraDates.length > 0 ? [...g.dates, ...extraDates] : g.dates
  let set: Array<number> = all
  let narrowed = false
  const day = (keep: (p: LocalParts) => boolean, reason: RejectReason): RejectReason | undefined => {
    const alone = filter(all, (i) => keep(cal.slots[i]!))
    if (alone.length === 0) return reason
    set = filter(set, (i) => keep(cal.slots[i]!))
    narrowed = true
    return undefined
  }
  if (dates.length > 0) {
    const r = day((p) => dates.some((d) => dateMatches(p, d)), "date_not_offered")
    if (r !== undefined) return fail(r)
  }
  if (g.rel.length > 0) {
    const ranges = g.rel.flatMap((r) => relativeRanges(r, cal.now))
    const r = day((p) => ranges.some(([a, b]) => p.dayNumber >= a && p.dayNumber <= b), "day_not_offered")
    if (r !== undefined) return fail(r)
  }
  if (g.wd.length > 0) {
    const r = day((p) => g.wd.includes(p.weekday), "day_not_offered")
    if (r !== undefined) return fail(r)
  }
  if (narrowed && set.length === 0) return fail("conflicting_details")
  if (g.parts.length > 0) {
    set = filter(set, (i) => {
      const m = cal.slots[i]!.minutes
      return g.parts.some(([a, b]) => m >= a && m < b)
    })
    if (set.length === 0) return fail("time_not_offered")
  }
  if (g.times.length > 0) {
    const chosen = new Set<number>()
    for (const readings of g.times) {
      let best = Number.POSITIVE_INFINITY
      const dist = set.map((i) => {
        const m = cal.slots[i]!.minutes
        let d = Number.POSITIVE_INFINITY
        for (const r of readings) d = Math.min(d, Math.abs(m - r))
        if (d < best) best = d
        return d
      })
      if (best > TIME_TOLERANCE) continue
      set.forEach((i, k) => {
        if (dist[k] === best) chosen.add(i)
      })
    }
    if (chosen.size === 0) return fail("time_not_offered")
    set = filter(set, (i) => chosen.has(i))
  }
  return { ok: true, set, kind: descriptionKind(g, extraDates.length > 0), group: g, readings: false }
}

const dropPast = (o: Outcome, cal: Calendar): Outcome => {
  if (!o.ok) return o
  const set = filter(o.set, (i) => cal.future[i] === true)
  return set.length === 0 ? fail("slot_in_past") : { ...o, set }
}

/** Evaluate one alternative: a list number, a description, or both (which must agree). */
const evaluate = (g: Group, cal: Calendar, forExclusion: boolean): Outcome => {
  const n = cal.slots.length
  if (g.idx.length > 0) {
    const picked = [...new Set(g.idx.map((x) => (x.n === -1 ? n - 1 : x.n - 1)))].filter((v) => v >= 0 && v < n).sort((a, b) => a - b)
    if (picked.length === 0) return fail("out_of_range")
    let set = picked
    if (hasDescription(g)) {
      const d = describe({ ...g, ordOrDate: [] }, cal, g.ordOrDate.map((d) => ({ d, mo: undefined, y: undefined })))
      set = d.ok ? filter(set, (i) => d.set.includes(i)) : []
      if (set.length === 0) return fail("conflicting_details")
    }
    const o: Outcome = { ok: true, set, kind: g.idx[0]!.kind, group: g, readings: false }
    return forExclusion ? o : dropPast(o, cal)
  }
  if (g.ordOrDate.length > 0) {
    // "the 3rd": a position in the list or a day of the month; both readings are tried.
    const asDate = describe({ ...g, ordOrDate: [] }, cal, g.ordOrDate.map((d) => ({ d, mo: undefined, y: undefined })))
    const asOrdinal = evaluate({ ...g, ordOrDate: [], idx: g.ordOrDate.map((k) => ({ n: k, kind: "ordinal" as const, strong: true })) }, cal, true)
    const date = forExclusion ? asDate : dropPast(asDate, cal)
    const ord = forExclusion ? asOrdinal : dropPast(asOrdinal, cal)
    if (date.ok && ord.ok) {
      const same = date.set.length === ord.set.length && date.set.every((i) => ord.set.includes(i))
      if (same) return ord
      const set = [...new Set([...date.set, ...ord.set])].sort((a, b) => a - b)
      return { ok: true, set, kind: "ordinal", group: g, readings: true }
    }
    if (ord.ok) return ord
    return date
  }
  const d = describe(g, cal, [])
  return forExclusion ? d : dropPast(d, cal)
}

const matched = (index: number, matchedBy: MatchedBy): SlotParseResult => ({ _tag: "Matched", index, matchedBy })
const ambiguous = (candidates: ReadonlyArray<number>, reason: AmbiguityReason): SlotParseResult => ({
  _tag: "Ambiguous",
  candidates,
  reason
})
export const rejected = (reason: RejectReason): SlotParseResult => ({ _tag: "Rejected", reason })

/** Intersect the reading with the offered slots: one slot → Matched, several → Ambiguous, none → Rejected. */
export const resolve = (reading: Reading, cal: Calendar): SlotParseResult => {
  const excluded = new Set<number>()
  for (const g of reading.negative) {
    const o = evaluate(g, cal, true)
    if (o.ok) for (const i of o.set) excluded.add(i)
  }

  if (reading.positive.length > 0) {
    const outcomes = reading.positive.map((g) => evaluate(g, cal, false))
    const ok = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok)
    if (ok.length === 0) {
      const first = outcomes[0]
      return rejected(first !== undefined && !first.ok ? first.reason : "no_match")
    }
    const union = new Set<number>()
    for (const o of ok) for (const i of o.set) if (!excluded.has(i)) union.add(i)
    const candidates = [...union].sort((a, b) => a - b)
    if (candidates.length === 0) return rejected("no_match")
    if (candidates.length === 1) {
      const only = candidates[0]!
      const by = ok.find((o) => o.set.includes(only))!
      return matched(only, by.kind)
    }
    if (ok.some((o) => o.readings)) return ambiguous(candidates, "several_readings")
    const contributing = ok.filter((o) => o.set.some((i) => !excluded.has(i)))
    return ambiguous(candidates, contributing.length > 1 || ok.some((o) => isMulti(o.group)) ? "multiple_choices" : "several_slots_match")
  }

  if (reading.any || excluded.size > 0) {
    const remaining = filter(cal.slots.map((_, i) => i), (i) => cal.future[i] === true && !excluded.has(i))
    if (remaining.length === 0) return rejected(cal.future.includes(true) ? "no_match" : "slot_in_past")
    if (remaining.length === 1) return matched(remaining[0]!, "only_remaining")
    return reading.any ? ambiguous(remaining, "no_preference") : rejected("only_exclusions")
  }
  return rejected("chit_chat")
}
