#!/usr/bin/env python3
"""Keeps a fraction of a labelled CSV's labels and turns the other images into unlabeled ones, for
semi-supervised benchmarks with hone's --unlabeled on CSV data (e.g. tools/make-scenes.py's multi-label
scenes).

Usage: tools/split-labels.py --csv DATA.csv --fraction 0.1 --seed 1 --out DIR

Reads DATA.csv (a header, then path,labels rows; relative paths start at the CSV's folder), keeps
round(FRACTION * rows) rows chosen by a seeded shuffle, and writes, with absolute paths:
  DIR/labeled.csv    path,labels: the kept rows, in their original order
  DIR/unlabeled.csv  path: every other image, no labels
Standard library only.
"""
import argparse
import csv
import os
import random
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csv", required=True)
    ap.add_argument("--fraction", type=float, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if not 0 < a.fraction < 1:
        sys.exit("--fraction must be in (0, 1), got %s" % a.fraction)
    base = os.path.dirname(os.path.abspath(a.csv))
    with open(a.csv, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], [r for r in rows[1:] if r]
    order = list(range(len(rows)))
    random.Random(a.seed).shuffle(order)
    kept = set(order[:round(a.fraction * len(rows))])
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "labeled.csv"), "w", newline="") as lf, \
            open(os.path.join(a.out, "unlabeled.csv"), "w", newline="") as uf:
        labeled, unlabeled = csv.writer(lf), csv.writer(uf)
        labeled.writerow(header)
        unlabeled.writerow(["path"])
        for i, r in enumerate(rows):
            path = os.path.join(base, r[0])
            if i in kept:
                labeled.writerow([path] + r[1:])
            else:
                unlabeled.writerow([path])
    print("%d labeled, %d unlabeled images in %s" % (len(kept), len(rows) - len(kept), a.out))


if __name__ == "__main__":
    main()
