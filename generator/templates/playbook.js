// Print every department of the org chart, even the ones folded on screen:
// browsers leave the content of a closed <details> out of the printout.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.pb-dept:not([open])").forEach(function (details) {
    details.setAttribute("open", "");
    details.setAttribute("data-pb-print-opened", "");
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-pb-print-opened]").forEach(function (details) {
    details.removeAttribute("open");
    details.removeAttribute("data-pb-print-opened");
  });
});
