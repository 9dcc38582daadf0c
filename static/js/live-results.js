/* Live results: the catalogue's search and filters, the officer queue's filters. htmx swaps the results list whole
   and puts a short status in the page's one live region (the server sends both); this file does what is left, for
   the keyboard, screen readers and the Back button. Loaded only on pages with live results, after htmx; the pages
   work without it, and without htmx. */
(function () {
  "use strict";
  var htmx = window.htmx;
  if (!htmx) { return; }

  // When htmx has no copy of a page to go Back to, it asks the server; ask for the page, not the results fragment
  // (with HX-Request the server would answer with the fragment, and it would replace the whole body).
  htmx.config.historyRestoreAsHxRequest = false;

  // The address a form's request goes into history as: one copy of each parameter (the last, which the server
  // reads), the empty ones left out, so it stays short and Back returns to exactly what was on screen.
  function canonicalPath(path) {
    var url = new URL(path, location.href);
    var names = [];
    var last = {};
    url.searchParams.forEach(function (value, name) {
      if (!Object.prototype.hasOwnProperty.call(last, name)) { names.push(name); }
      last[name] = value;
    });
    var params = new URLSearchParams();
    names.forEach(function (name) {
      if (last[name].trim()) { params.append(name, last[name]); }
    });
    var query = params.toString();
    return url.pathname + (query ? "?" + query : "") + url.hash;
  }

  document.addEventListener("htmx:beforeHistoryUpdate", function (event) {
    var update = event.detail.history;
    if (!update || !update.path) { return; }
    update.path = canonicalPath(update.path);
    // The same address twice (Enter after the live request, say) is one history entry: Back goes back a search.
    if (update.type === "push" && new URL(update.path, location.href).href === location.href) {
      update.type = "replace";
    }
  });

  // After a new page of results (a link inside [data-focus-after-swap]), focus goes to the results heading, so the
  // reader continues at the top of the new list and not at the top of the document.
  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail.requestConfig;
    var source = config && config.elt;
    var holder = source && source.closest ? source.closest("[data-focus-after-swap]") : null;
    var target = holder && document.querySelector(holder.getAttribute("data-focus-after-swap"));
    if (target) { target.focus(); }
  });

  // Back and Forward: htmx puts the page back as it was shown, but each field shows the value it was first served
  // with. The address says what was searched: every field of a live form takes its value from it.
  function fieldsFromAddress() {
    var params = new URLSearchParams(location.search);
    var forms = document.querySelectorAll("form[data-live-form]");
    Array.prototype.forEach.call(forms, function (form) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name) { return; }
        var values = params.getAll(field.name);
        var value = values.length ? values[values.length - 1] : null; // the server reads the last copy
        if (field.tagName === "SELECT") {
          var known = value !== null && Array.prototype.some.call(field.options, function (option) {
            return option.value === value;
          });
          if (known) { field.value = value; } else { field.selectedIndex = 0; }
        } else if (field.type === "search" || field.type === "text") {
          field.value = value === null ? "" : value;
        }
      });
    });
  }
  document.addEventListener("htmx:historyRestore", fieldsFromAddress);
})();
