// Search worker: turns what a reader typed into the words Pagefind indexed, then searches.
//
// Pagefind segments Chinese page text at build time with its own dictionary (营商|环境), while
// in a page it segments the query with the browser's ICU dictionary (营|商|环境); the two
// disagree and multi-word queries find nothing. Here, outside any document, Pagefind sees the
// language as "unknown" and keeps the word boundaries we give it: we segment the query against
// the words of the index (pagefind/xxgk-terms.json, written by the xxgk-search plugin).

const HAN = "\\p{Script=Han}";
const RUNS = new RegExp(`${HAN}+|(?:(?!${HAN})[\\p{L}\\p{N}])+`, "gu");
const HAN_RUN = new RegExp(`^${HAN}+$`, "u");
// 索引号: 9-character organisation code / year - serial, e.g. 11010100X/2024-00001.
const INDEX_NO = /^([0-9a-z]{9})\s*\/\s*(\d{4})\s*-\s*(\d{5})$/;
// 文号: issuer〔year〕number号, e.g. 某发〔2024〕5号; a bare issuer〔year〕 finds the whole series.
const DOC_NO = new RegExp(`^(${HAN}{1,12})\\s*[〔\\[(【]\\s*(\\d{4})\\s*[〕\\])】]\\s*(?:(\\d{1,5})\\s*号)?$`, "u");
const MAX_WORD = 8; // as in xxgk/search/terms.py
const MAX_TERMS = 3; // units of a long query searched, on an index larger than SMALL_INDEX
const SMALL_INDEX = 160 * 1024; // bytes: a query may download all of such an index
// A stretch of the query's words stands together on a page when they fit in a window of their own
// count plus one position for every joint but one (quotes, 阶段 … between them): two words must
// touch, three may have one word between them (“十四五”规划), four two, and so on.
const slack = (count) => Math.max(0, count - 2);
const LIST_PLACES = 5; // the first places of a result list, which a reader sees
// As in xxgk/search/view.py: metadata every indexed page carries, to search without words.
const MARKS = "标记";
const PAGE_MARK = "xxgkpage";
// As in xxgk/search/view.py: the word that opens the indexed-but-hidden names and keywords at the
// end of a page's text; excerpts stop before it.
const TERMS_MARK = "xxgkterms";
const EXCERPT_WORDS = 40;
// In relevance order, pages scoring below this share of the best page's score are left out: they
// hold the words only in passing (a 机构职能 that lists 价格 among its duties, for 物价).
const MIN_SHARE = 0.25;
// And where the scores, best first, fall sheer (a page below this share of the page before it),
// the pages after the fall are left out, once at least KEEP_PAGES are listed: the pages above the
// fall hold the words as their subject, those below in passing (a report's sentence on 信息处理费
// for 申请信息公开要钱吗). bench/README.md (issue 22, third round) gives the measurements.
const KNEE = 0.6;
const KEEP_PAGES = 2;
// How boilerplate pages of one 信息类别 (the 公开指南 of every organisation) are shown:
// "group" (one result for all of them, where the first stood), "demote" (after the other pages),
// "both", or "none" (as Pagefind ranks them). bench/search_quality.py compares them.
const GROUPING = "group";
const GROUP_MEMBERS = 12; // members of a group whose page data are loaded and listed
const GROUP_FILTER = "xxgkgroup"; // as GROUP in xxgk/search/view.py: not a facet

let pagefind = null;
let siteRoot = null;
let manifest = null;
const shards = new Map(); // shard number -> Promise<Map(first character -> Map(word -> frequency class))>
let lastSearch = { key: null, results: [], counts: null };

function normalise(text) {
  // NFKC folds full-width letters, digits and brackets (ＡＢＣ１２３（）) to their ASCII forms.
  return text.normalize("NFKC").replace(/\u200b/g, "").toLowerCase().trim();
}

function shardOf(char, count) {
  return char.codePointAt(0) % count; // must equal shard_of() in xxgk/search/terms.py
}

function loadShard(number) {
  if (!shards.has(number)) {
    const url = new URL(`pagefind/xxgk-terms/${manifest.version}-${number}.json`, siteRoot);
    shards.set(number, fetch(url).then((r) => (r.ok ? r.json() : {})).then((data) => {
      // "营": "_a 业b 商e" -> 营, 营业, 营商 and the power of two of the pages holding each
      // (a: 1 page, b: 2-3, …); see encode() in xxgk/search/terms.py.
      const words = new Map();
      for (const [first, list] of Object.entries(data)) {
        const known = new Map();
        for (const item of list.split(" ")) {
          const rest = item.slice(0, -1);
          known.set(rest === "_" ? first : first + rest, item.charCodeAt(item.length - 1) - 97);
        }
        words.set(first, known);
      }
      return words;
    }).catch(() => new Map()));
  }
  return shards.get(number);
}

async function wordsStartingWith(chars) {
  const found = new Map();
  if (!manifest || !manifest.shards) return found;
  const numbers = new Set([...chars].map((c) => shardOf(c, manifest.shards)));
  for (const part of await Promise.all([...numbers].map(loadShard))) {
    for (const [first, words] of part) if (chars.has(first)) found.set(first, words);
  }
  return found;
}

// Fewest pieces wins, dictionary words before single characters: 优化营商环境 -> 优化|营商|环境.
// Between equally good cuts, the longer word first, as the indexer's segmenter mostly cuts
// (中小学 -> 中小|学). A character that starts no indexed word becomes null: it can match nothing.
function segmentHan(run, dictionary) {
  const chars = Array.from(run);
  const n = chars.length;
  const best = new Array(n + 1).fill(null);
  best[0] = { cost: 0, lengths: [] };
  const better = (a, b) => {
    if (a.cost !== b.cost) return a.cost < b.cost;
    for (let i = 0; i < Math.min(a.lengths.length, b.lengths.length); i++) {
      if (a.lengths[i] !== b.lengths[i]) return a.lengths[i] > b.lengths[i];
    }
    return false;
  };
  for (let i = 0; i < n; i++) {
    if (!best[i]) continue;
    const known = dictionary.get(chars[i]);
    const options = [[1, 1.5]];
    for (let len = 2; known && len <= Math.min(MAX_WORD, n - i); len++) {
      if (known.has(chars.slice(i, i + len).join(""))) options.push([len, 1]);
    }
    for (const [len, cost] of options) {
      const candidate = { cost: best[i].cost + cost, lengths: [...best[i].lengths, len] };
      if (!best[i + len] || better(candidate, best[i + len])) best[i + len] = candidate;
    }
  }
  const words = [];
  let at = 0;
  for (const len of best[n].lengths) {
    const word = chars.slice(at, at + len).join("");
    words.push(len > 1 || dictionary.has(word) ? word : null);
    at += len;
  }
  return words;
}

// About how many pages hold the word (the middle of its power-of-two class; 0 if unknown).
function pagesWith(word, dictionary) {
  const known = dictionary.get(Array.from(word)[0]);
  const rank = known ? known.get(word) : undefined;
  return rank === undefined ? 0 : 1.5 * 2 ** rank;
}

const isSingleHan = (word) => Array.from(word).length === 1 && HAN_RUN.test(word);

// The words of one space-free stretch of the query, in order (null where nothing can match),
// grouped into units that must stand together on a page. A single character alone matches far
// too much (双减 is indexed as 双|减; pages with 双 and 减 anywhere are not about 双减), so it
// joins the word before it, as suffixes do (公务|员, 消费|券, 监管|局), or else the word after.
function units(words) {
  const groups = []; // {words, first, last}: positions in `words`
  let current = null;
  words.forEach((word, i) => {
    if (word === null) {
      current = null;
      return;
    }
    const joinsBefore = current && isSingleHan(word);
    const startedAlone = current && current.words.length === 1 && isSingleHan(current.words[0]) && current.last === i - 1;
    if (joinsBefore || startedAlone) {
      current.words.push(word);
      current.last = i;
    } else {
      groups.push((current = { words: [word], first: i, last: i }));
    }
  });
  return groups;
}

// Pagefind downloads one index chunk per word, and the chunks of frequent words are the largest.
// Units whose words are all on most pages (政府, 区 …) hardly narrow an "and" search: leave them
// out when others remain. Of a long query on a large index, keep the MAX_TERMS rarest units,
// which narrow it most.
const isLarge = () => !manifest || !(manifest.index_bytes <= SMALL_INDEX);

// On more than half of the indexed pages (about: the middle of its power-of-two class).
function isCommon(word, dictionary) {
  const pages = manifest && manifest.pages ? manifest.pages : 0;
  return Boolean(pages) && pagesWith(word, dictionary) > pages / 2;
}

function chooseUnits(all, dictionary) {
  const common = (word) => isCommon(word, dictionary);
  const rarity = (unit) => Math.min(...unit.map((w) => pagesWith(w, dictionary)));
  const large = isLarge();
  const specific = all.filter((unit) => !unit.every(common));
  // All on most pages: a small index searches them all; a large one only the rarest unit (“某某区教育局”
  // on 10,000 entries: the district name, 区 and 局 are on nearly every page, 538 KB to download them all).
  const rarest = [...all].sort((a, b) => rarity(a) - rarity(b) || all.indexOf(a) - all.indexOf(b)).slice(0, 1);
  let kept = !large ? all : specific.length ? specific : rarest;
  if (large && kept.length > MAX_TERMS) {
    const rarest = [...kept].sort((a, b) => rarity(a) - rarity(b) || b.join("").length - a.join("").length
      || kept.indexOf(a) - kept.indexOf(b)).slice(0, MAX_TERMS);
    kept = kept.filter((unit) => rarest.includes(unit));
  }
  // On a large index, a word on most pages inside a unit (局 of 商务|局: every entry carries its
  // organisation's name) would download one of the largest parts of the index to check what the
  // unit's rarest word nearly says already: it is left out of the search.
  if (large) {
    kept = kept.map((unit) => {
      const keep = unit.reduce((a, b) => (pagesWith(b, dictionary) < pagesWith(a, dictionary) ? b : a));
      return unit.filter((w) => w === keep || !common(w));
    });
  }
  return kept;
}

// ---------------------------------------------------------------- citizens' words
// manifest.citizen (data/search-words.yml): everyday phrases -> the words this portal uses, and
// fillers (怎么, 吗 …) that say nothing about the content. A query is rewritten before it is segmented.
const MAX_VARIANTS = 4; // meanings searched for one query
let lexicon = null;

function citizenLexicon() {
  if (lexicon) return lexicon;
  const citizen = (manifest && manifest.citizen) || {};
  const phrases = new Map(Object.entries(citizen.phrases || {}));
  const fillers = new Set(citizen.fillers || []);
  // A portal word typed as such stays whole (依申请公开 is not 依 + 申请 → 依申请公开 + 公开).
  const targets = new Set([...phrases.values()].flat().filter((m) => !/\s/.test(m)));
  const longest = Math.max(1, ...[...phrases.keys(), ...fillers, ...targets].map((w) => Array.from(w).length));
  lexicon = { phrases, fillers, targets, longest };
  return lexicon;
}

// A stretch without its fillers; a filler inside a longer phrase or portal word stays (怎么申请).
function withoutFillers(stretch) {
  const { phrases, fillers, targets, longest } = citizenLexicon();
  const chars = Array.from(stretch);
  let out = "";
  for (let i = 0; i < chars.length;) {
    let step = 0;
    for (let len = Math.min(longest, chars.length - i); len >= 1 && !step; len--) {
      const part = chars.slice(i, i + len).join("");
      if (targets.has(part) || phrases.has(part)) {
        out += part;
        step = len;
      } else if (fillers.has(part) && (len > 1 || i + len === chars.length)) {
        step = len;
      }
    }
    if (!step) {
      out += chars[i];
      step = 1;
    }
    i += step;
  }
  return out;
}

// The query as the portal would word it: a list of texts to search (one per combination of
// meanings), and whether anything changed. Longest match first, from the left; a filler of one
// character only at the end of a stretch (吗, 呢), longer ones anywhere.
function rewrite(text) {
  const { phrases, fillers, targets, longest } = citizenLexicon();
  const pieces = []; // each: the alternatives of one part of the query
  const meanings = [];
  let changed = false;
  for (const typed of text.split(/\s+/).filter(Boolean)) {
    // Fillers go first, so a phrase they split is found whole: 信息公开有什么规定 → 信息公开规定.
    const stretch = withoutFillers(typed);
    if (stretch !== typed) changed = true;
    const chars = Array.from(stretch);
    let plain = "";
    const flush = () => {
      if (plain) pieces.push([plain]);
      plain = "";
    };
    for (let i = 0; i < chars.length;) {
      let step = 0;
      for (let len = Math.min(longest, chars.length - i); len >= 1 && !step; len--) {
        const part = chars.slice(i, i + len).join("");
        if (targets.has(part) && !phrases.has(part)) {
          plain += part;
          step = len;
        } else if (phrases.has(part)) {
          const found = phrases.get(part);
          if (found.length !== 1 || found[0] !== part) changed = true;
          flush();
          pieces.push(found);
          meanings.push(...found);
          step = len;
        } else if (fillers.has(part) && (len > 1 || i + len === chars.length)) {
          flush();
          changed = true;
          step = len;
        }
      }
      if (!step) {
        plain += chars[i];
        step = 1;
      }
      i += step;
    }
    flush();
  }
  if (!changed || !pieces.length) return { texts: [text], changed: false, meanings: [] };
  let texts = [""];
  for (const alternatives of pieces) {
    texts = texts.flatMap((t) => alternatives.map((a) => (t ? `${t} ${a}` : a))).slice(0, MAX_VARIANTS);
  }
  return { texts, changed: true, meanings };
}

// The everyday phrases nearest to a query that found nothing: most characters in common, and only
// those whose portal words this index holds (a suggestion that finds nothing would not help).
async function nearestWords(query, count = 3) {
  const { phrases } = citizenLexicon();
  const typed = new Set(Array.from(normalise(query)));
  const scored = [];
  for (const [phrase, found] of phrases) {
    if (found.length === 1 && found[0] === phrase) continue;
    const chars = Array.from(phrase);
    const common = chars.filter((c) => typed.has(c)).length;
    if (common) scored.push({ phrase, meaning: found[0], score: common / Math.max(chars.length, typed.size) });
  }
  scored.sort((a, b) => b.score - a.score || a.phrase.length - b.phrase.length);
  const candidates = scored.slice(0, 12);
  const hanOf = (text) => (text.match(new RegExp(`${HAN}+`, "gu")) || []);
  const dictionary = await wordsStartingWith(new Set(candidates.flatMap((c) => hanOf(c.meaning).flatMap((r) => Array.from(r)))));
  const known = (meaning) => hanOf(meaning).every((run) => segmentHan(run, dictionary).every((w) => w !== null
    && (Array.from(w).length === 1 || pagesWith(w, dictionary) > 0)));
  const seen = new Set();
  return candidates.filter((c) => known(c.meaning) && !seen.has(c.meaning) && seen.add(c.meaning)).slice(0, count)
    .map(({ phrase, meaning }) => ({ phrase, meaning }));
}

// ---------------------------------------------------------------- 您是不是要找
// A query that finds little may be one character off a word of the portal (依申情公开, 行政付议). The
// portal's compounds (terms.spelling_words, loaded only then), its everyday phrases and the names of
// its organisations are the words it may be corrected to: one differing character in a stretch of
// three or more, the longest stretch first, then the word on most pages. A correction is used only
// when it finds pages with all its words.
const SPELL_TRIES = 3; // corrections searched at most
const SPELL_MIN = 3; // characters of the shortest word corrected
let spelling = null;

function loadSpelling() {
  if (!spelling) {
    const url = new URL(`pagefind/xxgk-terms/${manifest.version}-spell.json`, siteRoot);
    spelling = fetch(url).then((r) => (r.ok ? r.json() : "")).catch(() => "").then((text) => {
      const { phrases, targets } = citizenLexicon();
      const words = [...new Set([...String(text || "").split(" "), ...Object.keys(manifest.orgs || {}), ...targets,
        ...phrases.keys()])].filter((w) => HAN_RUN.test(w) && Array.from(w).length >= SPELL_MIN);
      const near = new Map(); // 行政?议 -> [行政复议, …], in the order of `words`
      for (const word of words) {
        const chars = Array.from(word);
        chars.forEach((_, i) => {
          const key = [...chars.slice(0, i), "?", ...chars.slice(i + 1)].join("");
          if (!near.has(key)) near.set(key, []);
          near.get(key).push(word);
        });
      }
      const longest = Math.max(SPELL_MIN, ...words.map((w) => Array.from(w).length));
      return { known: new Set(words), near, rank: new Map(words.map((w, i) => [w, i])), longest };
    });
  }
  return spelling;
}

// The query with one stretch corrected, best first (at most SPELL_TRIES).
async function corrections(query) {
  const { known, near, rank, longest } = await loadSpelling();
  const chars = Array.from(normalise(query));
  const isHan = chars.map((c) => HAN_RUN.test(c));
  const found = [];
  for (let len = Math.min(longest, chars.length); len >= SPELL_MIN; len--) {
    for (let at = 0; at + len <= chars.length; at++) {
      const part = chars.slice(at, at + len);
      if (!isHan.slice(at, at + len).every(Boolean) || known.has(part.join(""))) continue;
      for (let i = 0; i < len; i++) {
        const key = [...part.slice(0, i), "?", ...part.slice(i + 1)].join("");
        for (const word of near.get(key) || []) {
          found.push({ text: [...chars.slice(0, at), word, ...chars.slice(at + len)].join(""), len, rank: rank.get(word) });
        }
      }
    }
  }
  found.sort((a, b) => b.len - a.len || a.rank - b.rank);
  return [...new Set(found.map((f) => f.text))].slice(0, SPELL_TRIES);
}

async function analyse(query) {
  const text = normalise(query);
  const compact = text.replace(/\s+/g, "");
  let m = compact.match(INDEX_NO);
  if (m) return single({ kind: "索引号", terms: [m[1] + m[2] + m[3]], phrases: [], stretches: [] }); // metadata is indexed whole
  m = text.match(DOC_NO);
  if (m) return single({ kind: "文号", terms: [m[1] + m[2] + (m[3] ? m[3] + "号" : "")], phrases: [], stretches: [] });
  // An organisation's name alone is searched as text like any other words; the search page
  // offers the 发布机构 filter beside the results (never applied without the reader's choice).
  const org = manifest && manifest.orgs ? manifest.orgs[compact] : undefined;
  const suggestion = org ? { org: org[0], label: org[2] || org[0] } : null;
  const rewritten = rewrite(text);
  const variants = [];
  for (const variant of rewritten.texts) variants.push(await analyseText(variant, rewritten.meanings));
  const all = (key) => [...new Set(variants.flatMap((v) => v[key]))];
  return {
    kind: "词",
    suggestion,
    variants,
    rewritten: rewritten.changed ? rewritten.texts : [],
    terms: all("terms"),
    phrases: variants.flatMap((v) => v.phrases),
    dropped: all("dropped"),
  };
}

function single(analysis) {
  return { ...analysis, variants: [analysis], rewritten: [], dropped: [] };
}

// One way of wording the query: its units (words that must stand together), searched with "and".
async function analyseText(text, meanings) {
  const stretches = text.split(/\s+/).filter(Boolean).map((s) => s.match(RUNS) || []);
  const hanChars = new Set(stretches.flat().filter((r) => HAN_RUN.test(r)).flatMap((r) => Array.from(r)));
  const dictionary = await wordsStartingWith(hanChars);
  const all = [];
  const spans = []; // the units of each space-free stretch, in order
  let unknown = 0; // characters that start no indexed word: nothing can match them (a typo?)
  for (const runs of stretches) {
    const words = runs.flatMap((run) => (HAN_RUN.test(run) ? segmentHan(run, dictionary) : [run]));
    unknown += words.filter((w) => w === null).length;
    const groups = units(words).map((g) => g.words);
    all.push(...groups);
    spans.push(groups);
  }
  const fromMeaning = (unit) => meanings.some((m) => m.split(/\s+/).some((part) => part.includes(unit.join(""))));
  let unique = [];
  for (const unit of all) if (!unique.some((u) => u.join(" ") === unit.join(" "))) unique.push(unit);
  // A citizen's phrase rewritten: a character of their own left alone between the portal's words
  // (申请要带什么材料 → 依申请公开 要 身份证明) says nothing a page must hold.
  const lone = (unit) => unit.length === 1 && isSingleHan(unit[0]) && !fromMeaning(unit);
  if (meanings.length && unique.some((u) => !lone(u))) unique = unique.filter((u) => !lone(u));

  const kept = chooseUnits(unique, dictionary);
  const terms = [...new Set(kept.flat())];
  const isKept = (unit) => unit.some((w) => terms.includes(w));
  return {
    terms,
    phrases: kept.filter((unit) => unit.length > 1),
    // Words typed without a space between them name one thing: pages holding them close rank first.
    // (length: all the words of the stretch, those left out included, which still take up room on a page).
    stretches: spans.map((groups) => ({ words: [...new Set(groups.filter(isKept).flat().filter((w) => terms.includes(w)))],
      length: groups.flat().length }))
      .filter((s) => s.words.length > 1),
    dropped: [...new Set(unique.flat())].filter((w) => !terms.includes(w)),
    unknown,
    // For searching with fewer words when all of them find nothing: what each unit says.
    units: kept.map((unit) => ({ words: unit, pages: Math.min(...unit.map((w) => pagesWith(w, dictionary))),
      meant: fromMeaning(unit) })),
  };
}

async function start(root) {
  siteRoot = root;
  pagefind = await import(new URL("pagefind/pagefind.js", root).href);
  await pagefind.options({ baseUrl: new URL(root).pathname, excerptLength: 40 });
  const response = await fetch(new URL("pagefind/xxgk-terms.json", root));
  manifest = response.ok ? await response.json() : null;
  await pagefind.init();
}

function pagefindFilters(filters) {
  const out = {};
  for (const [name, values] of Object.entries(filters || {})) {
    if (values && values.length) out[name] = { any: values };
  }
  return out;
}

function clean(text) {
  return (text || "").replace(/\u200b/g, "");
}

const idsOf = (found) => new Set(found.results.map((r) => r.id));

// The text Pagefind searches for: the query's words, or else a mark every indexed page (or every
// page of one organisation) carries in its metadata. Pagefind answers a search without words by
// downloading its whole index; a mark is one small part of it.
function searchText(analysis) {
  return analysis.terms.length ? analysis.terms.join(" ") : PAGE_MARK;
}

// The smallest number of positions a page's text needs to hold one of each list's locations.
function narrowestWindow(lists) {
  if (lists.some((l) => !l || !l.length)) return Infinity;
  const marks = lists.flatMap((l, i) => l.map((at) => [at, i])).sort((a, b) => a[0] - b[0]);
  const seen = new Array(lists.length).fill(0);
  let covered = 0;
  let best = Infinity;
  for (let lo = 0, hi = 0; hi < marks.length; hi++) {
    if (seen[marks[hi][1]]++ === 0) covered++;
    while (covered === lists.length) {
      best = Math.min(best, marks[hi][0] - marks[lo][0] + 1);
      if (--seen[marks[lo][1]] === 0) covered--;
      lo++;
    }
  }
  return best;
}

// The pages of a search that the list shows as one group (see arrange).
async function groupMembers(analysis, pfFilters) {
  const grouped = manifest && manifest.grouped;
  if (!grouped || pfFilters["信息类别"]) return new Set();
  return idsOf(await pagefind.search(searchText(analysis), { filters: { ...pfFilters, [GROUP_FILTER]: { any: [grouped.category] } } }));
}

// As narrowestWindow, with one location of each list in the lists' order.
function orderedWindow(lists) {
  if (lists.some((l) => !l || !l.length)) return Infinity;
  const sorted = lists.map((l) => [...l].sort((a, b) => a - b));
  let best = Infinity;
  for (const start of sorted[0]) {
    let at = start;
    for (const list of sorted.slice(1)) {
      at = list.find((p) => p > at);
      if (at === undefined) break;
    }
    if (at !== undefined) best = Math.min(best, at - start + 1);
  }
  return best;
}

// One search: Pagefind's "and" over the words, then only pages where each unit's words stand
// together. Of a query typed without spaces, pages holding its words close together come first
// (by Pagefind's score among them); once some do, pages with the words scattered are dropped.
async function runSearch(analysis, pfFilters, order, notes = {}) {
  const options = { filters: pfFilters };
  if (order) options.sort = { 发布日期: order };
  let results = (await pagefind.search(searchText(analysis), options)).results;
  if (order) {
    // Pagefind leaves out pages without the sort key (a guide has no 发布日期): they follow the rest.
    const dated = idsOf({ results });
    const undated = (await pagefind.search(searchText(analysis), { filters: pfFilters })).results;
    results = results.concat(undated.filter((r) => !dated.has(r.id)));
  }
  for (const phrase of analysis.phrases) {
    const together = idsOf(await pagefind.search(`"${phrase.join(" ")}"`, { filters: pfFilters }));
    const kept = results.filter((r) => together.has(r.id));
    // None at all: the page may have been cut differently from our guess (or the query is mistyped:
    // 依申情 holds 情 where 请 belongs); keep the "and" result.
    if (kept.length) results = kept;
    else if (results.length) notes.apart = true;
  }
  if (analysis.stretches.length && results.length > 1) {
    // Where each word stands on each page: searches over index parts the query already loaded.
    const where = new Map();
    for (const word of new Set(analysis.stretches.flatMap((s) => s.words))) {
      const found = await pagefind.search(word, { filters: pfFilters });
      where.set(word, new Map(found.results.map((r) => [r.id, r.words])));
    }
    // `at`: a page's positions as counted (Pagefind's own, or without punctuation marks).
    const fits = (words, length, id, extra, at = (p) => p, window = narrowestWindow) => window(words
      .map((w) => (where.get(w).get(id) || []).map(at))) <= length + slack(length) + extra;
    // A page may glue the first word to the one before it (某区政府 is indexed as 某|区政府); the others
    // then stand in the order typed (政府工作报告 is not 负责并报告工作).
    const close = (r, extra = 0, at = undefined) => analysis.stretches.every(({ words, length }) => fits(words, length, r.id,
      extra, at) || (words.length > 2 && fits(words.slice(1), length - 1, r.id, extra, at, orderedWindow)));
    const near = results.filter((r) => close(r));
    // Pagefind counts a punctuation mark as a word: 投诉、举报 says what 投诉举报 says, one position
    // apart. Pages whose two words stand together but for such a mark follow the others; their text
    // is read to tell (bounded: only while the first places are not yet full). Not for three words
    // or more: 特种设备安全监察科、价格监督检查 lists two things.
    const listed = [];
    const pairs = analysis.stretches.every((s) => s.words.length === 2);
    const apart = pairs ? results.filter((r) => !near.includes(r) && close(r, 1)) : [];
    const grouped = apart.length ? await groupMembers(analysis, pfFilters) : new Set(); // all of them take one place
    const places = () => new Set(near.concat(listed).map((r) => (grouped.has(r.id) ? "group" : r.id))).size;
    for (const r of apart) {
      if (places() >= LIST_PLACES && !grouped.has(r.id)) break;
      const tokens = ((await r.data()).raw_content || "").split("\u200B");
      const marksBefore = [];
      tokens.reduce((count, token, i) => (marksBefore[i] = count) + (PUNCTUATION.test(token) ? 1 : 0), 0);
      if (close(r, 0, (p) => p - (marksBefore[p] || 0))) listed.push(r);
    }
    if (near.length || listed.length) results = near.concat(listed);
  }
  if (!order && results.length > 1) {
    const best = Math.max(...results.map((r) => r.score));
    const scores = results.map((r) => r.score).sort((a, b) => b - a);
    const fall = scores.findIndex((score, i) => i >= KEEP_PAGES && score < KNEE * scores[i - 1]);
    const floor = Math.max(MIN_SHARE * best, fall > 0 ? scores[fall - 1] : 0);
    results = results.filter((r) => r.score >= floor);
  }
  return results;
}

// Every way of wording the query (its variants), results taken in turn from each. When none finds
// anything, fewer words: the unit on most pages goes first, the portal's words of an everyday
// phrase last (年报在哪看 → 年度报告), down to one unit. `used`: the variants that gave the results.
// `weak`: nothing found, or found only with some of the words, with characters that start no indexed
// word, or with a word group no page holds together: the query may be mistyped.
async function searchAll(analysis, pfFilters, order) {
  const lists = [];
  const notes = {};
  for (const variant of analysis.variants) lists.push(await runSearch(variant, pfFilters, order, notes));
  const odd = notes.apart || analysis.variants.some((v) => v.unknown);
  if (lists.some((l) => l.length)) return { results: merge(lists), used: analysis.variants, partial: false, weak: odd };
  for (const variant of analysis.variants) {
    const units = [...(variant.units || [])];
    const dropOrder = [...units].sort((a, b) => (a.meant - b.meant) || (b.pages - a.pages));
    let kept = units;
    for (const unit of dropOrder) {
      if (kept.length < 2) break;
      kept = kept.filter((u) => u !== unit);
      const fewer = { terms: [...new Set(kept.flatMap((u) => u.words))], phrases: kept.filter((u) => u.words.length > 1)
        .map((u) => u.words), stretches: [] };
      const results = await runSearch(fewer, pfFilters, order);
      if (results.length) return { results, used: [fewer], partial: true, weak: true };
    }
  }
  return { results: [], used: analysis.variants, partial: false, weak: true };
}

function merge(lists) {
  const seen = new Set();
  const out = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) {
    for (const list of lists) {
      if (i < list.length && !seen.has(list[i].id)) {
        seen.add(list[i].id);
        out.push(list[i]);
      }
    }
  }
  return out;
}

// The results as shown: a result, or a group {members} of the boilerplate pages (manifest.grouped:
// the 公开指南 of each organisation, near-identical text that would otherwise fill the first
// places of broad queries). Not when the reader chose 信息类别 values: then they asked for them.
// The group takes the place of its best-ranked member and counts as one result.
async function arrange(results, used, pfFilters, grouping) {
  const grouped = manifest && manifest.grouped;
  if (!grouped || grouping === "none" || pfFilters["信息类别"] || results.length < 2) return results;
  // A filter of their own, on those pages only: far smaller to download than 信息类别.
  const boiler = new Set();
  for (const variant of used) for (const id of await groupMembers(variant, pfFilters)) boiler.add(id);
  const members = results.filter((r) => boiler.has(r.id));
  if (!members.length) return results;
  const others = results.filter((r) => !boiler.has(r.id));
  if (grouping === "demote") return others.concat(members);
  const group = members.length > 1 ? [{ members }] : members;
  if (grouping === "both") return others.concat(group);
  const at = results.findIndex((r) => boiler.has(r.id));
  return [...others.slice(0, at), ...group, ...others.slice(at)];
}

// Pagefind's excerpt, from the page text before the hidden names and keywords (TERMS_MARK), so it
// never ends in them; it starts at a word, not at punctuation. The densest stretch of matched
// words wins, as in Pagefind; a page matched only by its hidden words shows its opening.
const PUNCTUATION = /^[\s\p{P}\p{S}]*$/u;
function excerptOf(data) {
  const words = (data.raw_content || "").split("\u200B");
  let end = words.length;
  for (let i = words.length - 1; i >= 0; i--) {
    if (words[i].includes(TERMS_MARK)) {
      end = i;
      break;
    }
  }
  const hits = (data.weighted_locations || []).filter((l) => l.location < end);
  const score = [];
  for (const hit of hits) score[hit.location] = (score[hit.location] || 0) + hit.balanced_score;
  let start = 0;
  if (hits.length && end > EXCERPT_WORDS) {
    let sum = 0;
    for (let i = 0; i < EXCERPT_WORDS; i++) sum += score[i] || 0;
    let best = sum;
    let bestAt = [0];
    for (let i = 0; i + EXCERPT_WORDS < end; i++) {
      sum += (score[i + EXCERPT_WORDS] || 0) - (score[i] || 0);
      if (sum > best) {
        best = sum;
        bestAt = [i + 1];
      } else if (sum === best && bestAt[bestAt.length - 1] === i) {
        bestAt.push(i + 1);
      }
    }
    start = bestAt[Math.floor(bestAt.length / 2)];
  }
  start = Math.max(0, Math.min(start, end - EXCERPT_WORDS));
  // A marked word keeps its place: only punctuation before the first word goes.
  while (start < end && PUNCTUATION.test(words[start]) && !score[start]) start++;
  const marked = new Set(hits.map((h) => h.location));
  const shown = [];
  for (let i = start; i < Math.min(end, start + EXCERPT_WORDS); i++) {
    // Leading punctuation of the first word goes too (not "&": the text is escaped HTML).
    const word = i === start ? words[i].replace(/^(?:(?!&)[\s\p{P}\p{S}])+/u, "") : words[i];
    shown.push(marked.has(i) ? `<mark>${word}</mark>` : word);
  }
  return shown.join("").trim();
}

function resultData(d) {
  return {
    url: d.url,
    title: clean(d.meta.title),
    excerpt: clean(excerptOf(d)),
    meta: Object.fromEntries(Object.entries(d.meta).filter(([k]) => k !== MARKS).map(([k, v]) => [k, clean(v)])),
    filters: d.filters || {},
  };
}

async function itemData(item) {
  if (!item.members) return resultData(await item.data());
  const members = await Promise.all(item.members.slice(0, GROUP_MEMBERS).map((r) => r.data()));
  const first = resultData(members[0]);
  return {
    ...first,
    group: {
      category: manifest.grouped.category,
      index: manifest.grouped.index ? new URL(manifest.grouped.index, siteRoot).pathname : null,
      count: item.members.length,
      members: members.map((d) => ({ url: d.url, title: clean(d.meta.title), org: clean(d.meta["发布机构"] || "") })),
    },
  };
}

// Counts per facet value over our own result list (phrases and marks make it differ from
// Pagefind's). Values of one facet combine with "or", so each facet is counted as if its own
// choice were not made. Every search here reuses the index parts the query already loaded.
async function facetCounts(analysis, used, filters, order, results) {
  const all = await pagefind.filters();
  const counts = {};
  for (const [name, values] of Object.entries(all)) {
    if (name === GROUP_FILTER) continue;
    let base = results;
    if (filters[name] && filters[name].length) {
      const others = { ...filters };
      delete others[name];
      base = (await searchAll(analysis, pagefindFilters(others), order)).results;
    }
    const ids = new Set(base.map((r) => r.id));
    counts[name] = {};
    for (const value of Object.keys(values)) {
      const holding = new Set();
      for (const variant of ids.size ? used : []) {
        for (const r of (await pagefind.search(searchText(variant), { filters: { [name]: [value] } })).results) {
          if (ids.has(r.id)) holding.add(r.id);
        }
      }
      counts[name][value] = holding.size;
    }
  }
  return counts;
}

// `exact`: search what was typed, without a correction (the reader's "仍按……搜索").
async function search({ query = "", filters = {}, sort = "", offset = 0, limit = 10, facets = false, grouping = GROUPING,
  exact = false }) {
  let analysis = await analyse(query);
  const pfFilters = pagefindFilters(filters);
  const browsing = analysis.terms.length === 0;
  if (browsing && !Object.keys(pfFilters).length) {
    return { terms: [], total: 0, slots: 0, results: [], filters: facets ? await pagefind.filters() : {}, empty: true };
  }
  const order = sort || (browsing ? "desc" : "");
  const key = JSON.stringify([analysis, pfFilters, order, grouping, exact]);
  if (lastSearch.key !== key) {
    let found = await searchAll(analysis, pfFilters, order);
    let searched = analysis;
    let corrected = null;
    if (found.weak && !exact && analysis.kind === "词") {
      for (const text of await corrections(query)) {
        const other = await analyse(text);
        const again = await searchAll(other, pfFilters, order);
        if (again.results.length && !again.weak) {
          [found, searched, corrected] = [again, other, text];
          break;
        }
      }
    }
    const { results, used, partial } = found;
    lastSearch = { key, analysis: searched, corrected, results, used, partial,
      items: await arrange(results, used, pfFilters, grouping), counts: null };
  }
  analysis = lastSearch.analysis;
  if (facets && !lastSearch.counts) {
    lastSearch.counts = await facetCounts(analysis, lastSearch.used, filters, order, lastSearch.results);
  }
  const page = await Promise.all(lastSearch.items.slice(offset, offset + limit).map(itemData));
  // Offered, not applied: the 发布机构 filter of the organisation the query names, unless chosen.
  const chosen = filters["发布机构"] || [];
  const suggestion = analysis.suggestion && !chosen.includes(analysis.suggestion.org) ? analysis.suggestion : null;
  return {
    terms: analysis.terms,
    phrases: analysis.phrases,
    dropped: analysis.dropped || [],
    kind: analysis.kind,
    suggestion,
    rewritten: analysis.rewritten || [], // the query in the portal's words, when the citizens' words changed it
    corrected: lastSearch.corrected, // the query as searched instead of what was typed (您是不是要找), or null
    partial: lastSearch.partial, // found with only some of the words
    // Nothing found: the nearest everyday phrases (the search page also points to the guide and the application).
    nearest: lastSearch.results.length ? [] : await nearestWords(query),
    total: lastSearch.results.length, // pages found
    slots: lastSearch.items.length, // places in the list (a group takes one)
    filters: lastSearch.counts || {},
    results: page,
  };
}

let started = null;
self.onmessage = async (event) => {
  const { id, type, payload } = event.data;
  try {
    if (type === "init") {
      started = started || start(payload.root);
      await started;
      self.postMessage({ id, ok: true });
      return;
    }
    await started;
    const result = type === "analyse" ? await analyse(payload.query) : await search(payload);
    self.postMessage({ id, ok: true, result });
  } catch (error) {
    self.postMessage({ id, ok: false, error: String(error && error.message ? error.message : error) });
  }
};
