// The search form works as a plain GET form; with htmx loaded, filters update the results
// live, and the count is swapped into the live region the page loaded with, which screen
// readers announce while focus stays on the filter just used. When an update fails (a server
// error, no network), say so there, rather than leave the old count standing unexplained.
["htmx:responseError", "htmx:sendError"].forEach(function (name) {
  document.addEventListener(name, function (event) {
    var status = document.getElementById("result-count");
    if (status && event.target.id === "search-form") {
      status.textContent = status.dataset.failed;
    }
  });
});
