#!/usr/bin/python3
"""Generate test/golden/split.json: fastai's RandomSplitter on Debian's PyTorch, for the data tests.

Run from the repo root with the system Python that has PyTorch (Debian's python3-torch):

    /usr/bin/python3 test/golden/make_split_golden.py

fastai's RandomSplitter (fastai/data/transforms.py) is, in full:

    def _inner(o):
        if seed is not None: torch.manual_seed(seed)
        rand_idx = L(list(torch.randperm(len(o)).numpy()))
        cut = int(valid_pct * len(o))
        return rand_idx[cut:], rand_idx[:cut]

It is reproduced here line for line (fastai itself is not installed), and each case records the
training and validation indices. test/data.test.ts demands the same from owlet's RandomSplitter.
7390 is the number of images in Oxford-IIIT Pets, the seed's data set; 60000 is Fashion-MNIST's
training set.
"""
import json
import sys

import torch

CASES = [
    (10, 42, 0.2),
    (100, 42, 0.2),
    (101, 0, 0.25),
    (500, 1, 0.2),
    (7390, 42, 0.2),
    (1000, 2024, 0.1),
    (60000, 42, 0.2),
]


def random_splitter(valid_pct, seed):
    def _inner(o):
        if seed is not None:
            torch.manual_seed(seed)
        rand_idx = list(torch.randperm(len(o)).numpy())
        cut = int(valid_pct * len(o))
        return rand_idx[cut:], rand_idx[:cut]
    return _inner


def main():
    out = {"torch": torch.__version__, "cases": []}
    for n, seed, pct in CASES:
        train, valid = random_splitter(pct, seed)(range(n))
        case = {"n": n, "seed": seed, "validPct": pct, "nValid": len(valid), "nTrain": len(train)}
        if n <= 10000:
            case["train"] = [int(i) for i in train]
            case["valid"] = [int(i) for i in valid]
        else:  # keep the file small: the first and last 50 of each
            case["validHead"] = [int(i) for i in valid[:50]]
            case["validTail"] = [int(i) for i in valid[-50:]]
            case["trainHead"] = [int(i) for i in train[:50]]
            case["trainTail"] = [int(i) for i in train[-50:]]
        out["cases"].append(case)
    with open("test/golden/split.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote test/golden/split.json ({len(CASES)} cases, torch {torch.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
