// newsdesk: a small popover for highlighted entities and quotes in the reader view.
// Everything shown comes from data-* attributes and is set with textContent, never as HTML.
(function () {
  "use strict";
  var pop = null;

  function close() {
    if (pop) { pop.remove(); pop = null; }
  }

  function line(cls, text) {
    var el = document.createElement("div");
    el.className = cls;
    el.textContent = text;
    return el;
  }

  function show(target) {
    close();
    pop = document.createElement("div");
    pop.className = "popover";
    pop.setAttribute("role", "tooltip");
    if (target.classList.contains("entity")) {
      pop.appendChild(line("what", target.getAttribute("title") || ""));
      var link = document.createElement("a");
      link.href = target.getAttribute("data-href") || "#";
      link.textContent = "All about " + (target.getAttribute("data-entity") || "") + " →";
      pop.appendChild(link);
    } else {
      var speaker = target.getAttribute("data-speaker");
      pop.appendChild(line("who", speaker ? speaker : "unknown speaker"));
      pop.appendChild(line("what", target.getAttribute("title") || ""));
    }
    document.body.appendChild(pop);
    var box = target.getBoundingClientRect();
    pop.style.left = Math.max(8, window.scrollX + box.left) + "px";
    pop.style.top = (window.scrollY + box.bottom + 6) + "px";
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("#article-text mark.entity, #article-text .quote") : null;
    if (pop && pop.contains(event.target)) { return; }
    if (!target) { close(); return; }
    // A click on a mark inside a quote shows the mark; clicking the quote's own text shows the quote.
    show(target);
    event.stopPropagation();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(); }
    if (event.key === "Enter" && event.target.matches && event.target.matches("#article-text mark.entity, #article-text .quote")) {
      show(event.target);
    }
  });
})();
