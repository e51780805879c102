/* zonearchive search page. Loads the manifest, then only the shards that hold the
   query's terms; rebuilds a lunr index of just those terms and asks lunr.js. All
   text goes into the page through textContent: nothing here parses HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.getAttribute("data-index");          // ".../search/index/"
  var docsBase = base.replace(/index\/$/, "docs/");
  var root = script.getAttribute("data-root");            // link to the site root
  var PAGE = 10;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var zoneSelect = document.getElementById("zone-filter");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var manifest = null, zoneTable = null;
  var shardCache = Object.create(null), docCache = Object.create(null);
  var composing = false, timer = null, generation = 0;

  function fetchJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }
  function getManifest() {
    return manifest || (manifest = fetchJSON(base + "manifest.json"));
  }
  function getZones() {
    return zoneTable || (zoneTable = fetchJSON(base + "zones.json"));
  }
  function shardFor(m, term) {
    // A term's shard is fixed by its hash; the count of shards is a power of two.
    return m.shards[zaTokenize.termHash(term) & (m.shards.length - 1)];
  }
  // Binary shard (see zonearchive/site/search.py): header, row offsets per term,
  // doc deltas, term frequencies, field lengths, field numbers, then the terms in
  // UTF-16 order.
  function readShard(buffer) {
    var head = new Uint32Array(buffer, 0, 3), nterms = head[0], nrows = head[1], nbytes = head[2];
    var at = 12;
    var offsets = new Uint32Array(buffer, at, nterms + 1); at += 4 * (nterms + 1);
    var docs = new Uint32Array(buffer, at, nrows); at += 4 * nrows;
    var tfs = new Uint32Array(buffer, at, nrows); at += 4 * nrows;
    var lengths = new Uint32Array(buffer, at, nrows); at += 4 * nrows;
    var fields = new Uint8Array(buffer, at, nrows); at += nrows;
    var terms = nterms ? new TextDecoder().decode(new Uint8Array(buffer, at, nbytes)).split("\n") : [];
    return { terms: terms, offsets: offsets, docs: docs, tfs: tfs, lengths: lengths, fields: fields };
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
  function getShard(name) {
    return shardCache[name] || (shardCache[name] = fetch(base + name).then(function (r) {
      if (!r.ok) throw new Error(name + ": HTTP " + r.status);
      return r.arrayBuffer();
    }).then(readShard));
  }
  function getDoc(ref) {
    return docCache[ref] || (docCache[ref] = fetchJSON(docsBase + ref + ".json"));
  }

  // One term's postings, decoded once: [field, doc, score, ...] in field, doc order.
  // The score is lunr.js 2.3.9's Builder's, operation for operation (BM25 with the
  // archive's document count and average field lengths from the manifest).
  var termCache = Object.create(null);
  function decodeTerm(m, shard, k, term) {
    if (termCache[term]) return termCache[term];
    var rows = [], doc = 0, last = -1;
    var df = shard.offsets[k + 1] - shard.offsets[k];  // lunr counts a document once per field
    var idf = Math.log(1 + Math.abs((m.documents - df + 0.5) / (df + 0.5)));
    for (var row = shard.offsets[k]; row < shard.offsets[k + 1]; row++) {
      var f = shard.fields[row], tf = shard.tfs[row];
      doc = f === last ? doc + shard.docs[row] : shard.docs[row];
      last = f;
      var score = idf * ((m.k1 + 1) * tf) / (m.k1 * (1 - m.b + m.b * (shard.lengths[row] / m.average[f])) + tf);
      score *= m.boosts[f];
      rows.push(f, doc, Math.round(1e3 * score) / 1e3);
    }
    return (termCache[term] = rows);
  }

  // The lunr index of the query's terms only: same scores as the whole index. Every
  // term is required, so a document missing any term can never match; leaving its
  // postings out changes no score (lunr's query vector depends only on which terms
  // exist, and a field vector's dot product only on the query's terms).
  function buildIndex(m, terms, shards) {
    var fields = m.fields, inverted = [], vectors = Object.create(null);
    var present = [];
    terms.forEach(function (t, i) {
      var k = shards[i] ? lookup(shards[i], t) : -1;
      if (k >= 0) present.push({ term: t, rows: decodeTerm(m, shards[i], k, t) });
    });
    if (present.length < terms.length) present = [];  // a required term is absent: no match
    present.sort(function (a, b) { return a.term < b.term ? -1 : a.term > b.term ? 1 : 0; });
    var keep = null;
    present.forEach(function (p) {
      var docs = Object.create(null);
      for (var i = 0; i < p.rows.length; i += 3) {
        if (!keep || keep[p.rows[i + 1]]) docs[p.rows[i + 1]] = true;
      }
      keep = docs;
    });
    present.forEach(function (p, index) {
      var posting = { _index: index };
      fields.forEach(function (field) { posting[field] = {}; });
      var rows = p.rows;
      for (var i = 0; i < rows.length; i += 3) {
        var doc = rows[i + 1];
        if (!keep[doc]) continue;
        var field = fields[rows[i]];
        posting[field][doc] = {};
        var ref = field + "/" + doc;
        (vectors[ref] || (vectors[ref] = [])).push(index, rows[i + 2]);
      }
      inverted.push([p.term, posting]);
    });
    return lunr.Index.load({
      version: "2.3.9", fields: fields, pipeline: [],
      invertedIndex: inverted,
      fieldVectors: Object.keys(vectors).map(function (ref) { return [ref, vectors[ref]]; })
    });
  }

  function search(query) {
    var terms = zaTokenize.tokenize(query).filter(function (t, i, all) { return all.indexOf(t) === i; });
    if (!terms.length) return Promise.resolve([]);
    return getManifest().then(function (m) {
      return Promise.all(terms.map(function (t) {
        var name = shardFor(m, t);
        return name ? getShard(name) : null;
      })).then(function (shards) {
        var idx = buildIndex(m, terms, shards);
        var all = zaTokenize.tokenize(query);
        return idx.query(function (q) {
          all.forEach(function (t) {
            q.term(t, { presence: lunr.Query.presence.REQUIRED, usePipeline: false, wildcard: lunr.Query.wildcard.NONE });
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
  function snippet(text, terms) {
    var flat = text.replace(/\s+/g, " ");
    var folded = zaTokenize.fold(flat).toLowerCase();
    var first = -1;
    terms.forEach(function (t) {
      var at = folded.indexOf(t);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = Math.max(0, first - 30);
    var piece = flat.slice(start, start + 110);
    var foldedPiece = folded.slice(start, start + 110);
    var p = el("p", "snippet");
    if (start > 0) p.appendChild(document.createTextNode("…"));
    var i = 0;
    while (i < piece.length) {
      var hit = 0;
      terms.forEach(function (t) {
        if (t.length > hit && foldedPiece.substr(i, t.length) === t) hit = t.length;
      });
      if (hit) {
        // Extend over overlapping bigrams so 锂电池 marks as one run.
        var end = i + hit, grown = true;
        while (grown) {
          grown = false;
          terms.forEach(function (t) {
            for (var k = i; k < end; k++) {
              if (foldedPiece.substr(k, t.length) === t && k + t.length > end) { end = k + t.length; grown = true; }
            }
          });
        }
        p.appendChild(el("mark", null, piece.slice(i, end)));
        i = end;
      } else {
        var j = i + 1;
        p.appendChild(document.createTextNode(piece.charAt(i)));
        i = j;
      }
    }
    if (start + 110 < flat.length) p.appendChild(document.createTextNode("…"));
    p.normalize();
    return p;
  }
  function renderResult(doc, terms) {
    var li = el("li");
    if (doc.kicker) li.appendChild(el("p", "kicker", doc.kicker));
    var h = el("h3");
    var a = el("a", null, doc.title);
    a.href = relative(doc.url);
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "meta");
    meta.appendChild(el("span", "zone", doc.zone));
    if (doc.date) {
      // As the pages show it (2025年1月6日), the ISO date in datetime.
      var d = doc.date.split("-");
      var time = el("time", "date", +d[0] + "年" + +d[1] + "月" + +d[2] + "日");
      time.setAttribute("datetime", doc.date);
      meta.appendChild(time);
    }
    li.appendChild(meta);
    li.appendChild(snippet(doc.text, terms));
    return li;
  }

  function show(query, zone) {
    var mine = ++generation;
    results.setAttribute("data-state", "loading");
    if (!query.trim()) {
      results.textContent = "";
      status.textContent = "";
      results.setAttribute("data-state", "done");
      return Promise.resolve();
    }
    var terms = zaTokenize.tokenize(query);
    return search(query).then(function (hits) {
      if (!zone) return hits;
      return getZones().then(function (z) {
        var wanted = z.zones.indexOf(zone);
        return hits.filter(function (h) { return z.doc[+h.ref] === wanted; });
      });
    }).then(function (hits) {
      var top = hits.slice(0, PAGE);
      return Promise.all(top.map(function (h) { return getDoc(h.ref); })).then(function (docs) {
        if (mine !== generation) return;
        results.textContent = "";
        if (!hits.length) {
          status.textContent = "没有找到与“" + query + "”相关的文章。";
          results.appendChild(el("li", "no-results", "没有结果。请换一个关键词，或减少关键词。"));
        } else {
          status.textContent = "找到 " + hits.length + " 篇与“" + query + "”相关的文章" + (hits.length > PAGE ? "，显示前 " + PAGE + " 篇" : "") + "。";
          docs.forEach(function (doc) { results.appendChild(renderResult(doc, terms)); });
        }
        results.setAttribute("data-state", "done");
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
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { toURL(false); show(input.value, zoneSelect.value); }, 250);
  }
  window.addEventListener("popstate", fromURL);
  var header = document.getElementById("site-search");
  if (header) header.value = new URLSearchParams(location.search).get("q") || "";
  fromURL();
})();
