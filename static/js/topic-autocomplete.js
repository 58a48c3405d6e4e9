/* The admin's topic field: suggests existing topics for the name being typed.
   Topics are separated by commas; the suggestions are for the text after the last comma.
   Keyboard: Down/Up move, Enter or Tab picks, Escape closes. No inline script (CSP). */
(function () {
  "use strict";

  function setUp(input) {
    var list = document.createElement("ul");
    var listId = input.id + "-suggestions";
    var status = document.createElement("span");
    var active = -1;
    var items = [];
    var timer = null;
    var latest = 0;

    list.id = listId;
    list.className = "topic-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Existing topics");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("aria-controls", listId);
    var holder = document.createElement("span");  // the list drops down under the field
    holder.className = "topic-field";
    input.insertAdjacentElement("beforebegin", holder);
    holder.appendChild(input);
    holder.appendChild(list);
    holder.appendChild(status);

    function parts() {
      var value = input.value;
      var cut = value.lastIndexOf(",");
      return { done: cut < 0 ? "" : value.slice(0, cut + 1), typed: value.slice(cut + 1).trim() };
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (item, i) { item.setAttribute("aria-selected", String(i === index)); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(name) {
      var p = parts();
      var before = p.done ? p.done.replace(/\s*$/, " ") : "";
      input.value = before + name + ", ";
      close();
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }

    function show(names) {
      close();
      if (!names.length) { status.textContent = ""; return; }
      names.forEach(function (name, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the field
          pick(name);
        });
        list.appendChild(item);
        items.push(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = names.length + (names.length === 1 ? " topic suggested" : " topics suggested");
    }

    function fetchSuggestions() {
      var p = parts();
      if (!p.typed) { close(); return; }
      var ticket = ++latest;
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(p.typed) +
        "&entered=" + encodeURIComponent(p.done);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === latest) { show(data.results || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();  // Enter would otherwise submit the whole form
        pick(items[active].textContent);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function start() {
    document.querySelectorAll("input[data-suggest-url]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
