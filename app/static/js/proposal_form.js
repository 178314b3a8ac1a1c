// Proposal form enhancements; every page works without them.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // Links from the completeness check and the "add" buttons point at a field: put the
  // keyboard focus there, not only the scroll position (unless an error summary needs it).
  if (window.location.hash && !document.getElementById("form-errors")) {
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.focus();
    }
  }

  // Warn before leaving a section with unsaved changes.
  var form = document.querySelector("form.proposal-form");
  if (!form) { return; }
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});
