// src/internal/vocabulary.ts
var WEEKDAYS = /* @__PURE__ */ new Map([
  ["sunday", 0],
  ["sundays", 0],
  ["sun", 0],
  ["monday", 1],
  ["mondays", 1],
  ["mon", 1],
  ["tuesday", 2],
  ["tuesdays", 2],
  ["tue", 2],
  ["tues", 2],
  ["wednesday", 3],
  ["wednesdays", 3],
  ["wed", 3],
  ["weds", 3],
  ["thursday", 4],
  ["thursdays", 4],
  ["thu", 4],
  ["thur", 4],
  ["thurs", 4],
  ["friday", 5],
  ["fridays", 5],
  ["fri", 5],
  ["saturday", 6],
  ["saturdays", 6],
  ["sat", 6]
]);
var FULL_WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
var MONTHS = /* @__PURE__ */ new Map([
  ["january", 1],
  ["jan", 1],
  ["february", 2],
  ["feb", 2],
  ["march", 3],
  ["mar", 3],
  ["april", 4],
  ["apr", 4],
  ["may", 5],
  ["june", 6],
  ["jun", 6],
  ["july", 7],
  ["jul", 7],
  ["august", 8],
  ["aug", 8],
  ["september", 9],
  ["sept", 9],
  ["sep", 9],
  ["october", 10],
  ["oct", 10],
  ["november", 11],
  ["nov", 11],
  ["december", 12],
  ["dec", 12]
]);
var ORDINAL_WORDS = /* @__PURE__ */ new Map([
  ["first", 1],
  ["second", 2],
  ["third", 3],
  ["fourth", 4],
  ["fifth", 5],
  ["sixth", 6],
  ["seventh", 7],
  ["eighth", 8],
  ["ninth", 9],
  ["tenth", 10]
]);
var NUMBER_WORDS = /* @__PURE__ */ new Map([
  ["one", 1],
  ["two", 2],
  ["three", 3],
  ["four", 4],
  ["five", 5],
  ["six", 6],
  ["seven", 7],
  ["eight", 8],
  ["nine", 9],
  ["ten", 10],
  ["eleven", 11],
  ["twelve", 12]
]);
var DAYPARTS = /* @__PURE__ */ new Map([
  ["morning", [6 * 60, 12 * 60]],
  ["mornings", [6 * 60, 12 * 60]],
  ["afternoon", [12 * 60, 17 * 60]],
  ["afternoons", [12 * 60, 17 * 60]],
  ["arvo", [12 * 60, 17 * 60]],
  ["evening", [17 * 60, 24 * 60]],
  ["evenings", [17 * 60, 24 * 60]],
  ["eve", [17 * 60, 24 * 60]],
  ["night", [17 * 60, 24 * 60]]
]);
var AM = [0, 12 * 60];
var PM = [12 * 60, 24 * 60];
var INDEX_KEYWORDS = /* @__PURE__ */ new Set([
  "option",
  "options",
  "opt",
  "slot",
  "slots",
  "timeslot",
  "timeslots",
  "choice",
  "choices",
  "number",
  "num",
  "nr"
]);
var HOUR_PREFIXES = /* @__PURE__ */ new Set(["at", "around", "about", "approx", "from"]);
var CLAUSE_WORDS = /* @__PURE__ */ new Set([
  "but",
  "however",
  "though",
  "although",
  "whereas",
  "otherwise"
]);
var NEGATION_BEFORE = /* @__PURE__ */ new Set([
  "not",
  "no",
  "never",
  "except",
  "excluding",
  "exclude",
  "without",
  "nope"
]);
var NEGATION_CLAUSE = /* @__PURE__ */ new Set([
  "cant",
  "cannot",
  "dont",
  "doesnt",
  "wont",
  "isnt",
  "arent",
  "couldnt",
  "wouldnt",
  "shouldnt",
  "aint",
  "bad",
  "busy",
  "unavailable",
  "impossible",
  "away",
  "unable",
  "neither",
  "nor"
]);
var NO_PREFERENCE_IDIOMS = /* @__PURE__ */ new Map([
  ["dont", /* @__PURE__ */ new Set(["mind", "care"])],
  ["doesnt", /* @__PURE__ */ new Set(["matter"])],
  ["not", /* @__PURE__ */ new Set(["fussed", "bothered", "picky", "fussy"])],
  ["no", /* @__PURE__ */ new Set(["preference", "preferences"])]
]);
var HARMLESS_IDIOMS = /* @__PURE__ */ new Map([
  ["no", /* @__PURE__ */ new Set(["problem", "problems", "worries", "worry", "bother", "prob", "probs"])],
  ["cant", /* @__PURE__ */ new Set(["wait"])]
]);
var NO_PREFERENCE = /* @__PURE__ */ new Set([
  "any",
  "anytime",
  "anything",
  "anyone",
  "whichever",
  "whatever",
  "either",
  "both",
  "flexible",
  "whenever"
]);
var FILLERS = /* @__PURE__ */ new Set([
  "a",
  "an",
  "the",
  "that",
  "this",
  "it",
  "its",
  "one",
  "ones",
  "is",
  "are",
  "be",
  "will",
  "would",
  "i",
  "id",
  "ill",
  "im",
  "ive",
  "me",
  "my",
  "we",
  "us",
  "our",
  "you",
  "your",
  "for",
  "with",
  "to",
  "of",
  "on",
  "in",
  "at",
  "so",
  "then",
  "and",
  "or",
  "just",
  "please",
  "pls",
  "plz",
  "pleas",
  "thanks",
  "thank",
  "thx",
  "ty",
  "tnx",
  "cheers",
  "ta",
  "ok",
  "okay",
  "k",
  "kk",
  "okey",
  "yes",
  "yeah",
  "yep",
  "yup",
  "ya",
  "yh",
  "sure",
  "great",
  "perfect",
  "good",
  "fine",
  "lovely",
  "awesome",
  "cool",
  "brilliant",
  "nice",
  "super",
  "ideal",
  "best",
  "like",
  "love",
  "take",
  "taking",
  "go",
  "going",
  "goes",
  "have",
  "book",
  "booking",
  "choose",
  "chose",
  "pick",
  "picking",
  "select",
  "want",
  "wanna",
  "do",
  "lets",
  "let",
  "works",
  "work",
  "suits",
  "suit",
  "sounds",
  "sound",
  "can",
  "could",
  "may",
  "might",
  "prefer",
  "preferably",
  "ideally",
  "probably",
  "maybe",
  "think",
  "guess",
  "hi",
  "hey",
  "hello",
  "mate",
  "x",
  "xx",
  "xxx",
  "option",
  "options",
  "slot",
  "slots",
  "choice",
  "number",
  "thats",
  "which",
  "for",
  "me",
  "there",
  "then",
  "done",
  "deal",
  "please",
  "fab",
  "definitely",
  "defo",
  "def",
  "really",
  "quite",
  "would",
  "be",
  "great",
  "time",
  "available",
  "free",
  "ah",
  "oh",
  "um",
  "umm",
  "hmm",
  "haha",
  "lol",
  "pm",
  "am"
]);
var distance = (a, b, max) => {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2 = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
};
var NOT_WEEKDAYS = /* @__PURE__ */ new Set(["sundae", "sundaes", "fridge", "fridges"]);
var fuzzyCache = /* @__PURE__ */ new Map();
var remember = (key, value) => {
  if (fuzzyCache.size >= 4096) fuzzyCache.clear();
  fuzzyCache.set(key, value);
  return value;
};
var fuzzyWeekday = (word2) => {
  if (word2.length < 5 || word2.length > 12 || NOT_WEEKDAYS.has(word2)) return void 0;
  const key = `d:${word2}`;
  if (fuzzyCache.has(key)) return fuzzyCache.get(key);
  return remember(key, fuzzyWeekdayUncached(word2));
};
var fuzzyWeekdayUncached = (word2) => {
  const w = word2.endsWith("s") && word2.length > 6 ? word2.slice(0, -1) : word2;
  for (let d = 0; d < 7; d++) {
    const name = FULL_WEEKDAYS[d];
    if (name.charCodeAt(0) !== w.charCodeAt(0)) continue;
    const max = name.length >= 8 ? 2 : 1;
    if (distance(w, name, max) <= max) return d;
  }
  return void 0;
};
var FUZZY_TARGETS = [
  ["tomorrow", 2],
  ["morning", 1],
  ["afternoon", 2],
  ["evening", 1]
];
var fuzzyWord = (word2) => {
  if (word2.length < 6 || word2.length > 12) return word2;
  const key = `w:${word2}`;
  const hit = fuzzyCache.get(key);
  if (typeof hit === "string") return hit;
  return remember(key, fuzzyWordUncached(word2));
};
var fuzzyWordUncached = (word2) => {
  for (const [target, max] of FUZZY_TARGETS) {
    if (target.charCodeAt(0) === word2.charCodeAt(0) && distance(word2, target, max) <= max) {
      return target;
    }
  }
  return word2;
};

// src/internal/reading.ts
var isConstraint = (it) => it.t !== "or" && it.t !== "clause" && it.t !== "negBefore" && it.t !== "negClause" && it.t !== "any";
var bareHour = (h, m = 0) => {
  if (h > 23 || m > 59) return { t: "time", readings: [] };
  if (h === 0 || h >= 12) return { t: "time", readings: [h * 60 + m] };
  return { t: "time", readings: [h * 60 + m, (h + 12) * 60 + m] };
};
var withMeridiem = (h, m, mer) => {
  if (h < 1 || h > 12 || m > 59) return { t: "time", readings: [] };
  const hour = mer === "am" ? h % 12 : h % 12 + 12;
  return { t: "time", readings: [hour * 60 + m] };
};
var ONE_PRONOUN_BEFORE = /* @__PURE__ */ new Set([
  "the",
  "that",
  "this",
  "which",
  "a",
  "any",
  "each",
  "every",
  "no",
  "only",
  "other",
  "another",
  "first",
  "second",
  "third",
  "last",
  "earlier",
  "later",
  "early",
  "late"
]);
var ORDINAL_FOLLOWERS = /* @__PURE__ */ new Set([
  "one",
  "option",
  "slot",
  "choice",
  "time",
  "timeslot",
  "please",
  "pls",
  "thanks",
  "is",
  "works",
  "would",
  "will",
  "for",
  "sounds",
  "looks",
  "then",
  "i",
  "of",
  "on",
  "in",
  "at"
]);
var NOT_ORDINAL_BEFORE = /* @__PURE__ */ new Set(["a", "one", "just", "in", "at"]);
var LAST_NOT_ORDINAL_AFTER = /* @__PURE__ */ new Set([
  "week",
  "weekend",
  "night",
  "time",
  "month",
  "minute",
  "year"
]);
var SAT_AS_VERB = /* @__PURE__ */ new Set(["i", "we", "he", "she", "they", "you", "just", "was", "were"]);
var SUN_AS_NOUN = /* @__PURE__ */ new Set(["the", "in", "of", "some", "much", "no"]);
var wordOf = (t) => t !== void 0 && t.k === "word" ? t.w : void 0;
var isDayItem = (it) => it !== void 0 && (it.t === "wd" || it.t === "rel" || it.t === "date" || it.t === "ordOrDate");
var emptyGroup = () => ({ idx: [], wd: [], rel: [], dates: [], ordOrDate: [], times: [], parts: [] });
var addItem = (g, it) => {
  switch (it.t) {
    case "idx":
      g.idx.push({ n: it.n, kind: it.kind, strong: it.strong });
      break;
    case "wd":
      g.wd.push(it.wd);
      break;
    case "rel":
      g.rel.push(it.r);
      break;
    case "date":
      g.dates.push(it.date);
      break;
    case "ordOrDate":
      g.ordOrDate.push(it.n);
      break;
    case "time":
      g.times.push(it.readings);
      break;
    case "part":
      g.parts.push(it.range);
      break;
  }
};
var hasDay = (g) => g.wd.length + g.rel.length + g.dates.length + g.ordOrDate.length > 0;
var hasTime = (g) => g.times.length + g.parts.length > 0;
var hasDescription = (g) => hasDay(g) || hasTime(g);
var isEmpty = (g) => g.idx.length === 0 && !hasDescription(g);
var overlaps = (a, b) => a.idx.length > 0 && b.idx.length > 0 || a.wd.length > 0 && b.wd.length > 0 || a.rel.length > 0 && b.rel.length > 0 || a.dates.length + a.ordOrDate.length > 0 && b.dates.length + b.ordOrDate.length > 0 || a.times.length > 0 && b.times.length > 0 || a.parts.length > 0 && b.parts.length > 0;
var merge = (into, from) => {
  into.idx.push(...from.idx);
  into.wd.push(...from.wd);
  into.rel.push(...from.rel);
  into.dates.push(...from.dates);
  into.ordOrDate.push(...from.ordOrDate);
  into.times.push(...from.times);
  into.parts.push(...from.parts);
};
var itemsOf = (toks) => {
  const items = [];
  let unknown = 0;
  let lastSig;
  let listKind;
  const push = (it) => {
    items.push(it);
    if (isConstraint(it)) lastSig = it;
    if (it.t === "idx" && it.strong) listKind = it.kind;
    else if (it.t !== "or" && it.t !== "clause") listKind = void 0;
  };
  const lastItem = () => items[items.length - 1];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const prevW = wordOf(toks[i - 1]);
    const nextW = wordOf(toks[i + 1]);
    switch (t.k) {
      case "junk":
        unknown++;
        listKind = void 0;
        break;
      case "sep":
        push(t.s === "/" || t.s === "&" ? { t: "or" } : { t: "clause" });
        break;
      case "clock":
        push(t.mer !== void 0 ? withMeridiem(t.h, t.m, t.mer) : t.padded ? t.h > 23 || t.m > 59 ? bareHour(99) : { t: "time", readings: [t.h * 60 + t.m] } : bareHour(t.h, t.m));
        break;
      case "meridiem":
        push(withMeridiem(t.h, 0, t.mer));
        break;
      case "hour":
        push(bareHour(t.h));
        break;
      case "hour24":
        push(t.h <= 23 ? { t: "time", readings: [t.h * 60] } : bareHour(99));
        break;
      case "slash":
        push({ t: "date", date: { d: t.d, mo: t.mo, y: t.y } });
        break;
      case "hash":
        push({ t: "idx", n: t.n, kind: "option_number", strong: true });
        break;
      case "ordnum": {
        const n = t.n;
        if (n < 1 || n > 31) {
          unknown++;
          break;
        }
        const monthAfter = nextW !== void 0 ? MONTHS.get(nextW) : void 0;
        const monthAfterOf = nextW === "of" ? MONTHS.get(wordOf(toks[i + 2]) ?? "") : void 0;
        const prev2W = wordOf(toks[i - 2]);
        if (monthAfter !== void 0) {
          push({ t: "date", date: { d: n, mo: monthAfter, y: void 0 } });
          i++;
        } else if (monthAfterOf !== void 0) {
          push({ t: "date", date: { d: n, mo: monthAfterOf, y: void 0 } });
          i += 2;
        } else if (prevW !== void 0 && WEEKDAYS.has(prevW) || prevW === "the" && isDayItem(lastSig) && lastItem() === lastSig || prevW === "on" || prevW === "the" && prev2W === "on") {
          push({ t: "date", date: { d: n, mo: void 0, y: void 0 } });
        } else if (nextW !== void 0 && ORDINAL_FOLLOWERS.has(nextW) && n <= 10) {
          push({ t: "idx", n, kind: "ordinal", strong: true });
        } else if (n > 10) {
          push({ t: "date", date: { d: n, mo: void 0, y: void 0 } });
        } else {
          push({ t: "ordOrDate", n });
        }
        break;
      }
      case "num": {
        const n = t.n;
        if (n >= 100) {
          unknown++;
          listKind = void 0;
          break;
        }
        const monthAfter = nextW !== void 0 ? MONTHS.get(nextW) : void 0;
        const monthBefore = prevW !== void 0 ? MONTHS.get(prevW) : void 0;
        const prev2W = wordOf(toks[i - 2]);
        if (prevW !== void 0 && (INDEX_KEYWORDS.has(prevW) || prevW === "no" && prev2W !== void 0 && INDEX_KEYWORDS.has(prev2W))) {
          push({ t: "idx", n, kind: "option_number", strong: true });
        } else if (prevW !== void 0 && HOUR_PREFIXES.has(prevW)) {
          push(bareHour(n));
        } else if (monthAfter !== void 0 && n >= 1 && n <= 31) {
          push({ t: "date", date: { d: n, mo: monthAfter, y: void 0 } });
          i++;
        } else if (monthBefore !== void 0 && n >= 1 && n <= 31) {
          push({ t: "date", date: { d: n, mo: monthBefore, y: void 0 } });
        } else if (n >= 1 && n <= 31 && lastSig !== void 0 && lastSig.t === "wd" && prevW === "the") {
          push({ t: "date", date: { d: n, mo: void 0, y: void 0 } });
        } else if (n >= 1 && n <= 31 && lastSig !== void 0 && lastSig.t === "wd" && lastItem() === lastSig) {
          push(n >= 13 ? { t: "date", date: { d: n, mo: void 0, y: void 0 } } : bareHour(n));
        } else if (listKind !== void 0) {
          push({ t: "idx", n, kind: listKind, strong: true });
        } else {
          push({ t: "idx", n, kind: "number", strong: t.marker && i === 0 });
        }
        break;
      }
      case "word":
        i = word(toks, i, t.w, prevW, nextW, push, lastItem, () => unknown++);
        break;
    }
  }
  return { items, unknown };
};
var word = (toks, i, raw, prevW, nextW, push, lastItem, addUnknown) => {
  const next2W = wordOf(toks[i + 2]);
  const noPref = NO_PREFERENCE_IDIOMS.get(raw);
  if (noPref !== void 0 && nextW !== void 0 && noPref.has(nextW)) {
    push({ t: "any" });
    return i + 1;
  }
  if (raw === "not" && nextW === "a" && next2W === "problem") return i + 2;
  const harmless = HARMLESS_IDIOMS.get(raw);
  if (harmless !== void 0 && nextW !== void 0 && harmless.has(nextW)) return i + 1;
  if ((raw === "rather" || raw === "other") && nextW === "than") {
    push({ t: "negBefore" });
    return i + 1;
  }
  if (raw === "instead" && nextW === "of" || raw === "apart" && nextW === "from") {
    push({ t: "negBefore" });
    return i + 1;
  }
  if ((raw === "anything" || raw === "any" || raw === "everything" || raw === "anytime") && nextW === "but") {
    push({ t: "any" });
    push({ t: "negBefore" });
    return i + 1;
  }
  if (NEGATION_BEFORE.has(raw)) {
    push({ t: "negBefore" });
    return i;
  }
  if (NEGATION_CLAUSE.has(raw)) {
    push({ t: "negClause" });
    return i;
  }
  if (CLAUSE_WORDS.has(raw)) {
    push({ t: "clause" });
    return i;
  }
  if (raw === "or" || raw === "and" || raw === "nor") {
    push({ t: "or" });
    return i;
  }
  if (NO_PREFERENCE.has(raw)) {
    push({ t: "any" });
    return i;
  }
  let wd = WEEKDAYS.get(raw);
  if (wd === 6 && raw === "sat" && prevW !== void 0 && SAT_AS_VERB.has(prevW)) wd = void 0;
  if (wd === 0 && raw === "sun" && prevW !== void 0 && SUN_AS_NOUN.has(prevW)) wd = void 0;
  if (wd === void 0 && !FILLERS.has(raw)) wd = fuzzyWeekday(raw);
  if (wd !== void 0) {
    if (prevW === "this" || prevW === "next") push({ t: "rel", r: { k: prevW, wd } });
    else if (prevW === "last") addUnknown();
    else push({ t: "wd", wd });
    return i;
  }
  const month = MONTHS.get(raw);
  if (month !== void 0) {
    const nt = toks[i + 1];
    if (nt !== void 0 && (nt.k === "num" || nt.k === "ordnum") && nt.n >= 1 && nt.n <= 31) {
      const yt = toks[i + 2];
      const y = yt !== void 0 && yt.k === "num" && yt.n >= 2e3 ? yt.n : void 0;
      push({ t: "date", date: { d: nt.n, mo: month, y } });
      return y !== void 0 ? i + 2 : i + 1;
    }
    if (raw !== "may" && raw !== "mar") addUnknown();
    return i;
  }
  const w = fuzzyWord(raw);
  switch (w) {
    case "today":
      push({ t: "rel", r: { k: "offset", n: 0 } });
      return i;
    case "tonight":
      push({ t: "rel", r: { k: "offset", n: 0 } });
      push({ t: "part", range: DAYPARTS.get("evening") });
      return i;
    case "tomorrow":
    case "tmrw":
    case "tmr":
    case "tmw":
    case "tomoz":
    case "tomorrows":
      push({ t: "rel", r: { k: "offset", n: 1 } });
      return i;
    case "day":
      if (nextW === "after" && next2W !== void 0 && fuzzyWord(next2W) === "tomorrow") {
        push({ t: "rel", r: { k: "offset", n: 2 } });
        return i + 2;
      }
      return i;
    case "this":
      if (nextW === "week") {
        push({ t: "rel", r: { k: "thisWeek" } });
        return i + 1;
      }
      if (nextW === "weekend") {
        push({ t: "rel", r: { k: "weekend" } });
        return i + 1;
      }
      if (nextW !== void 0 && DAYPARTS.has(fuzzyWord(nextW))) push({ t: "rel", r: { k: "offset", n: 0 } });
      return i;
    case "next":
      if (nextW === "week") {
        push({ t: "rel", r: { k: "nextWeek" } });
        return i + 1;
      }
      if (nextW === "weekend") {
        push({ t: "rel", r: { k: "nextWeekend" } });
        return i + 1;
      }
      return i;
    case "weekend":
    case "weekends":
      push({ t: "rel", r: { k: "weekend" } });
      return i;
    case "noon":
    case "midday":
    case "lunchtime":
      push({ t: "time", readings: [12 * 60] });
      return i;
    case "midnight":
      push({ t: "time", readings: [0] });
      return i;
    case "am":
    case "pm":
      if (isDayItem(lastItem())) push({ t: "part", range: w === "am" ? AM : PM });
      return i;
  }
  const part = DAYPARTS.get(w);
  if (part !== void 0) {
    push({ t: "part", range: part });
    return i;
  }
  const ord = ORDINAL_WORDS.get(raw);
  if (ord !== void 0) {
    if (raw === "first" && nextW === "thing") {
      push({ t: "part", range: DAYPARTS.get("morning") });
      return i + 1;
    }
    if (prevW !== void 0 && NOT_ORDINAL_BEFORE.has(prevW) || nextW !== void 0 && !FILLERS.has(nextW) && !ORDINAL_FOLLOWERS.has(nextW)) {
      addUnknown();
      return i;
    }
    push({ t: "idx", n: ord, kind: "ordinal", strong: true });
    return i;
  }
  if (raw === "last" || raw === "final" || raw === "latest") {
    if (nextW !== void 0 && (LAST_NOT_ORDINAL_AFTER.has(nextW) || WEEKDAYS.has(nextW))) return i;
    if (prevW === "at") return i;
    push({ t: "idx", n: -1, kind: "ordinal", strong: true });
    return i;
  }
  const num = NUMBER_WORDS.get(raw);
  if (num !== void 0) {
    if (prevW !== void 0 && INDEX_KEYWORDS.has(prevW)) {
      push({ t: "idx", n: num, kind: "option_number", strong: true });
      return i;
    }
    if (nextW === "pm" || nextW === "am") {
      push(withMeridiem(num, 0, nextW));
      return i + 1;
    }
    if (nextW === "oclock" || nextW === "ish" || prevW !== void 0 && HOUR_PREFIXES.has(prevW)) {
      push(bareHour(num));
      return nextW === "oclock" || nextW === "ish" ? i + 1 : i;
    }
    if (raw === "one") {
      const prev = lastItem();
      const prevTok = toks[i - 1];
      const afterConstraint = prev !== void 0 && isConstraint(prev) && prevTok !== void 0 && prevTok.k !== "sep";
      if (prevW !== void 0 && ONE_PRONOUN_BEFORE.has(prevW) || afterConstraint) return i;
    }
    push({ t: "idx", n: num, kind: "number_word", strong: false });
    return i;
  }
  if (!FILLERS.has(raw) && !INDEX_KEYWORDS.has(raw) && raw !== "week" && raw !== "day" && raw !== "oclock" && raw !== "thing") {
    addUnknown();
  }
  return i;
};
var readReply = (toks) => {
  const { items, unknown } = itemsOf(toks);
  const numberish = unknown === 0;
  if (!items.some((c) => c.t === "clause" || c.t === "negBefore" || c.t === "negClause" || c.t === "any")) {
    return { positive: groupsOf(items, numberish), negative: [], any: false };
  }
  const positive = [];
  const negative = [];
  let any = false;
  let start = 0;
  for (let end = 0; end <= items.length; end++) {
    const it = items[end];
    if (it !== void 0 && it.t !== "clause") continue;
    const clause = items.slice(start, end);
    start = end + 1;
    const whole = clause.some((c) => c.t === "negClause");
    const before = clause.findIndex((c) => c.t === "negBefore");
    const after = before >= 0 && clause.slice(before + 1).some(isConstraint);
    for (let k = 0; k < clause.length; k++) {
      const c = clause[k];
      const negated = whole || before >= 0 && (after ? k > before : k < before);
      if (c.t === "any") {
        if (!negated) any = true;
        continue;
      }
      if (c.t === "negBefore" || c.t === "negClause") continue;
      (negated ? negative : positive).push(c);
    }
    positive.push({ t: "clause" });
    negative.push({ t: "clause" });
  }
  return {
    positive: groupsOf(positive, numberish),
    negative: groupsOf(negative, numberish),
    any
  };
};
var groupsOf = (seq, numberish) => {
  const groups = [];
  let cur = emptyGroup();
  let curHard = false;
  let nextHard = false;
  const flush = () => {
    if (isEmpty(cur)) return;
    const last = groups[groups.length - 1];
    if (last !== void 0 && !curHard && !overlaps(last, cur)) merge(last, cur);
    else groups.push(cur);
    cur = emptyGroup();
  };
  for (const it of seq) {
    if (it.t === "or" || it.t === "clause") {
      if (isEmpty(cur)) {
        nextHard = nextHard || it.t === "or";
        continue;
      }
      flush();
      nextHard = it.t === "or";
      continue;
    }
    if (isEmpty(cur)) {
      curHard = nextHard;
      nextHard = false;
    }
    addItem(cur, it);
  }
  flush();
  const anyTimes = groups.some((g) => g.times.length > 0);
  for (const g of groups) {
    const weakOnly = g.idx.length > 0 && g.idx.every((x) => !x.strong && x.kind === "number") && !hasDescription(g);
    if (anyTimes && weakOnly && groups.length > 1) {
      for (const x of g.idx) {
        const it = bareHour(x.n);
        if (it.t === "time") g.times.push(it.readings);
      }
      g.idx = [];
    } else if (!numberish) {
      g.idx = g.idx.filter((x) => x.strong);
    }
  }
  const kept = groups.filter((g) => !isEmpty(g));
  if (kept.length < 2) return kept;
  const snapshot = kept.map((g) => ({ wd: g.wd, rel: g.rel, dates: g.dates, ordOrDate: g.ordOrDate, times: g.times, parts: g.parts, idx: g.idx.length > 0 }));
  for (let k = 0; k < kept.length; k++) {
    const g = kept[k];
    if (g.idx.length > 0) continue;
    if (!hasDay(g)) {
      const donor = [...snapshot.slice(0, k)].reverse().find((s) => !s.idx && s.wd.length + s.rel.length + s.dates.length + s.ordOrDate.length > 0) ?? snapshot.slice(k + 1).find((s) => !s.idx && s.wd.length + s.rel.length + s.dates.length + s.ordOrDate.length > 0);
      if (donor !== void 0) {
        g.wd = [...donor.wd];
        g.rel = [...donor.rel];
        g.dates = [...donor.dates];
        g.ordOrDate = [...donor.ordOrDate];
      }
    }
    if (!hasTime(g)) {
      const donor = snapshot.slice(k + 1).find((s) => !s.idx && s.times.length + s.parts.length > 0);
      if (donor !== void 0) {
        g.times = [...donor.times];
        g.parts = [...donor.parts];
      }
    }
  }
  return kept;
};

// src/internal/resolve.ts
var TIME_TOLERANCE = 30;
var fail = (reason) => ({ ok: false, reason });
var relativeRanges = (r, now) => {
  const today = now.dayNumber;
  const iso = now.weekday === 0 ? 7 : now.weekday;
  const sunday = today + (7 - iso);
  switch (r.k) {
    case "offset":
      return [[today + r.n, today + r.n]];
    case "this": {
      const d = today + (r.wd - now.weekday + 7) % 7;
      return [[d, d]];
    }
    case "next": {
      const d = today + ((r.wd - now.weekday + 7) % 7 || 7);
      return d <= sunday ? [[d, d], [d + 7, d + 7]] : [[d, d]];
    }
    case "thisWeek":
      return [[today, sunday]];
    case "nextWeek":
      return [[sunday + 1, sunday + 7]];
    case "weekend":
      return iso === 7 ? [[today, today]] : [[sunday - 1, sunday]];
    case "nextWeekend":
      return [[sunday + 6, sunday + 7]];
  }
};
var dateMatches = (p, d) => p.day === d.d && (d.mo === void 0 || p.month === d.mo) && (d.y === void 0 || p.year === d.y);
var filter = (set, keep) => {
  const out = [];
  for (const i of set) if (keep(i)) out.push(i);
  return out;
};
var dayKind = (g, asDate) => g.dates.length > 0 || asDate ? "date" : g.rel.length > 0 ? "relative_day" : g.wd.length > 0 ? "weekday" : void 0;
var KINDS = {
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
};
var descriptionKind = (g, asDate) => {
  const time = g.times.length > 0 ? "time" : g.parts.length > 0 ? "daypart" : "";
  return KINDS[`${dayKind(g, asDate) ?? ""}:${time}`] ?? "time";
};
var distinct = (xs) => xs.length < 2 ? xs.length : new Set(xs.map((x) => typeof x === "number" ? x : JSON.stringify(x))).size;
var isMulti = (g) => distinct(g.idx.map((x) => x.n)) > 1 || distinct(g.wd) > 1 || distinct(g.rel) > 1 || distinct(g.dates) > 1 || distinct(g.times) > 1 || distinct(g.parts) > 1;
var describe = (g, cal, extraDates) => {
  const all = cal.slots.map((_, i) => i);
  const dates = extraDates.length > 0 ? [...g.dates, ...extraDates] : g.dates;
  let set = all;
  let narrowed = false;
  const day = (keep, reason) => {
    const alone = filter(all, (i) => keep(cal.slots[i]));
    if (alone.length === 0) return reason;
    set = filter(set, (i) => keep(cal.slots[i]));
    narrowed = true;
    return void 0;
  };
  if (dates.length > 0) {
    const r = day((p) => dates.some((d) => dateMatches(p, d)), "date_not_offered");
    if (r !== void 0) return fail(r);
  }
  if (g.rel.length > 0) {
    const ranges = g.rel.flatMap((r2) => relativeRanges(r2, cal.now));
    const r = day((p) => ranges.some(([a, b]) => p.dayNumber >= a && p.dayNumber <= b), "day_not_offered");
    if (r !== void 0) return fail(r);
  }
  if (g.wd.length > 0) {
    const r = day((p) => g.wd.includes(p.weekday), "day_not_offered");
    if (r !== void 0) return fail(r);
  }
  if (narrowed && set.length === 0) return fail("conflicting_details");
  if (g.parts.length > 0) {
    set = filter(set, (i) => {
      const m = cal.slots[i].minutes;
      return g.parts.some(([a, b]) => m >= a && m < b);
    });
    if (set.length === 0) return fail("time_not_offered");
  }
  if (g.times.length > 0) {
    const chosen = /* @__PURE__ */ new Set();
    for (const readings of g.times) {
      let best = Number.POSITIVE_INFINITY;
      const dist = set.map((i) => {
        const m = cal.slots[i].minutes;
        let d = Number.POSITIVE_INFINITY;
        for (const r of readings) d = Math.min(d, Math.abs(m - r));
        if (d < best) best = d;
        return d;
      });
      if (best > TIME_TOLERANCE) continue;
      set.forEach((i, k) => {
        if (dist[k] === best) chosen.add(i);
      });
    }
    if (chosen.size === 0) return fail("time_not_offered");
    set = filter(set, (i) => chosen.has(i));
  }
  return { ok: true, set, kind: descriptionKind(g, extraDates.length > 0), group: g, readings: false };
};
var dropPast = (o, cal) => {
  if (!o.ok) return o;
  const set = filter(o.set, (i) => cal.future[i] === true);
  return set.length === 0 ? fail("slot_in_past") : { ...o, set };
};
var evaluate = (g, cal, forExclusion) => {
  const n = cal.slots.length;
  if (g.idx.length > 0) {
    const picked = [...new Set(g.idx.map((x) => x.n === -1 ? n - 1 : x.n - 1))].filter((v) => v >= 0 && v < n).sort((a, b) => a - b);
    if (picked.length === 0) return fail("out_of_range");
    let set = picked;
    if (hasDescription(g)) {
      const d2 = describe({ ...g, ordOrDate: [] }, cal, g.ordOrDate.map((d3) => ({ d: d3, mo: void 0, y: void 0 })));
      set = d2.ok ? filter(set, (i) => d2.set.includes(i)) : [];
      if (set.length === 0) return fail("conflicting_details");
    }
    const o = { ok: true, set, kind: g.idx[0].kind, group: g, readings: false };
    return forExclusion ? o : dropPast(o, cal);
  }
  if (g.ordOrDate.length > 0) {
    const asDate = describe({ ...g, ordOrDate: [] }, cal, g.ordOrDate.map((d2) => ({ d: d2, mo: void 0, y: void 0 })));
    const asOrdinal = evaluate({ ...g, ordOrDate: [], idx: g.ordOrDate.map((k) => ({ n: k, kind: "ordinal", strong: true })) }, cal, true);
    const date = forExclusion ? asDate : dropPast(asDate, cal);
    const ord = forExclusion ? asOrdinal : dropPast(asOrdinal, cal);
    if (date.ok && ord.ok) {
      const same = date.set.length === ord.set.length && date.set.every((i) => ord.set.includes(i));
      if (same) return ord;
      const set = [.../* @__PURE__ */ new Set([...date.set, ...ord.set])].sort((a, b) => a - b);
      return { ok: true, set, kind: "ordinal", group: g, readings: true };
    }
    if (ord.ok) return ord;
    return date;
  }
  const d = describe(g, cal, []);
  return forExclusion ? d : dropPast(d, cal);
};
var matched = (index, matchedBy) => ({ _tag: "Matched", index, matchedBy });
var ambiguous = (candidates, reason) => ({
  _tag: "Ambiguous",
  candidates,
  reason
});
var rejected = (reason) => ({ _tag: "Rejected", reason });
var resolve = (reading, cal) => {
  const excluded = /* @__PURE__ */ new Set();
  for (const g of reading.negative) {
    const o = evaluate(g, cal, true);
    if (o.ok) for (const i of o.set) excluded.add(i);
  }
  if (reading.positive.length > 0) {
    const outcomes = reading.positive.map((g) => evaluate(g, cal, false));
    const ok = outcomes.filter((o) => o.ok);
    if (ok.length === 0) {
      const first = outcomes[0];
      return rejected(first !== void 0 && !first.ok ? first.reason : "no_match");
    }
    const union = /* @__PURE__ */ new Set();
    for (const o of ok) for (const i of o.set) if (!excluded.has(i)) union.add(i);
    const candidates = [...union].sort((a, b) => a - b);
    if (candidates.length === 0) return rejected("no_match");
    if (candidates.length === 1) {
      const only = candidates[0];
      const by = ok.find((o) => o.set.includes(only));
      return matched(only, by.kind);
    }
    if (ok.some((o) => o.readings)) return ambiguous(candidates, "several_readings");
    const contributing = ok.filter((o) => o.set.some((i) => !excluded.has(i)));
    return ambiguous(candidates, contributing.length > 1 || ok.some((o) => isMulti(o.group)) ? "multiple_choices" : "several_slots_match");
  }
  if (reading.any || excluded.size > 0) {
    const remaining = filter(cal.slots.map((_, i) => i), (i) => cal.future[i] === true && !excluded.has(i));
    if (remaining.length === 0) return rejected(cal.future.includes(true) ? "no_match" : "slot_in_past");
    if (remaining.length === 1) return matched(remaining[0], "only_remaining");
    return reading.any ? ambiguous(remaining, "no_preference") : rejected("only_exclusions");
  }
  return rejected("chit_chat");
};

// src/internal/text.ts
var ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
var APOSTROPHES = /[\u2018\u2019\u02BC\u0060\u00B4]/g;
var DASHES = /[\u2010-\u2015\u2212]/g;
var SPACES = /\s+/g;
var NON_ASCII_DIGIT = /[\u0660-\u0669\u06F0-\u06F9\u0966-\u096F\u09E6-\u09EF\u0E50-\u0E59]/g;
var DIGIT_ZEROS = [1632, 1776, 2406, 2534, 3664];
var foldDigit = (c) => {
  const cp = c.codePointAt(0) ?? 0;
  for (const zero of DIGIT_ZEROS) {
    if (cp >= zero && cp <= zero + 9) return String(cp - zero);
  }
  return c;
};
var normalise = (raw) => {
  const ascii = /^[\x00-\x7F]*$/.test(raw);
  let s = ascii ? raw : raw.normalize("NFKC");
  if (!ascii) {
    s = s.replace(ZERO_WIDTH, "").replace(APOSTROPHES, "'").replace(DASHES, "-").replace(NON_ASCII_DIGIT, foldDigit);
  }
  if (s.includes("@")) s = s.replaceAll("@", " at ");
  return s.toLowerCase().replace(SPACES, " ").trim();
};
var MER = "(a\\.?m\\.?|p\\.?m\\.?)";
var TOKEN = new RegExp(
  [
    /* 1 */
    "(\\s+)",
    /* 2 */
    `([\xA3$\u20AC\xA5]\\s?\\d[\\d,]*(?:\\.\\d+)?k?|\\d[\\d,]*(?:\\.\\d+)?\\s?(?:k|pounds?|quid|gbp|usd|eur|euros?|dollars?|bucks|percent)(?![\\p{L}\\d])|\\d+%|\\+\\d[\\d -]{6,}\\d|\\d{3,}[ -]\\d{3,}(?:[ -]\\d+)*|\\d{5,})`,
    /* 3,4,5 */
    `(\\d{1,2})(?:\\s?:\\s?|\\.|h)(\\d{2})(?!\\d)(?:\\s?${MER}(?![\\p{L}\\d]))?`,
    /* 6,7 */
    `(\\d{1,2})\\s?${MER}(?![\\p{L}\\d])`,
    /* 8 */
    "(\\d{1,2})\\s?(?:o'?\\s?clock|ish)(?![\\p{L}\\d])",
    /* 9 */
    "(\\d{2})h(?![\\p{L}\\d])",
    /* 10,11,12 */
    "(\\d{1,2})/(\\d{1,2})(?:/(\\d{4}|\\d{2}))?(?![\\d/])",
    /* 13 */
    "(\\d{1,2})(?:st|nd|rd|th)(?![\\p{L}\\d])",
    /* 14 */
    "#\\s?(\\d{1,4})(?!\\d)",
    /* 15,16 */
    "(\\d{1,4})(?!\\d)([).:](?!\\d))?",
    /* 17 */
    "([\\p{L}\\p{M}]+(?:'[\\p{L}\\p{M}]+)*)",
    /* 18 */
    "([,;!?/&.])",
    /* 19 */
    "(-\\s?\\d+)",
    /* 20 */
    "([^])"
  ].join("|"),
  "uy"
);
var meridiem = (s) => s.charCodeAt(0) === 97 ? "am" : "pm";
var tokenise = (text) => {
  const out = [];
  TOKEN.lastIndex = 0;
  let m = TOKEN.exec(text);
  while (m !== null) {
    if (m[1] !== void 0 || m[20] !== void 0) {
    } else if (m[2] !== void 0 || m[19] !== void 0) {
      out.push({ k: "junk" });
    } else if (m[3] !== void 0) {
      out.push({
        k: "clock",
        h: Number(m[3]),
        m: Number(m[4]),
        mer: m[5] === void 0 ? void 0 : meridiem(m[5]),
        padded: m[3].length === 2 && m[3].charCodeAt(0) === 48
      });
    } else if (m[6] !== void 0) {
      out.push({ k: "meridiem", h: Number(m[6]), mer: meridiem(m[7] ?? "a") });
    } else if (m[8] !== void 0) {
      out.push({ k: "hour", h: Number(m[8]) });
    } else if (m[9] !== void 0) {
      out.push({ k: "hour24", h: Number(m[9]) });
    } else if (m[10] !== void 0) {
      const y = m[12] === void 0 ? void 0 : Number(m[12]);
      out.push({
        k: "slash",
        d: Number(m[10]),
        mo: Number(m[11]),
        y: y === void 0 ? void 0 : y < 100 ? 2e3 + y : y
      });
    } else if (m[13] !== void 0) {
      out.push({ k: "ordnum", n: Number(m[13]) });
    } else if (m[14] !== void 0) {
      out.push({ k: "hash", n: Number(m[14]) });
    } else if (m[15] !== void 0) {
      out.push({ k: "num", n: Number(m[15]), marker: m[16] !== void 0 });
    } else if (m[17] !== void 0) {
      out.push({ k: "word", w: m[17].includes("'") ? m[17].replaceAll("'", "") : m[17] });
    } else if (m[18] !== void 0) {
      out.push({ k: "sep", s: m[18] });
    }
    m = TOKEN.exec(text);
  }
  return out;
};

// src/internal/zone.ts
var zones = /* @__PURE__ */ new Map();
var MAX_ZONES = 256;
var MAX_PARTS_PER_ZONE = 4096;
var zoneEntry = (timeZone) => {
  const cached = zones.get(timeZone);
  if (cached !== void 0) return cached;
  let entry;
  try {
    entry = {
      format: new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric"
      }),
      parts: /* @__PURE__ */ new Map()
    };
  } catch {
    entry = null;
  }
  if (zones.size >= MAX_ZONES) zones.clear();
  zones.set(timeZone, entry);
  return entry;
};
var localPartsIn = (timeZone) => {
  const entry = zoneEntry(timeZone);
  if (entry === null) return null;
  return (epochMs) => {
    const hit = entry.parts.get(epochMs);
    if (hit !== void 0) return hit;
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    for (const part of entry.format.formatToParts(epochMs)) {
      switch (part.type) {
        case "year":
          year = Number(part.value);
          break;
        case "month":
          month = Number(part.value);
          break;
        case "day":
          day = Number(part.value);
          break;
        case "hour":
          hour = Number(part.value) % 24;
          break;
        case "minute":
          minute = Number(part.value);
          break;
      }
    }
    const dayNumber = Math.floor(Date.UTC(year, month - 1, day) / 864e5);
    const parts = {
      year,
      month,
      day,
      dayNumber,
      weekday: ((dayNumber + 4) % 7 + 7) % 7,
      minutes: hour * 60 + minute
    };
    if (entry.parts.size >= MAX_PARTS_PER_ZONE) entry.parts.clear();
    entry.parts.set(epochMs, parts);
    return parts;
  };
};
var ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
var DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
var daysIn = (year, month) => month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS_IN_MONTH[month - 1] ?? 0;
var instants = /* @__PURE__ */ new Map();
var MAX_INSTANTS = 4096;
var readInstant = (iso) => {
  const m = ISO_INSTANT.exec(iso);
  if (m === null) return Number.NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === void 0 ? 0 : Number(m[6]);
  const ms = m[7] === void 0 ? 0 : Number(m[7].padEnd(3, "0"));
  const offH = m[9] === void 0 ? 0 : Number(m[9]);
  const offM = m[10] === void 0 ? 0 : Number(m[10]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return Number.NaN;
  if (hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) return Number.NaN;
  const offset = (m[8] === "-" ? -1 : 1) * (offH * 60 + offM) * 6e4;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset;
};
var parseInstant = (iso) => {
  if (typeof iso !== "string") return Number.NaN;
  const hit = instants.get(iso);
  if (hit !== void 0) return hit;
  const ms = iso.length <= 40 ? readInstant(iso) : Number.NaN;
  if (instants.size >= MAX_INSTANTS) instants.clear();
  instants.set(iso, ms);
  return ms;
};

// src/SlotParser.ts
var MAX_REPLY_LENGTH = 1e3;
var calendarOf = (options) => {
  if (typeof options !== "object" || options === null) return "invalid_options";
  const { slots, timeZone, now } = options;
  if (!Array.isArray(slots) || typeof timeZone !== "string") return "invalid_options";
  const local = localPartsIn(timeZone);
  const nowMs = parseInstant(now);
  if (local === null || Number.isNaN(nowMs)) return "invalid_options";
  if (slots.length === 0) return "no_slots";
  const parts = [];
  const future = [];
  for (const slot of slots) {
    if (typeof slot !== "object" || slot === null) return "invalid_options";
    const { start, end } = slot;
    const startMs = parseInstant(start);
    const endMs = parseInstant(end);
    if (Number.isNaN(startMs) || Number.isNaN(endMs) || endMs <= startMs) return "invalid_options";
    parts.push(local(startMs));
    future.push(startMs > nowMs);
  }
  return { slots: parts, future, now: local(nowMs) };
};
var parseSlotReply = (reply, options) => {
  const cal = calendarOf(options);
  if (typeof cal === "string") return rejected(cal);
  if (typeof reply !== "string") return rejected("empty");
  if (reply.length > MAX_REPLY_LENGTH) return rejected("too_long");
  const text = normalise(reply);
  if (text.length === 0) return rejected("empty");
  return resolve(readReply(tokenise(text)), cal);
};

// src/SlotParseResult.ts
import { Schema } from "effect";
var MATCHED_BY = [
  "number",
  "option_number",
  "ordinal",
  "number_word",
  "weekday",
  "weekday_time",
  "weekday_daypart",
  "relative_day",
  "relative_day_time",
  "relative_day_daypart",
  "date",
  "date_time",
  "date_daypart",
  "time",
  "daypart",
  "only_remaining"
];
var AMBIGUITY_REASONS = [
  "multiple_choices",
  "several_slots_match",
  "several_readings",
  "no_preference"
];
var REJECT_REASONS = [
  "empty",
  "too_long",
  "chit_chat",
  "out_of_range",
  "day_not_offered",
  "date_not_offered",
  "time_not_offered",
  "conflicting_details",
  "only_exclusions",
  "slot_in_past",
  "no_match",
  "no_slots",
  "invalid_options"
];
var MatchedBy = Schema.Literal(...MATCHED_BY);
var AmbiguityReason = Schema.Literal(...AMBIGUITY_REASONS);
var RejectReason = Schema.Literal(...REJECT_REASONS);
var SlotIndex = Schema.Int.pipe(Schema.nonNegative());
var Matched = Schema.TaggedStruct("Matched", {
  index: SlotIndex,
  matchedBy: MatchedBy
});
var Ambiguous = Schema.TaggedStruct("Ambiguous", {
  candidates: Schema.Array(SlotIndex),
  reason: AmbiguityReason
});
var Rejected = Schema.TaggedStruct("Rejected", {
  reason: RejectReason
});
var SlotParseResult = Schema.Union(Matched, Ambiguous, Rejected);
var OfferedSlot = Schema.Struct({ start: Schema.String, end: Schema.String });
var SlotParseOptions = Schema.Struct({
  slots: Schema.Array(OfferedSlot),
  timeZone: Schema.String,
  now: Schema.String
});
var SlotParseInput = Schema.Struct({
  reply: Schema.String,
  ...SlotParseOptions.fields
});
export {
  AMBIGUITY_REASONS,
  AmbiguityReason,
  Ambiguous,
  MATCHED_BY,
  MAX_REPLY_LENGTH,
  Matched,
  MatchedBy,
  OfferedSlot,
  REJECT_REASONS,
  RejectReason,
  Rejected,
  SlotParseInput,
  SlotParseOptions,
  SlotParseResult,
  parseSlotReply
};
//# sourceMappingURL=index.js.map