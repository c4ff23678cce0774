/* "Copy link": a real button that puts a place's shareable address on the clipboard and says
   "Link copied" in a polite live region. Where the clipboard API is missing (a page served
   over plain http, an old browser) or refused (permission denied), the address is shown in a
   read-only field, selected, for the reader to copy with the keyboard.
   The map's place panel makes one through window.frtCopy.control (its address: the view's
   #year=..&place=..); each place's page has an element with data-frt-copy, filled in here
   with a control for the page's own address. Nothing is parsed as HTML. */
(function () {
  "use strict";

  function node(tag, className, text) {
    var n = document.createElement(tag);
    n.className = className;
    if (text) { n.textContent = text; }
    return n;
  }

  // Clear first, set after: the same words twice in a row are read out again.
  function say(status, text) {
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  }

  function copy(url, field, status) {
    function fallback() {
      field.value = url;
      field.hidden = false;
      field.focus();
      field.select();
      // The older way, for a page without the clipboard API; it may still work here.
      var copied = document.queryCommandSupported && document.queryCommandSupported("copy") &&
                   document.execCommand("copy");
      say(status, copied ? "Link copied" : "Link selected: press Ctrl+C (or \u2318C) to copy it");
    }
    if (!navigator.clipboard || !navigator.clipboard.writeText) { fallback(); return; }
    navigator.clipboard.writeText(url).then(function () {
      field.hidden = true;
      say(status, "Link copied");
    }, fallback);
  }

  // [Copy link] [the address, read-only, shown only when it must be copied by hand] [status].
  // `address` is asked for at the click, so it is the view shown then; `label` names the field.
  function control(address, label) {
    var box = node("div", "frt-copy");
    var button = node("button", "frt-copy-button", "Copy link");
    button.type = "button";
    var field = node("input", "frt-copy-field");
    field.type = "text";
    field.readOnly = true;
    field.hidden = true;
    field.setAttribute("aria-label", label);
    var status = node("span", "frt-copy-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () { copy(address(), field, status); });
    box.appendChild(button);
    box.appendChild(field);
    box.appendChild(status);
    return box;
  }

  // A place's page: its own address, without any #fragment.
  function ownAddress() { return location.href.split("#")[0]; }
  Array.prototype.forEach.call(document.querySelectorAll("[data-frt-copy]"), function (slot) {
    slot.appendChild(control(ownAddress, slot.getAttribute("data-frt-copy")));
  });

  window.frtCopy = {control: control};
})();
