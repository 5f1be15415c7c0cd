// Participant pages: keyboard shortcuts for voting, focus after an htmx swap, a character counter.
// Everything here is an enhancement; the pages work without it.
(function () {
  "use strict";

  var SHORTCUTS_KEY = "polity.shortcuts";

  function shortcutsOn() {
    try {
      return window.localStorage.getItem(SHORTCUTS_KEY) !== "off";
    } catch (error) {
      return true; // storage blocked: keep the default
    }
  }

  function isTyping(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || ["TEXTAREA", "INPUT", "SELECT"].indexOf(target.tagName) !== -1);
  }

  // A, D and P press the matching vote button. WCAG 2.1.4 asks that single-key shortcuts can be
  // turned off, hence the checkbox this script reveals.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (isTyping(event.target) || !shortcutsOn()) return;
    var key = (event.key || "").toLowerCase();
    var button = document.querySelector('#voting button[data-vote-key="' + key + '"]:not([disabled])');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });

  function setUpShortcutToggle() {
    var help = document.querySelector("[data-shortcut-help]");
    var toggle = document.querySelector("[data-shortcut-toggle]");
    if (!help || !toggle) return;
    toggle.checked = shortcutsOn();
    toggle.addEventListener("change", function () {
      try {
        window.localStorage.setItem(SHORTCUTS_KEY, toggle.checked ? "on" : "off");
      } catch (error) {
        // storage blocked: the choice lasts for this page only
      }
    });
    help.hidden = false;
  }

  function setUpCounter() {
    var field = document.querySelector("textarea[data-count-target]");
    if (!field) return;
    var counter = document.getElementById(field.getAttribute("data-count-target"));
    var max = parseInt(counter.getAttribute("data-max"), 10);
    var template = counter.getAttribute("data-template") || "%(used)s / %(max)s";
    function update() {
      counter.textContent = template.replace("%(used)s", field.value.length).replace("%(max)s", max);
    }
    field.addEventListener("input", update);
    update();
    counter.hidden = false;
  }

  // The clicked button is gone after a swap; put focus on the new statement (or the changed
  // vote) so keyboard and screen-reader users carry on from there. htmx fires afterSettle on the
  // new content, also when an outerHTML swap replaced the target itself.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target;
    if (!(root instanceof Element)) return;
    var focusable = root.querySelector("[role=alert], [data-focus-after-swap]");
    if (focusable) {
      if (!focusable.hasAttribute("tabindex")) focusable.setAttribute("tabindex", "-1");
      focusable.focus();
    }
  });

  // A network failure or a server error swaps nothing: say so instead of silently doing nothing.
  function showFailure() {
    var region = document.querySelector("[data-request-failed]");
    if (region) region.hidden = false;
  }
  document.addEventListener("htmx:sendError", showFailure);
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr && event.detail.xhr.status >= 500) showFailure();
  });

  document.addEventListener("DOMContentLoaded", function () {
    setUpShortcutToggle();
    setUpCounter();
  });
})();
