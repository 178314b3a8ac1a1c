// A heavy document's page: ask every few seconds whether it is built, then show its download link.
// Without JavaScript the page's "Check now" link does the same by hand.
(function () {
  "use strict";
  var box = document.getElementById("document-progress");
  if (!box || box.dataset.pending !== "true") { return; }
  var seconds = Number(box.dataset.pollSeconds) || 3;

  function show(state) {
    box.querySelectorAll("[data-state]").forEach(function (part) {
      part.hidden = part.dataset.state !== state;
    });
  }

  function ask() {
    fetch(box.dataset.pollUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.ready) {
          box.querySelector("[data-download]").href = answer.download_url;
          show("ready");
        } else if (answer && answer.failed) {
          show("failed");
        } else {
          window.setTimeout(ask, seconds * 1000);
        }
      })
      .catch(function () { window.setTimeout(ask, seconds * 1000); });
  }
  window.setTimeout(ask, seconds * 1000);
}());
