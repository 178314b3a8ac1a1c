// Site behaviour without inline scripts (the Content-Security-Policy forbids them).
"use strict";

// Forms marked with data-confirm ask before they post.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Move focus to the error summary so keyboard and screen-reader users hear it first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
});

// "Copy link" buttons copy the value of the field they name and say so to screen readers.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-copy-target]");
  if (!button) { return; }
  var field = document.getElementById(button.getAttribute("data-copy-target"));
  if (!field) { return; }
  var status = document.getElementById(field.id + "-status");
  var done = function () {
    if (status) { status.textContent = button.getAttribute("data-copied-text"); }
    button.textContent = button.getAttribute("data-copied-text");
  };
  field.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");  // plain-HTTP intranet installations have no clipboard API
    done();
  }
});
