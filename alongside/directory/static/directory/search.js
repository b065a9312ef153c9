// The search form works as a plain GET form; with htmx loaded, filters update results live.
// Move focus to the result count after a live update so screen-reader users hear it.
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.detail.target && event.detail.target.id === "results") {
    var count = document.querySelector("#results .result-count");
    if (count) { count.setAttribute("tabindex", "-1"); }
  }
});
