"""One tokenizer, two implementations: both must give the shared vectors."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter

import pytest
from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st

from zonearchive.render.tokenize import count_tokens, index_tokens, term_hash, tokenize

VECTORS = json.loads((REPO / "tests" / "token_vectors.json").read_text(encoding="utf-8"))["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["input"] or "empty" for v in VECTORS])
def test_python_tokenizer_matches_the_vectors(vector):
    assert tokenize(vector["input"]) == vector["tokens"]
    if "index" in vector:
        assert index_tokens(vector["input"]) == vector["index"]


def test_every_query_token_is_held_by_the_index_of_the_same_text():
    # What a query asks for is always there in an article that holds the query's text.
    for v in VECTORS:
        assert set(tokenize(v["input"])) <= set(index_tokens(v["input"])), v["input"]


def test_a_number_with_its_unit_does_not_match_a_longer_number():
    assert tokenize("150℃") == ["150℃"]
    assert "150℃" not in index_tokens("150.59亿元") and "150" not in index_tokens("150.59亿元")


def test_spaced_and_unspaced_numbers_search_the_same():
    assert tokenize("19亿元") == tokenize("19 亿元") == tokenize("１９亿元")


def test_javascript_tokenizer_matches_the_vectors_in_node():
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed; the browser test checks static/tokenize.js in Chromium too")
    script = (
        "const t = require(process.argv[1]);"
        "const v = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8')).vectors;"
        "console.log(JSON.stringify(v.map(x => [t.tokenize(x.input), t.tokenize(x.input).map(t.termHash)])));"
    )
    run = subprocess.run(
        [node, "-e", script, str(REPO / "static" / "tokenize.js"), str(REPO / "tests" / "token_vectors.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    # Tokens, and the hashes that pick each token's shard, as Python makes them.
    assert json.loads(run.stdout) == [[v["tokens"], [term_hash(t) for t in v["tokens"]]] for v in VECTORS]


@given(
    st.text(alphabet=st.sampled_from("锂电池隔膜开发区ＴＰＵtpu19 亿元，。𠀋A.℃%"), max_size=60) | st.text(max_size=60)
)
def test_counting_tokens_equals_counting_the_token_list(text):
    assert count_tokens(text) == Counter(index_tokens(text))
