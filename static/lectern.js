// lectern: reader controls, the navigation drawer, the table of contents that follows
// the reader, and search. Every page reads and navigates without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  // The controls work from here on: tests (and a site's own styles) can tell.
  root.setAttribute("data-lectern", "ready");

  function remember(key, value) {
    try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) { /* storage may be off */ }
  }
  function qs(selector, scope) { return (scope || document).querySelector(selector); }
  function qsa(selector, scope) { return Array.prototype.slice.call((scope || document).querySelectorAll(selector)); }

  // Opened from disk (file://), a link to a folder shows the folder, not its page:
  // every link inside the site names its index.html there. Served, URLs stay clean.
  var fromDisk = location.protocol === "file:";
  function pageUrl(href) {
    if (!fromDisk || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) return href;
    return href.replace(/^([^?#]*\/)(?=$|[?#])/, "$1index.html");
  }
  if (fromDisk) {
    qsa("a[href]").forEach(function (a) { a.setAttribute("href", pageUrl(a.getAttribute("href"))); });
  }

  // Reader controls: theme, text size, pinyin. The head script applied the saved
  // choices before the first paint; here the buttons learn and change them.
  var controls = qs(".reader-controls");
  if (controls) {
    var dark = function () {
      var chosen = root.getAttribute("data-theme");
      return chosen ? chosen === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
    };
    var size = function () { return Number(root.getAttribute("data-font-size") || 2); };
    var sync = function () {
      qs("[data-action=theme]", controls).setAttribute("aria-pressed", String(dark()));
      qs("[data-action=pinyin]", controls).setAttribute("aria-pressed", String(root.classList.contains("pinyin-on")));
      qs("[data-action=smaller]", controls).disabled = size() <= 1;
      qs("[data-action=larger]", controls).disabled = size() >= 5;
    };
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var action = button.getAttribute("data-action");
      if (action === "theme") {
        var theme = dark() ? "light" : "dark";
        root.setAttribute("data-theme", theme);
        remember("lectern-theme", theme);
      } else if (action === "pinyin") {
        var on = root.classList.toggle("pinyin-on");
        remember("lectern-pinyin", on ? "on" : null);
      } else {
        var next = Math.min(5, Math.max(1, size() + (action === "larger" ? 1 : -1)));
        root.setAttribute("data-font-size", String(next));
        remember("lectern-font-size", String(next));
      }
      sync();
    });
    sync();
  }

  // Two panels open from the header on narrow screens: the navigation drawer, and the
  // panel with the editions, the reader controls and search. A button opens each; Escape,
  // the button or a click outside closes it; focus goes in and comes back.
  function panel(toggle, box, focusIn) {
    if (!toggle || !box) return function () {};
    var setOpen = function (open, returnFocus) {
      box.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", String(open));
      if (open) {
        var first = focusIn();
        if (first) first.focus();
      } else if (returnFocus) {
        toggle.focus();
      }
    };
    toggle.addEventListener("click", function () { setOpen(!box.classList.contains("open"), false); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && box.classList.contains("open")) setOpen(false, true);
    });
    document.addEventListener("click", function (event) {
      if (box.classList.contains("open") && !box.contains(event.target) && !toggle.contains(event.target)) setOpen(false, false);
    });
    return setOpen;
  }
  var nav = qs("#site-nav");
  panel(qs(".nav-toggle"), nav, function () { return qs("[aria-current=page]", nav) || qs("a", nav); });
  var openTools = panel(qs(".tools-toggle"), qs("#site-tools"), function () { return qs("#search-input"); });

  // The table of contents marks the heading being read.
  var toc = qs(".page-toc");
  if (toc && "IntersectionObserver" in window) {
    var links = {};
    qsa("a[href^='#']", toc).forEach(function (a) { links[decodeURIComponent(a.getAttribute("href").slice(1))] = a; });
    var headings = qsa(".content h2[id], .content h3[id], .content h4[id], .single-page-document[id]").filter(function (h) { return links[h.id]; });
    var mark = function () {
      var line = window.innerHeight * 0.3;
      var reading = null;
      headings.forEach(function (h) { if (h.getBoundingClientRect().top <= line) reading = h; });
      Object.keys(links).forEach(function (id) {
        if (reading && id === reading.id) links[id].setAttribute("aria-current", "true");
        else links[id].removeAttribute("aria-current");
      });
    };
    var observer = new IntersectionObserver(mark, { rootMargin: "0px 0px -70% 0px" });
    headings.forEach(function (h) { observer.observe(h); });
    window.addEventListener("scroll", mark, { passive: true });
    mark();
  }

  // Reading progress, where the browser has no scroll-driven animations.
  var progress = qs(".reading-progress");
  if (progress && !(window.CSS && CSS.supports("animation-timeline: scroll()"))) {
    var update = function () {
      var max = root.scrollHeight - window.innerHeight;
      progress.style.transform = "scaleX(" + (max > 0 ? Math.min(1, window.scrollY / max) : 0) + ")";
    };
    window.addEventListener("scroll", update, { passive: true });
    update();
  }

  // Search: the index (Han bigrams and Latin words) loads on first use, as a script so
  // that it works from file:// too.
  var form = qs(".site-search");
  if (!form) return;
  var input = qs("input", form);
  var list = qs("#search-results");
  var status = qs("#search-status");
  var loading = {};
  function loadScript(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading[src];
  }
  var indexUrl = form.getAttribute("data-index");
  function load() {
    if (window.lecternSearch) return Promise.resolve(window.lecternSearch);
    return loadScript(indexUrl).then(function () { return window.lecternSearch; });
  }
  // Document lists are base-36 gaps between ascending ids: "0,5,a" is 0, 5, 15.
  function ids(gaps) {
    var out = [], last = 0;
    (gaps ? gaps.split(",") : []).forEach(function (gap) { last += parseInt(gap, 36); out.push(last); });
    return out;
  }
  // The same hash as bigram_hash in lectern's src/output/search.rs: a large site's
  // bigrams are in the shard named by its top bits.
  function bigramHash(a, b) {
    return Math.imul(Math.imul(a, 0x9E3779B1 | 0) ^ b, 0x85EBCA6B | 0) >>> 0;
  }
  function bigramLists(index, pairs) {
    if (!index.shards) return Promise.resolve(pairs.map(function (p) { return ids(index.bigrams[p]); }));
    var bits = Math.round(Math.log2(index.shards));
    var shardOf = pairs.map(function (p) {
      var c = Array.from(p);
      return bigramHash(c[0].codePointAt(0), c[1].codePointAt(0)) >>> (32 - bits);
    });
    var needed = shardOf.filter(function (k, i) { return shardOf.indexOf(k) === i; });
    return Promise.all(needed.map(function (k) {
      return loadScript(indexUrl.replace(/\.js$/, "-" + k + ".js"));
    })).then(function () {
      return pairs.map(function (p, i) { return ids(window.lecternSearchShards[shardOf[i]][p]); });
    });
  }
  // Han ideographs as the index counts them: their ranges come with the index.
  function isHan(index, ch) {
    var c = ch.codePointAt(0);
    return index.han.some(function (r) { return c >= r[0] && c <= r[1]; });
  }
  // Readers type in the script of their keyboard, not of the edition: a site in both
  // scripts gives each edition's index a map from the other script's characters to
  // its own (only those its text has; a site in one script has none). The build
  // converted phrase by phrase; for finding words, character by character is enough,
  // as the map holds what each character became most often in this site's text.
  function inEditionScript(index, query) {
    if (!index.script) return query;
    return Array.from(query).map(function (c) { return index.script[c] || c; }).join("");
  }
  // The query as typed and, if the map changes it, as the edition writes it. Both are
  // looked for: a character that is in both scripts (后 in 皇后, 之后) may be meant as
  // typed.
  function forms(index, query) {
    var converted = inEditionScript(index, query);
    return converted === query ? [query] : [query, converted];
  }
  // The documents holding every bigram and word of the query, or null when the query
  // has neither (then every document is checked against its text).
  function candidates(index, query) {
    var pairs = [];
    var chars = Array.from(query);
    for (var i = 0; i + 1 < chars.length; i++) {
      if (isHan(index, chars[i]) && isHan(index, chars[i + 1])) pairs.push(chars[i] + chars[i + 1]);
    }
    return bigramLists(index, pairs).then(function (sets) {
      (query.match(/[a-z0-9]+/g) || []).forEach(function (word) {
        var docs = [];
        Object.keys(index.words).forEach(function (w) { if (w.indexOf(word) === 0) docs = docs.concat(ids(index.words[w])); });
        sets.push(docs);
      });
      if (!sets.length) return null;
      return sets.reduce(function (a, b) { return a.filter(function (x) { return b.indexOf(x) >= 0; }); });
    });
  }
  // The documents that may hold any of the query's forms, in reading order; null when
  // one form has neither bigram nor word (every document is then checked).
  function anyCandidates(index, queries) {
    return Promise.all(queries.map(function (q) { return candidates(index, q); })).then(function (lists) {
      if (lists.some(function (list) { return list === null; })) return null;
      var seen = {};
      return [].concat.apply([], lists)
        .filter(function (id) { return !seen[id] && (seen[id] = true); })
        .sort(function (a, b) { return a - b; });
    });
  }
  function snippet(text, at, length) {
    var start = Math.max(0, at - 24);
    var fragment = document.createDocumentFragment();
    fragment.appendChild(document.createTextNode((start > 0 ? "…" : "") + text.slice(start, at)));
    var hit = document.createElement("mark");
    hit.textContent = text.slice(at, at + length);
    fragment.appendChild(hit);
    fragment.appendChild(document.createTextNode(text.slice(at + length, at + length + 40) + "…"));
    return fragment;
  }
  var asked = 0;
  function search() {
    var query = input.value.trim().toLowerCase();
    var mine = ++asked;
    list.textContent = "";
    if (Array.from(query).length < 2 && !/[a-z0-9]/.test(query)) {
      list.hidden = query.length === 0;
      if (query) { var hint = document.createElement("li"); hint.textContent = list.getAttribute("data-hint"); list.appendChild(hint); }
      status.textContent = "";
      return;
    }
    load().then(function (index) {
      var queries = forms(index, query);
      return anyCandidates(index, queries).then(function (found) { show(index, queries, found, mine); });
    });
  }
  // Lists the documents that hold a form of the query (as typed, or in the edition's
  // script); a large site's index has only the start of each text, so there a document
  // that holds every token is listed without a snippet.
  function show(index, queries, candidates, mine) {
    if (mine !== asked) return; // a later search has started
    list.textContent = "";
    var found = 0;
    (candidates || index.docs.map(function (_, i) { return i; })).forEach(function (i) {
      var doc = index.docs[i];
      var text = doc.x.replace(/\s+/g, " ");
      // The first form the document holds, and where in its text.
      var query = queries[0], at = -1, inTitle = false;
      queries.some(function (q) {
        query = q;
        at = text.toLowerCase().indexOf(q);
        inTitle = doc.t.toLowerCase().indexOf(q) >= 0;
        return at >= 0 || inTitle;
      });
      if (at < 0 && !inTitle && !(index.excerpts && candidates)) return;
      found += 1;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = pageUrl(form.getAttribute("data-root") + doc.u) + (at >= 0 ? "#:~:text=" + encodeURIComponent(text.substr(at, query.length)) : "");
      link.textContent = doc.t;
      item.appendChild(link);
      if (at >= 0) { var p = document.createElement("p"); p.appendChild(snippet(text, at, query.length)); item.appendChild(p); }
      list.appendChild(item);
    });
    if (!found) { var none = document.createElement("li"); none.textContent = list.getAttribute("data-no-results"); list.appendChild(none); }
    list.hidden = false;
    status.textContent = found + " " + list.getAttribute("data-count");
  }
  input.addEventListener("focus", function () { load().catch(function () {}); });
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { var first = qs("a", list); if (first) first.click(); }
    if (event.key === "Escape") { input.value = ""; search(); }
    if (event.key === "ArrowDown") { var a = qs("a", list); if (a) { event.preventDefault(); a.focus(); } }
  });
  list.addEventListener("keydown", function (event) {
    var items = qsa("a", list);
    var i = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && i < items.length - 1) { event.preventDefault(); items[i + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (i > 0 ? items[i - 1] : input).focus(); }
    if (event.key === "Escape") { input.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement === document.body) {
      event.preventDefault();
      if (!input.offsetParent) openTools(true, false); // on a phone the field is in the closed panel
      input.focus();
    }
  });
})();
