// gaoxin-news view: highlight every source span of the block named in the address (#src-<block>),
// and the block itself, when a block's role link (or a source span) is followed.
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
  window.addEventListener("hashchange", highlight);
  document.addEventListener("DOMContentLoaded", highlight);
})();
