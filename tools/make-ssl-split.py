#!/usr/bin/env python3
"""Splits Fashion-MNIST's training set into a few labelled images and many unlabeled ones, for
semi-supervised benchmarks (FixMatch, Noisy Student) with hone's --unlabeled.

Usage: tools/make-ssl-split.py --fraction 0.01 --seed 0 --out DIR [--source FOLDER]

Keeps FRACTION of the 60,000 training labels, the same fraction of every class (rounded), chosen
with a seeded shuffle, and writes:
  DIR/train-images-idx3-ubyte.gz, DIR/train-labels-idx1-ubyte.gz  the labelled images, in their original order
  DIR/t10k-images-idx3-ubyte.gz,  DIR/t10k-labels-idx1-ubyte.gz   the test set, unchanged
  DIR/classes.txt                                                 the class names, one a line
  DIR/labeled-indices.txt                                         which training images are labelled (0-based)
  DIR/unlabeled/shard-NN/IIIII.png                                every other training image as a 28x28 grey
                                                                  PNG, 1,000 a folder, named by its training index;
                                                                  no labels anywhere in this folder
Reads Debian's dataset-fashion-mnist files (apt-get install dataset-fashion-mnist). Standard library only.
"""
import argparse
import gzip
import os
import random
import shutil
import struct
import sys

from idx_files import read_idx  # this folder's shared IDX reader
import zlib

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SHARD = 1000


def png(pixels, h, w):
    """An 8-bit greyscale PNG of h rows of w bytes."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + pixels[y * w:(y + 1) * w] for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fraction", type=float, required=True, help="share of training labels kept, e.g. 0.01 or 0.1")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--source", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    if not 0 < a.fraction < 1:
        sys.exit(f"--fraction must lie strictly between 0 and 1, got {a.fraction}")
    unlabeled_dir = os.path.join(a.out, "unlabeled")
    if os.path.isdir(unlabeled_dir) and os.listdir(unlabeled_dir):
        sys.exit(f"{unlabeled_dir} is not empty; remove it or choose another --out, so no image of another split stays behind")

    images, n, h, w = read_idx(f"{a.source}/train-images-idx3-ubyte.gz", 0x803)
    labels, n_labels = read_idx(f"{a.source}/train-labels-idx1-ubyte.gz", 0x801)
    assert n == n_labels == len(labels), "images and labels disagree"
    rng = random.Random(a.seed)
    keep = []
    for c in range(len(CLASSES)):
        members = [i for i in range(n) if labels[i] == c]
        rng.shuffle(members)
        keep += members[:max(1, round(a.fraction * len(members)))]
    keep.sort()
    kept = set(keep)
    size = h * w

    os.makedirs(unlabeled_dir, exist_ok=True)
    with gzip.open(os.path.join(a.out, "train-images-idx3-ubyte.gz"), "wb") as f:
        f.write(struct.pack(">IIII", 0x803, len(keep), h, w) + b"".join(images[i * size:(i + 1) * size] for i in keep))
    with gzip.open(os.path.join(a.out, "train-labels-idx1-ubyte.gz"), "wb") as f:
        f.write(struct.pack(">II", 0x801, len(keep)) + bytes(labels[i] for i in keep))
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        shutil.copy(os.path.join(a.source, name), os.path.join(a.out, name))
    with open(os.path.join(a.out, "classes.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")
    with open(os.path.join(a.out, "labeled-indices.txt"), "w") as f:
        f.write("\n".join(map(str, keep)) + "\n")

    written = 0
    for i in range(n):
        if i in kept:
            continue
        shard = os.path.join(unlabeled_dir, f"shard-{written // SHARD:02d}")
        if written % SHARD == 0:
            os.makedirs(shard, exist_ok=True)
        with open(os.path.join(shard, f"{i:05d}.png"), "wb") as f:
            f.write(png(images[i * size:(i + 1) * size], h, w))
        written += 1

    per_class = [sum(1 for i in keep if labels[i] == c) for c in range(len(CLASSES))]
    print(f"labelled: {len(keep)} of {n} training images ({a.fraction:g}, seed {a.seed}), per class {per_class}")
    print(f"unlabeled: {written} PNGs in {unlabeled_dir} ({(written + SHARD - 1) // SHARD} folders of up to {SHARD})")
    print(f"test: {read_idx(os.path.join(a.out, 't10k-labels-idx1-ubyte.gz'), 0x801)[1]} images, unchanged")


if __name__ == "__main__":
    main()
