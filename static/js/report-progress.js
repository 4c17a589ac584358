/* The annual report's admin page while it is built: follow its progress without reloading
   the page (the texts being edited stay). Without this script the page says to reload. */
(function () {
  "use strict";
  var notice = document.querySelector("[data-progress-url]");
  if (!notice || !window.fetch) {
    return;
  }
  var url = notice.getAttribute("data-progress-url");
  var edited = false;
  document.addEventListener("input", function () { edited = true; });

  function show(data) {
    var bar = document.querySelector(".field-progress_bar progress");
    var text = document.querySelector(".field-progress_bar .report-progress-text");
    var state = document.querySelector(".field-state .readonly");
    if (bar) { bar.value = data.progress; bar.textContent = data.progress + " %"; }
    if (text) { text.textContent = data.text; }
    if (state) { state.textContent = data.state; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        show(data);
        if (data.building) {
          window.setTimeout(poll, 2000);
        } else if (edited) {
          notice.textContent = notice.getAttribute("data-done-text");
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 2000);
}());
