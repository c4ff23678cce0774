/* The static map's page wiring: the panel, the hash, Play, the lazy text. The drawing is the
   one drawing script (geo/static/frt-map.js, window.frtDraw) the app's map frame loads too.
   Every status, colour, mark and count comes from window.frtData, computed in Python by
   geo.timeline; this script only picks a year's values, hands them to the drawing and shows
   panels. Lookups by id use Maps: a hash or a chooser value is untrusted text. The panels' text
   (window.frtText: events in full, histories, quotes, notes) is a second file, loaded when a
   panel first opens or the lists below the map come into view (or inlined, in the single-file
   export). Text from data is put into the page with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var D = window.frtData;
  var T = window.frtText || null;
  var shapes = window.frtGeometry || {features: []}, around = window.frtLeaflet;
  var geometry = around.decodeShapes(shapes);  // each state's city polygons come when zoomed in
  geometry.cities = around.cityParts(shapes.frtCities || [], around.loadScript);
  // The places come column by column (geo.site.data._places): place(i) reads one row back.
  var P = D.places, usLevels = new Set(D.usLevels);
  function place(i) {
    var us = usLevels.has(P.level[i]), context = P.context[i] === 1;
    return {id: P.id[i], label: P.label[i], us: us, context: context, mapped: us && !context,
            statewide: P.statewide[i]};
  }
  var byId = new Map();
  P.id.forEach(function (id, i) { byId.set(id, i); });
  var labelOf = new Map();  // the words of every fill and mark, by key
  D.statuses.concat(D.marks).forEach(function (s) { labelOf.set(s.key, s.label); });
  var us = [];
  P.id.forEach(function (id, i) { if (place(i).mapped) { us.push(i); } });

  var state = {year: D.years[D.years.length - 1], place: null, present: false};
  var initial = document.getElementById("frt-year");
  if (initial) { state.year = Number(initial.value); }
  var playing = null;

  function $(id) { return document.getElementById(id); }

  // --- the panels' text, loaded once, the first time it is needed ----------------------------
  var textWanted = false, textFailed = false;
  function needText() {
    // A text file that is missing, empty or cut short: say so where "Loading" stands.
    function failed() {
      var message = "The histories, quotes and sources could not be loaded. Reload the page " +
                    "to try again; the map and its colours still work.";
      textFailed = true;
      notice(message);
      Array.prototype.forEach.call(document.querySelectorAll("#frt-panel .frt-note"),
        function (n) { if (/^Loading the history/.test(n.textContent)) { n.textContent = message; } });
    }
    if (textFailed) { failed(); return; }
    if (T || textWanted || !D.textFile) { return; }
    textWanted = true;
    var script = document.createElement("script");
    script.src = D.textFile;
    script.onload = function () {
      T = window.frtText || null;
      if (T) { showText(); } else { failed(); }
    };
    script.onerror = failed;
    document.body.appendChild(script);
  }

  var dom = window.frtDom, el = dom.el, append = dom.append, clear = dom.clear;
  var sourceNode = dom.sourceNode;

  function yearData() { return D.byYear[String(state.year)]; }
  // A place's fill and marks in the year shown: its code's (geo.drawing.code_settings).
  function drawingOf(i) { return D.codes.codes[yearData().code.charAt(i)]; }
  // The row that set a place's colour this year (an index into T.events), once T is here.
  function causeOf(i) { return T ? T.since[String(state.year)][i] : null; }

  // --- the map ------------------------------------------------------------------------------
  var map = L.map("frt-map", {zoomSnap: 0.25, preferCanvas: false});
  // The name folium gives a map, which tools and tests look for.
  window.map_frt = map;
  map.fitBounds(D.bounds, {animate: false});

  // The US places' constant part, column by column, as the app's frame reads it from its file.
  var columns = {id: [], level: [], lat: [], lon: [], polygon: [], label: []};
  Object.keys(columns).forEach(function (key) {
    columns[key] = us.map(function (i) { return P[key][i]; });
  });

  // The drawing contract for this year, one entry per US place, from the year's codes by the
  // one expansion the app's frame uses too (frtDraw.expand: fill, colour, marks, tooltip).
  function drawn() {
    var code = yearData().code;
    return window.frtDraw.expand(columns, us.map(function (i) { return code.charAt(i); }), D.codes);
  }

  function selectedId() { return state.place === null ? null : P.id[state.place]; }

  var view = window.frtDraw.draw(map, L.featureGroup().addTo(map), geometry, D.settings, drawn(),
                                 selectedId(), function (id) { select(byId.get(id), true); });

  function paint() {
    view.paint(drawn(), selectedId());
    map.getContainer().setAttribute("data-frt-year", String(state.year));
  }

  // --- the text around the map ----------------------------------------------------------------
  function showYear() {
    var Y = yearData();
    $("frt-heading").textContent = D.title + ": " + state.year;
    document.title = D.title + ": " + state.year;
    $("frt-year").value = String(state.year);
    $("frt-year-out").textContent = String(state.year);
    if ($("frt-asof")) { $("frt-asof").textContent = Y.date; }
    // What changed this year (geo.present.year_story), read out by the live region.
    if ($("frt-story") && $("frt-story").textContent !== Y.story) {
      $("frt-story").textContent = Y.story;
    }
    Array.prototype.forEach.call(document.querySelectorAll(".frt-count"), function (n) {
      var mark = n.getAttribute("data-mark");
      var count = mark ? Y.markCounts[mark] : Y.counts[n.getAttribute("data-status")];
      n.textContent = String(count || 0);
    });
    showAbroad();
    showSources();
    showSlide();
  }

  // The slide of the year shown (slides/map-YEAR.png, drawn by geo.site.slides at build time).
  function showSlide() {
    var a = $("frt-slide");
    if (!a) { return; }
    a.setAttribute("href", a.getAttribute("data-prefix") + state.year + a.getAttribute("data-suffix"));
    a.setAttribute("download", "frt-map-" + state.year + ".png");
    $("frt-slide-year").textContent = String(state.year);
  }

  // A place's status this year; since when, what and the source once the text is here.
  function sinceLine(i) {
    var n = causeOf(i);
    var li = el("li");
    append(li, el("strong", P.label[i]), ": ", labelOf.get(drawingOf(i).fill));
    if (n === null) { return li; }
    var e = T.events[n];
    append(li, " since " + e.date + ".", " ", e.summary, " Source: ", sourceNode(e.source));
    return li;
  }

  function showAbroad() {
    var list = $("frt-abroad");
    if (!list) { return; }
    clear(list);
    P.id.forEach(function (id, i) {
      var p = place(i);
      if (!p.us && !p.context) { list.appendChild(sinceLine(i)); }
    });
  }

  function showSources() {
    var list = $("frt-sources");
    if (!list) { return; }
    $("frt-sources-title").textContent = "Sources for " + state.year;
    clear(list);
    // The places with a source this year: before the text is here, those drawn with a fill
    // (geo.timeline: a fill other than no record always has the row that set it).
    var order = P.id.map(function (id, i) { return i; }).filter(function (i) {
      return T ? causeOf(i) !== null : drawingOf(i).fill !== D.noRecord;
    });
    order.sort(function (a, b) {
      var x = P.label[a].toLowerCase(), y = P.label[b].toLowerCase();
      return x < y ? -1 : (x > y ? 1 : 0);
    });
    order.forEach(function (i) { list.appendChild(sinceLine(i)); });
  }

  function showPanel() {
    var panel = $("frt-panel");
    if (!panel) { return; }
    var chooser = $("frt-place");
    if (chooser) { chooser.value = state.place === null ? "" : P.id[state.place]; }
    if (state.place === null) {
      panel.setAttribute("data-frt-panel", "");
      if (panel.classList.contains("frt-overlay")) { panel.hidden = true; return; }
      clear(panel);
      append(panel, el("p", "Click a place on the map, or choose one above, for its " +
                             "history, quotes and sources."));
      return;
    }
    var i = state.place, p = place(i), Y = yearData();
    panel.hidden = false;
    panel.setAttribute("data-frt-panel", T ? p.id : "");
    clear(panel);
    if (panel.classList.contains("frt-overlay")) {
      var close = el("button", "Close", "frt-close");
      close.type = "button";
      close.addEventListener("click", function () { select(null, false); });
      append(panel, close);
    }
    append(panel, el("h2", p.label, "frt-place-name"));
    var drawing = drawingOf(i), status = el("p", "Status on " + Y.date + ": ");
    var marks = drawing.marks.map(function (m) { return " + " + labelOf.get(m); }).join("");
    append(status, el("strong", (p.context ? D.contextLabel : labelOf.get(drawing.fill)) + marks));
    append(panel, status);
    // The place's own page: the link to share, which unfolds into a card (not in the embed,
    // nor in the single-file export, which has no such pages).
    if (D.placePages && !panel.classList.contains("frt-overlay")) {
      var share = el("a", "Link to share " + p.label, "frt-share");
      share.href = "place/" + encodeURIComponent(p.id) + ".html";
      append(panel, append(el("p"), share), window.frtCopy.control(function () {
        return location.href.split("#")[0] + "#" + hashText();  // this view, as shown now
      }, "Link to " + p.label + " in " + state.year));
    }
    if (p.statewide !== null && p.statewide !== i) {
      append(panel, el("p", "Statewide (" + P.label[p.statewide] + "): " +
                             labelOf.get(drawingOf(p.statewide).fill), "frt-note"));
    }
    if (!T) {
      append(panel, el("p", "Loading the history, quotes and sources\u2026", "frt-note"));
      needText();
      return;
    }
    // In force, open proposals and use, in the words the app's panel uses (geo.present).
    T.words.byYear[String(state.year)][i].forEach(function (k) {
      append(panel, el("p", T.words.phrases[k], "frt-state"));
    });
    if (T.notes[i]) { append(panel, el("p", T.notes[i], "frt-note")); }
    append(panel, el("h3", "History"));
    var events = T.history[i];
    if (events.length === 0) { append(panel, el("p", "No events recorded.")); }
    var list = el("ol", null, "frt-history");
    events.forEach(function (n) { list.appendChild(dom.eventItem(T.events[n], D.eventLabels)); });
    if (events.length) { append(panel, list); }
    var quotes = T.quotes.filter(function (q) { return q.place === i; });
    append(panel, el("h3", "Quotes (" + quotes.length + ")"));
    var ql = el("ul", null, "frt-quotes");
    quotes.forEach(function (q) { ql.appendChild(dom.quoteItem(q)); });
    if (quotes.length) { append(panel, ql); }
    append(panel, dom.correctionLine(T.corrections[i], p.label));
  }

  // --- state: the hash (#year=2020&place=ca-oakland), the links, Play --------------------------
  function hashText() {
    var parts = ["year=" + state.year];
    if (state.place !== null) { parts.push("place=" + encodeURIComponent(P.id[state.place])); }
    if (state.present) { parts.push("present=1"); }
    return parts.join("&");
  }

  function writeState() {
    var text = hashText();
    if (location.hash.slice(1) !== text) {
      // Replace, not push: Play would otherwise fill the back button with years. A page
      // written into about:blank (a test harness) may refuse; the view still works.
      try { history.replaceState(null, "", "#" + text); } catch (err) { lastHash = text; }
    }
    lastHash = text;
    var full = $("frt-full");
    if (full) { full.href = "index.html#" + text; }
    var app = $("frt-app");
    if (app && D.appUrl) {
      var query = "?year=" + state.year;
      if (state.place !== null) { query += "&place=" + encodeURIComponent(P.id[state.place]); }
      app.href = D.appUrl + query;
      app.hidden = false;
    }
  }

  function notice(text) {
    var node = $("frt-notice");
    if (!node) { return; }
    node.textContent = text;
    node.hidden = !text;
  }

  var lastHash = null;

  function readState() {
    var raw = location.hash.replace(/^#/, "");
    if (raw === lastHash) { return; }
    lastHash = raw;
    var params = new URLSearchParams(raw);
    var problems = [];
    var year = params.get("year");
    if (year !== null) {
      if (/^[0-9]+$/.test(year) && D.byYear[year]) { state.year = Number(year); }
      else {
        problems.push("The link asks for year " + JSON.stringify(year) + "; years run from " +
                      D.years[0] + " to " + D.years[D.years.length - 1] + ".");
      }
    }
    var place = params.get("place");
    if (place !== null && place !== "") {
      if (byId.has(place)) { state.place = byId.get(place); }
      else { problems.push("The link names a place this map does not know: " +
                           JSON.stringify(place) + "."); }
    } else if (params.has("year")) {
      state.place = null;
    }
    setPresent(params.get("present") === "1");
    notice(problems.join(" "));
  }

  function update() {
    paint();
    showYear();
    showPanel();
    writeState();
  }

  function setYear(year) { state.year = year; update(); }

  function select(i, fromMap) {
    state.place = i;
    update();
    if (fromMap && $("frt-panel") && !$("frt-panel").classList.contains("frt-overlay")) {
      $("frt-panel").scrollIntoView({block: "nearest"});
    }
  }

  // The page's layout changes with presentation view: fit the map again (to the chosen place,
  // when there is one), once the new layout is in.
  function setPresent(on) {
    if (on === state.present) { return; }
    state.present = on;
    document.body.classList.toggle("frt-presenting", on);
    var button = $("frt-present");
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); }
    setTimeout(function () {
      map.invalidateSize();
      if (state.place === null || !view.focus(selectedId())) {
        map.fitBounds(D.bounds, {animate: false});
      }
    }, 0);
  }

  // Printing lays the map out at the paper's width (site.css @media print): fit it again.
  function refit() { map.invalidateSize(); map.fitBounds(D.bounds, {animate: false}); }
  window.addEventListener("beforeprint", refit);
  window.addEventListener("afterprint", refit);

  function stop() {
    if (playing !== null) { clearInterval(playing); playing = null; }
    $("frt-play").textContent = "Play";
  }

  function play() {
    if (playing !== null) { stop(); return; }
    var last = D.years[D.years.length - 1];
    if (state.year >= last) { setYear(D.years[0]); }
    $("frt-play").textContent = "Stop";
    playing = setInterval(function () {
      if (state.year >= last) { stop(); return; }
      setYear(state.year + 1);
      if (state.year >= last) { stop(); }
    }, state.present ? D.playMsPresenting : D.playMs);
  }

  $("frt-year").addEventListener("input", function (event) {
    stop();
    setYear(Number(event.target.value));
  });
  $("frt-play").addEventListener("click", play);
  if ($("frt-present")) {
    $("frt-present").addEventListener("click", function () {
      setPresent(!state.present);
      writeState();
    });
  }
  if ($("frt-place")) {
    $("frt-place").addEventListener("change", function (event) {
      var id = event.target.value;
      select(byId.has(id) ? byId.get(id) : null, false);
    });
  }
  window.addEventListener("hashchange", function () { readState(); update(); });

  // Once the text has arrived: the open panel and the lists in full.
  function showText() {
    showPanel();
    showAbroad();
    showSources();
  }

  // The lists below the map want the text once the reader is there: from the first scroll,
  // key or touch on, as soon as they are in view. Until then they show each place's status
  // (a first visit loads only what the map needs); since when and the source come with it.
  var lists = document.querySelectorAll(".frt-more .frt-list");
  var firstMoves = ["scroll", "wheel", "keydown", "pointerdown", "touchstart"];
  function watchLists() {
    firstMoves.forEach(function (kind) { window.removeEventListener(kind, watchLists, true); });
    if (T || !("IntersectionObserver" in window)) { needText(); return; }
    var watcher = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        watcher.disconnect();
        needText();
      }
    });
    Array.prototype.forEach.call(lists, function (list) { watcher.observe(list); });
  }
  if (lists.length && !T) {
    firstMoves.forEach(function (kind) {
      window.addEventListener(kind, watchLists, {capture: true, passive: true});
    });
  }
  readState();
  update();
})();
