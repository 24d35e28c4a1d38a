// The publications page's search box: filters the list as you type. Without
// this script the box stays hidden and every publication is shown.
(function () {
  "use strict";
  var box = document.querySelector("[data-pub-search]");
  if (!box) return;
  var noMatch = document.querySelector("[data-pub-no-match]");
  var groups = Array.prototype.slice.call(document.querySelectorAll(".pub-year-group"));
  var entries = Array.prototype.slice.call(document.querySelectorAll(".pubs .pub"));

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Read each entry's text once: title, authors, venue, year, abstract.
  var texts = entries.map(function (entry) {
    var group = entry.closest(".pub-year-group");
    var year = group ? group.querySelector(".pub-year").textContent : "";
    return fold(entry.textContent + " " + year);
  });

  function filter() {
    var words = fold(box.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (entry, i) {
      var match = words.every(function (word) { return texts[i].indexOf(word) !== -1; });
      entry.hidden = !match;
      if (match) shown++;
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector(".pub:not([hidden])");
    });
    if (noMatch) noMatch.hidden = shown > 0;
  }

  box.hidden = false;
  box.addEventListener("input", filter);
})();
