// Progressive enhancement for sharing: "Copy" buttons beside the share texts, and section
// links that copy their full address. Without JavaScript the texts stay selectable and the
// section links still work as ordinary links.
(function () {
  "use strict";
  function copy(text, button) {
    if (!navigator.clipboard) { return; }
    navigator.clipboard.writeText(text).then(function () {
      if (!button) { return; }
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.dataset.copy);
    button.hidden = false;
    button.addEventListener("click", function () { copy(field.value, button); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("a.headerlink"), function (link) {
    link.addEventListener("click", function () {
      copy(location.origin + location.pathname + link.getAttribute("href"));
    });
  });
})();
