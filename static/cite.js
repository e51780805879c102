/* zonearchive: the "复制引文" button of an article page. Plain script, no framework.
   Without JavaScript the button stays hidden and the reference is plain, selectable text. */
(function () {
  "use strict";
  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function say(button, text) {
    var status = button.parentNode.querySelector(".copy-status");
    if (status) status.textContent = text;
  }
  function fallback(button, node) {
    // No clipboard API (an insecure origin, or permission refused): select the text
    // so that Ctrl+C / long-press copies it, and try the old command.
    select(node);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    say(button, copied ? "已复制" : "已选中引文，请按 Ctrl+C 复制");
  }
  var buttons = document.querySelectorAll("button[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    (function (button) {
      var node = document.getElementById(button.getAttribute("data-copy"));
      if (!node) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = node.textContent.trim();
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(
            function () { select(node); say(button, "已复制"); },
            function () { fallback(button, node); }
          );
        } else {
          fallback(button, node);
        }
      });
    })(buttons[i]);
  }
})();
