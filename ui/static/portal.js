// Whether the person is using the keyboard (Tab) or a pointer: a field's help opens when the keyboard reaches the
// field (its « Aide » button is not a tab stop), and stays out of the way of a mouse.
(function () {
  var root = document.documentElement;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Tab") { root.setAttribute("data-portal-keyboard", ""); }
  }, true);
  document.addEventListener("pointerdown", function () {
    root.removeAttribute("data-portal-keyboard");
  }, true);
})();

// The tab's title is the page's own: its main heading, then the portal's name (the document is one for every page,
// the screens are drawn into it), so a person with several tabs, or a screen reader, knows where each one is.
(function () {
  var portal = "Portail douane";
  var update = function () {
    var heading = document.querySelector("main h1, #app h1");
    var text = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
    var title = text ? text + " | " + portal : portal;
    if (document.title !== title) { document.title = title; }
  };
  var start = function () {
    update();
    new MutationObserver(update).observe(document.body, { childList: true, subtree: true, characterData: true });
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
