// The results page of the site search. It asks the Pagefind index that the build wrote into /pagefind/
// (pagefind.js, its WebAssembly and index chunks, all from this site: nothing from another host) and writes
// right-to-left results with Arabic counts and messages. The page's data- attributes say where the index is.

const root = document.querySelector("[data-search]");
const form = root.querySelector("[data-search-form]");
const input = form.querySelector("input[name=q]");
const filterBox = root.querySelector("[data-search-filters]");
const selects = [...form.querySelectorAll("select[data-filter]")];
const status = root.querySelector("[data-search-status]");
const list = root.querySelector("[data-search-results]");
const more = root.querySelector("[data-search-more]");

// The site's bidi rule (waraqa.bidi) and the count forms of «نتيجة» (waraqa.counts), as the build wrote them.
const RULE = JSON.parse(root.dataset.bidi);
const UNITS = new RegExp(RULE.units, "g");
const TRIGGER = new RegExp(RULE.trigger);
const RTL = new RegExp(RULE.rtl);
const LATIN = new RegExp(RULE.latin);
const RESULT_FORMS = JSON.parse(root.dataset.resultForms);
const LRI = "\u2066";
const PDI = "\u2069";
const RLM = "\u200f";

const PAGE_SIZE = 10;
const TYPING_PAUSE_MS = 200;
const ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩";
const plural = new Intl.PluralRules("ar");
const collator = new Intl.Collator("ar");

let pagefind = null;
let latest = 0; // the number of the newest search; older ones that finish late are dropped
let pending = []; // results of the current search not shown yet
let typingTimer = 0;

/** Return `number` written in the site's digits (data-numerals: "latn" or "arab"). */
function digits(number) {
  const text = String(number);
  return root.dataset.numerals === "arab" ? text.replace(/[0-9]/g, (d) => ARABIC_DIGITS[d]) : text;
}

/** Return "نتيجة واحدة", "نتيجتان", "٣ نتائج", "١١ نتيجة": the count with the noun Arabic grammar asks for. */
function countText(count) {
  return RESULT_FORMS[plural.select(count)].replace("{n}", digits(count));
}

/** Tell whether `text` is Latin as a whole: a Latin letter and no right-to-left letter (waraqa.bidi.is_left_to_right). */
function leftToRight(text) {
  return LATIN.test(text) && !RTL.test(text);
}

/** Return `text` with each unit between LRI and PDI, for places that hold no markup (waraqa.bidi.isolate_text). */
function isolateText(text) {
  if (!TRIGGER.test(text) || leftToRight(text)) return text;
  const isolated = text.replace(UNITS, (unit) => LRI + unit + PDI);
  const first = text.match(new RegExp(`${RULE.latin}|${RULE.rtl}`));
  return first && LATIN.test(first[0]) ? RLM + isolated : isolated;
}

/** Return a fragment of `pieces` ([{text, marked}]) with each unit in <bdi>, as waraqa.bidi.isolate_html does. */
function isolatedNodes(pieces) {
  const fragment = document.createDocumentFragment();
  const full = pieces.map((piece) => piece.text).join("");
  // Appends the part of the pieces between two offsets of the full text, each <mark> kept a <mark>.
  const appendPart = (parent, start, end) => {
    let offset = 0;
    for (const piece of pieces) {
      const from = Math.max(start, offset);
      const to = Math.min(end, offset + piece.text.length);
      if (from < to) {
        const text = piece.text.slice(from - offset, to - offset);
        if (piece.marked) {
          const mark = document.createElement("mark");
          mark.textContent = text;
          parent.append(mark);
        } else {
          parent.append(text);
        }
      }
      offset += piece.text.length;
    }
  };
  if (!TRIGGER.test(full)) {
    appendPart(fragment, 0, full.length);
  } else if (leftToRight(full)) {
    const bdi = document.createElement("bdi");
    appendPart(bdi, 0, full.length);
    fragment.append(bdi);
  } else {
    let done = 0;
    for (const match of full.matchAll(UNITS)) {
      appendPart(fragment, done, match.index);
      const bdi = document.createElement("bdi");
      if (match.groups.latin === undefined) bdi.dir = "ltr";
      appendPart(bdi, match.index, match.index + match[0].length);
      fragment.append(bdi);
      done = match.index + match[0].length;
    }
    appendPart(fragment, done, full.length);
  }
  return fragment;
}

/** Return the search's filters ({tag: ["روسيا"]}) from the select boxes that have a value. */
function chosenFilters() {
  const filters = {};
  for (const select of selects) {
    if (select.value) filters[select.dataset.filter] = [select.value];
  }
  return filters;
}

/** Say `message` in the live status line, which screen readers announce; `query` (the reader's words) isolated after it. */
function say(message, query = "") {
  if (!query) {
    status.textContent = message;
    return;
  }
  // The reader's own words decide their own direction, wherever they come in the Arabic sentence.
  const words = document.createElement("bdi");
  words.textContent = query;
  status.replaceChildren(`${message} عن «`, words, "».");
}

/** Return `html` as plain text, its character references decoded. */
function decoded(html) {
  // A DOMParser document is inert: nothing in it loads or runs. The <body> tag keeps the leading space.
  return new DOMParser().parseFromString(`<body>${html}`, "text/html").body.textContent;
}

/** Return a fragment of Pagefind's excerpt: its text, with only its <mark> elements kept as elements, isolated. */
function excerptNodes(excerpt) {
  // Pagefind's excerpt is escaped text with <mark> around the matches; nothing else in it may become markup.
  const pieces = excerpt
    .split(/(<mark>.*?<\/mark>)/s)
    .map((piece) => {
      const marked = piece.startsWith("<mark>");
      return { text: decoded(marked ? piece.slice(6, -7) : piece), marked };
    })
    .filter((piece) => piece.text);
  return isolatedNodes(pieces);
}

/** Return the list item of one result: the sheet's title as a link, its date, and the excerpt. */
function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  heading.className = "search-result-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.append(isolatedNodes([{ text: data.meta.title || data.url, marked: false }]));
  heading.append(link);
  item.append(heading);
  if (data.meta.date) {
    const date = document.createElement("p");
    date.className = "search-result-date";
    date.textContent = data.meta.date;
    item.append(date);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "search-result-excerpt";
  excerpt.append(excerptNodes(data.excerpt || ""));
  item.append(excerpt);
  return item;
}

/** Show the next page of the current results. */
async function showMore() {
  const number = latest;
  const batch = pending.splice(0, PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (number !== latest) return;
  list.append(...data.map(resultItem));
  more.hidden = pending.length === 0;
}

/** Load Pagefind from the site's own index; return null (and say why) when the site has none. */
async function loadPagefind() {
  if (pagefind) return pagefind;
  try {
    const module = await import(`${root.dataset.bundle}pagefind.js`);
    const settings = { baseUrl: root.dataset.base, excerptLength: 24 };
    await module.options(settings);
    await module.init();
    // A big site's index is split into shards (waraqa/search.py); the first is the bundle itself.
    const shards = Number(root.dataset.shards || 1);
    const merged = [];
    for (let number = 1; number < shards; number++) {
      merged.push(module.mergeIndex(`${root.dataset.bundle}shards/${number}/`, settings));
    }
    await Promise.all(merged);
    pagefind = module;
  } catch (error) {
    say("البحث غير متاح الآن: لم يُعثر على فهرس البحث في هذا الموقع.");
    console.error(error);
    return null;
  }
  return pagefind;
}

/** Fill the tag and side boxes with every value the index knows, in Arabic alphabetical order. */
async function fillFilters(wanted) {
  const known = await pagefind.filters();
  let any = false;
  for (const select of selects) {
    const values = Object.keys(known[select.dataset.filter] || {}).sort(collator.compare);
    for (const value of values) {
      // An option holds no markup: the rule goes in as Unicode isolates, so «OPEC+» does not show as «+OPEC».
      select.append(new Option(isolateText(value), value, false, value === wanted[select.dataset.filter]));
    }
    any ||= values.length > 0;
  }
  filterBox.hidden = !any;
}

/** Put the query and filters into the address, so that a search can be bookmarked and shared. */
function remember(query) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const select of selects) {
    if (select.value) params.set(select.name, select.value);
  }
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

/** Search for what the form says and show the first results. */
async function run() {
  const number = ++latest;
  const query = input.value.trim();
  const filters = chosenFilters();
  remember(query);
  if (!query && Object.keys(filters).length === 0) {
    list.replaceChildren();
    more.hidden = true;
    pending = [];
    say("اكتب اسم شخص أو بلد أو مكان أو سنة، ثم اضغط «بحث».");
    return;
  }
  if (!(await loadPagefind())) return;
  const search = await pagefind.search(query || null, { filters });
  if (number !== latest || !search) return;
  pending = [...search.results];
  list.replaceChildren();
  const message = pending.length === 0 ? "لا توجد نتائج" : countText(pending.length);
  say(query ? message : `${message}.`, query);
  await showMore();
}

/** Search again shortly after the reader stops typing. */
function searchSoon() {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(run, TYPING_PAUSE_MS);
}

/** Read the address's ?q=, ?tag=, ?side=, fill the form with them and search. */
async function start() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  const wanted = Object.fromEntries(selects.map((select) => [select.dataset.filter, params.get(select.name) || ""]));
  if (await loadPagefind()) {
    await fillFilters(wanted);
    root.dataset.ready = "";
    await run();
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  run();
});
input.addEventListener("input", searchSoon);
selects.forEach((select) => select.addEventListener("change", run));
more.addEventListener("click", showMore);
start();
