/* Listen to business: the pain point form.
 * - shows the estimated yearly cost while the numbers are typed;
 * - lists open pain points similar to the title being typed, with a "Me too" button.
 * Everything it needs comes from data- attributes of #pain-point-form; no inline script.
 */
(function () {
  "use strict";

  var form = document.getElementById("pain-point-form");
  if (!form) {
    return;
  }

  // --- Estimated yearly cost -------------------------------------------------------------
  var hours = form.querySelector("[name=hours_lost_per_week]");
  var people = form.querySelector("[name=people_affected]");
  var output = document.getElementById("yearly-cost");
  var rate = parseFloat(form.dataset.hourlyRate);
  var weeks = parseFloat(form.dataset.workingWeeks);
  var currency = form.dataset.currency || "";
  var money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

  function updateCost() {
    if (!hours || !people || !output) {
      return;
    }
    var h = parseFloat(hours.value);
    var p = parseFloat(people.value);
    if (isNaN(h) || isNaN(p) || h < 0 || p < 0) {
      output.textContent = "—";
      return;
    }
    output.textContent = money.format(h * p * rate * weeks) + " " + currency;
  }
  [hours, people].forEach(function (input) {
    if (input) {
      input.addEventListener("input", updateCost);
    }
  });
  updateCost();

  // --- Similar open pain points ------------------------------------------------------------
  var title = form.querySelector("[name=title]");
  var list = document.getElementById("similar-results");
  var url = form.dataset.similarUrl;
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]");
  var timer = null;
  var lastQuery = "";

  function item(result) {
    var li = document.createElement("li");
    li.className = "list-group-item d-flex justify-content-between align-items-start gap-2";
    var text = document.createElement("div");
    var link = document.createElement("a");
    link.href = result.url;
    link.textContent = result.title;
    var meta = document.createElement("div");
    meta.className = "small text-body-secondary";
    meta.textContent = result.business_unit + " · " + result.status + " · " + result.vote_count +
      (result.vote_count === 1 ? " vote" : " votes");
    text.appendChild(link);
    text.appendChild(meta);
    li.appendChild(text);
    if (result.can_vote && csrf) {
      var vote = document.createElement("form");
      vote.method = "post";
      vote.action = result.vote_url;
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrf.value;
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "btn btn-sm btn-success";
      button.textContent = "Me too";
      button.setAttribute("aria-label", "Me too: " + result.title);
      vote.appendChild(token);
      vote.appendChild(button);
      li.appendChild(vote);
    } else if (result.has_voted) {
      var badge = document.createElement("span");
      badge.className = "badge text-bg-success";
      badge.textContent = "You voted";
      li.appendChild(badge);
    }
    return li;
  }

  function show(results) {
    list.replaceChildren();
    results.forEach(function (result) {
      list.appendChild(item(result));
    });
  }

  function search() {
    var query = title.value.trim();
    if (query === lastQuery) {
      return;
    }
    lastQuery = query;
    if (query.length < 3) {
      show([]);
      return;
    }
    fetch(url + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (body) {
        if (query === lastQuery) {
          show(body.results || []);
        }
      })
      .catch(function () {
        show([]);
      });
  }

  if (title && list && url) {
    title.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    if (title.value) {
      search();
    }
  }
})();
