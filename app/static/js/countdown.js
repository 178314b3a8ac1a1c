// Keeps the server-rendered "time left" of a call current (progressive enhancement:
// without JavaScript the page still shows the time left when it was loaded).
"use strict";

(function () {
  var MINUTE = 60 * 1000;

  function unit(lang, name, value) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
    } catch (error) {
      return value + " " + name + (value === 1 ? "" : "s");
    }
  }

  // Same wording rule as the server: days and hours only when non-zero from the left, minutes always.
  function remainingText(lang, milliseconds, lessThanMinute) {
    var minutesTotal = Math.floor(milliseconds / MINUTE);
    var days = Math.floor(minutesTotal / 1440);
    var hours = Math.floor((minutesTotal % 1440) / 60);
    var minutes = minutesTotal % 60;
    if (!days && !hours && !minutes) { return lessThanMinute; }
    var parts = [];
    if (days) { parts.push(unit(lang, "day", days)); }
    if (days || hours) { parts.push(unit(lang, "hour", hours)); }
    parts.push(unit(lang, "minute", minutes));
    return parts.join(", ");
  }

  function start(element) {
    var deadline = Date.parse(element.getAttribute("data-deadline"));
    var serverNow = Date.parse(element.getAttribute("data-now"));
    if (isNaN(deadline)) { return; }
    // The visitor's clock may be wrong; count from the server's time instead.
    var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();
    var lang = document.documentElement.lang || "de";
    var text = element.querySelector("[data-countdown-text]");
    var lessThanMinute = element.getAttribute("data-less-than-minute") || "";
    var timer = null;

    function update() {
      var left = deadline - (Date.now() + skew);
      if (left <= 0) {
        element.textContent = element.getAttribute("data-expired-text") || "";
        document.querySelectorAll("[data-hide-when-expired]").forEach(function (node) { node.hidden = true; });
        if (timer) { window.clearInterval(timer); }
        return;
      }
      if (text) { text.textContent = remainingText(lang, left, lessThanMinute); }
    }

    update();
    timer = window.setInterval(update, 15 * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-countdown]").forEach(start);
  });
})();
