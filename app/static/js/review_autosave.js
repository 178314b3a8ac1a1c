// Autosave of the review form: posts the form (CSRF token and version included) a few seconds
// after each change, keeps a copy in localStorage until the server has it, and offers to
// restore a copy that never reached the server. Typed text is never thrown away silently.
"use strict";

(function () {
  var SAVE_DELAY_MS = 3000;      // after the last keystroke
  var MAX_WAIT_MS = 15000;       // at the latest while typing goes on
  var RETRY_MS = 10000;          // after a network error

  // A submitted or closed review: its local copy is no longer needed.
  var locked = document.querySelector("[data-clear-draft-key]");
  if (locked) {
    locked.getAttribute("data-clear-draft-key").split(" ").forEach(function (key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ }
    });
  }

  var form = document.getElementById("review-form");
  if (!form || !window.fetch) { return; }

  var url = form.getAttribute("data-autosave-url");
  var storageKey = form.getAttribute("data-storage-key");
  var status = document.getElementById("autosave-status");
  var versionInput = form.querySelector("input[name=version]");
  var timer = null;
  var firstChangeAt = null;
  var inFlight = false;
  var dirty = false;
  var stopped = false;          // after a version conflict: saving again would overwrite nothing, so stop
  var pendingSubmitter = null;  // a button pressed while a save was on its way

  function say(text) { if (status) { status.textContent = text; } }

  function fieldValues() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.name === "version" || el.type === "submit") { return; }
      if (el.type === "radio") {
        if (el.checked) { values[el.name] = el.value; }
        else if (!(el.name in values)) { values[el.name] = ""; }
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function sameValues(a, b) {
    var keys = Object.keys(a).concat(Object.keys(b));
    for (var i = 0; i < keys.length; i++) {
      if ((a[keys[i]] || "") !== (b[keys[i]] || "")) { return false; }
    }
    return true;
  }

  function readLocal() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { return null; }
  }

  function writeLocal(values) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({ values: values, at: Date.now() }));
    } catch (e) { /* storage full or disabled: the server save still runs */ }
  }

  function clearLocal(key) {
    try { window.localStorage.removeItem(key || storageKey); } catch (e) { /* ignore */ }
  }

  function applyValues(values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in values)) { return; }
      if (el.type === "radio") { el.checked = el.value === values[el.name]; }
      else if (el.type !== "submit" && el.type !== "hidden") { el.value = values[el.name]; }
    });
  }

  function schedule() {
    if (stopped) { return; }
    var now = Date.now();
    if (firstChangeAt === null) { firstChangeAt = now; }
    window.clearTimeout(timer);
    var wait = Math.min(SAVE_DELAY_MS, Math.max(0, firstChangeAt + MAX_WAIT_MS - now));
    timer = window.setTimeout(save, wait);
  }

  function onChange() {
    dirty = true;
    writeLocal(fieldValues());
    schedule();
  }

  function finishPendingSubmit() {
    if (pendingSubmitter) {
      var button = pendingSubmitter;
      pendingSubmitter = null;
      if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
    }
  }

  function save() {
    window.clearTimeout(timer);
    if (stopped || !dirty) { finishPendingSubmit(); return; }
    if (inFlight) { schedule(); return; }
    inFlight = true;
    dirty = false;
    firstChangeAt = null;
    var sent = fieldValues();
    say(form.getAttribute("data-msg-saving"));
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // A login page or an expired form: the text stays in this browser.
        throw { expired: true };
      }
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      inFlight = false;
      var data = result.data;
      if (data.ok) {
        if (versionInput) { versionInput.value = data.version; }
        var newKey = "review-draft:" + data.review_id;
        if (newKey !== storageKey) {
          var copy = readLocal();
          clearLocal();
          storageKey = newKey;
          form.setAttribute("data-storage-key", newKey);
          if (copy && dirty) { writeLocal(copy.values); }
        }
        if (!dirty && sameValues(sent, fieldValues())) { clearLocal(); }
        say(data.message);
        if (dirty) { schedule(); } else { finishPendingSubmit(); }
        return;
      }
      dirty = true;
      say(data.message);
      if (data.conflict) { stopped = true; pendingSubmitter = null; }
    }).catch(function (problem) {
      inFlight = false;
      dirty = true;
      pendingSubmitter = null;
      if (problem && problem.expired) {
        say(form.getAttribute("data-msg-expired"));
        stopped = true;
        return;
      }
      say(form.getAttribute("data-msg-offline"));
      window.clearTimeout(timer);
      timer = window.setTimeout(save, RETRY_MS);
    });
  }

  // A button press while a save is on its way waits for it, so the form posts the new version.
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (inFlight) {
      event.preventDefault();
      pendingSubmitter = event.submitter || null;
    }
  });

  form.addEventListener("input", onChange);
  form.addEventListener("change", onChange);

  // A copy kept before the review had an id (saved with a button, not by autosave) moves to the id's key.
  var newKey = form.getAttribute("data-new-key");
  if (newKey && newKey !== storageKey) {
    try {
      var early = window.localStorage.getItem(newKey);
      if (early && !window.localStorage.getItem(storageKey)) { window.localStorage.setItem(storageKey, early); }
      window.localStorage.removeItem(newKey);
    } catch (e) { /* ignore */ }
  }

  // Text that never reached the server: offer it back.
  var banner = document.getElementById("autosave-restore");
  var stored = readLocal();
  if (stored && stored.values && !sameValues(stored.values, fieldValues()) && banner) {
    var when = new Date(stored.at);
    var lang = document.documentElement.lang || undefined;
    var text = banner.querySelector("#autosave-restore-text");
    text.textContent = form.getAttribute("data-msg-restore").replace(
      "{time}", when.toLocaleDateString(lang) + " " + when.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" })
    );
    banner.hidden = false;
    // The offer sits below the proposal's header and tabs: bring the keyboard focus to it (it is an
    // alert, so it is announced), unless an error summary needs the focus first.
    if (!document.getElementById("form-errors")) { banner.focus(); }
    document.getElementById("autosave-restore-yes").addEventListener("click", function () {
      applyValues(stored.values);
      banner.hidden = true;
      onChange();
      var first = form.querySelector("textarea, input[type=radio]");
      if (first) { first.focus(); }
    });
    document.getElementById("autosave-restore-no").addEventListener("click", function () {
      clearLocal();
      banner.hidden = true;
      var first = form.querySelector("textarea, input[type=radio]");
      if (first) { first.focus(); }
    });
  } else if (stored) {
    clearLocal();
  }
})();
