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

// A contractor's working copy of each procedure: ticks are kept in this browser's storage
// (nothing is sent anywhere), per page and procedure, with the date the run started and a
// "Start over" button. Each procedure heading carries a fingerprint of its content
// (data-pb-fingerprint, made by the generator); when it differs from the one this browser
// saw last, the procedure is marked as changed and its run starts fresh.
(function () {
  var headings = document.querySelectorAll("h3[data-pb-fingerprint]");
  if (!headings.length) {
    return;
  }
  var key = "playbook:checklists:" + location.pathname;
  var store = read();
  store.procedures = store.procedures || {};
  headings.forEach(setUp);
  write();

  function read() {
    try {
      return JSON.parse(localStorage.getItem(key) || "{}") || {};
    } catch (error) {  // storage disabled or its value damaged: start empty
      return {};
    }
  }

  function write() {
    try {
      localStorage.setItem(key, JSON.stringify(store));
    } catch (error) {  // storage full or disabled: the boxes still work for this visit
    }
  }

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
  }

  function boxesAfter(heading) {
    var boxes = [];
    for (var el = heading.nextElementSibling; el && !/^H[1-3]$/.test(el.tagName);
         el = el.nextElementSibling) {
      el.querySelectorAll(".task-list-control input[type=checkbox]").forEach(function (box) {
        boxes.push(box);
      });
    }
    return boxes;
  }

  function stepOf(box) {
    var label = box.closest("label");
    var step = label && label.nextElementSibling;
    return step && step.classList.contains("pb-step") ? step.id : null;
  }

  function setUp(heading) {
    var fingerprint = heading.getAttribute("data-pb-fingerprint");
    var run = store.procedures[heading.id];
    var changed = Boolean(run) && run.fingerprint !== fingerprint;
    if (!run || changed) {
      run = store.procedures[heading.id] = {fingerprint: fingerprint, started: null, ticks: []};
    }
    var boxes = boxesAfter(heading);
    var bar = document.createElement("p");
    bar.className = "pb-run";
    var status = document.createElement("span");
    status.className = "pb-run-status";
    var restart = document.createElement("button");
    restart.type = "button";
    restart.className = "pb-start-over";
    restart.textContent = "Start over";
    restart.setAttribute("aria-label", "Start over: untick every box of " +
      heading.textContent.replace("¶", "").trim());
    bar.append(status, " ", restart);
    heading.after(bar);
    if (changed) {
      heading.after(changedNotice(heading));
    }

    function show() {
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      status.textContent = run.started
        ? "Your run started " + run.started + ": " + ticked + " of " + boxes.length + " ticked."
        : "Your run: nothing ticked yet.";
    }

    boxes.forEach(function (box) {
      box.checked = run.ticks.indexOf(stepOf(box)) >= 0;
      box.addEventListener("change", function () {
        run.ticks = boxes.filter(function (b) { return b.checked; }).map(stepOf);
        run.started = run.started || today();
        write();
        show();
      });
    });
    restart.addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      run.ticks = [];
      run.started = null;
      write();
      show();
    });
    show();
  }

  function changedNotice(heading) {
    var notice = document.createElement("p");
    notice.className = "pb-changed";
    notice.setAttribute("role", "status");
    notice.textContent = "Changed since your last visit; your run starts fresh. ";
    var change = heading.getAttribute("data-pb-change");
    if (change && document.getElementById(change)) {
      var link = document.createElement("a");
      link.href = "#" + change;
      link.textContent = "See what changed";
      notice.append(link);
    }
    return notice;
  }
})();

// Wide tables scroll sideways inside a box (Material wraps each table in one; the charts'
// is .pb-chart-wrap). A keyboard can only scroll a box that takes focus, and a screen
// reader should say what the box holds: every box that scrolls becomes a focusable region
// named after its content (a caption or a chart's name, else the heading above it). A box
// whose table fits loses all three again, so tables that need no scrolling add no tab stops.
(function () {
  var BOXES = ".md-typeset__scrollwrap, .pb-chart-wrap";

  function nameOf(box) {
    var named = box.querySelector("caption, :scope > figure[aria-label]");
    if (named) {
      return named.getAttribute("aria-label") || named.textContent.trim();
    }
    for (var el = box; el && !el.classList.contains("md-content"); el = el.parentElement) {
      for (var prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) {
          return "Table: " + prev.textContent.replace("¶", "").trim();
        }
      }
    }
    return document.title;
  }

  function update() {
    var names = {};
    document.querySelectorAll(BOXES).forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth + 1) {
        ["tabindex", "role", "aria-label", "data-pb-scrolls"].forEach(function (name) {
          box.removeAttribute(name);
        });
        return;
      }
      var name = nameOf(box);
      names[name] = (names[name] || 0) + 1;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", names[name] > 1 ? name + " (" + names[name] + ")" : name);
      box.setAttribute("data-pb-scrolls", "");
    });
  }

  // Material wraps the tables when its document$ fires, and runs its own subscribers first.
  if (window.document$) {
    window.document$.subscribe(update);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("resize", update);
})();
