/* The static edition's text nodes: elements, links and the items of a place's history and
   quotes. Text from data goes in with textContent, never parsed as HTML; links only to
   http(s) addresses (Python already dropped any other; this is a second lock). */
(function () {
  "use strict";

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

  function eventItem(e, eventLabels) {
    var li = el("li", null, "frt-event");
    append(li, el("strong", e.date + ": " + eventLabels[e.status]));
    var detail = [e.measure, e.vote ? "Vote: " + e.vote : ""].filter(Boolean).join(" · ");
    if (detail) { append(li, el("div", detail, "frt-detail")); }
    append(li, el("div", e.summary));
    var src = el("div", "Source: ");
    append(src, sourceNode(e.source), " · Confidence: " + e.confidence);
    append(li, src);
    if (e.note) { append(li, el("div", e.note, "frt-note")); }
    return li;
  }

  // A quote: the words at full strength, then who, when, stance and source in a quieter line;
  // then its caveat in plain sentences when it has one (geo.present.quote_caveat, as the app's
  // panel; the research notes behind it stay in the data and the downloads).
  function quoteItem(q) {
    var li = el("li", null, "frt-quote-item");
    append(li, el("blockquote", q.text, "frt-quote"));
    var who = el("p", null, "frt-said");
    append(who, q.speaker, q.role ? ", " + q.role : "", " · " + q.date + " · " + q.stance,
           " · Source: ", sourceNode(q.source));
    append(li, who);
    if (q.caveat) { append(li, el("p", q.caveat, "frt-caveat")); }
    return li;
  }

  // The correction form with the place filled in (geo.site.share.correction_url), when the
  // build knew its address (FRT_CORRECTION_URL); else nothing.
  function correctionLine(url, label) {
    if (!url) { return null; }
    return append(el("p", "Something wrong or missing? ", "frt-fix"),
                  link("Suggest a correction to " + label, url));
  }

  window.frtDom = {el: el, append: append, clear: clear, link: link, sourceNode: sourceNode,
                   eventItem: eventItem, quoteItem: quoteItem, correctionLine: correctionLine};
})();
