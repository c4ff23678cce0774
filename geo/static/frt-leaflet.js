/* Around Leaflet, for the one drawing script (frt-map.js) in both editions: the shapes it
   draws, and two fixes to Leaflet's own handling of the keyboard and of clicks.

   The shapes (geo.boundaries.parts): the first part holds
   the outlines, states and counties and lists each state's city polygons as a part of its
   own, with its cities' bounds; a drawing (frt-map.js) asks for the parts in view once the map
   is zoomed in to settings.cityZoom, or for a chosen city's part. At the national view a city
   is its marker, so thousands of city polygons never travel up front (issue 24).

   The static edition's shapes arrive in a compact form (geo.site.shapes), decoded here. */
(function () {
  "use strict";

  // Integer steps on each shape's decimal grid: add them up and divide by the grid for
  // GeoJSON MultiPolygons (geo.site.shapes.ring_points does the same in Python).
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

  /* `index`: the first part's list, [{key, bounds: [[south, west], [north, east]], file}];
     `fetchPart(entry)`: a promise of that part's GeoJSON features ([] when it cannot be had:
     its cities stay markers). Each part is fetched once per page, whichever drawing asks. */
  function cityParts(index, fetchPart) {
    var parts = index.map(function (entry) {
      return {key: entry.key, bounds: L.latLngBounds(entry.bounds), entry: entry,
              promise: null, features: null};
    });
    return {
      // The parts already here, for a new drawing (the app draws each year afresh).
      loaded: function () { return parts.filter(function (p) { return p.features; }); },
      // Promises of the parts whose cities' bounds meet `bounds`, each fetched once.
      want: function (bounds) {
        return parts.filter(function (p) { return p.bounds.intersects(bounds); }).map(function (p) {
          if (!p.promise) {
            p.promise = fetchPart(p.entry).then(function (features) {
              p.features = features;
              return p;
            });
          }
          return p.promise;
        });
      }
    };
  }

  // The app's frame: each part is a GeoJSON file beside the first (`base`, its address).
  function fetchJson(base) {
    return function (entry) {
      return fetch(new URL(entry.file, base).href).then(function (r) {
        if (!r.ok) { throw new Error("cities: HTTP " + r.status); }
        return r.json();
      }).then(function (doc) { return doc.features; }).catch(function (err) {
        console.error(err);
        return [];
      });
    };
  }

  // The static edition: each part is a script beside the page (a page opened from disk cannot
  // fetch) that sets window.frtCityParts[key] in the compact form.
  function loadScript(entry) {
    return new Promise(function (resolve) {
      var script = document.createElement("script");
      script.src = entry.file;
      script.onload = function () {
        var compact = (window.frtCityParts || {})[entry.key];
        resolve(compact ? decodeShapes(compact).features : []);
      };
      script.onerror = function () {
        console.error("cities: " + entry.file + " did not load");
        resolve([]);
      };
      document.head.appendChild(script);
    });
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

  // Where markers overlap, a click on one chooses the best marker under the pointer (the
  // drawing on show sets map.frtPick): the click goes to that marker instead, so the app's
  // frame (streamlit-folium listens to the layers) and the static page both receive it.
  function picking(map) {
    if (map.frtPicking) { return; }
    map.frtPicking = true;
    map.getContainer().addEventListener("click", function (event) {
      var hit = event.target;
      if (event.frtPicked || !map.frtPick || !hit.classList || !hit.classList.contains("frt-marker")) {
        return;
      }
      var best = map.frtPick(map.mouseEventToContainerPoint(event), hit);
      if (!best || best._path === hit) { return; }
      event.stopPropagation();
      var again = new MouseEvent("click", {bubbles: true, cancelable: true, view: window,
        clientX: event.clientX, clientY: event.clientY, button: event.button});
      again.frtPicked = true;
      best._path.dispatchEvent(again);
    }, true);
  }

  window.frtLeaflet = {decodeShapes: decodeShapes, cityParts: cityParts, fetchJson: fetchJson,
                       loadScript: loadScript, keyboard: keyboard, picking: picking};
})();
