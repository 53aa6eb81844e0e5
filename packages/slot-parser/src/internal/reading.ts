import type { Token } from "./text.js"
import {
  AM,
  CLAUSE_WORDS,
  DAYPARTS,
  FILLERS,
  fuzzyWeekday,
  fuzzyWord,
  HARMLESS_IDIOMS,
  HOUR_PREFIXES,
  INDEX_KEYWORDS,
  MONTHS,
  NEGATION_BEFORE,
  NEGATION_CLAUSE,
  NO_PREFERENCE,
  NO_PREFERENCE_IDIOMS,
  NUMBER_WORDS,
  ORDINAL_WORDS,
  PM,
  WEEKDAYS
} from "./vocabulary.js"

export type IndexKind = "number" | "option_number" | "ordinal" | "number_word"

/** A day named relative to `now`; resolved against the artist's calendar when matching. */
export type RelativeDay =
  | { readonly k: "offset"; readonly n: number }
  | { readonly k: "this" | "next"; readonly wd: number }
  | { readonly k: "thisWeek" | "nextWeek" | "weekend" | "nextWeekend" }

export interface DateRef {
  readonly d: number
  readonly mo: number | undefined
  readonly y: number | undefined
}

/** One selector or constraint found in the reply, in reading order. */
type Item =
  | { readonly t: "idx"; readonly n: number; readonly kind: IndexKind; readonly strong: boolean }
  | { readonly t: "wd"; readonly wd: number }
  | { readonly t: "rel"; readonly r: RelativeDay }
  | { readonly t: "date"; readonly date: DateRef }
  /** "the 3rd": the third slot, or the 3rd of the month. */
  | { readonly t: "ordOrDate"; readonly n: number }
  /** Candidate minutes since midnight; empty for an impossible time such as "13pm". */
  | { readonly t: "time"; readonly readings: ReadonlyArray<number> }
  | { readonly t: "part"; readonly range: readonly [number, number] }
  | { readonly t: "any" }
  | { readonly t: "or" }
  | { readonly t: "clause" }
  | { readonly t: "negBefore" }
  | { readonly t: "negClause" }

/** Constraints that must all hold (each category is a union of its values). */
export interface Group {
  idx: Array<{ readonly n: number; readonly kind: IndexKind; readonly strong: boolean }>
  wd: Array<number>
  rel: Array<RelativeDay>
  dates: Array<DateRef>
  ordOrDate: Array<number>
  times: Array<ReadonlyArray<number>>
  parts: Array<readonly [number, number]>
}

/** What the reply says: alternatives it accepts, slots it rules out, and whether "any" is fine. */
export interface Reading {
  readonly positive: ReadonlyArray<Group>
  readonly negative: ReadonlyArray<Group>
  readonly any: boolean
}

const isConstraint = (it: Item): boolean =>
  it.t !== "or" && it.t !== "clause" && it.t !== "negBefore" && it.t !== "negClause" && it.t !== "any"

/** Readings of an hour written without am/pm: "at 2" is 02:00 or 14:00, whichever is offered. */
const bareHour = (h: number, m = 0): Item => {
  if (h > 23 || m > 59) return { t: "time", readings: [] }
  if (h === 0 || h >= 12) return { t: "time", readings: [h * 60 + m] }
  return { t: "time", readings: [h * 60 + m, (h + 12) * 60 + m] }
}

const withMeridiem = (h: number, m: number, mer: "am" | "pm"): Item => {
  if (h < 1 || h > 12 || m > 59) return { t: "time", readings: [] }
  const hour = mer === "am" ? h % 12 : (h % 12) + 12
  return { t: "time", readings: [hour * 60 + m] }
}

const ONE_PRONOUN_BEFORE: ReadonlySet<string> = new Set([
  "the", "that", "this", "which", "a", "any", "each", "every", "no", "only", "other", "another",
  "first", "second", "third", "last", "earlier", "later", "early", "late"
])
const ORDINAL_FOLLOWERS: ReadonlySet<string> = new Set([
  "one", "option", "slot", "choice", "time", "timeslot", "please", "pls", "thanks", "is", "works",
  "would", "will", "for", "sounds", "looks", "then", "i", "of", "on", "in", "at"
])
const NOT_ORDINAL_BEFORE: ReadonlySet<string> = new Set(["a", "one", "just", "in", "at"])
const LAST_NOT_ORDINAL_AFTER: ReadonlySet<string> = new Set([
  "week", "weekend", "night", "time", "month", "minute", "year"
])
const SAT_AS_VERB: ReadonlySet<string> = new Set(["i", "we", "he", "she", "they", "you", "just", "was", "were"])
const SUN_AS_NOUN: ReadonlySet<string> = new Set(["the", "in", "of", "some", "much", "no"])

const wordOf = (t: Token | undefined): string | undefined => (t !== undefined && t.k === "word" ? t.w : undefined)

const isDayItem = (it: Item | undefined): boolean =>
  it !== undefined && (it.t === "wd" || it.t === "rel" || it.t === "date" || it.t === "ordOrDate")

const emptyGroup = (): Group => ({ idx: [], wd: [], rel: [], dates: [], ordOrDate: [], times: [], parts: [] })

const addItem = (g: Group, it: Item): void => {
  switch (it.t) {
    case "idx":
      g.idx.push({ n: it.n, kind: it.kind, strong: it.strong })
      break
    case "wd":
      g.wd.push(it.wd)
      break
    case "rel":
      g.rel.push(it.r)
      break
    case "date":
      g.dates.push(it.date)
      break
    case "ordOrDate":
      g.ordOrDate.push(it.n)
      break
    case "time":
      g.times.push(it.readings)
      break
    case "part":
      g.parts.push(it.range)
      break
  }
}

const hasDay = (g: Group): boolean => g.wd.length + g.rel.length + g.dates.length + g.ordOrDate.length > 0
const hasTime = (g: Group): boolean => g.times.length + g.parts.length > 0
export const hasDescription = (g: Group): boolean => hasDay(g) || hasTime(g)
const isEmpty = (g: Group): boolean => g.idx.length === 0 && !hasDescription(g)

const overlaps = (a: Group, b: Group): boolean =>
  (a.idx.length > 0 && b.idx.length > 0) ||
  (a.wd.length > 0 && b.wd.length > 0) ||
  (a.rel.length > 0 && b.rel.length > 0) ||
  (a.dates.length + a.ordOrDate.length > 0 && b.dates.length + b.ordOrDate.length > 0) ||
  (a.times.length > 0 && b.times.length > 0) ||
  (a.parts.length > 0 && b.parts.length > 0)

const merge = (into: Group, from: Group): void => {
  into.idx.push(...from.idx)
  into.wd.push(...from.wd)
  into.rel.push(...from.rel)
  into.dates.push(...from.dates)
  into.ordOrDate.push(...from.ordOrDate)
  into.times.push(...from.times)
  into.parts.push(...from.parts)
}

/** Turn tokens into selectors and constraints, using the words around each number. */
const itemsOf = (toks: ReadonlyArray<Token>): { items: Array<Item>; unknown: number } => {
  const items: Array<Item> = []
  let unknown = 0
  let lastSig: Item | undefined
  // Set while only separators follow a keyword number, so "option 2 or 3" keeps 3 as an option.
  let listKind: IndexKind | undefined
  const push = (it: Item): void => {
    items.push(it)
    if (isConstraint(it)) lastSig = it
    if (it.t === "idx" && it.strong) listKind = it.kind
    else if (it.t !== "or" && it.t !== "clause") listKind = undefined
  }
  const lastItem = (): Item | undefined => items[items.length - 1]

  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!
    const prevW = wordOf(toks[i - 1])
    const nextW = wordOf(toks[i + 1])
    switch (t.k) {
      case "junk":
        unknown++
        listKind = undefined
        break
      case "sep":
        push(t.s === "/" || t.s === "&" ? { t: "or" } : { t: "clause" })
        break
      case "clock":
        push(t.mer !== undefined ? withMeridiem(t.h, t.m, t.mer) : t.padded ? (t.h > 23 || t.m > 59 ? bareHour(99) : { t: "time", readings: [t.h * 60 + t.m] }) : bareHour(t.h, t.m))
        break
      case "meridiem":
        push(withMeridiem(t.h, 0, t.mer))
        break
      case "hour":
        push(bareHour(t.h))
        break
      case "hour24":
        push(t.h <= 23 ? { t: "time", readings: [t.h * 60] } : bareHour(99))
        break
      case "slash":
        push({ t: "date", date: { d: t.d, mo: t.mo, y: t.y } })
        break
      case "hash":
        push({ t: "idx", n: t.n, kind: "option_number", strong: true })
        break
      case "ordnum": {
        const n = t.n
        if (n < 1 || n > 31) {
          unknown++
          break
        }
        const monthAfter = nextW !== undefined ? MONTHS.get(nextW) : undefined
        const monthAfterOf = nextW === "of" ? MONTHS.get(wordOf(toks[i + 2]) ?? "") : undefined
        const prev2W = wordOf(toks[i - 2])
        if (monthAfter !== undefined) {
          push({ t: "date", date: { d: n, mo: monthAfter, y: undefined } })
          i++
        } else if (monthAfterOf !== undefined) {
          push({ t: "date", date: { d: n, mo: monthAfterOf, y: undefined } })
          i += 2
        } else if (
          (prevW !== undefined && WEEKDAYS.has(prevW)) ||
          (prevW === "the" && isDayItem(lastSig) && lastItem() === lastSig) ||
          prevW === "on" ||
          (prevW === "the" && prev2W === "on")
        ) {
          push({ t: "date", date: { d: n, mo: undefined, y: undefined } })
        } else if (nextW !== undefined && ORDINAL_FOLLOWERS.has(nextW) && n <= 10) {
          push({ t: "idx", n, kind: "ordinal", strong: true })
        } else if (n > 10) {
          push({ t: "date", date: { d: n, mo: undefined, y: undefined } })
        } else {
          push({ t: "ordOrDate", n })
        }
        break
      }
      case "num": {
        const n = t.n
        if (n >= 100) {
          unknown++
          listKind = undefined
          break
        }
        const monthAfter = nextW !== undefined ? MONTHS.get(nextW) : undefined
        const monthBefore = prevW !== undefined ? MONTHS.get(prevW) : undefined
        const prev2W = wordOf(toks[i - 2])
        if (prevW !== undefined && (INDEX_KEYWORDS.has(prevW) || (prevW === "no" && prev2W !== undefined && INDEX_KEYWORDS.has(prev2W)))) {
          push({ t: "idx", n, kind: "option_number", strong: true })
        } else if (prevW !== undefined && HOUR_PREFIXES.has(prevW)) {
          push(bareHour(n))
        } else if (monthAfter !== undefined && n >= 1 && n <= 31) {
          push({ t: "date", date: { d: n, mo: monthAfter, y: undefined } })
          i++
        } else if (monthBefore !== undefined && n >= 1 && n <= 31) {
          push({ t: "date", date: { d: n, mo: monthBefore, y: undefined } })
        } else if (n >= 1 && n <= 31 && lastSig !== undefined && lastSig.t === "wd" && prevW === "the") {
          push({ t: "date", date: { d: n, mo: undefined, y: undefined } })
        } else if (n >= 1 && n <= 31 && lastSig !== undefined && lastSig.t === "wd" && lastItem() === lastSig) {
          // "Thursday 14" is a date; "Saturday 10" is a time (a day of the month needs "the" or "10th")
          push(n >= 13 ? { t: "date", date: { d: n, mo: undefined, y: undefined } } : bareHour(n))
        } else if (listKind !== undefined) {
          push({ t: "idx", n, kind: listKind, strong: true })
        } else {
          push({ t: "idx", n, kind: "number", strong: t.marker && i === 0 })
        }
        break
      }
      case "word":
        i = word(toks, i, t.w, prevW, nextW, push, lastItem, () => unknown++)
        break
    }
  }
  return { items, unknown }
}

/** Read one word (and any words it consumes); returns the index of the last token used. */
const word = (
  toks: ReadonlyArray<Token>,
  i: number,
  raw: string,
  prevW: string | undefined,
  nextW: string | undefined,
  push: (it: Item) => void,
  lastItem: () => Item | undefined,
  addUnknown: () => void
): number => {
  const next2W = wordOf(toks[i + 2])
  const noPref = NO_PREFERENCE_IDIOMS.get(raw)
  if (noPref !== undefined && nextW !== undefined && noPref.has(nextW)) {
    push({ t: "any" })
    return i + 1
  }
  if (raw === "not" && nextW === "a" && next2W === "problem") return i + 2
  const harmless = HARMLESS_IDIOMS.get(raw)
  // "no problem", "no worries", "can't wait": not a negation of anything
  if (harmless !== undefined && nextW !== undefined && harmless.has(nextW)) return i + 1
  if ((raw === "rather" || raw === "other") && nextW === "than") {
    push({ t: "negBefore" })
    return i + 1
  }
  if ((raw === "instead" && nextW === "of") || (raw === "apart" && nextW === "from")) {
    push({ t: "negBefore" })
    return i + 1
  }
  if ((raw === "anything" || raw === "any" || raw === "everything" || raw === "anytime") && nextW === "but") {
    push({ t: "any" })
    push({ t: "negBefore" })
    return i + 1
  }
  if (NEGATION_BEFORE.has(raw)) {
    push({ t: "negBefore" })
    return i
  }
  if (NEGATION_CLAUSE.has(raw)) {
    push({ t: "negClause" })
    return i
  }
  if (CLAUSE_WORDS.has(raw)) {
    push({ t: "clause" })
    return i
  }
  if (raw === "or" || raw === "and" || raw === "nor") {
    push({ t: "or" })
    return i
  }
  if (NO_PREFERENCE.has(raw)) {
    push({ t: "any" })
    return i
  }

  // Weekdays: whole words only, so "wedding", "monkey" and "sunny" are never days.
  let wd = WEEKDAYS.get(raw)
  if (wd === 6 && raw === "sat" && prevW !== undefined && SAT_AS_VERB.has(prevW)) wd = undefined
  if (wd === 0 && raw === "sun" && prevW !== undefined && SUN_AS_NOUN.has(prevW)) wd = undefined
  if (wd === undefined && !FILLERS.has(raw)) wd = fuzzyWeekday(raw)
  if (wd !== undefined) {
    if (prevW === "this" || prevW === "next") push({ t: "rel", r: { k: prevW, wd } })
    else if (prevW === "last") addUnknown()
    else push({ t: "wd", wd })
    return i
  }

  const month = MONTHS.get(raw)
  if (month !== undefined) {
    const nt = toks[i + 1]
    if (nt !== undefined && (nt.k === "num" || nt.k === "ordnum") && nt.n >= 1 && nt.n <= 31) {
      const yt = toks[i + 2]
      const y = yt !== undefined && yt.k === "num" && yt.n >= 2000 ? yt.n : undefined
      push({ t: "date", date: { d: nt.n, mo: month, y } })
      return y !== undefined ? i + 2 : i + 1
    }
    if (raw !== "may" && raw !== "mar") addUnknown()
    return i
  }

  const w = fuzzyWord(raw)
  switch (w) {
    case "today":
      push({ t: "rel", r: { k: "offset", n: 0 } })
      return i
    case "tonight":
      push({ t: "rel", r: { k: "offset", n: 0 } })
      push({ t: "part", range: DAYPARTS.get("evening")! })
      return i
    case "tomorrow":
    case "tmrw":
    case "tmr":
    case "tmw":
    case "tomoz":
    case "tomorrows":
      push({ t: "rel", r: { k: "offset", n: 1 } })
      return i
    case "day":
      if (nextW === "after" && next2W !== undefined && fuzzyWord(next2W) === "tomorrow") {
        push({ t: "rel", r: { k: "offset", n: 2 } })
        return i + 2
      }
      return i
    case "this":
      if (nextW === "week") {
        push({ t: "rel", r: { k: "thisWeek" } })
        return i + 1
      }
      if (nextW === "weekend") {
        push({ t: "rel", r: { k: "weekend" } })
        return i + 1
      }
      if (nextW !== undefined && DAYPARTS.has(fuzzyWord(nextW))) push({ t: "rel", r: { k: "offset", n: 0 } })
      return i
    case "next":
      if (nextW === "week") {
        push({ t: "rel", r: { k: "nextWeek" } })
        return i + 1
      }
      if (nextW === "weekend") {
        push({ t: "rel", r: { k: "nextWeekend" } })
        return i + 1
      }
      return i
    case "weekend":
    case "weekends":
      push({ t: "rel", r: { k: "weekend" } })
      return i
    case "noon":
    case "midday":
    case "lunchtime":
      push({ t: "time", readings: [12 * 60] })
      return i
    case "midnight":
      push({ t: "time", readings: [0] })
      return i
    case "am":
    case "pm":
      if (isDayItem(lastItem())) push({ t: "part", range: w === "am" ? AM : PM })
      return i
  }
  const part = DAYPARTS.get(w)
  if (part !== undefined) {
    push({ t: "part", range: part })
    return i
  }

  const ord = ORDINAL_WORDS.get(raw)
  if (ord !== undefined) {
    if (raw === "first" && nextW === "thing") {
      push({ t: "part", range: DAYPARTS.get("morning")! })
      return i + 1
    }
    if ((prevW !== undefined && NOT_ORDINAL_BEFORE.has(prevW)) || (nextW !== undefined && !FILLERS.has(nextW) && !ORDINAL_FOLLOWERS.has(nextW))) {
      addUnknown()
      return i
    }
    push({ t: "idx", n: ord, kind: "ordinal", strong: true })
    return i
  }
  if (raw === "last" || raw === "final" || raw === "latest") {
    if (nextW !== undefined && (LAST_NOT_ORDINAL_AFTER.has(nextW) || WEEKDAYS.has(nextW))) return i
    if (prevW === "at") return i
    push({ t: "idx", n: -1, kind: "ordinal", strong: true })
    return i
  }

  const num = NUMBER_WORDS.get(raw)
  if (num !== undefined) {
    if (prevW !== undefined && INDEX_KEYWORDS.has(prevW)) {
      push({ t: "idx", n: num, kind: "option_number", strong: true })
      return i
    }
    if (nextW === "pm" || nextW === "am") {
      push(withMeridiem(num, 0, nextW))
      return i + 1
    }
    if (nextW === "oclock" || nextW === "ish" || (prevW !== undefined && HOUR_PREFIXES.has(prevW))) {
      push(bareHour(num))
      return nextW === "oclock" || nextW === "ish" ? i + 1 : i
    }
    if (raw === "one") {
      const prev = lastItem()
      const prevTok = toks[i - 1]
      const afterConstraint = prev !== undefined && isConstraint(prev) && prevTok !== undefined && prevTok.k !== "sep"
      if ((prevW !== undefined && ONE_PRONOUN_BEFORE.has(prevW)) || afterConstraint) return i
    }
    push({ t: "idx", n: num, kind: "number_word", strong: false })
    return i
  }

  if (!FILLERS.has(raw) && !INDEX_KEYWORDS.has(raw) && raw !== "week" && raw !== "day" && raw !== "oclock" && raw !== "thing") {
    addUnknown()
  }
  return i
}

/**
 * Read a normalised, tokenised reply: split it into clauses (the scope of negations), then into
 * alternatives ("or", or a comma between two values of the same kind), each a group of constraints.
 */
export const readReply = (toks: ReadonlyArray<Token>): Reading => {
  const { items, unknown } = itemsOf(toks)
  // A bare number only counts as a list number when nothing else in the reply is unexplained
  // ("3 please" is a choice; "I have 3 questions" and "we are 4 people" are not).
  const numberish = unknown === 0

  if (!items.some((c) => c.t === "clause" || c.t === "negBefore" || c.t === "negClause" || c.t === "any")) {
    return { positive: groupsOf(items, numberish), negative: [], any: false }
  }
  const positive: Array<Item> = []
  const negative: Array<Item> = []
  let any = false
  let start = 0
  for (let end = 0; end <= items.length; end++) {
    const it = items[end]
    if (it !== undefined && it.t !== "clause") continue
    const clause = items.slice(start, end)
    start = end + 1
    const whole = clause.some((c) => c.t === "negClause")
    const before = clause.findIndex((c) => c.t === "negBefore")
    const after = before >= 0 && clause.slice(before + 1).some(isConstraint)
    for (let k = 0; k < clause.length; k++) {
      const c = clause[k]!
      const negated = whole || (before >= 0 && (after ? k > before : k < before))
      if (c.t === "any") {
        if (!negated) any = true
        continue
      }
      if (c.t === "negBefore" || c.t === "negClause") continue
      ;(negated ? negative : positive).push(c)
    }
    positive.push({ t: "clause" })
    negative.push({ t: "clause" })
  }
  return {
    positive: groupsOf(positive, numberish),
    negative: groupsOf(negative, numberish),
    any
  }
}

const groupsOf = (seq: ReadonlyArray<Item>, numberish: boolean): Array<Group> => {
  const groups: Array<Group> = []
  let cur = emptyGroup()
  let curHard = false
  let nextHard = false
  const flush = (): void => {
    if (isEmpty(cur)) return
    const last = groups[groups.length - 1]
    if (last !== undefined && !curHard && !overlaps(last, cur)) merge(last, cur)
    else groups.push(cur)
    cur = emptyGroup()
  }
  for (const it of seq) {
    if (it.t === "or" || it.t === "clause") {
      if (isEmpty(cur)) {
        nextHard = nextHard || it.t === "or"
        continue
      }
      flush()
      nextHard = it.t === "or"
      continue
    }
    if (isEmpty(cur)) {
      curHard = nextHard
      nextHard = false
    }
    addItem(cur, it)
  }
  flush()

  // "2 or 4pm": a lone bare number beside a clock time is an hour, not a list number.
  const anyTimes = groups.some((g) => g.times.length > 0)
  for (const g of groups) {
    const weakOnly = g.idx.length > 0 && g.idx.every((x) => !x.strong && x.kind === "number") && !hasDescription(g)
    if (anyTimes && weakOnly && groups.length > 1) {
      for (const x of g.idx) {
        const it = bareHour(x.n)
        if (it.t === "time") g.times.push(it.readings)
      }
      g.idx = []
    } else if (!numberish) {
      g.idx = g.idx.filter((x) => x.strong)
    }
  }
  const kept = groups.filter((g) => !isEmpty(g))

  // "Monday at 10 or 2" / "Monday or Wednesday afternoon": an alternative that names only a
  // time borrows the day of its neighbour, and one that names only a day borrows the next time.
  if (kept.length < 2) return kept
  const snapshot = kept.map((g) => ({ wd: g.wd, rel: g.rel, dates: g.dates, ordOrDate: g.ordOrDate, times: g.times, parts: g.parts, idx: g.idx.length > 0 }))
  for (let k = 0; k < kept.length; k++) {
    const g = kept[k]!
    if (g.idx.length > 0) continue
    if (!hasDay(g)) {
      const donor = [...snapshot.slice(0, k)].reverse().find((s) => !s.idx && s.wd.length + s.rel.length + s.dates.length + s.ordOrDate.length > 0) ??
        snapshot.slice(k + 1).find((s) => !s.idx && s.wd.length + s.rel.length + s.dates.length + s.ordOrDate.length > 0)
      if (donor !== undefined) {
        g.wd = [...donor.wd]
        g.rel = [...donor.rel]
        g.dates = [...donor.dates]
        g.ordOrDate = [...donor.ordOrDate]
      }
    }
    if (!hasTime(g)) {
      const donor = snapshot.slice(k + 1).find((s) => !s.idx && s.times.length + s.parts.length > 0)
      if (donor !== undefined) {
        g.times = [...donor.times]
        g.parts = [...donor.parts]
      }
    }
  }
  return kept
}
