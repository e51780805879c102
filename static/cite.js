/* zonearchive: the "复制引文" button and the RIS download of an article page. Plain
   script, no framework. Both are made here, not written into every page: without
   JavaScript neither would work, and the reference is plain, selectable text that
   reference managers also read from the page's citation_* meta tags. */
(function () {
  "use strict";
  var reference = document.getElementById("reference");
  if (reference && reference.getAttribute("data-ris")) {
    var make = function (tag, attributes, text) {
      var node = document.createElement(tag);
      for (var name in attributes) node.setAttribute(name, attributes[name]);
      node.textContent = text;
      return node;
    };
    var actions = make("p", { "class": "cite-actions" }, "");
    actions.append(
      make("button", { type: "button", "class": "copy", "data-copy": "reference" }, "复制引文"), " ",
      make("a", { "class": "ris", download: reference.getAttribute("data-ris"), hidden: "" }, "下载 RIS 文件"), " ",
      make("span", { "class": "copy-status", role: "status", "aria-live": "polite" }, ""));
    reference.parentNode.insertBefore(actions, reference.nextSibling);
  }
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
  // The RIS record (TY NEWS, CRLF line ends as the format asks) from the citation_*
  // meta tags: one source on the page, no file per article on the site.
  function ris() {
    function meta(name) {
      var tags = document.querySelectorAll('meta[name="' + name + '"]');
      return Array.prototype.map.call(tags, function (m) { return m.content.split(/\s+/).join(" ").trim(); });
    }
    var lines = [["TY", "NEWS"]];
    meta("citation_author").forEach(function (name) { lines.push(["AU", name]); });
    lines.push(["TI", meta("citation_title")[0]], ["T2", meta("citation_journal_title")[0]]);
    var date = meta("citation_publication_date")[0], page = meta("citation_firstpage")[0];
    if (date) lines.push(["PY", date.slice(0, 4)], ["DA", date + "/"]);
    if (page) lines.push(["SP", page]);
    var canonical = document.querySelector('link[rel="canonical"]');
    lines.push(["LA", meta("citation_language")[0]], ["UR", canonical ? canonical.href : location.href], ["ER", ""]);
    return lines.map(function (line) { return line[0] + "  - " + (line[1] || "") + "\r\n"; }).join("");
  }
  var link = document.querySelector("a.ris[download]");
  if (link && document.querySelector('meta[name="citation_title"]')) {
    link.href = URL.createObjectURL(new Blob([ris()], { type: "application/x-research-info-systems" }));
    link.hidden = false;
  }
})();
