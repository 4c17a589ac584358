/* Progressive enhancement: next to a meeting's Istanbul time, show the visitor's own time
   (the server knows it only for logged-in city users). No inline script: CSP stays strict. */
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || zone === "Europe/Istanbul") { return; }
  var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit"
  });
  document.querySelectorAll("time[data-meeting-start]").forEach(function (el) {
    if (el.parentNode.querySelector("[data-viewer-time]")) { return; }
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) { return; }
    var span = document.createElement("span");
    span.setAttribute("data-viewer-time", "");
    span.className = "text-body-secondary";
    span.textContent = " · " + format.format(when) + " (" + zone + ")";
    (el.nextElementSibling || el).insertAdjacentElement("afterend", span);
  });
})();
