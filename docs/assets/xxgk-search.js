// Site search UI: results while typing in the header (and home page) box, and the search
// page /search/?q=…&发布机构=…&年份=…&sort=desc. Searching happens in xxgk-search-worker.js;
// nothing is downloaded until a reader starts to search.

const SITE_ROOT = new URL("../", import.meta.url); // this file lives in <site>/assets/
const FACETS = ["发布机构", "信息类别", "主题分类", "年份"];
const PAGE_SIZE = 10;
const BOX_SIZE = 6;

// ---------------------------------------------------------------- worker client

let worker = null;
let ready = null;
let nextId = 1;
const pending = new Map();

function startWorker() {
  if (ready) return ready;
  ready = new Promise((resolve, reject) => {
    try {
      worker = new Worker(new URL("xxgk-search-worker.js", import.meta.url), { type: "module" });
    } catch (error) {
      reject(error);
      return;
    }
    worker.onmessage = ({ data }) => {
      const request = pending.get(data.id);
      if (!request) return;
      pending.delete(data.id);
      data.ok ? request.resolve(data.result) : request.reject(new Error(data.error));
    };
    worker.onerror = (event) => {
      for (const request of pending.values()) request.reject(new Error(event.message || "worker"));
      pending.clear();
    };
    call("init", { root: SITE_ROOT.href }).then(resolve, reject);
  });
  return ready;
}

function call(type, payload) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, type, payload });
  });
}

async function runSearch(request) {
  await startWorker();
  return call("search", request);
}

// ---------------------------------------------------------------- rendering helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// Pagefind's excerpt is HTML with <mark>; keep only text and <mark>, whatever else it holds.
function excerptNodes(html) {
  const template = document.createElement("template");
  template.innerHTML = html || "";
  const out = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") out.append(el("mark", { text: node.textContent }));
    else out.append(node.textContent);
  }
  return out;
}

function metaLine(result) {
  const meta = result.meta || {};
  const parts = [];
  if (meta["索引号"]) parts.push(el("span", { class: "xxgk-result__index", text: `索引号 ${meta["索引号"]}` }));
  const org = meta["发布机构"] || (result.filters["发布机构"] || [])[0];
  if (org) parts.push(el("span", { class: "xxgk-result__org", text: org }));
  if (meta["发布日期"]) parts.push(el("time", { class: "xxgk-result__date", datetime: meta["发布日期"], text: meta["发布日期"] }));
  return parts.length ? el("p", { class: "xxgk-result__meta" }, ...parts) : null;
}

// The 公开指南 of several organisations as one result: a link per organisation's guide.
function groupItem(result) {
  const group = result.group;
  const links = group.members.map((m) => el("li", {}, el("a", { href: m.url, text: m.org || m.title })));
  const rest = group.count - group.members.length;
  return el(
    "li", { class: "xxgk-result xxgk-result--group", "data-xxgk-group": group.category },
    el("div", { class: "xxgk-result__link" },
      el("span", { class: "xxgk-result__head" },
        group.index
          ? el("a", { class: "xxgk-result__title", href: group.index, text: `${group.category}（${group.count} 个机构）` })
          : el("span", { class: "xxgk-result__title", text: `${group.category}（${group.count} 个机构）` })),
      result.excerpt ? el("p", { class: "xxgk-result__excerpt" }, excerptNodes(result.excerpt)) : null,
      el("ul", { class: "xxgk-result__members", "aria-label": `${group.category}：各机构` }, ...links,
        rest > 0 ? el("li", { text: `等 ${group.count} 个机构` }) : null)),
  );
}

function resultItem(result, { tag } = {}) {
  if (result.group) return groupItem(result);
  const category = (result.filters["信息类别"] || [])[0];
  return el(
    "li", { class: "xxgk-result" },
    el("a", { class: "xxgk-result__link", href: result.url },
      el("span", { class: "xxgk-result__head" },
        tag && category ? el("span", { class: "xxgk-tag", text: category }) : null,
        tag && category ? " " : null,
        el("span", { class: "xxgk-result__title", text: result.title || result.url })),
      metaLine(result),
      result.excerpt ? el("p", { class: "xxgk-result__excerpt" }, excerptNodes(result.excerpt)) : null),
  );
}

// `exact`: search what was typed, without correcting it (see correctionNote).
function searchPageUrl(query, filters = {}, sort = "", exact = false) {
  const url = new URL("search/", SITE_ROOT);
  if (query) url.searchParams.set("q", query);
  for (const name of FACETS) for (const value of filters[name] || []) url.searchParams.append(name, value);
  if (sort) url.searchParams.set("sort", sort);
  if (exact) url.searchParams.set("exact", "1");
  return url;
}

// 您是不是要找: the query found little as typed and was searched corrected. Says so, with a link to
// search exactly what was typed.
function correctionNote(found, typed, href, attrs = {}) {
  if (!found.corrected) return null;
  return el("p", { ...attrs, "data-xxgk-corrected-to": found.corrected },
    `已按“${found.corrected}”搜索。`,
    el("a", { href, text: `仍按“${typed}”搜索` }));
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// ---------------------------------------------------------------- search-as-you-type box

function liveBox(form) {
  const input = form.querySelector('input[name="q"]');
  if (!input) return;
  // A plain list of links under the box (reachable with Tab); the arrow keys only highlight one
  // for Enter, and a status line tells screen readers how many were found.
  const panel = el("div", { class: "xxgk-search__panel", hidden: true });
  const status = el("p", { class: "xxgk-visually-hidden", role: "status" });
  form.append(status, panel);
  form.classList.add("xxgk-search--live");
  let serial = 0;
  let active = -1;

  const options = () => [...panel.querySelectorAll(".xxgk-result")];
  const open = (yes) => {
    panel.hidden = !yes;
  };
  const move = (step) => {
    // Cycle through the results and "none chosen" (the typed query), as Material's search does.
    const items = options();
    active = ((active + 1 + step + items.length + 1) % (items.length + 1)) - 1;
    items.forEach((item, i) => item.classList.toggle("xxgk-result--active", i === active));
    if (active >= 0) items[active].scrollIntoView({ block: "nearest" });
  };

  const show = async () => {
    const query = input.value.trim();
    const mine = ++serial;
    if (!query) {
      open(false);
      panel.replaceChildren();
      status.textContent = "";
      return;
    }
    form.classList.add("xxgk-search--busy");
    let found;
    try {
      found = await runSearch({ query, limit: BOX_SIZE });
    } catch (error) {
      found = { error };
    }
    if (mine !== serial) return; // a later keystroke has already asked again
    form.classList.remove("xxgk-search--busy");
    active = -1;
    const all = el("a", { class: "xxgk-search__all", href: searchPageUrl(query).href });
    if (found.error) {
      status.textContent = "搜索暂时不可用，请稍后再试。";
      panel.replaceChildren(el("p", { class: "xxgk-search__note", text: status.textContent }));
    } else if (!found.total) {
      all.textContent = "到搜索页查看其他查找方式";
      status.textContent = `没有找到与“${query}”相关的信息。请换用更短或不同的关键词。`;
      const nearest = (found.nearest || []).map(({ meaning }) => el("a", { class: "xxgk-search__all xxgk-search__nearest",
        href: searchPageUrl(meaning).href, text: `试试“${meaning}”` }));
      panel.replaceChildren(el("p", { class: "xxgk-search__note", text: status.textContent }), ...nearest, all);
    } else {
      all.textContent = found.slots > found.results.length
        ? `查看全部 ${found.slots} 条结果，可按机构、类别、年份筛选`
        : "在搜索页按机构、类别、年份筛选";
      status.textContent = `找到 ${found.slots} 条结果`;
      const list = el("ol", { class: "xxgk-results xxgk-results--compact", "aria-label": "搜索结果" },
        ...found.results.map((r) => resultItem(r)));
      const suggestion = found.suggestion
        ? el("a", { class: "xxgk-search__all xxgk-suggestion", href: searchPageUrl(query, { 发布机构: [found.suggestion.org] }).href,
          text: `只看${found.suggestion.label}发布的信息` })
        : null;
      const note = correctionNote(found, query, searchPageUrl(query, {}, "", true).href, { class: "xxgk-search__corrected" });
      panel.replaceChildren(...(note ? [note] : []), list, ...(suggestion ? [suggestion] : []), all);
    }
    open(true);
  };
  const showSoon = debounce(show, 120);

  input.addEventListener("focus", () => {
    startWorker().catch(() => {}); // warm up while the reader types
    if (panel.childNodes.length && input.value.trim()) open(true);
  });
  input.addEventListener("input", showSoon);
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (panel.hidden) return;
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && active >= 0 && !panel.hidden) {
      event.preventDefault();
      location.href = options()[active].querySelector("a").href;
    } else if (event.key === "Escape") {
      open(false);
    }
  });
  form.addEventListener("submit", (event) => {
    // Always land on the search page with a well-formed address.
    event.preventDefault();
    const query = input.value.trim();
    location.href = searchPageUrl(query).href;
  });
  document.addEventListener("click", (event) => {
    if (!form.contains(event.target)) open(false);
  });
}

// ---------------------------------------------------------------- the search page

function readState() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const name of FACETS) {
    const values = params.getAll(name).filter(Boolean);
    if (values.length) filters[name] = values;
  }
  const sort = ["asc", "desc"].includes(params.get("sort")) ? params.get("sort") : "";
  return { query: (params.get("q") || "").trim(), filters, sort, exact: params.get("exact") === "1" };
}

function facetValues(name, counts, selected) {
  const entries = Object.entries(counts || {});
  for (const value of selected) if (!entries.some(([v]) => v === value)) entries.push([value, 0]);
  const shown = entries.filter(([v, n]) => n > 0 || selected.includes(v));
  if (name === "年份") return shown.sort((a, b) => b[0].localeCompare(a[0]));
  return shown.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh-CN"));
}

function searchPage(root) {
  const form = root.querySelector("form");
  const input = form.querySelector('input[name="q"]');
  const facetsBox = root.querySelector("[data-xxgk-facets]");
  const status = root.querySelector("[data-xxgk-status]");
  const list = root.querySelector("[data-xxgk-results]");
  const more = root.querySelector("[data-xxgk-more]");
  const sortSelect = root.querySelector("[data-xxgk-sort]");
  const suggestionBox = root.querySelector("[data-xxgk-suggestion]");
  const noResult = root.querySelector("[data-xxgk-noresult]");
  const correctedBox = root.querySelector("[data-xxgk-corrected]");
  const wide = window.matchMedia("(min-width: 45em)");
  let state = readState();
  let serial = 0;
  let shown = 0;

  const writeUrl = (push) => {
    const url = searchPageUrl(state.query, state.filters, state.sort, state.exact);
    history[push ? "pushState" : "replaceState"](null, "", url.pathname + url.search);
    document.title = state.query ? `“${state.query}”的搜索结果 - ${document.title.split(" - ").pop()}` : document.title;
  };

  const renderFacets = (counts) => {
    const groups = [];
    for (const name of FACETS) {
      const selected = state.filters[name] || [];
      const values = facetValues(name, counts[name], selected);
      if (!values.length) continue;
      const items = values.map(([value, count]) => {
        const box = el("input", { type: "checkbox", name, value, checked: selected.includes(value) });
        box.addEventListener("change", () => {
          const current = new Set(state.filters[name] || []);
          box.checked ? current.add(value) : current.delete(value);
          state.filters = { ...state.filters, [name]: [...current] };
          if (!current.size) delete state.filters[name];
          writeUrl(false);
          run();
        });
        return el("li", {}, el("label", {}, box, ` ${value}`, el("span", { class: "xxgk-count", text: String(count) })));
      });
      // On phones the groups start folded, except those already in use.
      const open = wide.matches || selected.length > 0;
      groups.push(el("details", { class: "xxgk-facet-group", open, "data-facet": name },
        el("summary", { text: name }), el("ul", {}, ...items)));
    }
    if (Object.keys(state.filters).length) {
      const clear = el("button", { type: "button", class: "xxgk-facets-clear", text: "清除筛选条件" });
      clear.addEventListener("click", () => {
        state.filters = {};
        writeUrl(false);
        run();
      });
      groups.push(clear);
    }
    facetsBox.replaceChildren(...groups);
  };

  const onlyOrg = () => {
    const names = Object.keys(state.filters);
    const orgs = state.filters["发布机构"] || [];
    return names.length === 1 && orgs.length === 1 ? orgs[0] : null;
  };

  // The query names an organisation: its 发布机构 filter is offered beside the results, applied
  // only when the reader asks for it.
  const showSuggestion = (suggestion) => {
    if (!suggestion) {
      suggestionBox.hidden = true;
      suggestionBox.replaceChildren();
      return;
    }
    const button = el("button", { type: "button", class: "md-button xxgk-suggestion__button",
      text: `只看${suggestion.label}发布的信息` });
    button.addEventListener("click", () => {
      state.filters = { ...state.filters, 发布机构: [...(state.filters["发布机构"] || []), suggestion.org] };
      writeUrl(true);
      run();
    });
    suggestionBox.replaceChildren(button);
    suggestionBox.hidden = false;
  };

  // Nothing found: the nearest everyday words as searches, beside the template's pointers to the
  // guide, the catalog and the application page.
  const showNoResult = (found) => {
    if (!noResult) return;
    noResult.hidden = Boolean(found.total) || Boolean(found.empty);
    const nearest = found.nearest || [];
    const box = noResult.querySelector("[data-xxgk-nearest]");
    const words = noResult.querySelector("[data-xxgk-nearest-words]");
    box.hidden = !nearest.length;
    words.replaceChildren(...nearest.flatMap(({ phrase, meaning }, i) => [
      i ? "、" : "",
      el("a", { href: searchPageUrl(meaning).href, title: `“${phrase}”在本网站写作“${meaning}”`, text: meaning }),
    ]));
  };

  const run = async (append = false) => {
    const mine = ++serial;
    input.value = state.query;
    sortSelect.value = state.sort;
    if (!append) {
      shown = 0;
      status.textContent = "正在搜索…";
    }
    root.classList.add("xxgk-search-page--busy");
    let found;
    try {
      found = await runSearch({ query: state.query, filters: state.filters, sort: state.sort,
        offset: shown, limit: PAGE_SIZE, facets: true, exact: state.exact });
    } catch (error) {
      if (mine === serial) status.textContent = "搜索暂时不可用，请稍后再试。";
      root.classList.remove("xxgk-search-page--busy");
      return;
    }
    if (mine !== serial) return;
    root.classList.remove("xxgk-search-page--busy");
    renderFacets(found.filters || {});
    const items = found.results.map((r) => resultItem(r, { tag: true }));
    if (append) list.append(...items);
    else list.replaceChildren(...items);
    shown += found.results.length;
    more.hidden = shown >= found.slots;
    showSuggestion(found.suggestion);
    showNoResult(found);
    if (correctedBox) {
      const note = correctionNote(found, state.query, searchPageUrl(state.query, state.filters, state.sort, true).href);
      correctedBox.replaceChildren(...(note ? note.childNodes : []));
      if (note) correctedBox.dataset.xxgkCorrectedTo = found.corrected;
      else delete correctedBox.dataset.xxgkCorrectedTo;
      correctedBox.hidden = !note;
    }
    const filtered = Object.keys(state.filters).length > 0;
    // The everyday words changed the query: say what was searched for.
    const asked = found.rewritten && found.rewritten.length
      ? `（按本网站用语“${found.rewritten.join("”“")}”检索${found.partial ? "，只含部分词语" : ""}）`
      : found.partial ? "（没有同时包含全部词语的结果，以下只含部分词语）" : "";
    if (found.empty) status.textContent = "请输入关键词、文号或索引号，或在左侧按机构、类别、主题、年份浏览。";
    else if (!found.total) status.textContent = filtered
      ? `在所选条件下没有找到与“${state.query}”相关的信息，可减少筛选条件后再试。`
      : `没有找到与“${state.query}”相关的信息。请换用更短或不同的关键词。`;
    else if (!state.query && onlyOrg()) status.textContent = `${onlyOrg()}发布的信息共 ${found.total} 条`;
    // A group of guides counts as one result.
    else status.textContent = state.query
      ? `找到 ${found.slots} 条与“${found.corrected || state.query}”相关的信息${asked}`
      : `共 ${found.slots} 条信息`;
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state = { ...state, query: input.value.trim(), exact: false };
    writeUrl(true);
    run();
  });
  sortSelect.addEventListener("change", () => {
    state = { ...state, sort: sortSelect.value };
    writeUrl(false);
    run();
  });
  more.addEventListener("click", () => run(true));
  window.addEventListener("popstate", () => {
    state = readState();
    run();
  });
  run();
  if (!state.query) input.focus();
}

// ---------------------------------------------------------------- wiring

function setup() {
  for (const form of document.querySelectorAll('form[data-xxgk-search="header"], form[data-xxgk-search="box"]')) {
    liveBox(form);
  }
  const page = document.querySelector('[data-xxgk-search="page"]');
  if (page) searchPage(page);
  document.addEventListener("keydown", (event) => {
    // "/" focuses the search box, as on many sites; not while typing somewhere else.
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    const box = document.querySelector('[data-xxgk-search="page"] input[name="q"]')
      || document.querySelector('form[data-xxgk-search="header"] input[name="q"]');
    if (box && box.offsetParent !== null) {
      event.preventDefault();
      box.focus();
    }
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
else setup();
