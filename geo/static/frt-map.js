/* The one map drawing script. The app's map frame (geo.mapview, through frt-frame.js), the
   static edition (geo/site/static/map.js) and the single-file export (inlined) all draw with it:
   layer order, styles, markers, tooltips, focus, marker show/hide by zoom, and the marks.

   Python passes settings (geo.drawing.draw_settings) and, per place and year, the drawing
   contract: {id, level, lat, lon, polygon, fill, colour, label, marks}. `fill` is a status key,
   `label` the tooltip's words, `marks` a list from geo.vocabulary.MARKS:
   - ban_proposal: diagonal dark stripes (an SVG <pattern>) over the fill, which still shows;
   - use_despite: a triangle in the `using` colour with a dark outline, above the place's
     point, at every zoom.
   Text from data goes into the page with textContent only; lookups by id use a Map. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var LEVELS = ["outline", "state", "county", "city"];
  var HATCH_ID = "frt-hatch";

  // The static edition's boundaries arrive as integer steps on each shape's decimal grid
  // (geo.site.shapes): add them up and divide by the grid for GeoJSON MultiPolygons.
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

  function svg(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) {
      node.setAttribute(name, String(attributes[name]));
    });
    return node;
  }

  // Leaflet's keyboard handler focuses the map on mousedown. In a frame or a long page that
  // focus scrolls the page until the whole map is in view, between mousedown and mouseup, so a
  // click on a small marker was lost. Focus without scrolling; arrows and +/- still work.
  function keyboard(map) {
    var handler = map.keyboard;
    if (map.frtKeyboard || !handler) { return; }
    map.frtKeyboard = true;
    handler.disable();
    handler._onMouseDown = function () {
      if (!this._focused) { this._map.getContainer().focus({preventScroll: true}); }
    };
    handler.enable();
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

  function hasMark(place, mark) {
    return Array.isArray(place.marks) && place.marks.indexOf(mark) !== -1;
  }

  /* Draw `places` into `target` (a layer group on `map`) over `geometry` (GeoJSON), and return
     {paint(places, selected)} to restyle them for another year or selection. `onSelect(id)`,
     when given, is called on a click on a place. */
  function draw(map, target, geometry, settings, places, selected, onSelect) {
    keyboard(map);
    hatchPattern(settings.hatch);
    var entries = new Map();
    places.forEach(function (p) { entries.set(p.id, {place: p, layers: []}); });
    var markers = [];
    var hatchMarkers = [];
    // The marks: stripes over polygons sit below the markers; stripes over markers and the
    // use triangles sit on top of everything.
    var areaMarks = L.layerGroup();
    var pointMarks = L.layerGroup();

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

    LEVELS.forEach(function (level) {
      var features = geometry.features.filter(function (f) {
        return f.properties.level === level;
      });
      // The features may be shared by every drawing (the app's years): read, never change.
      L.geoJSON({type: "FeatureCollection", features: features}, {
        interactive: level !== "outline",
        style: function (f) {
          var known = entries.has(f.properties.id);
          return {className: known ? "frt-shape frt-" + f.properties.id : "frt-outline",
                  color: "#FFFFFF", weight: 1, fillColor: settings.noRecord,
                  fillOpacity: settings.opacity};
        },
        onEachFeature: function (f, layer) {
          if (level !== "outline" && entries.has(f.properties.id)) {
            add(layer, f.properties.id, level, false);
          }
        }
      }).addTo(target);
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
        className: "frt-marker frt-" + p.id, radius: 7, color: "#333333", weight: 1.5,
        fillColor: p.colour, fillOpacity: settings.opacity
      });
      // What a click hands the app (streamlit-folium's last_active_drawing).
      marker.feature = {type: "Feature", properties: {id: p.id},
                        geometry: {type: "Point", coordinates: [p.lon, p.lat]}};
      marker.frtHasPolygon = Boolean(p.polygon);
      add(marker, p.id, p.level, true);
      marker.addTo(target);
      markers.push(marker);
    });
    pointMarks.addTo(target);

    // Zoomed in, a place's polygon is big enough to click: its marker steps aside.
    function showMarkers() {
      var zoomedIn = map.getZoom() >= settings.polygonZoom;
      markers.concat(hatchMarkers).forEach(function (m) {
        var visible = !(zoomedIn && m.frtHasPolygon);
        if (m._path) { m._path.style.display = visible ? "" : "none"; }
      });
    }
    function onZoom() {
      if (!map.hasLayer(target)) { map.off("zoomend", onZoom); return; }
      showMarkers();
    }
    map.on("zoomend", onZoom);

    function outline(layer, id, selectedId) {
      if (id === selectedId) { return {color: "#000000", weight: 4}; }
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
      overlay.frtId = id;
      hatchMarkers.push(overlay);
      return overlay;
    }

    function drawMarks() {
      areaMarks.clearLayers();
      pointMarks.clearLayers();
      hatchMarkers = [];
      entries.forEach(function (entry, id) {
        var p = entry.place;
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

    function paint(next, selectedId) {
      next.forEach(function (p) {
        var entry = entries.get(p.id);
        if (!entry) { return; }
        entry.place = p;
        entry.layers.forEach(function (layer) {
          var style = outline(layer, p.id, selectedId);
          style.fillColor = p.colour;
          style.fillOpacity = settings.opacity;
          if (layer.frtMarker) { layer.setRadius(p.id === selectedId ? 9 : 7); }
          layer.setStyle(style);
          layer.frtTip.textContent = p.label;
        });
      });
      drawMarks();
      // SVG draws in document order: the stripes just added go under the markers again, and
      // a chosen city or marker (with its stripes) comes to the top; a chosen state or county
      // stays below, so the places inside it can still be clicked.
      markers.concat(hatchMarkers).forEach(function (m) { m.bringToFront(); });
      var chosen = entries.get(selectedId);
      if (chosen) {
        chosen.layers.forEach(function (layer) {
          if (layer.frtMarker || layer.frtLevel === "city") { layer.bringToFront(); }
        });
        hatchMarkers.forEach(function (m) { if (m.frtId === selectedId) { m.bringToFront(); } });
      }
      showMarkers();
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
    return {paint: paint};
  }

  window.frtDraw = {decodeShapes: decodeShapes, draw: draw, keyboard: keyboard};
})();
