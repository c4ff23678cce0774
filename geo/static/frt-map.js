/* The one map drawing script. The app's map frame (geo.mapview, through frt-frame.js), the
   static edition (geo/site/static/map.js) and the single-file export (inlined) all draw with it:
   layer order, styles, markers, tooltips, focus, marker show/hide by zoom, and the marks.

   Python passes settings (geo.drawing.draw_settings) and, per place and year, the drawing
   contract: {id, level, lat, lon, polygon, fill, colour, label, marks}, which both editions
   make with `expand` from the places' constant part and one code per place. `fill` is a status key,
   `label` the tooltip's words, `marks` a list from geo.vocabulary.MARKS:
   - ban_proposal: diagonal dark stripes (an SVG <pattern>) over the fill, which still shows;
   - use_despite: a triangle in the `using` colour with a dark outline, above the place's
     point, at every zoom.
   Markers are ranked by fill (settings.ranks; "no record" lowest and smaller); the chosen
   place draws on top with a ring and is brought into view each time it is chosen.
   Text from data goes into the page with textContent only; lookups by id use a Map. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var LEVELS = ["outline", "state", "county", "city"];
  var HATCH_ID = "frt-hatch";

  function svg(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, String(attributes[name]));
    });
    return node;
  }

  function reducedMotion() {
    return Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  // The stripes of `ban_proposal`, defined once per document (geo.drawing.hatch_pattern draws
  // the same for the legends). Not display:none, which would switch the pattern off.
  function hatchPattern(hatch) {
    if (document.getElementById(HATCH_ID)) { return; }
    var holder = svg("svg", {width: 0, height: 0, "aria-hidden": "true", focusable: "false"});
    holder.style.position = "absolute";
    var pattern = svg("pattern", {id: HATCH_ID, patternUnits: "userSpaceOnUse", width: hatch.size,
                                  height: hatch.size, patternTransform: "rotate(45)"});
    pattern.appendChild(svg("rect", {width: hatch.stripe, height: hatch.size, fill: hatch.colour,
                                     "fill-opacity": hatch.opacity}));
    var defs = svg("defs", {});
    defs.appendChild(pattern);
    holder.appendChild(defs);
    document.body.appendChild(holder);
  }

  // The `use_despite` triangle (geo.drawing.triangle_points draws the same for the legends).
  function useIcon(id, settings) {
    var size = settings.useSize;
    var image = svg("svg", {width: size, height: size, viewBox: "0 0 16 16", "aria-hidden": "true",
                            focusable: "false"});
    image.appendChild(svg("polygon", {points: "8,1.5 14.5,14 1.5,14", fill: settings.useColour,
                                      stroke: settings.markOutline, "stroke-width": 1.5,
                                      "stroke-linejoin": "round"}));
    return L.divIcon({
      html: image, iconSize: [size, size], iconAnchor: [size / 2, size + 5],
      className: "frt-mark frt-mark-use_despite frt-mark-use_despite-" + id
    });
  }

  /* The drawing contract of one year, for both editions: `places` is the places' constant part
     column by column (geo.mapview.place_columns), `codes` one code per place in that order
     (geo.drawing.place_code), `table` the codes and words (geo.drawing.code_settings). The
     tooltip says "Name: Status; Mark words", geo.drawing.tooltip_label's rule. */
  function expand(places, codes, table) {
    return places.id.map(function (id, n) {
      var c = table.codes[codes[n]];
      var words = [places.label[n] + ": " + table.words[c.fill]];
      c.marks.forEach(function (m) { words.push(table.words[m]); });
      return {id: id, level: places.level[n], lat: places.lat[n], lon: places.lon[n],
              polygon: Boolean(places.polygon[n]), fill: c.fill, colour: c.colour,
              marks: c.marks, label: words.join("; ")};
    });
  }

  function hasMark(place, mark) {
    return Array.isArray(place.marks) && place.marks.indexOf(mark) !== -1;
  }

  /* Draw `places` into `target` (a layer group on `map`) over `geometry` (GeoJSON; its
     `cities`, when set, frtLeaflet.cityParts: city polygons per state, added once in view), and
     return {paint(places, selected), focus(id)} to restyle them for another year or selection,
     or to bring a place into view. `onSelect(id)`, when given, is called on a click on a place. */
  function draw(map, target, geometry, settings, places, selected, onSelect) {
    window.frtLeaflet.keyboard(map);
    window.frtLeaflet.picking(map);
    hatchPattern(settings.hatch);
    var entries = new Map();
    places.forEach(function (p) { entries.set(p.id, {place: p, layers: []}); });
    var markers = [], hatchMarkers = [], rings = [];
    // The marks: stripes over polygons sit below the markers; stripes over markers and the
    // use triangles sit on top of everything. The chosen place's ring is above them all.
    var areaMarks = L.layerGroup(), pointMarks = L.layerGroup(), ringMarks = L.layerGroup();

    function add(layer, id, level, isMarker) {
      var entry = entries.get(id);
      layer.frtLevel = level;
      layer.frtMarker = isMarker;
      var tip = document.createElement("span");
      tip.textContent = entry.place.label;
      layer.bindTooltip(tip, {sticky: !isMarker});
      layer.frtTip = tip;
      if (onSelect) { layer.on("click", function () { onSelect(id); }); }
      entry.layers.push(layer);
    }

    // Shapes level by level; city parts that come later land above these, and each paint
    // brings the marks, markers and ring back on top.
    function addShapes(features) {
      LEVELS.forEach(function (level) {
        var layer = L.geoJSON(null, {
          interactive: level !== "outline",
          style: function (f) {
            var known = entries.has(f.properties.id);
            return {className: known ? "frt-shape frt-" + f.properties.id : "frt-outline",
                    color: "#FFFFFF", weight: 1, fillColor: settings.noRecord,
                    fillOpacity: settings.opacity};
          },
          onEachFeature: function (f, shape) {
            if (level !== "outline" && entries.has(f.properties.id)) {
              add(shape, f.properties.id, level, false);
              entries.get(f.properties.id).shaped = true;
            }
          }
        });
        // The features may be shared by every drawing (the app's years): read, never change.
        features.forEach(function (f) { if (f.properties.level === level) { layer.addData(f); } });
        layer.addTo(target);
      });
    }
    var cities = geometry.cities || null, added = new Set();
    addShapes(geometry.features);
    (cities ? cities.loaded() : []).forEach(function (part) {
      added.add(part.key);
      addShapes(part.features);
    });

    areaMarks.addTo(target);

    // A marker for every place that is not a state, and for a state with no polygon (no
    // boundaries could be built): every place stays visible and clickable.
    places.forEach(function (p) {
      if (p.lat === null || p.lon === null || p.lat === undefined || p.lon === undefined) {
        return;
      }
      if (p.level === "state" && p.polygon) { return; }
      var marker = L.circleMarker([p.lat, p.lon], {
        className: "frt-marker frt-" + p.id, radius: settings.radius, color: "#333333",
        weight: 1.5, fillColor: p.colour, fillOpacity: settings.opacity
      });
      // What a click hands the app (streamlit-folium's last_active_drawing).
      marker.feature = {type: "Feature", properties: {id: p.id},
                        geometry: {type: "Point", coordinates: [p.lon, p.lat]}};
      marker.frtHasPolygon = Boolean(entries.get(p.id).shaped);
      marker.frtIndex = markers.length;
      marker.frtId = p.id;
      add(marker, p.id, p.level, true);
      marker.addTo(target);
      markers.push(marker);
    });
    pointMarks.addTo(target);
    ringMarks.addTo(target);

    // Zoomed in, a place's polygon is big enough to click: its marker steps aside (and its
    // ring goes from the marker to the polygon).
    function showMarkers() {
      var zoomedIn = map.getZoom() >= settings.polygonZoom;
      markers.concat(hatchMarkers, rings).forEach(function (m) {
        var visible = m.frtZoomedOnly ? zoomedIn : !(zoomedIn && m.frtHasPolygon);
        if (m._path) { m._path.style.display = visible ? "" : "none"; }
      });
    }
    // The city parts that meet `bounds`, added to this drawing (once each); the promise says
    // whether any was added. A marker whose polygon came steps aside when zoomed in.
    function load(bounds) {
      var pending = cities ? cities.want(bounds) : [];
      return Promise.all(pending).then(function (parts) {
        var fresh = parts.filter(function (part) { return !added.has(part.key); });
        if (!fresh.length || !map.hasLayer(target)) { return false; }
        fresh.forEach(function (part) { added.add(part.key); addShapes(part.features); });
        markers.forEach(function (m) { m.frtHasPolygon = Boolean(entries.get(m.frtId).shaped); });
        paint(shown.places, shown.selected);
        return true;
      });
    }
    function loadInView() {
      if (map.getZoom() >= settings.cityZoom) { load(map.getBounds()); }
    }
    function onMove() {
      if (!map.hasLayer(target)) { map.off("moveend", onMove); return; }
      showMarkers();
      loadInView();
    }
    map.on("moveend", onMove);

    // The best marker under a point of the map (`hit`, the path clicked, wins ties): the
    // highest rank there, then the centre nearest the pointer (unrounded: a pixel apart).
    function pick(point, hit) {
      if (!map.hasLayer(target)) { return null; }
      var at = map.containerPointToLayerPoint(point), origin = map.getPixelOrigin();
      var best = null, bestDistance = 0;
      markers.forEach(function (m) {
        if (!m._path || m._path.style.display === "none") { return; }
        var distance = at.distanceTo(map.project(m.getLatLng()).subtract(origin));
        if (distance > m.getRadius() + m.options.weight / 2 + 0.5) { return; }
        if (!best || m.frtRank > best.frtRank || (m.frtRank === best.frtRank &&
            (distance < bestDistance || (distance === bestDistance && m._path === hit)))) {
          best = m; bestDistance = distance;
        }
      });
      return best;
    }
    map.frtPick = pick;

    function outline(layer, id, selectedId) {
      if (id === selectedId) { return {color: "#000000", weight: layer.frtMarker ? 3 : 4}; }
      if (layer.frtLevel === "state" && !layer.frtMarker) { return {color: "#FFFFFF", weight: 1}; }
      return {color: "#333333", weight: layer.frtMarker ? 1.5 : 1};
    }

    function hatchOver(layer, id) {
      var style = {className: "frt-mark frt-mark-ban_proposal frt-mark-ban_proposal-" + id,
                   interactive: false, stroke: false, fillColor: "url(#" + HATCH_ID + ")",
                   fillOpacity: 1};
      if (!layer.frtMarker) {
        return L.geoJSON(layer.feature, {interactive: false, style: function () { return style; }});
      }
      var overlay = L.circleMarker(layer.getLatLng(), style);
      overlay.setRadius(layer.getRadius());
      overlay.frtHasPolygon = layer.frtHasPolygon;
      layer.frtHatch = overlay;
      hatchMarkers.push(overlay);
      return overlay;
    }

    function drawMarks() {
      areaMarks.clearLayers();
      pointMarks.clearLayers();
      hatchMarkers = [];
      entries.forEach(function (entry, id) {
        var p = entry.place;
        entry.layers.forEach(function (layer) { layer.frtHatch = null; });
        if (hasMark(p, "ban_proposal")) {
          entry.layers.forEach(function (layer) {
            (layer.frtMarker ? pointMarks : areaMarks).addLayer(hatchOver(layer, id));
          });
        }
        if (hasMark(p, "use_despite") && typeof p.lat === "number" && typeof p.lon === "number") {
          pointMarks.addLayer(L.marker([p.lat, p.lon], {icon: useIcon(id, settings), interactive: false,
                                                   keyboard: false}));
        }
      });
    }

    // The chosen place's ring, a white halo under a black line (a shape of its own, not a
    // colour alone): around its marker, and around its polygon once that is big enough to
    // click (a state's polygon, with no marker, always).
    function drawRing(entry, id) {
      ringMarks.clearLayers();
      rings = [];
      if (!entry) { return; }
      var hasMarker = entry.layers.some(function (layer) { return layer.frtMarker; });
      [["#FFFFFF", 7, "halo"], ["#000000", 3, "line"]].forEach(function (pen) {
        var style = {className: "frt-ring frt-ring-" + pen[2] + " frt-ring-" + id, fill: false,
                     interactive: false, color: pen[0], weight: pen[1], opacity: 1};
        entry.layers.forEach(function (layer) {
          var parts = layer.frtMarker ? [L.circleMarker(layer.getLatLng(), style)]
            : L.geoJSON(layer.feature, {style: function () { return style; }}).getLayers();
          parts.forEach(function (part) {
            if (layer.frtMarker) { part.setRadius(layer.getRadius() + 5); }
            part.frtHasPolygon = layer.frtHasPolygon;
            part.frtZoomedOnly = !layer.frtMarker && hasMarker;
            ringMarks.addLayer(part);
            rings.push(part);
          });
        });
      });
    }

    // Bring a place into view: fit its polygon, or centre its point at a city's zoom; no
    // animation for a reader who prefers reduced motion. False when it has nothing to show.
    function focus(id) {
      var entry = entries.get(id);
      if (!entry || !entry.layers.length) { return false; }
      if (entry.place.polygon && !entry.shaped && cities) {  // its city part first, then fit
        var at = entry.layers[0].getLatLng();
        load(L.latLngBounds(at, at)).then(function () {
          if (map.frtFocused === id && map.hasLayer(target)) { move(id, entries.get(id)); }
        });
        return true;
      }
      return move(id, entry);
    }

    function move(id, entry) {
      var shapes = entry.layers.filter(function (layer) { return !layer.frtMarker; });
      var animate = !reducedMotion();
      var root = map.getContainer();
      var token = (map.frtFocusToken || 0) + 1;
      map.frtFocusToken = token;
      root.removeAttribute("data-frt-focused");
      map.once("moveend", function () {
        if (map.frtFocusToken === token) { root.setAttribute("data-frt-focused", id); }
      });
      if (shapes.length) {
        var bounds = L.latLngBounds([]);
        shapes.forEach(function (layer) { bounds.extend(layer.getBounds()); });
        var fit = {maxZoom: settings.focusMaxZoom, padding: [24, 24]};
        if (animate) { map.flyToBounds(bounds, L.extend({duration: 1}, fit)); }
        else { map.fitBounds(bounds, L.extend({animate: false}, fit)); }
      } else {
        var point = entry.layers[0].getLatLng();
        var zoom = Math.max(map.getZoom(), settings.pointZoom);
        if (animate) { map.flyTo(point, zoom, {duration: 1}); }
        else { map.setView(point, zoom, {animate: false}); }
      }
      return true;
    }

    var shown = {places: places, selected: selected};
    function paint(next, selectedId) {
      shown = {places: next, selected: selectedId};
      next.forEach(function (p) {
        var entry = entries.get(p.id);
        if (!entry) { return; }
        entry.place = p;
        var chosen = p.id === selectedId;
        entry.layers.forEach(function (layer) {
          var style = outline(layer, p.id, selectedId);
          style.fillColor = p.colour;
          style.fillOpacity = settings.opacity;
          if (layer.frtMarker) {
            layer.frtRank = (settings.ranks[p.fill] || 0) + (chosen ? 10 : 0);
            layer.setRadius(chosen ? settings.chosenRadius
              : (p.fill === "no_record" ? settings.noRecordRadius : settings.radius));
          }
          layer.setStyle(style);
          if (layer._path) { layer._path.classList.toggle("frt-chosen", chosen); }
          layer.frtTip.textContent = p.label;
        });
      });
      drawMarks();
      // SVG draws in document order: markers by rank (no record first, the chosen last), each
      // with its stripes just above it; a chosen city's polygon comes to the top too, a chosen
      // state or county stays below, so the places inside it can still be clicked. The ring
      // is the last thing drawn.
      markers.slice().sort(function (a, b) {
        return a.frtRank - b.frtRank || a.frtIndex - b.frtIndex;
      }).forEach(function (m) {
        if (m.frtRank >= 10) {  // the chosen marker: its city's polygon just below it
          entries.get(selectedId).layers.forEach(function (layer) {
            if (layer.frtLevel === "city") { layer.bringToFront(); }
          });
        }
        m.bringToFront();
        if (m.frtHatch) { m.frtHatch.bringToFront(); }
      });
      var chosen = entries.get(selectedId);
      drawRing(chosen, selectedId);
      showMarkers();
      if (selectedId !== map.frtFocused) {
        map.frtFocused = selectedId;
        if (chosen) { focus(selectedId); }
      }
      var root = map.getContainer();
      // Leaflet listens for focus on every shape with a tooltip, which puts each in Chromium's
      // Tab order: a hundred stops before Tab leaves the map. Keyboard readers choose places
      // with "Choose a place" (and read them all as text); Tab passes the map.
      root.querySelectorAll(".frt-shape, .frt-marker").forEach(function (el) {
        el.setAttribute("tabindex", "-1");
      });
      window.frtRendered = (window.frtRendered || 0) + 1;
      root.setAttribute("data-frt-places", String(entries.size));
      root.setAttribute("data-frt-rendered", String(window.frtRendered));
    }

    paint(places, selected);
    loadInView();
    return {paint: paint, focus: focus};
  }

  window.frtDraw = {draw: draw, expand: expand};
})();
