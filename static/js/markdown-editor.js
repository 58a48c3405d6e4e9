/* The admin's Markdown fields: a live preview rendered by the site itself, and a citation
   picker that inserts [@key] at the cursor. No inline script (CSP): the URLs come from
   data- attributes; the CSRF token from the form the field belongs to. Without
   JavaScript the field stays an ordinary text area. */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUpPreview(editors, form) {
    var timer = null;
    var latest = 0;
    var url = editors[0].dataset.previewUrl;

    function refresh() {
      var body = new FormData();
      editors.forEach(function (editor) {
        var area = editor.querySelector("textarea[data-markdown-field]");
        body.append(area.dataset.markdownField, area.value);
      });
      var crisis = form.querySelector("input[name=crisis_help]");
      if (crisis && crisis.checked) { body.append("crisis_help", "on"); }
      var ticket = ++latest;
      editors.forEach(function (editor) {
        editor.querySelector(".markdown-preview").setAttribute("aria-busy", "true");
      });
      fetch(url, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (ticket !== latest || !data) { return; }
          editors.forEach(function (editor) {
            var area = editor.querySelector("textarea[data-markdown-field]");
            var pane = editor.querySelector(".markdown-preview");
            pane.innerHTML = data.fields[area.dataset.markdownField] || "";  // sanitised by the server
            pane.setAttribute("aria-busy", "false");
          });
        })
        .catch(function () { /* the preview is a convenience: typing goes on */ });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    }

    editors.forEach(function (editor) {
      editor.querySelector(".markdown-preview-pane").hidden = false;
      editor.querySelector("textarea[data-markdown-field]").addEventListener("input", later);
    });
    var crisis = form.querySelector("input[name=crisis_help]");
    if (crisis) { crisis.addEventListener("change", later); }
    refresh();
  }

  function insertAtCursor(area, text) {
    var start = area.selectionStart;
    var end = area.selectionEnd;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.focus();
    area.setSelectionRange(start + text.length, start + text.length);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setUpPicker(editor) {
    var area = editor.querySelector("textarea[data-markdown-field]");
    var picker = editor.querySelector(".citation-picker");
    var search = picker.querySelector(".citation-search");
    var results = picker.querySelector(".citation-results");
    var status = picker.querySelector(".citation-status");
    var timer = null;
    var latest = 0;
    picker.hidden = false;

    function show(found) {
      results.textContent = "";
      found.forEach(function (ref) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "citation-choice";
        button.dataset.key = ref.key;
        button.textContent = "[@" + ref.key + "] " + ref.title +
          (ref.authors ? " (" + ref.authors + (ref.year ? ", " + ref.year : "") + ")" : "") +
          (ref.status === "Published" ? "" : " [" + ref.status.toLowerCase() + "]");
        button.addEventListener("click", function () {
          var before = area.value.charAt(area.selectionStart - 1);
          insertAtCursor(area, (before && !/\s/.test(before) ? " " : "") + "[@" + ref.key + "]");
          results.textContent = "";
          search.value = "";
          status.textContent = "Inserted [@" + ref.key + "]";
        });
        item.appendChild(button);
        results.appendChild(item);
      });
      status.textContent = found.length ?
        found.length + (found.length === 1 ? " reference found" : " references found") :
        "No reference matches";
    }

    function lookUp() {
      var typed = search.value.trim();
      if (!typed) { results.textContent = ""; status.textContent = ""; return; }
      var ticket = ++latest;
      fetch(editor.dataset.citationsUrl + "?q=" + encodeURIComponent(typed), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === latest) { show(data.results || []); } })
        .catch(function () { results.textContent = ""; });
    }

    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 150);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // would submit the whole form
        event.preventDefault();
        var first = results.querySelector("button");
        if (first) { first.focus(); }
      }
    });
  }

  function start() {
    var groups = new Map();  // one preview request per form, covering all its fields
    document.querySelectorAll(".markdown-editor").forEach(function (editor) {
      var form = editor.closest("form");
      if (!groups.has(form)) { groups.set(form, []); }
      groups.get(form).push(editor);
      setUpPicker(editor);
    });
    groups.forEach(function (editors, form) { setUpPreview(editors, form); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
