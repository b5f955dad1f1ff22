#!/bin/sh
# The expected output of examples/how-nets-work/quadratic.ts: what the lesson's Python prints with
# Debian's PyTorch 1.13 and numpy. Run from the repository root.
set -e
/usr/bin/python3 ../shared/reference/quadratic.py > test/golden/quadratic.txt
