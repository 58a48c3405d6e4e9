// Progressive enhancement: suggest titles and topics as the reader types.
// The form works without this file; with it, a native <datalist> offers completions,
// and picking a title sends its exact name, which goes straight to that page.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(inputs, function (input, n) {
    var list = document.createElement("datalist");
    var timer = null;
    var last = "";
    list.id = "search-suggestions-" + n;
    input.setAttribute("list", list.id);
    input.parentNode.appendChild(list);
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === last) { return; }
        last = text;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text), {
          headers: { Accept: "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (!data || data.query !== input.value.trim()) { return; }
            list.textContent = "";
            data.titles.concat(data.topics).forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.title || item.name;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are optional: the form still works */ });
      }, 150);
    });
  });
})();
