/* The app's "Copy link" frame (geo/static/copy-link/index.html): Streamlit's component
   protocol, by hand, around the static edition's control (frt-copy.js). The script sends the
   address to copy (relative to the app's page, or the app's public address) and the control's
   name as data; the frame resolves the address against the page it sits in, names itself
   after the control, and tells Streamlit its height. */
(function () {
  "use strict";
  var slot = document.getElementById("frt-copy-slot");
  var address = null;

  function send(type, extra) {
    var message = {isStreamlitMessage: true, type: type};
    Object.keys(extra || {}).forEach(function (key) { message[key] = extra[key]; });
    window.parent.postMessage(message, "*");
  }

  function fit() {
    send("streamlit:setFrameHeight", {height: document.documentElement.scrollHeight});
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.type !== "streamlit:render") { return; }
    address = new URL(data.args.url, window.parent.location.href).href;
    if (window.frameElement) { window.frameElement.setAttribute("title", data.args.title); }
    if (!slot.firstChild) {
      slot.appendChild(window.frtCopy.control(function () { return address; }, data.args.title));
    }
    fit();
  });
  // The fallback field, when the clipboard is refused, makes the frame taller.
  new ResizeObserver(fit).observe(document.body);
  send("streamlit:componentReady", {apiVersion: 1});
})();
