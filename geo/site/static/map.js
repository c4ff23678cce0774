/* The static map: draws the boundaries once, then shows a year's precomputed colours.
   Every status, colour and count comes from window.frtData, computed in Python by
   geo.timeline; this script only picks a year's values and shows panels. The panels' text
   (window.frtText: events in full, histories, quotes, notes) is a second file, loaded when a
   panel first opens or the lists below the map come into view (or inlined, in the single-file
   export). Text from data is put into the page with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var D = window.frtData;
  var T = window.frtText || null;
  var geometry = decodeShapes(window.frtGeometry || {features: []});
  var byId = {};
  D.places.forEach(function (p, i) { byId[p.id] = i; });
  var labelOf = {};
  D.statuses.forEach(function (s) { labelOf[s.key] = s.label; });

  var state = {year: D.years[D.years.length - 1], place: null, present: false};
  var initial = document.getElementById("frt-year");
  if (initial) { state.year = Number(initial.value); }
  var playing = null;

  function $(id) { return document.getElementById(id); }

  // The boundaries arrive as integer steps on each shape's decimal grid (geo.site.shapes):
  // add them up and divide by the grid for GeoJSON MultiPolygons.
  function decodeShapes(compact) {
    return {type: "FeatureCollection", features: compact.features.map(function (f) {
      var scale = Math.pow(10, f.decimals);
      return {type: "Feature", properties: {id: f.id, level: f.level}, geometry: {
        type: "MultiPolygon",
        coordinates: f.polygons.map(function (polygon) {
          return polygon.map(function (steps) {
            var points = [], x = 0, y = 0;
            for (var n = 0; n < steps.length; n += 2) {
              x += steps[n];
              y += steps[n + 1];
              points.push([x / scale, y / scale]);
            }
            return points;
          });
        })
      }};
    })};
  }

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

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function append(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === "") { continue; }
      parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return parent;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  // Links only to http(s) addresses (Python already dropped any other; this is a second lock).
  function link(text, url) {
    if (!url || !/^https?:\/\//i.test(url)) { return el("span", text); }
    var a = el("a", text);
    a.href = url;
    a.rel = "noopener noreferrer";
    return a;
  }

  function sourceNode(src) {
    var span = el("span", null, "frt-source");
    append(span, link(src.name, src.url));
    if (src.readUrl) { append(span, " (read via ", link(src.readHost, src.readUrl), ")"); }
    return span;
  }

  function yearData() { return D.byYear[String(state.year)]; }

  // --- the map ------------------------------------------------------------------------------
  var map = L.map("frt-map", {zoomSnap: 0.25, preferCanvas: false});
  // The name folium gives a map, which tools and tests look for.
  window.map_frt = map;
  map.fitBounds(D.bounds, {animate: false});
  var layers = D.places.map(function () { return []; });
  var markers = [];

  function tipText(i) {
    var p = D.places[i];
    return p.label + ": " + labelOf[yearData().status[i]];
  }

  function outline(i, layer) {
    var selected = state.place === i;
    if (selected) { return {color: "#000000", weight: 4}; }
    if (layer.frtLevel === "state") { return {color: "#FFFFFF", weight: 1}; }
    return {color: "#333333", weight: layer.frtMarker ? 1.5 : 1};
  }

  function addShape(i, layer, level, isMarker) {
    layer.frtLevel = level;
    layer.frtMarker = isMarker;
    var tip = el("span", tipText(i));
    layer.bindTooltip(tip, {sticky: !isMarker});
    layer.frtTip = tip;
    layer.on("click", function () { select(i, true); });
    layers[i].push(layer);
  }

  ["outline", "state", "county", "city"].forEach(function (level) {
    var features = geometry.features.filter(function (f) {
      return f.properties.level === level;
    });
    L.geoJSON({type: "FeatureCollection", features: features}, {
      interactive: level !== "outline",
      style: function (f) {
        var i = byId[f.properties.id];
        if (i === undefined || !D.places[i].mapped) {
          return {color: "#FFFFFF", weight: 1, fillColor: D.noRecord,
                  fillOpacity: D.opacity.outline};
        }
        return {className: "frt-shape frt-" + f.properties.id, fillColor: yearData().colour[i],
                fillOpacity: level === "state" ? D.opacity.state : D.opacity.area,
                color: "#333333", weight: 1};
      },
      onEachFeature: function (f, layer) {
        var i = byId[f.properties.id];
        if (i !== undefined && D.places[i].mapped) { addShape(i, layer, level, false); }
      }
    }).addTo(map);
  });

  // A marker for every US place that is not a state, and for a state with no polygon
  // (no boundaries could be built): every place stays visible and clickable.
  D.places.forEach(function (p, i) {
    if (!p.mapped || p.lat === null || p.lon === null) { return; }
    if (p.level === "state" && p.polygon) { return; }
    var marker = L.circleMarker([p.lat, p.lon], {
      className: "frt-marker frt-" + p.id, radius: 7, color: "#333333", weight: 1.5,
      fillColor: yearData().colour[i], fillOpacity: D.opacity.marker
    });
    marker.frtHasPolygon = p.polygon;
    addShape(i, marker, p.level, true);
    marker.addTo(map);
    markers.push(marker);
  });

  function showMarkers() {
    var zoomedIn = map.getZoom() >= D.polygonZoom;
    markers.forEach(function (m) {
      var visible = !(zoomedIn && m.frtHasPolygon);
      if (m._path) { m._path.style.display = visible ? "" : "none"; }
    });
  }
  map.on("zoomend", showMarkers);
  showMarkers();

  function paint() {
    var Y = yearData();
    layers.forEach(function (list, i) {
      list.forEach(function (layer) {
        var style = outline(i, layer);
        style.fillColor = Y.colour[i];
        if (layer.frtMarker) { layer.setRadius(state.place === i ? 9 : 7); }
        layer.setStyle(style);
        layer.frtTip.textContent = tipText(i);
        // A chosen city or marker comes to the top; a state or county stays below, so the
        // places inside it can still be clicked.
        var onTop = layer.frtMarker || layer.frtLevel === "city";
        if (state.place === i && onTop) { layer.bringToFront(); }
      });
    });
    var root = map.getContainer();
    root.setAttribute("data-frt-year", String(state.year));
    root.setAttribute("data-frt-places", String(D.places.filter(function (p) {
      return p.mapped;
    }).length));
    window.frtRendered = (window.frtRendered || 0) + 1;
    root.setAttribute("data-frt-rendered", String(window.frtRendered));
  }

  // --- the text around the map ----------------------------------------------------------------
  function showYear() {
    var Y = yearData();
    var heading = $("frt-heading");
    heading.textContent = D.title + ": " + state.year;
    document.title = D.title + ": " + state.year;
    var slider = $("frt-year");
    slider.value = String(state.year);
    $("frt-year-out").textContent = String(state.year);
    if ($("frt-asof")) { $("frt-asof").textContent = Y.date; }
    Array.prototype.forEach.call(document.querySelectorAll(".frt-count"), function (n) {
      n.textContent = String(Y.counts[n.getAttribute("data-status")]);
    });
    showAbroad();
    showSources();
  }

  function sinceLine(i) {
    var n = yearData().event[i];
    var li = el("li");
    append(li, el("strong", D.places[i].label), ": ", labelOf[yearData().status[i]]);
    if (n === null) { return li; }
    append(li, " since " + D.eventDates[n] + ".");
    if (!T) { return li; }
    var e = T.events[n];
    append(li, " ", e.summary, " Source: ", sourceNode(e.source));
    return li;
  }

  function showAbroad() {
    var list = $("frt-abroad");
    if (!list) { return; }
    clear(list);
    D.places.forEach(function (p, i) {
      if (!p.us && !p.context) { list.appendChild(sinceLine(i)); }
    });
  }

  function showSources() {
    var list = $("frt-sources");
    if (!list) { return; }
    $("frt-sources-title").textContent = "Sources for " + state.year;
    clear(list);
    var order = D.places.map(function (p, i) { return i; }).filter(function (i) {
      return yearData().event[i] !== null;
    });
    order.sort(function (a, b) {
      var x = D.places[a].label.toLowerCase(), y = D.places[b].label.toLowerCase();
      return x < y ? -1 : (x > y ? 1 : 0);
    });
    order.forEach(function (i) { list.appendChild(sinceLine(i)); });
  }

  function eventItem(e) {
    var li = el("li", null, "frt-event");
    append(li, el("strong", e.date + ": " + D.eventLabels[e.status]));
    var detail = [e.measure, e.vote ? "Vote: " + e.vote : ""].filter(Boolean).join(" · ");
    if (detail) { append(li, el("div", detail, "frt-detail")); }
    append(li, el("div", e.summary));
    var src = el("div", "Source: ");
    append(src, sourceNode(e.source), " · Confidence: " + e.confidence);
    append(li, src);
    if (e.note) { append(li, el("div", e.note, "frt-note")); }
    return li;
  }

  function quoteItem(q) {
    var li = el("li", null, "frt-quote-item");
    append(li, el("blockquote", q.text, "frt-quote"));
    var who = el("p");
    append(who, el("strong", q.speaker), q.role ? ", " + q.role : "", " · " + q.date + " · ",
           el("em", q.stance), " · Source: ", sourceNode(q.source));
    append(li, who);
    if (q.note) { append(li, el("p", q.note, "frt-note")); }
    return li;
  }

  function showPanel() {
    var panel = $("frt-panel");
    if (!panel) { return; }
    var chooser = $("frt-place");
    if (chooser) { chooser.value = state.place === null ? "" : D.places[state.place].id; }
    if (state.place === null) {
      panel.setAttribute("data-frt-panel", "");
      if (panel.classList.contains("frt-overlay")) { panel.hidden = true; return; }
      clear(panel);
      append(panel, el("p", "Click a place on the map, or choose one above, for its " +
                             "history, quotes and sources."));
      return;
    }
    var i = state.place, p = D.places[i], Y = yearData();
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
    var status = el("p", "Status on " + Y.date + ": ");
    var marks = Y.marks[i].map(function (m) { return " + " + D.markLabels[m]; }).join("");
    append(status, el("strong", (p.context ? D.contextLabel : labelOf[Y.status[i]]) + marks));
    append(panel, status);
    if (p.statewide !== null && p.statewide !== i) {
      append(panel, el("p", "Statewide (" + D.places[p.statewide].name + "): " +
                             labelOf[Y.status[p.statewide]], "frt-note"));
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
    events.forEach(function (n) { list.appendChild(eventItem(T.events[n])); });
    if (events.length) { append(panel, list); }
    var quotes = T.quotes.filter(function (q) { return q.place === i; });
    append(panel, el("h3", "Quotes (" + quotes.length + ")"));
    var ql = el("ul", null, "frt-quotes");
    quotes.forEach(function (q) { ql.appendChild(quoteItem(q)); });
    if (quotes.length) { append(panel, ql); }
  }

  // --- state: the hash (#year=2020&place=ca-oakland), the links, Play --------------------------
  function hashText() {
    var parts = ["year=" + state.year];
    if (state.place !== null) { parts.push("place=" + encodeURIComponent(D.places[state.place].id)); }
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
      if (state.place !== null) { query += "&place=" + encodeURIComponent(D.places[state.place].id); }
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
      if (byId[place] !== undefined) { state.place = byId[place]; }
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

  function setPresent(on) {
    state.present = on;
    document.body.classList.toggle("frt-presenting", on);
    var button = $("frt-present");
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); }
    setTimeout(function () { map.invalidateSize(); map.fitBounds(D.bounds, {animate: false}); }, 0);
  }

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
      select(id === "" ? null : byId[id], false);
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
  // and since when (a first visit loads only what the map needs).
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
