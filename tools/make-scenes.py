#!/usr/bin/env python3
"""Composes Fashion-MNIST items into 64x64 grey scenes for a multi-label benchmark.

Each scene holds 0 to 3 items (0 with probability 0.1, else 1, 2 or 3 alike), placed at random so that any
two overlap by at most a tenth of an item's area; overlapping pixels keep the brighter value (items are
light on black). A scene's labels are the set of classes it shows, sorted, joined by ';' (two items of one
class give one label; an empty label is a scene with no item). Train scenes take items from the official
training split and test scenes from the test split, so no item is seen on both sides.

Writes OUT/train/NNNNNN.png, OUT/test/NNNNNN.png, OUT/train.csv and OUT/test.csv (header path,labels; paths
relative to the CSV). Deterministic for a given --seed. Needs numpy and Debian's dataset-fashion-mnist
package (apt-get install python3-numpy dataset-fashion-mnist); PNGs are written with zlib, no Pillow.
Usage: python3 tools/make-scenes.py --out scenes --train 20000 --test 4000 --seed 0
"""
import argparse, csv, gzip, os, struct, subprocess, zlib
from collections import Counter
import numpy as np

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SIZE, ITEM = 64, 28
COUNT_P = [0.1, 0.3, 0.3, 0.3]      # probability of 0, 1, 2, 3 items
MAX_OVERLAP = ITEM * ITEM // 10     # pixels two item boxes may share


def fashion_dir():
    files = subprocess.run(["dpkg", "-L", "dataset-fashion-mnist"], capture_output=True, text=True, check=True).stdout.split()
    return next(os.path.dirname(f) for f in files if f.endswith("train-images-idx3-ubyte.gz"))


def read_split(folder, prefix):
    images = np.frombuffer(gzip.open(os.path.join(folder, prefix + "-images-idx3-ubyte.gz")).read(), np.uint8, offset=16)
    labels = np.frombuffer(gzip.open(os.path.join(folder, prefix + "-labels-idx1-ubyte.gz")).read(), np.uint8, offset=8)
    return images.reshape(-1, ITEM, ITEM), labels


def png(pixels):
    """An 8-bit greyscale PNG of a 2-D uint8 array."""
    h, w = pixels.shape
    raw = b"".join(b"\x00" + pixels[y].tobytes() for y in range(h))   # filter type 0 on every row

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def place(rng, count):
    """Top-left corners for `count` items, any two sharing at most MAX_OVERLAP pixels (retried until so)."""
    while True:
        corners = [tuple(rng.integers(0, SIZE - ITEM + 1, 2)) for _ in range(count)]
        if all(max(0, ITEM - abs(a[0] - b[0])) * max(0, ITEM - abs(a[1] - b[1])) <= MAX_OVERLAP
               for i, a in enumerate(corners) for b in corners[i + 1:]):
            return corners


def make(out, part, n, images, labels, rng):
    os.makedirs(os.path.join(out, part), exist_ok=True)
    per_class, per_count = Counter(), Counter()
    with open(os.path.join(out, part + ".csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["path", "labels"])
        for s in range(n):
            count = int(rng.choice(4, p=COUNT_P))
            items = rng.choice(len(images), count, replace=False)
            # a faint noisy background, as real scenes have: empty scenes are not all identical black images
            scene = rng.integers(0, 24, (SIZE, SIZE), dtype=np.uint8)
            for item, (y, x) in zip(items, place(rng, count)):
                np.maximum(scene[y:y + ITEM, x:x + ITEM], images[item], out=scene[y:y + ITEM, x:x + ITEM])
            names = sorted({CLASSES[labels[i]] for i in items})
            name = "%s/%06d.png" % (part, s)
            with open(os.path.join(out, name), "wb") as img:
                img.write(png(scene))
            writer.writerow([name, ";".join(names)])
            per_class.update(names)
            per_count[count] += 1
    print("%s: %d scenes, items per scene %s, scenes per class %s" % (
        part, n, dict(sorted(per_count.items())), {c: per_class[c] for c in CLASSES}))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True); p.add_argument("--train", type=int, required=True)
    p.add_argument("--test", type=int, required=True); p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data-dir", default=None, help="folder with the four IDX .gz files (default: from dpkg)")
    a = p.parse_args()
    folder = a.data_dir or fashion_dir()
    make(a.out, "train", a.train, *read_split(folder, "train"), np.random.default_rng([a.seed, 0]))
    make(a.out, "test", a.test, *read_split(folder, "t10k"), np.random.default_rng([a.seed, 1]))


if __name__ == "__main__":
    main()
