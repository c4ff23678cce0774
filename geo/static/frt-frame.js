/* The app's map frame (folium, inside streamlit-folium): what the frame needs around the one
   drawing script (frt-map.js). geo.mapview passes settings and each year's places as JSON.

   The frame is a document of its own, read by screen readers and zoomed by browsers: let it
   zoom (folium's viewport meta forbids it, WCAG 1.4.4), give it a main landmark, a heading and
   a title, and name the iframe that holds it (same origin, so the frame can reach its element).
   The map container is a labelled region that says how to use it from the keyboard. */
(function () {
  "use strict";

  // The app's page has no description (a Streamlit script cannot set one); search engines
  // and Lighthouse read the head after scripts run. The proxy in deploy/ writes the same one.
  function describePage(page, description) {
    if (page.querySelector('meta[name="description"]')) { return; }
    var meta = page.createElement("meta");
    meta.setAttribute("name", "description");
    meta.setAttribute("content", description);
    page.head.appendChild(meta);
  }

  // streamlit-folium adds Leaflet's stylesheet to the frame beside the map's script, so the
  // controls were first drawn unstyled along the top and then jumped to their corners (a
  // layout shift); the map stays hidden until the stylesheet has loaded.
  function showWhenStyled(container, doc) {
    var link = doc.querySelector('link[rel="stylesheet"][href*="leaflet"]');
    if (!link || link.sheet) { return; }
    container.style.visibility = "hidden";
    function show() { container.style.visibility = ""; }
    link.addEventListener("load", show);
    link.addEventListener("error", show);
  }

  // Presentation mode's stylesheet sizes the frame to the window (geo/ui/style.py), but
  // streamlit-folium gave the map its fixed height: on a big screen the rest of the frame was
  // blank, on a 720 px projector the map's foot was cut off. While that stylesheet marks the
  // frame (--frt-fill), the map takes the frame's height; otherwise its own (the frame's size
  // also passes through other values while streamlit-folium sets it up).
  var FRAME_GAP = 8;  // px kept under the map, as in the ordinary page
  function fillFrame(map) {
    var container = map.getContainer(), frame = window.frameElement;
    var own = Number(container.getAttribute("data-frt-height")) || container.offsetHeight;
    container.setAttribute("data-frt-height", String(own));
    var follows = frame && getComputedStyle(frame).getPropertyValue("--frt-fill").trim() === "1";
    var room = window.innerHeight - container.getBoundingClientRect().top - FRAME_GAP;
    var wanted = follows ? Math.max(room, 200) : own;
    if (container.offsetHeight !== wanted) {
      container.style.height = wanted + "px";
      map.invalidateSize({animate: false});
    }
  }

  function setup(map, s) {
    var doc = document;
    doc.querySelectorAll('meta[name="viewport"]').forEach(function (meta) {
      meta.setAttribute("content", s.viewport);
    });
    doc.title = s.title;
    var container = map.getContainer();
    showWhenStyled(container, doc);
    var main = doc.getElementById("root") || container.parentNode;
    main.setAttribute("role", "main");
    if (!doc.getElementById("frt-map-heading")) {
      var heading = doc.createElement("h1");
      heading.id = "frt-map-heading";
      heading.textContent = s.title;
      heading.style.cssText = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;" +
        "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0";
      main.insertBefore(heading, main.firstChild);
    }
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", s.usage);
    if (window.frameElement) {
      window.frameElement.setAttribute("aria-label", s.title);
      describePage(window.frameElement.ownerDocument, s.description);
    }
    fillFrame(map);
    window.addEventListener("resize", function () { fillFrame(map); });
    // Fit the lower 48 at once: an animated fit from the constructor's zoom makes Leaflet
    // ignore any setView made while it runs.
    map.fitBounds(s.bounds, {animate: false});
    window.frtLeaflet.keyboard(map);
  }

  // Each file fetched once per frame, by its address relative to the frame.
  var fetched = {};
  function getJson(url, what) {
    var address = new URL(url, window.location.href).href;
    if (!fetched[address]) {
      fetched[address] = fetch(address).then(function (r) {
        if (!r.ok) { throw new Error(what + ": HTTP " + r.status); }
        return r.json();
      });
    }
    return fetched[address];
  }

  // The boundaries' first part, once per frame (every year's drawing reuses the same promise);
  // the city parts it lists (geo.boundaries.parts) are fetched beside it when zoomed in.
  function loadGeometry(url, inline) {
    var empty = {type: "FeatureCollection", features: []};
    if (window.frtGeometry) { return; }
    if (inline !== null) { window.frtGeometry = Promise.resolve(inline); return; }
    if (url === null) { window.frtGeometry = Promise.resolve(empty); return; }
    window.frtGeometry = getJson(url, "boundaries").then(function (first) {
      first.frtAddress = new URL(url, window.location.href).href;
      return first;
    }).catch(function (err) {
      console.error(err);
      return empty;
    });
  }

  // The places' constant part (geo.mapview.place_columns), fetched once per file (its name is
  // its content's hash, so a new data version is a new URL) with the codes' table and words.
  function loadPlaces(url, table) {
    if (window.frtPlaces && window.frtPlaces.url === url) { return; }
    var none = {id: [], level: [], lat: [], lon: [], polygon: [], label: []};
    var columns = url === null ? Promise.resolve(none) : getJson(url, "places").catch(function (err) {
      console.error(err);
      return none;
    });
    window.frtPlaces = {url: url, table: table, columns: columns};
  }

  // streamlit-folium loads the frame's scripts one after another and runs the map's own script
  // only after the last: this one comes first, and the files its address names after "#"
  // (geo.mapview.frame_script_url) are on their way while Leaflet and the drawing scripts load.
  // (Preloading those scripts as well fetched them twice: the component server's responses
  // carry no cache lifetime, so the script elements did not reuse the preloads.)
  var early = document.currentScript ? new URL(document.currentScript.src).hash.slice(1) : "";
  new URLSearchParams(early).forEach(function (url, what) {
    getJson(url, what).catch(function () { return null; });  // reported when used
  });

  // One year's status layer: streamlit-folium swaps the group when the year or the place
  // changes, so every year is a fresh drawing into a fresh group. The payload is one code
  // per place, in the places file's order.
  function statusLayer(group, map, payload) {
    var known = window.frtPlaces;
    Promise.all([window.frtGeometry, known.columns]).then(function (got) {
      if (got[1].id.length !== payload.codes.length) {
        console.error("places: " + got[1].id.length + " in the file, " + payload.codes.length +
                      " codes");
        return;
      }
      var places = window.frtDraw.expand(got[1], payload.codes, known.table), shapes = got[0];
      if (shapes.frtCities && !shapes.cities) {  // frt-leaflet.js is loaded by now
        var parts = window.frtLeaflet;
        shapes.cities = parts.cityParts(shapes.frtCities, parts.fetchJson(shapes.frtAddress));
      }
      window.frtDraw.draw(map, group, shapes, payload.settings, places, payload.selected, null);
    });
  }

  window.frtFrame = {setup: setup, loadGeometry: loadGeometry, loadPlaces: loadPlaces,
                     statusLayer: statusLayer};
})();
