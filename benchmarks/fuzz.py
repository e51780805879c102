"""Long fuzz run of the ingest: N generated pages (re-typeset articles) and N random
page-like texts, checking the properties the test suite checks on a fixed sample.

    python benchmarks/fuzz.py --pages 10000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import test_ingest_generated as generated  # noqa: E402
import test_trust as trust  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    failures = []
    started = time.perf_counter()
    for _i in range(args.pages):
        seed = rng.randrange(2**32)
        for name, check in (
            ("generated", generated.test_generated_pages_give_back_their_articles.hypothesis.inner_test),
            ("nothing-lost", generated.test_nothing_lost_nothing_invented.hypothesis.inner_test),
        ):
            try:
                check(seed)
            except AssertionError as error:
                failures.append((name, seed, str(error)[:200]))
            except Exception as error:  # a crash is the worst failure
                failures.append((name + " CRASH", seed, repr(error)[:200]))
        pieces = [
            rng.choice(trust.PIECES)
            if rng.random() < 0.6
            else "".join(chr(rng.randrange(0x4E00, 0x4E80)) for _ in range(rng.randrange(1, 30)))
            for _ in range(rng.randrange(0, 80))
        ]
        try:
            trust._nothing_lost("".join(pieces))
        except AssertionError as error:
            failures.append(("fuzz-text", "".join(pieces)[:200], str(error)[:200]))
        except Exception as error:
            failures.append(("fuzz-text CRASH", "".join(pieces)[:200], repr(error)[:200]))
    elapsed = time.perf_counter() - started
    # Robustness: a crash, or text lost or invented. Recovery: a generated page whose
    # articles came back other than typeset (a headline given to the wrong body, a
    # paragraph split where the widths mislead) -- an accuracy figure, not a failure.
    robustness = [f for f in failures if "CRASH" in f[0] or f[0] in ("nothing-lost", "fuzz-text")]
    recovery = [f for f in failures if f not in robustness]
    print(f"{args.pages} generated pages + {args.pages} random page-like texts in {elapsed:.0f}s")
    print(f"robustness failures (crash, text lost or invented): {len(robustness)}")
    print(f"generated pages not recovered exactly: {len(recovery)} ({len(recovery) / args.pages:.2%})")
    for failure in (robustness + recovery)[:20]:
        print("  ", failure)
    sys.exit(1 if robustness else 0)


if __name__ == "__main__":
    main()
