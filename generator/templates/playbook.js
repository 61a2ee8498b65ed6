// Print every department of the org chart, even the ones folded on screen:
// browsers leave the content of a closed <details> out of the printout.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.pb-dept:not([open])").forEach(function (details) {
    details.setAttribute("open", "");
    details.setAttribute("data-pb-print-opened", "");
  });
  // On paper a link is only useful with its address: print it after the link text
  // (not for a page opened from disk, whose addresses are local file paths).
  if (location.protocol === "file:") {
    return;
  }
  document.querySelectorAll(".md-content a[href]").forEach(function (link) {
    var href = link.getAttribute("href");
    if (href.charAt(0) === "#" || link.classList.contains("headerlink") ||
        link.classList.contains("pb-step-link") || link.classList.contains("pb-box")) {
      return;
    }
    link.setAttribute("data-pb-href", link.href);
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-pb-print-opened]").forEach(function (details) {
    details.removeAttribute("open");
    details.removeAttribute("data-pb-print-opened");
  });
});
