// gaoxin-news view: following a block's role link scrolls the source pane (not the page) to the
// block's characters; every source span of the block named in the address (#src-<block>), and the
// block itself, are highlighted.
"use strict";
(function () {
  function highlight() {
    document.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var block = id.indexOf("src-") === 0 ? id.slice(4) : id;
    document.querySelectorAll('[data-block="' + CSS.escape(block) + '"]').forEach(function (el) {
      el.classList.add("hl");
    });
    var el = document.getElementById(block);
    if (el && el.classList.contains("block")) { el.classList.add("hl"); }
  }
  function showSource(block) {
    var span = document.getElementById("src-" + block);
    var pane = span && span.closest(".source");
    if (!pane) { return false; }
    var top = span.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
    pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
    return true;
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.role");
    if (!link) { return; }
    var block = link.getAttribute("href").slice("#src-".length);
    if (!showSource(block)) { return; }
    ev.preventDefault();
    window.history.replaceState(null, "", "#src-" + block);
    highlight();
  });
  window.addEventListener("hashchange", highlight);
  document.addEventListener("DOMContentLoaded", highlight);
})();
