/** Weekday words (0 = Sunday), including abbreviations and plurals, matched as whole words. */
export const WEEKDAYS: ReadonlyMap<string, number> = new Map([
  ["sunday", 0], ["sundays", 0], ["sun", 0],
  ["monday", 1], ["mondays", 1], ["mon", 1],
  ["tuesday", 2], ["tuesdays", 2], ["tue", 2], ["tues", 2],
  ["wednesday", 3], ["wednesdays", 3], ["wed", 3], ["weds", 3],
  ["thursday", 4], ["thursdays", 4], ["thu", 4], ["thur", 4], ["thurs", 4],
  ["friday", 5], ["fridays", 5], ["fri", 5],
  ["saturday", 6], ["saturdays", 6], ["sat", 6]
])

const FULL_WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

export const MONTHS: ReadonlyMap<string, number> = new Map([
  ["january", 1], ["jan", 1], ["february", 2], ["feb", 2], ["march", 3], ["mar", 3],
  ["april", 4], ["apr", 4], ["may", 5], ["june", 6], ["jun", 6], ["july", 7], ["jul", 7],
  ["august", 8], ["aug", 8], ["september", 9], ["sept", 9], ["sep", 9],
  ["october", 10], ["oct", 10], ["november", 11], ["nov", 11], ["december", 12], ["dec", 12]
])

export const ORDINAL_WORDS: ReadonlyMap<string, number> = new Map([
  ["first", 1], ["second", 2], ["third", 3], ["fourth", 4], ["fifth", 5],
  ["sixth", 6], ["seventh", 7], ["eighth", 8], ["ninth", 9], ["tenth", 10]
])

export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ["one", 1], ["two", 2], ["three", 3], ["four", 4], ["five", 5], ["six", 6],
  ["seven", 7], ["eight", 8], ["nine", 9], ["ten", 10], ["eleven", 11], ["twelve", 12]
])

/** Parts of the day as [from, to) minutes since local midnight. */
export const DAYPARTS: ReadonlyMap<string, readonly [number, number]> = new Map([
  ["morning", [6 * 60, 12 * 60]], ["mornings", [6 * 60, 12 * 60]],
  ["afternoon", [12 * 60, 17 * 60]], ["afternoons", [12 * 60, 17 * 60]], ["arvo", [12 * 60, 17 * 60]],
  ["evening", [17 * 60, 24 * 60]], ["evenings", [17 * 60, 24 * 60]], ["eve", [17 * 60, 24 * 60]],
  ["night", [17 * 60, 24 * 60]]
])

export const AM: readonly [number, number] = [0, 12 * 60]
export const PM: readonly [number, number] = [12 * 60, 24 * 60]

/** Words that introduce a list number: "option 2", "slot 2", "number 2". */
export const INDEX_KEYWORDS: ReadonlySet<string> = new Set([
  "option", "options", "opt", "slot", "slots", "timeslot", "timeslots", "choice", "choices",
  "number", "num", "nr"
])

/** Words after which a bare number is a clock hour ("at 2"). */
export const HOUR_PREFIXES: ReadonlySet<string> = new Set(["at", "around", "about", "approx", "from"])

/** Words that split a reply into clauses (the scope of a negation). */
export const CLAUSE_WORDS: ReadonlySet<string> = new Set([
  "but", "however", "though", "although", "whereas", "otherwise"
])

/** "not Tuesday": negates what follows in the clause (or, if nothing follows, what precedes). */
export const NEGATION_BEFORE: ReadonlySet<string> = new Set([
  "not", "no", "never", "except", "excluding", "exclude", "without", "nope"
])

/** "I can't do Tuesday", "Mondays are bad": negates the whole clause. */
export const NEGATION_CLAUSE: ReadonlySet<string> = new Set([
  "cant", "cannot", "dont", "doesnt", "wont", "isnt", "arent", "couldnt", "wouldnt", "shouldnt",
  "aint", "bad", "busy", "unavailable", "impossible", "away", "unable", "neither", "nor"
])

/** Two-word idioms that look negative but say "any slot is fine" (or nothing at all). */
export const NO_PREFERENCE_IDIOMS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["dont", new Set(["mind", "care"])],
  ["doesnt", new Set(["matter"])],
  ["not", new Set(["fussed", "bothered", "picky", "fussy"])],
  ["no", new Set(["preference", "preferences"])]
])

export const HARMLESS_IDIOMS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["no", new Set(["problem", "problems", "worries", "worry", "bother", "prob", "probs"])],
  ["cant", new Set(["wait"])]
])

export const NO_PREFERENCE: ReadonlySet<string> = new Set([
  "any", "anytime", "anything", "anyone", "whichever", "whatever", "either", "both", "flexible",
  "whenever"
])

/** Words that may accompany a bare list number ("3 please", "I'll take 3", "3 works for me"). */
export const FILLERS: ReadonlySet<string> = new Set([
  "a", "an", "the", "that", "this", "it", "its", "one", "ones", "is", "are", "be", "will", "would",
  "i", "id", "ill", "im", "ive", "me", "my", "we", "us", "our", "you", "your", "for", "with", "to",
  "of", "on", "in", "at", "so", "then", "and", "or", "just", "please", "pls", "plz", "pleas",
  "thanks", "thank", "thx", "ty", "tnx", "cheers", "ta", "ok", "okay", "k", "kk", "okey", "yes",
  "yeah", "yep", "yup", "ya", "yh", "sure", "great", "perfect", "good", "fine", "lovely", "awesome",
  "cool", "brilliant", "nice", "super", "ideal", "best", "like", "love", "take", "taking", "go",
  "going", "goes", "have", "book", "booking", "choose", "chose", "pick", "picking", "select", "want",
  "wanna", "do", "lets", "let", "works", "work", "suits", "suit", "sounds", "sound", "can", "could",
  "may", "might", "prefer", "preferably", "ideally", "probably", "maybe", "think", "guess",
  "hi", "hey", "hello", "mate", "x", "xx", "xxx", "option", "options", "slot", "slots", "choice",
  "number", "thats", "which", "for", "me", "there", "then", "done", "deal", "please", "fab",
  "definitely", "defo", "def", "really", "quite", "would", "be", "great", "time", "available",
  "free", "ah", "oh", "um", "umm", "hmm", "haha", "lol", "pm", "am"
])

/** Optimal-string-alignment distance, stopping early once it exceeds `max`. */
const distance = (a: string, b: string, max: number): number => {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev2: Array<number> = []
  let prev: Array<number> = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur: Array<number> = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost)
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        v = Math.min(v, prev2[j - 2]! + 1)
      }
      cur.push(v)
      if (v < rowMin) rowMin = v
    }
    if (rowMin > max) return max + 1
    prev2 = prev
    prev = cur
  }
  return prev[b.length]!
}

// Real words close to a day name that must never read as one.
const NOT_WEEKDAYS: ReadonlySet<string> = new Set(["sundae", "sundaes", "fridge", "fridges"])

// Unknown words recur (the same chit-chat, the same typos), and the edit distance is the costliest step.
const fuzzyCache = new Map<string, number | string | undefined>()
const remember = <A extends number | string | undefined>(key: string, value: A): A => {
  if (fuzzyCache.size >= 4096) fuzzyCache.clear()
  fuzzyCache.set(key, value)
  return value
}

/** Weekday for a misspelt day name ("thrusday", "wendesday"), or undefined. Tokens of 5+ letters only. */
export const fuzzyWeekday = (word: string): number | undefined => {
  if (word.length < 5 || word.length > 12 || NOT_WEEKDAYS.has(word)) return undefined
  const key = `d:${word}`
  if (fuzzyCache.has(key)) return fuzzyCache.get(key) as number | undefined
  return remember(key, fuzzyWeekdayUncached(word))
}

const fuzzyWeekdayUncached = (word: string): number | undefined => {
  const w = word.endsWith("s") && word.length > 6 ? word.slice(0, -1) : word
  for (let d = 0; d < 7; d++) {
    const name = FULL_WEEKDAYS[d]!
    if (name.charCodeAt(0) !== w.charCodeAt(0)) continue
    const max = name.length >= 8 ? 2 : 1
    if (distance(w, name, max) <= max) return d
  }
  return undefined
}

const FUZZY_TARGETS: ReadonlyArray<readonly [string, number]> = [
  ["tomorrow", 2],
  ["morning", 1],
  ["afternoon", 2],
  ["evening", 1]
]

/** Canonical spelling for a misspelt "tomorrow" / daypart word, or the word itself. */
export const fuzzyWord = (word: string): string => {
  if (word.length < 6 || word.length > 12) return word
  const key = `w:${word}`
  const hit = fuzzyCache.get(key)
  if (typeof hit === "string") return hit
  return remember(key, fuzzyWordUncached(word))
}

const fuzzyWordUncached = (word: string): string => {
  for (const [target, max] of FUZZY_TARGETS) {
    if (target.charCodeAt(0) === word.charCodeAt(0) && distance(word, target, max) <= max) {
      return target
    }
  }
  return word
}
