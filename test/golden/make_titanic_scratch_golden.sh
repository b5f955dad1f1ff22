#!/bin/sh
# The expected output of examples/titanic/from-scratch.ts, and its submission file: what
# reference/titanic_from_scratch.py (the course's notebook 05) prints with Debian's PyTorch 1.13 and
# pandas 1.5 on examples/titanic/data. Run from the repository root.
set -e
/usr/bin/python3 reference/titanic_from_scratch.py examples/titanic/data test/golden/titanic_submission.csv > test/golden/titanic_scratch.txt
