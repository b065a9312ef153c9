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

// A live update brings each field's error, or none, into the box the page loaded with beside
// the field; the field itself is not swapped, so that it keeps focus and what was typed. Mark
// it here as the server marks it on a full page: invalid, and described by its error.
document.addEventListener("htmx:afterSettle", function (event) {
  if (event.target.id !== "results") {
    return;
  }
  document.querySelectorAll(".field-errors[data-field]").forEach(function (box) {
    var field = document.getElementById(box.dataset.field);
    var wrong = box.children.length > 0;
    var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== box.id;
    });
    if (wrong) {
      ids.push(box.id);
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
    if (ids.length) {
      field.setAttribute("aria-describedby", ids.join(" "));
    } else {
      field.removeAttribute("aria-describedby");
    }
    box.closest(".field").classList.toggle("field--error", wrong);
  });
});

// "Use my location": only where the browser can tell it (the button stays hidden otherwise,
// and the page works the same without it). The place goes into "Near" as latitude and
// longitude, which the search reads like a ZIP code; nothing else is sent anywhere.
(function () {
  var button = document.getElementById("use-my-location");
  var near = document.getElementById("id_near");
  if (!button || !near || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = document.getElementById("location-status");
    status.textContent = button.dataset.finding;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        near.value =
          position.coords.latitude.toFixed(4) + "," + position.coords.longitude.toFixed(4);
        status.textContent = "";
        near.form.requestSubmit();
      },
      function () {
        status.textContent = button.dataset.failed;
      },
      { maximumAge: 600000, timeout: 15000 }
    );
  });
})();

// On a wide screen the filters sit beside the results: open them there.
(function () {
  var panel = document.querySelector(".filters-panel");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 64rem)").matches) {
    panel.open = true;
  }
})();
