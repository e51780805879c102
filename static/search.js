/* zonearchive search page. Loads the manifest, then only the shards that hold the
   query's terms, and ranks them as lunr 2.3.9 would rank one whole index. Results
   holding the query as typed (spaces and punctuation aside) come first. A query with
   a Traditional character is converted to Simplified first (a map loaded only then);
   a term the index lacks is retried with the index's homophones (a map loaded only
   then). A result is shown from its article page (fetched, then parsed by DOMParser
   into an inert document: no script runs, nothing loads), whose text is read with
   textContent; all text goes into this page through textContent. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.getAttribute("data-index");          // ".../search/index/"
  var root = script.getAttribute("data-root");            // link to the site root
  // Five results at a time (更多结果 shows five more): each needs its article's page
  // for the snippet, most of what a query costs on a phone.
  var PAGE = 5, SNIPPET = 110;
  var DOC_TEXT = 20000;  // characters of a result's text read for its snippet (news articles are far shorter)
  var FORMAT = 7;  // the manifest "version" this script reads (render/search/index.py)
  // Archives of up to this many lengths files (16,384 articles, ~50 KB) fetch them
  // all while the reader types: a later query then waits only for its own shards.
  var PREFETCH_LENGTHS = 16;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var zoneSelect = document.getElementById("zone-filter");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var manifest = null, zoneTable = null, t2s = null, pinyin = null;
  var fileCache = Object.create(null), docCache = Object.create(null), termCache = Object.create(null);
  var composing = false, timer = null, generation = 0, shown = null;
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;

  function fetchOnce(url, how) {
    return fileCache[url] || (fileCache[url] = fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url.replace(base, "") + ": HTTP " + r.status);
      return how === "bytes" ? r.arrayBuffer() : how === "text" ? r.text() : r.json();
    }));
  }
  // A manifest of another format (a browser's cached copy from before a deploy) is
  // fetched again past the cache; still another, the reader is asked to reload.
  function getManifest() {
    return manifest || (manifest = fetchOnce(base + "manifest.json").then(function (m) {
      if (m.version === FORMAT) return m;
      return fetch(base + "manifest.json", { cache: "reload" }).then(function (r) { return r.json(); }).then(function (again) {
        if (again.version !== FORMAT) throw new Error("搜索索引已更新，请刷新本页");
        return again;
      });
    }));
  }
  function getZones() {
    return zoneTable || (zoneTable = fetchOnce(base + "zones.json"));
  }
  // URLs file k: the pages of documents k * m.urlDocs onwards, one a line.
  var urlLists = Object.create(null);
  function urlsFile(m, k) {
    return urlLists[k] || (urlLists[k] = fetchOnce(base + "u" + k + "-" + m.urls.charAt(k) + ".txt", "text")
      .then(function (text) { return text.split("\n"); }));
  }
  // Document ref's page: its URL from its URLs file, then the page.
  function getDoc(ref) {
    return docCache[ref] || (docCache[ref] = getManifest().then(function (m) {
      var per = m.urlDocs, k = (ref - ref % per) / per;
      return urlsFile(m, k).then(function (list) {
        var url = list[ref - k * per];
        // A page gone since this index was made (the preview publishes pages before
        // the index) is shown by its address, not as a failed search.
        return fetchOnce(relative(url), "text").then(function (html) { return readPage(url, html); }, function () {
          delete docCache[ref];
          return { url: url, title: url, kicker: null, zone: "", byline: null, date: null, text: "" };
        });
      });
    }));
  }
  // What a result shows, as the article page (templates/article.html) shows it.
  function readPage(url, html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var story = page.querySelector("article.story") || page.body;
    function text(selector) {
      var node = story.querySelector(selector);
      return node ? node.textContent.trim() : null;
    }
    var body = story.querySelector(".body"), time = story.querySelector(":scope > header time[datetime]");
    var byline = text(":scope > header .byline");
    return {
      url: url,
      title: text(":scope > header h1") || url,
      kicker: text(":scope > header .kicker"),
      zone: text(":scope > header a.zone") || "",
      byline: byline === "佚名" ? null : byline,
      date: time ? time.getAttribute("datetime") : null,
      // Bounded, as the result files were: the snippet weighs every match against every other.
      text: body ? Array.prototype.map.call(body.children, function (c) { return c.textContent; }).join("\n").slice(0, DOC_TEXT) : ""
    };
  }
  // One character per file in the manifest ("." for an empty shard). A term's shard
  // is fixed by its hash; the count of shards is a power of two.
  function fileOf(list, key, prefix, ext) {
    var k = zaTokenize.termHash(key) & (list.length - 1), c = list.charAt(k);
    return c === "." ? null : prefix + k + "-" + c + ext;
  }
  function shardFor(m, term) {
    return fileOf(m.shards, term, "s", ".txt");
  }

  // Numbers as printable base-47 digits (! to O: more follow; P to ~: the last).
  function numbers(bytes) {
    var reader = { at: 0 };
    reader.next = function () {
      var value = 0, scale = 1, d;
      for (;;) {
        d = bytes[reader.at++] - 0x21;
        if (d >= 47) return value + (d - 47) * scale;
        value += d * scale;
        scale *= 47;
      }
    };
    reader.column = function (n) {
      var out = new Uint32Array(n);
      for (var i = 0; i < n; i++) out[i] = reader.next();
      return out;
    };
    return reader;
  }
  // Shard (see zonearchive/render/search/shardfile.py): terms, rows, term bytes; the
  // terms; each term's field runs (count, then field and rows of each); then a step
  // per row (doc delta * TF_STEP + min(tf, TF_STEP) - 1); then tf - TF_STEP for each
  // row whose tf is TF_STEP or more.
  var TF_STEP = 4;
  function readShard(buffer) {
    var bytes = new Uint8Array(buffer), reader = numbers(bytes), next = reader.next;
    var nterms = next(), nrows = next(), nbytes = next(), at = reader.at;
    var terms = nterms ? new TextDecoder().decode(bytes.subarray(at, at + nbytes)).split("\n") : [];
    reader.at = at + nbytes;
    var offsets = new Uint32Array(nterms + 1), fields = new Uint8Array(nrows), row = 0;
    for (var k = 0; k < nterms; k++) {
      for (var runs = next(); runs > 0; runs--) {
        var f = next();
        for (var n = next(); n > 0; n--) fields[row++] = f;
      }
      offsets[k + 1] = row;
    }
    var docs = reader.column(nrows), tfs = new Uint32Array(nrows);
    for (var i = 0; i < nrows; i++) {
      var tf = docs[i] % TF_STEP + 1;
      docs[i] = (docs[i] - tf + 1) / TF_STEP;
      tfs[i] = tf === TF_STEP ? TF_STEP + next() : tf;
    }
    return { terms: terms, offsets: offsets, docs: docs, tfs: tfs, fields: fields };
  }
  // Field lengths, LENGTH_DOCS documents to a file, field by field: fetched for the
  // documents a query's terms all hold, and only those files.
  var lengthCache = Object.create(null);
  function lengthsFile(m, k) {
    var count = Math.min(m.lengthDocs, m.documents - k * m.lengthDocs);
    return lengthCache[k] || (lengthCache[k] = fetchOnce(base + "l" + k + "-" + m.lengths.charAt(k) + ".txt", "bytes")
      .then(function (buffer) { return numbers(new Uint8Array(buffer)).column(count * m.fields.length); }));
  }
  function lengthsOf(m, docs) {
    var per = m.lengthDocs, wanted = [];
    docs.forEach(function (doc) {
      var k = (doc - doc % per) / per;
      if (wanted.indexOf(k) < 0) wanted.push(k);
    });
    return Promise.all(wanted.map(function (k) { return lengthsFile(m, k); })).then(function (files) {
      var got = Object.create(null);
      wanted.forEach(function (k, i) { got[k] = files[i]; });
      return function (doc, f) {
        var k = (doc - doc % per) / per, count = Math.min(per, m.documents - k * per);
        return got[k][f * count + doc - k * per];
      };
    });
  }
  function lookup(shard, term) {
    var lo = 0, hi = shard.terms.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, t = shard.terms[mid];
      if (t === term) return mid;
      if (t < term) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }
  var shardCache = Object.create(null);
  function getShard(name) {
    return shardCache[name] || (shardCache[name] = fetchOnce(base + name, "bytes").then(readShard));
  }

  // One term's postings, decoded once: field, doc and term frequency of each, in
  // field, doc order, or null when the index lacks the term.
  function postings(m, terms) {
    var names = terms.map(function (t) { return shardFor(m, t); });
    var wanted = names.filter(function (n, i) { return n && names.indexOf(n) === i; });
    return Promise.all(wanted.map(getShard)).then(function () {
      return Promise.all(terms.map(function (t, i) {
        return names[i] ? getShard(names[i]).then(function (s) { return decodeTerm(m, s, t); }) : null;
      }));
    });
  }
  function decodeTerm(m, shard, term) {
    if (term in termCache) return termCache[term];
    var k = lookup(shard, term);
    if (k < 0) return (termCache[term] = null);
    var from = shard.offsets[k], df = shard.offsets[k + 1] - from;  // lunr counts a document once per field
    var rows = { length: df, field: new Uint8Array(df), doc: new Uint32Array(df), tf: new Uint32Array(df) };
    rows.idf = Math.log(1 + Math.abs((m.documents - df + 0.5) / (df + 0.5)));
    var doc = 0, last = -1;
    for (var i = 0; i < df; i++) {
      var row = from + i, f = shard.fields[row];
      doc = f === last ? doc + shard.docs[row] : shard.docs[row];
      last = f;
      rows.field[i] = f;
      rows.doc[i] = doc;
      rows.tf[i] = shard.tfs[row];
    }
    return (termCache[term] = rows);
  }
  // The score lunr.js 2.3.9's Builder gives a posting, operation for operation (BM25
  // with the archive's document count and average field lengths from the manifest).
  function score(m, rows, j, lengthOf) {
    var f = rows.field[j], tf = rows.tf[j];
    var s = rows.idf * ((m.k1 + 1) * tf) / (m.k1 * (1 - m.b + m.b * (lengthOf(rows.doc[j], f) / m.average[f])) + tf);
    s *= m.boosts[f];
    return Math.round(1e3 * s) / 1e3;
  }
  // Documents every one of the rows holds (in some field).
  function heldByAll(m, rows) {
    var held = new Uint16Array(m.documents), mark = new Uint8Array(m.documents), out = [];
    rows.forEach(function (r) {
      var i;
      for (i = 0; i < r.length; i++) {
        if (!mark[r.doc[i]]) { mark[r.doc[i]] = 1; held[r.doc[i]]++; }
      }
      for (i = 0; i < r.length; i++) mark[r.doc[i]] = 0;
    });
    for (var d = 0; d < m.documents; d++) if (held[d] === rows.length) out.push(d);
    return { held: held, docs: out };
  }
  function docsOf(rows) {
    var docs = Object.create(null);
    for (var i = 0; i < rows.length; i++) docs[rows.doc[i]] = true;
    return docs;
  }

  // lunr 2.3.9's Index.query for required terms, operation for operation, over the
  // postings of the query's terms alone (lunr touches only those): a document must
  // hold every term in some field; per field, score = dot(query vector, field vector)
  // / |query vector| with the dot product summed in term order (lunr numbers terms in
  // sorted order), the query vector counting each term once per time it was asked
  // for; a document's fields are added in the order lunr meets them (query term,
  // then field); results by score, ties by document number (lunr's object order).
  function rank(m, asked, terms, rows, all, lengthOf) {
    if (!terms.length || rows.some(function (r) { return !r; })) return [];
    var count = Object.create(null), clause = Object.create(null), magnitude = 0;
    asked.forEach(function (t, k) { count[t] = (count[t] || 0) + 1; if (!(t in clause)) clause[t] = k; });
    var sorted = terms.map(function (t, i) { return i; }).sort(function (a, b) {
      return terms[a] < terms[b] ? -1 : terms[a] > terms[b] ? 1 : 0;
    });
    sorted.forEach(function (i) { magnitude += count[terms[i]] * count[terms[i]]; });
    magnitude = Math.sqrt(magnitude);
    // A document is kept when every term holds it (in some field).
    var n = m.documents, nf = m.fields.length, held = all.held;
    var dots = new Float64Array(n * nf), firstSeen = new Int32Array(n * nf).fill(-1), touched = [];
    sorted.forEach(function (i) {
      var r = rows[i], q = count[terms[i]], at = clause[terms[i]];
      for (var j = 0; j < r.length; j++) {
        var doc = r.doc[j];
        if (held[doc] !== terms.length) continue;
        var key = doc * nf + r.field[j], seen = at * nf + r.field[j], s = score(m, r, j, lengthOf);
        if (firstSeen[key] < 0) { touched.push(key); firstSeen[key] = seen; dots[key] = q * s; }
        else { dots[key] += q * s; if (seen < firstSeen[key]) firstSeen[key] = seen; }
      }
    });
    var byDoc = new Map();
    touched.forEach(function (key) {
      var doc = (key - key % nf) / nf, parts = byDoc.get(doc);
      if (!parts) byDoc.set(doc, (parts = []));
      parts.push([firstSeen[key], dots[key] / magnitude || 0]);
    });
    var hits = [];
    byDoc.forEach(function (parts, doc) {
      parts.sort(function (a, b) { return a[0] - b[0]; });
      var score = parts[0][1];
      for (var i = 1; i < parts.length; i++) score += parts[i][1];
      hits.push({ ref: String(doc), score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.ref - b.ref; });
    return hits;
  }

  // What a query is made of: its words as typed (Chinese runs, Latin words, numbers
  // with units) and, between two Chinese runs parted only by spaces or punctuation,
  // the pair that joins them: a result holding every joining pair holds the query
  // as typed, and comes first.
  function parse(query) {
    var folded = zaTokenize.fold(query), words = [], bridges = [];
    var re = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+)|[0-9a-z]+(?:\.[0-9]+)*(?=\s*([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}%‰℃°])|)/gu;
    var match, last = null, unitTaken = false;
    while ((match = re.exec(folded)) !== null) {
      var word = match[0], gapStart = last ? last.end : 0;
      if (match[1] && last && last.han && !/[0-9a-z]/.test(folded.slice(gapStart, match.index))) {
        bridges.push(Array.from(last.word).pop() + Array.from(word)[0]);
      }
      last = { word: word, han: !!match[1], end: match.index + word.length };
      if (match[2] && /[0-9]$/.test(word)) {
        words.push(word + match[2]);  // a number with its unit (2025年) is one word
        unitTaken = HAN.test(match[2]);
        continue;
      }
      if (!(unitTaken && Array.from(word).length === 1)) words.push(word);
      unitTaken = false;
    }
    var asked = zaTokenize.tokenize(query);
    var tokens = asked.filter(function (t, i, all) { return all.indexOf(t) === i; });
    // The query as typed, spaces and punctuation aside (企业 发展 -> 企业发展).
    var phrase = bridges.length ? words.filter(function (w) { return HAN.test(w); }).join("") : null;
    return { text: query, asked: asked, tokens: tokens, words: words, bridges: bridges, phrase: phrase };
  }

  function run(m, parsed) {
    var terms = parsed.tokens.concat(parsed.bridges);
    return postings(m, terms).then(function (rows) {
      var own = rows.slice(0, parsed.tokens.length);
      var all = own.some(function (r) { return !r; }) ? { docs: [] } : heldByAll(m, own);
      return lengthsOf(m, all.docs).then(function (lengthOf) { return [rows, rank(m, parsed.asked, parsed.tokens, own, all, lengthOf)]; });
    }).then(function (both) {
      var rows = both[0], hits = both[1];
      var joined = rows.slice(parsed.tokens.length).map(function (r) { return r ? docsOf(r) : {}; });
      hits.forEach(function (h, i) {
        h.order = i;
        h.whole = joined.every(function (docs) { return docs[h.ref]; });
      });
      hits.sort(function (a, b) { return (b.whole - a.whole) || (a.order - b.order); });
      return { hits: hits, missing: parsed.tokens.filter(function (t, i) { return !rows[i]; }) };
    });
  }

  // Traditional -> Simplified: only characters the manifest marks Traditional-only,
  // longest OpenCC phrase first. Simplified text is never changed.
  function isTraditional(m, ch) {
    var code = ch.codePointAt(0) - m.tradFrom, bits = m.tradBits;
    if (!bits) {
      var raw = atob(m.trad);
      bits = m.tradBits = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bits[i] = raw.charCodeAt(i);
    }
    return code >= 0 && code < bits.length * 8 && (bits[code >> 3] & (1 << (code & 7))) !== 0;
  }
  function simplified(m, query) {
    if (!Array.from(query).some(function (ch) { return isTraditional(m, ch); })) return Promise.resolve(query);
    return (t2s || (t2s = fetchOnce(base + m.t2s).then(function (data) {
      var chars = Object.create(null), list = Array.from(data.c), longest = 1;
      for (var i = 0; i + 1 < list.length; i += 2) chars[list[i]] = list[i + 1];
      Object.keys(data.p).forEach(function (p) { longest = Math.max(longest, Array.from(p).length); });
      return { chars: chars, phrases: data.p, longest: longest };
    }))).then(function (map) {
      var chars = Array.from(query), out = "";
      for (var i = 0; i < chars.length;) {
        var n = Math.min(map.longest, chars.length - i), done = false;
        for (; n > 1 && !done; n--) {
          var piece = chars.slice(i, i + n).join("");
          if (Object.prototype.hasOwnProperty.call(map.phrases, piece)) { out += map.phrases[piece]; i += n; done = true; }
        }
        if (!done) { out += map.chars[chars[i]] || chars[i]; i++; }
      }
      return out;
    });
  }

  // Homophones: the index's own terms with the same toneless pinyin as a term it
  // lacks (the typical slip of a pinyin input method: 隔模 for 隔膜).
  function homophoneQueries(m, parsed) {
    var missing = parsed.missing.filter(function (t) { return HAN.test(t); });
    if (!missing.length) return Promise.resolve([]);
    return (pinyin || (pinyin = fetchOnce(base + m.pinyin).then(function (table) {
      var of = Object.create(null);
      Object.keys(table).forEach(function (s) { Array.from(table[s]).forEach(function (c) { of[c] = of[c] || s; }); });
      return of;
    }))).then(function (of) {
      var keys = missing.map(function (t) {
        var parts = Array.from(t).map(function (c) { return of[c]; });
        return parts.every(Boolean) ? parts.join(" ") : null;
      });
      return Promise.all(keys.map(function (key) {
        if (!key) return {};
        var name = fileOf(m.homophones, key, "h", ".json");
        return name ? fetchOnce(base + name) : {};
      })).then(function (maps) {
        var queries = [parsed.text];
        missing.forEach(function (t, i) {
          var alternatives = (keys[i] && maps[i][keys[i]]) || [];
          var next = [];
          queries.forEach(function (q) {
            alternatives.forEach(function (alt) {
              if (alt !== t && q.indexOf(t) >= 0) next.push(q.split(t).join(alt));
            });
          });
          if (next.length) queries = next.slice(0, 12);
        });
        return queries.filter(function (q) { return q !== parsed.text; });
      });
    });
  }

  function search(query) {
    return getManifest().then(function (m) {
      return simplified(m, query).then(function (text) {
        var parsed = parse(text);
        if (!parsed.tokens.length) return { hits: [], parsed: parsed, text: text };
        return run(m, parsed).then(function (found) {
          parsed.missing = found.missing;
          if (found.hits.length || !found.missing.length) return { hits: found.hits, parsed: parsed, text: text };
          return homophoneQueries(m, parsed).then(function (alternatives) {
            var tryNext = function (i) {
              if (i >= alternatives.length) return { hits: [], parsed: parsed, text: text };
              var alt = parse(alternatives[i]);
              return run(m, alt).then(function (r) {
                return r.hits.length ? { hits: r.hits, parsed: alt, text: text, instead: alternatives[i] } : tryNext(i + 1);
              });
            };
            return tryNext(0);
          });
        });
      });
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }
  function relative(url) {
    return root + url;  // doc URLs are relative to the site root
  }
  // What to mark: the query as typed and each of its words, where the text holds
  // them whole (never a word's pieces: 工作 is not 院士工作站).
  function marksFor(folded, parsed) {
    var needles = (parsed.phrase ? [parsed.phrase] : []).concat(parsed.words);
    var spans = [];
    needles.forEach(function (n) {
      for (var at = folded.indexOf(n); at >= 0 && n; at = folded.indexOf(n, at + 1)) spans.push([at, at + n.length]);
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]); else merged.push(s.slice());
    });
    return merged;
  }
  function marked(tag, cls, text, spans, from, to) {
    var node = el(tag, cls), at = from;
    spans.forEach(function (s) {
      var a = Math.max(s[0], from), b = Math.min(s[1], to);
      if (b <= a) return;
      if (a > at) node.appendChild(document.createTextNode(text.slice(at, a)));
      node.appendChild(el("mark", null, text.slice(a, b)));
      at = b;
    });
    if (at < to) node.appendChild(document.createTextNode(text.slice(at, to)));
    return node;
  }
  // The best passage: the window holding the most distinct query words (whole words
  // counting more than pieces), anywhere in the article.
  function snippet(text, parsed) {
    var flat = text.replace(/\s+/g, " ");
    var folded = zaTokenize.fold(flat);
    var spans = marksFor(folded, parsed);
    var start = 0, best = -1;
    spans.forEach(function (s) {
      var from = Math.max(0, s[0] - 30), seen = Object.create(null), score = 0;
      spans.forEach(function (o) {
        if (o[0] >= from && o[1] <= from + SNIPPET) {
          var w = folded.slice(o[0], o[1]);
          if (!seen[w]) { seen[w] = true; score += w.length; }
        }
      });
      if (score > best) { best = score; start = from; }
    });
    var end = Math.min(flat.length, start + SNIPPET);
    var p = marked("p", "snippet", flat, spans, start, end);
    if (start > 0) p.insertBefore(document.createTextNode("…"), p.firstChild);
    if (end < flat.length) p.appendChild(document.createTextNode("…"));
    p.normalize();
    return p;
  }
  function renderResult(doc, parsed) {
    var li = el("li");
    if (doc.kicker) li.appendChild(el("p", "kicker", doc.kicker));
    var h = el("h3");
    var title = zaTokenize.fold(doc.title);
    var a = marked("a", null, doc.title, marksFor(title, parsed), 0, doc.title.length);
    a.href = relative(doc.url);
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "meta");
    meta.appendChild(el("span", "zone", doc.zone));
    if (doc.byline) meta.appendChild(el("span", "byline", doc.byline));
    if (doc.date) {
      // As the pages show it (2025年1月6日), the ISO date in datetime.
      var d = doc.date.split("-");
      var time = el("time", "date", +d[0] + "年" + +d[1] + "月" + +d[2] + "日");
      time.setAttribute("datetime", doc.date);
      meta.appendChild(time);
    }
    li.appendChild(meta);
    li.appendChild(snippet(doc.text, parsed));
    return li;
  }

  // The zone filter shows how many results each zone holds.
  // Documents are numbered zone by zone: z.start[i] is zone i's first number.
  function zoneOf(z, ref) {
    var lo = 0, hi = z.start.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (z.start[mid] <= ref) lo = mid; else hi = mid - 1;
    }
    return z.zones[lo];
  }
  function countZones(z, hits) {
    var counts = {};
    hits.forEach(function (h) { var slug = zoneOf(z, +h.ref); counts[slug] = (counts[slug] || 0) + 1; });
    Array.prototype.forEach.call(zoneSelect.options, function (option) {
      if (!option.getAttribute("data-name")) option.setAttribute("data-name", option.textContent);
      var name = option.getAttribute("data-name");
      option.textContent = option.value ? name + "（" + (counts[option.value] || 0) + "）" : name + "（" + hits.length + "）";
    });
  }

  function showMore(mine) {
    var next = shown.hits.slice(shown.at, shown.at + PAGE);
    return Promise.all(next.map(function (h) { return getDoc(h.ref); })).then(function (docs) {
      if (mine !== generation) return;
      docs.forEach(function (doc) { results.appendChild(renderResult(doc, shown.parsed)); });
      shown.at += next.length;
      more.hidden = shown.at >= shown.hits.length;
    });
  }

  function show(query, zone) {
    var mine = ++generation;
    results.setAttribute("data-state", "loading");
    more.hidden = true;
    if (!query.trim()) {
      results.textContent = "";
      status.textContent = "";
      results.setAttribute("data-state", "done");
      return Promise.resolve();
    }
    var found;
    return search(query).then(function (r) {
      found = r;
      if (!r.hits.length) return r.hits;
      var counted = getZones().then(function (z) {
        if (mine === generation) countZones(z, r.hits);
        return z;
      });
      if (!zone) {
        counted.catch(function () {});  // without counts the results still stand
        return r.hits;  // the counts come when zones.json does, not before the results
      }
      return counted.then(function (z) {
        return r.hits.filter(function (h) { return zoneOf(z, +h.ref) === zone; });
      });
    }).then(function (hits) {
      if (mine !== generation) return;
      shown = { hits: hits, parsed: found.parsed, at: 0 };
      return Promise.all(hits.slice(0, PAGE).map(function (h) { return getDoc(h.ref); })).then(function () {
        if (mine !== generation) return;
        results.textContent = "";
        var said = "“" + query + "”";
        if (found.instead) said = "“" + found.instead + "”";
        else if (found.text !== query) said += "（按简体“" + found.text + "”查找）";
        if (!hits.length) {
          status.textContent = "没有找到与“" + query + "”相关的文章。";
          results.appendChild(el("li", "no-results", "没有结果。请换一个关键词，或减少关键词。"));
          results.setAttribute("data-state", "done");
          return;
        }
        status.textContent = (found.instead ? "没有找到“" + found.text + "”，显示" + said + "的结果。" : "") +
          "找到 " + hits.length + " 篇与" + said + "相关的文章。";
        return showMore(mine).then(function () { if (mine === generation) results.setAttribute("data-state", "done"); });
      });
    }).catch(function (error) {
      if (mine !== generation) return;
      results.textContent = "";
      status.textContent = "搜索出错：" + error.message;
      results.setAttribute("data-state", "done");
    });
  }

  function fromURL() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    zoneSelect.value = params.get("zone") || "";
    return show(input.value, zoneSelect.value);
  }
  function toURL(push) {
    var params = new URLSearchParams();
    if (input.value) params.set("q", input.value);
    if (zoneSelect.value) params.set("zone", zoneSelect.value);
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (composing) return;
    clearTimeout(timer);
    toURL(true);
    show(input.value, zoneSelect.value);
  });
  input.addEventListener("compositionstart", function () { composing = true; });
  input.addEventListener("compositionend", function () { composing = false; schedule(); });
  input.addEventListener("input", function (event) {
    if (composing || event.isComposing) return;   // never search half-typed pinyin
    schedule();
  });
  zoneSelect.addEventListener("change", function () { toURL(true); show(input.value, zoneSelect.value); });
  more.addEventListener("click", function () {
    if (results.getAttribute("data-state") === "loading") return;  // a second click would add the same five again
    results.setAttribute("data-state", "loading");
    var mine = generation;
    showMore(mine).then(function () { if (mine === generation) results.setAttribute("data-state", "done"); });
  });
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { toURL(false); show(input.value, zoneSelect.value); }, 250);
  }
  window.addEventListener("popstate", fromURL);
  // Fetched while the reader types, so a query waits only for its own shards.
  getManifest().then(function (m) {
    if (m.lengths.length <= PREFETCH_LENGTHS) {
      for (var k = 0; k < m.lengths.length; k++) lengthsFile(m, k).catch(function () {});
    }
  }).catch(function () {});
  getZones().catch(function () {});
  var header = document.getElementById("site-search");
  if (header) header.value = new URLSearchParams(location.search).get("q") || "";
  fromURL();
})();
