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
  switch (plural.select(count)) {
    case "one":
      return "نتيجة واحدة";
    case "two":
      return "نتيجتان";
    case "few":
      return `${digits(count)} نتائج`;
    default:
      return `${digits(count)} نتيجة`;
  }
}

/** Return the search's filters ({tag: ["روسيا"]}) from the select boxes that have a value. */
function chosenFilters() {
  const filters = {};
  for (const select of selects) {
    if (select.value) filters[select.dataset.filter] = [select.value];
  }
  return filters;
}

/** Say `message` in the live status line, which screen readers announce. */
function say(message) {
  status.textContent = message;
}

/** Return `html` as plain text, its character references decoded. */
function decoded(html) {
  // A DOMParser document is inert: nothing in it loads or runs. The <body> tag keeps the leading space.
  return new DOMParser().parseFromString(`<body>${html}`, "text/html").body.textContent;
}

/** Return a fragment of Pagefind's excerpt: its text, with only its <mark> elements kept as elements. */
function excerptNodes(excerpt) {
  const fragment = document.createDocumentFragment();
  // Pagefind's excerpt is escaped text with <mark> around the matches; nothing else in it may become markup.
  excerpt.split(/(<mark>.*?<\/mark>)/s).forEach((piece) => {
    const marked = piece.startsWith("<mark>");
    const text = decoded(marked ? piece.slice(6, -7) : piece);
    if (!text) return;
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      fragment.append(mark);
    } else {
      fragment.append(text);
    }
  });
  return fragment;
}

/** Return the list item of one result: the sheet's title as a link, its date, and the excerpt. */
function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  heading.className = "search-result-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
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
  excerpt.dir = "auto";
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
    await module.options({ baseUrl: root.dataset.base, excerptLength: 24 });
    await module.init();
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
      select.append(new Option(value, value, false, value === wanted[select.dataset.filter]));
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
  const about = query ? ` عن «${query}»` : "";
  say(pending.length === 0 ? `لا توجد نتائج${about}.` : `${countText(pending.length)}${about}.`);
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
