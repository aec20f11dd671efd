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
