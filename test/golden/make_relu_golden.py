#!/usr/bin/python3
"""Generate test/golden/relu_examples.json: what each Python original in reference/ prints.

Run from the repo root with the system Python that has PyTorch and numpy (Debian's PyTorch 1.13
and numpy 1.24, on x86-64):

    /usr/bin/python3 test/golden/make_relu_golden.py

Each entry maps an example of examples/how-nets-work/ to its reference script and the exact text
the script prints; test/relu.test.ts runs the TypeScript example and demands the same text.
"""
import json
import os
import subprocess
import sys

EXAMPLES = {
    "how-nets-work/plot-quadratic": "reference/plot_quadratic.py",
    "how-nets-work/noisy-data": "reference/noisy_data.py",
    "how-nets-work/fit-by-hand": "reference/fit_by_hand.py",
    "how-nets-work/quadratic-fit": "reference/quadratic_fit.py",
    "how-nets-work/rectified-linear": "reference/rectified_linear.py",
    "how-nets-work/double-relu": "reference/double_relu.py",
    "how-nets-work/relu-fit": "reference/relu_fit.py",
}


def main():
    if not os.path.isdir("reference"):
        sys.exit("run this from the repository root (reference/ is missing here)")
    import torch  # noqa: F401  (fail early, with a clear message, when torch is missing)
    import numpy

    out = {"generated_by": "test/golden/make_relu_golden.py",
           "torch": torch.__version__, "numpy": numpy.__version__, "examples": {}}
    for example, script in EXAMPLES.items():
        r = subprocess.run([sys.executable, script], capture_output=True, text=True, check=True)
        out["examples"][example] = {"reference": script, "stdout": r.stdout}
    with open("test/golden/relu_examples.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote test/golden/relu_examples.json ({len(EXAMPLES)} examples)")


if __name__ == "__main__":
    main()
