#!/usr/bin/env python3
"""Builds a dataset whose labels a horizontal flip changes, from real images: Fashion-MNIST's
footwear (sandal, sneaker, ankle boot) facing left or right.

Usage: tools/make-footwear-facing.py --per-class 300 --seed 0 --out DIR [--source FOLDER]

Every Fashion-MNIST shoe faces the same way (toe left, heel right: 99% of sneakers and all ankle
boots are heavier in their right half). Each image is mirrored with probability 1/2 and labelled
with its item and the way it faces, so there are six classes ("sneaker-left", "sneaker-right", ...)
and a horizontal flip turns every image into another class. A regularization search must not
choose it; label-preserving transforms (crop, translate, erasing) should still help at this size.

Writes an IDX folder hone reads as is:
  DIR/train-images-idx3-ubyte.gz, DIR/train-labels-idx1-ubyte.gz  2 x PER_CLASS images of each item (about PER_CLASS
                                                                  a class), from Fashion-MNIST's training split
  DIR/t10k-images-idx3-ubyte.gz,  DIR/t10k-labels-idx1-ubyte.gz   all 3,000 test-split footwear, mirrored at random
  DIR/classes.txt                                                 the six class names
Reads Debian's dataset-fashion-mnist files (apt-get install dataset-fashion-mnist). Standard library only.
"""
import argparse
import gzip
import os
import random
import struct
import sys

from idx_files import read_idx  # this folder's shared IDX reader

FOOTWEAR = {5: "sandal", 7: "sneaker", 9: "ankle-boot"}
CLASSES = [f"{item}-{way}" for item in FOOTWEAR.values() for way in ("left", "right")]


def mirrored(pixels, h, w):
    return b"".join(pixels[y * w:(y + 1) * w][::-1] for y in range(h))


def build(images, labels, n, h, w, rng, per_item):
    """Images and labels of the footwear, each mirrored with probability 1/2; per_item of each item, or all."""
    size = h * w
    out_images, out_labels = [], []
    for code, item in FOOTWEAR.items():
        members = [i for i in range(n) if labels[i] == code]
        rng.shuffle(members)
        chosen = members if per_item is None else members[:per_item]
        for i in sorted(chosen):
            px = images[i * size:(i + 1) * size]
            right = rng.random() < 0.5
            out_images.append(mirrored(px, h, w) if right else px)
            out_labels.append(CLASSES.index(f"{item}-{'right' if right else 'left'}"))
    return out_images, out_labels


def write(out, prefix, images, labels, h, w):
    with gzip.open(os.path.join(out, f"{prefix}-images-idx3-ubyte.gz"), "wb") as f:
        f.write(struct.pack(">IIII", 0x803, len(images), h, w) + b"".join(images))
    with gzip.open(os.path.join(out, f"{prefix}-labels-idx1-ubyte.gz"), "wb") as f:
        f.write(struct.pack(">II", 0x801, len(labels)) + bytes(labels))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--per-class", type=int, required=True, help="training images per class (two classes per item)")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--source", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    if not 1 <= a.per_class <= 3000:
        sys.exit(f"--per-class must lie between 1 and 3000 (Fashion-MNIST has 6,000 of each item), got {a.per_class}")
    os.makedirs(a.out, exist_ok=True)
    rng = random.Random(a.seed)
    for split, prefix, per_item in (("train", "train", 2 * a.per_class), ("t10k", "t10k", None)):
        images, n, h, w = read_idx(f"{a.source}/{split}-images-idx3-ubyte.gz", 0x803)
        labels, n_labels = read_idx(f"{a.source}/{split}-labels-idx1-ubyte.gz", 0x801)
        assert n == n_labels, "images and labels disagree"
        out_images, out_labels = build(images, labels, n, h, w, rng, per_item)
        write(a.out, prefix, out_images, out_labels, h, w)
        counts = [out_labels.count(c) for c in range(len(CLASSES))]
        print(f"{prefix}: {len(out_labels)} images, per class {dict(zip(CLASSES, counts))}")
    with open(os.path.join(a.out, "classes.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")


if __name__ == "__main__":
    main()
