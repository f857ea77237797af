"""Header matching takes time in proportion to a sheet's width, and chooses exactly as
the plain nested search it replaced."""
import random

import pytest

from analytics.datasets import DATASETS
from analytics.datasets.base import match_headers


def reference(labels, dataset):
    """The plain search, field by field and synonym by synonym for every header."""
    taken, out = {}, {}
    for exact in (True, False):
        for col, label in enumerate(labels):
            if not label or col in out:
                continue
            best, best_len = None, 0
            for f in dataset.fields:
                if f.name in taken:
                    continue
                for key in f.keys:
                    if exact and label == key:
                        best, best_len = f, 10_000
                    elif not exact and len(key) >= 4 and key in label and len(key) > best_len:
                        best, best_len = f, len(key)
            if best is not None:
                out[col] = best
                taken[best.name] = col
    return out


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_same_choice_as_the_plain_search(dataset):
    rng = random.Random(20261128)
    keys = sorted({k for ds in DATASETS.values() for f in ds.fields for k in f.keys})
    for _ in range(300):
        labels = []
        for _ in range(rng.randint(1, 40)):
            kind = rng.random()
            key = rng.choice(keys)
            labels.append(key if kind < 0.4 else f"第{rng.randint(1, 9)}{key}(分)" if kind < 0.7
                          else "" if kind < 0.8 else f"備註{rng.randint(1, 99)}")
        assert match_headers(labels, DATASETS[dataset]) == reference(labels, DATASETS[dataset]), labels
