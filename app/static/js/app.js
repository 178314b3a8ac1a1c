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

// After an action the page reloads with focus at the top. Remember which control was used, so
// that the reloaded page can put the keyboard focus back on it (WCAG 2.4.3).
var RETURN_KEY = "return-focus";

function controlKey(element) {
  if (element.id) { return "id:" + element.id; }
  if (element.dataset.focusKey) { return "key:" + element.dataset.focusKey; }
  return "text:" + element.tagName + ":" + (element.name || "") + ":" + element.textContent.trim();
}

function rememberControl(element) {
  if (!element || !element.closest || !element.closest("main")) { return; }
  try {
    window.sessionStorage.setItem(RETURN_KEY, JSON.stringify(
      {path: window.location.pathname, key: controlKey(element), at: Date.now()}));
  } catch (ignored) { /* storage may be disabled: focus then simply starts at the top */ }
}

document.addEventListener("submit", function (event) {
  if (!event.defaultPrevented) { rememberControl(event.submitter || document.activeElement); }
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
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[href]");
  // A link to this same page with other options (sorting, paging, a filter) reloads it.
  if (link && link.pathname === window.location.pathname && link.search) { rememberControl(link); }
});

function returnedControl() {
  var stored;
  try {
    stored = JSON.parse(window.sessionStorage.getItem(RETURN_KEY) || "null");
    window.sessionStorage.removeItem(RETURN_KEY);
  } catch (ignored) { return null; }
  if (!stored || stored.path !== window.location.pathname || Date.now() - stored.at > 60000) { return null; }
  var candidates = document.querySelectorAll("main a[href], main button, main input, main select, main textarea");
  for (var i = 0; i < candidates.length; i += 1) {
    if (controlKey(candidates[i]) === stored.key && !candidates[i].disabled) { return candidates[i]; }
  }
  return null;
}

// On load, the keyboard focus goes to what the person must read first: the error summary, else the
// message of the action just done (focusing it makes screen readers read it), else back to the control
// that was used.
document.addEventListener("DOMContentLoaded", function () {
  if (document.activeElement && document.activeElement !== document.body) { return; }  // a page script chose
  var target = document.getElementById("form-errors") || document.getElementById("flash-messages");
  var control = returnedControl();
  if (target) {
    target.focus();
  } else if (control) {
    control.focus();
  }
});

// A link to a field on the same page (the error summary's, the skip links) puts the focus into the
// field, not only the scroll position; the address keeps no fragment that would pull the focus there
// again after the form is sent.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("main a[href^='#']");
  if (!link || link.getAttribute("href").length < 2) { return; }
  var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (field && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(field.tagName)) {
    event.preventDefault();
    field.scrollIntoView({block: "center"});
    field.focus();
  }
});

// A table wider than its box scrolls inside it: make that box reachable by Tab so that keyboard users
// can scroll it with the arrow keys, and name it after the table's caption (WCAG 2.1.1).
function markScrollableTables() {
  var boxes = document.querySelectorAll(".table-responsive");
  for (var i = 0; i < boxes.length; i += 1) {
    var box = boxes[i];
    if (box.scrollWidth > box.clientWidth + 1) {
      var caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (caption && !box.hasAttribute("aria-label")) { box.setAttribute("aria-label", caption.textContent.trim()); }
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
    }
  }
}
document.addEventListener("DOMContentLoaded", markScrollableTables);
window.addEventListener("resize", markScrollableTables);
