// The markdown editor (django-markdownx): show why an image drop was refused.
//
// markdownx answers a refused upload by typing "Invalid response" into the
// text and logging the reason to the console. Show our reason above the
// editor instead, and take that stray text back out.
(function () {
  "use strict";
  var STRAY = "Invalid response";

  function show(editor, message) {
    var box = editor.parentNode.querySelector(".markdownx-message");
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }

  function start() {
  document.querySelectorAll(".markdownx").forEach(function (widget) {
    var editor = widget.querySelector(".markdownx-editor");
    if (!editor) return;
    widget.addEventListener("markdownx.fileUploadError", function (event) {
      var response = (event.detail && event.detail[0]) || {};
      var reasons = (response && response.image) || ["This image could not be added."];
      show(editor, reasons.join(" "));
      // markdownx inserts its placeholder right after this event.
      window.setTimeout(function () {
        if (editor.value.indexOf(STRAY) !== -1) {
          editor.value = editor.value.replace(STRAY, "");
          editor.dispatchEvent(new Event("input"));
        }
      }, 0);
    });
    widget.addEventListener("markdownx.fileUploadEnd", function () {
      show(editor, "");
    });
  });
  }

  // The admin loads this in <head>; the dashboard at the end of <body>.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
