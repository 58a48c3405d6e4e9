/* The edit screen's "Before it can be published" box: the publishing checks run again on
   the form as typed (nothing is saved) and the list updates in place (aria-live). No
   inline script (CSP); the URL comes from a data- attribute. */
(function () {
  "use strict";

  function render(box, data) {
    var results = box.querySelector(".gate-results");
    results.textContent = "";
    if (data.problems.length) {
      var list = document.createElement("ul");
      list.className = "gate-problems";
      data.problems.forEach(function (problem) {
        var item = document.createElement("li");
        item.textContent = problem.charAt(0).toUpperCase() + problem.slice(1);
        list.appendChild(item);
      });
      results.appendChild(list);
    } else {
      var ok = document.createElement("p");
      ok.className = "gate-ok";
      ok.textContent = "Nothing is missing: it can be published.";
      results.appendChild(ok);
    }
    if (data.crisis_terms && data.crisis_terms.length) {
      var crisis = document.createElement("p");
      crisis.className = "gate-crisis";
      crisis.textContent = "It mentions " + data.crisis_terms.join(", ") +
        ": the crisis-help box is shown automatically.";
      results.appendChild(crisis);
    }
    var grade = document.createElement("p");
    grade.className = "reading-grade";
    grade.textContent = data.grade_applies ?
      (data.note || "Reading grade " + data.grade + ": the target for pages for everyone is " +
        data.target + " or lower; above " + data.limit + " only with a moderator's override.") :
      "Reading grade " + data.grade + ": no target for this page (for clinicians, or a reference).";
    results.appendChild(grade);
  }

  function setUp(box) {
    var form = box.closest("form");
    var timer = null;
    var latest = 0;

    function check() {
      var body = new FormData(form);
      var ticket = ++latest;
      fetch(box.dataset.gatesUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": body.get("csrfmiddlewaretoken") || "", Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && ticket === latest) { render(box, data); } })
        .catch(function () { /* the box keeps the last answer */ });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(check, 600);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  function start() {
    document.querySelectorAll(".workflow-checks[data-gates-url]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
