/* The search tokenizer: the same algorithm as zonearchive/render/tokenize.py.
   Both are checked against tests/token_vectors.json. */
(function (root) {
  "use strict";
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}";
  // A Chinese run, or an ASCII run with the unit that follows it (looked at, not taken).
  var RUN = new RegExp("([" + HAN + "]+)|([0-9a-z]+(?:\\.[0-9]+)*)(?=\\s*([" + HAN + "%‰℃°])|)", "gu");
  var HAN_CHAR = new RegExp("^[" + HAN + "]$", "u");

  function fold(text) {
    if (!/[\uff01-\uff5e\u3000A-Z]/.test(text)) return text;  // nothing to fold: most text
    var out = "";
    for (var ch of text) {
      var code = ch.codePointAt(0);
      if (code >= 0xff01 && code <= 0xff5e) ch = String.fromCodePoint(code - 0xfee0);
      else if (code === 0x3000) ch = " ";
      if (ch >= "A" && ch <= "Z") ch = String.fromCharCode(ch.charCodeAt(0) + 32);
      out += ch;
    }
    return out;
  }

  // The tokens a query asks for, every one required: a run's pairs, a lone character
  // as itself, a number with its unit as one token (150℃).
  function tokenize(text) {
    var tokens = [];
    if (!text) return tokens;
    var match, unitTaken = false;
    var folded = fold(String(text));
    RUN.lastIndex = 0;
    while ((match = RUN.exec(folded)) !== null) {
      var han = match[1], word = match[2], unit = match[3];
      if (word) {
        var joined = !!unit && /[0-9]$/.test(word);
        tokens.push(joined ? word + unit : word);
        unitTaken = joined && HAN_CHAR.test(unit);
        continue;
      }
      var chars = Array.from(han);
      if (chars.length === 1) {
        if (!unitTaken) tokens.push(han);
      } else {
        for (var i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
      }
      unitTaken = false;
    }
    return tokens;
  }

  // 32-bit FNV-1a over UTF-16 code units: which shard holds a term (the same as
  // term_hash in zonearchive/render/tokenize.py).
  function termHash(term) {
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }

  var api = { fold: fold, tokenize: tokenize, termHash: termHash };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.zaTokenize = api;
})(this);
