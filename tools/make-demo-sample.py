#!/usr/bin/env python3
"""Rebuilds data/fashion-mnist-sample from Debian's dataset-fashion-mnist package (MIT licensed).

Takes the first TRAIN_PER_CLASS images of each class from the official training set and the first
TEST_PER_CLASS of each class from the official test set, in file order, so the sample is
deterministic and balanced. Writes gzipped IDX files plus classes.txt. Uses only the standard library.
Usage: python3 tools/make-demo-sample.py [TRAIN_PER_CLASS] [TEST_PER_CLASS]
"""
import gzip, os, struct, subprocess, sys

TRAIN_PER_CLASS = int(sys.argv[1]) if len(sys.argv) > 1 else 800
TEST_PER_CLASS = int(sys.argv[2]) if len(sys.argv) > 2 else 200
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "fashion-mnist-sample")

files = subprocess.run(["dpkg", "-L", "dataset-fashion-mnist"], capture_output=True, text=True, check=True).stdout.split()
src = next(os.path.dirname(f) for f in files if f.endswith("train-images-idx3-ubyte.gz"))

def read(prefix):
    images = gzip.open(os.path.join(src, prefix + "-images-idx3-ubyte.gz")).read()
    labels = gzip.open(os.path.join(src, prefix + "-labels-idx1-ubyte.gz")).read()
    n, h, w = struct.unpack(">III", images[4:16])
    return [(images[16 + i * h * w:16 + (i + 1) * h * w], labels[8 + i]) for i in range(n)], h, w

def write(prefix, per_class):
    items, h, w = read(prefix)
    taken, counts = [], [0] * 10
    for pixels, label in items:
        if counts[label] < per_class:
            counts[label] += 1
            taken.append((pixels, label))
    with gzip.GzipFile(os.path.join(OUT, prefix + "-images-idx3-ubyte.gz"), "wb", mtime=0) as f:
        f.write(struct.pack(">IIII", 0x803, len(taken), h, w) + b"".join(p for p, _ in taken))
    with gzip.GzipFile(os.path.join(OUT, prefix + "-labels-idx1-ubyte.gz"), "wb", mtime=0) as f:
        f.write(struct.pack(">II", 0x801, len(taken)) + bytes(l for _, l in taken))

os.makedirs(OUT, exist_ok=True)
write("train", TRAIN_PER_CLASS)
write("t10k", TEST_PER_CLASS)
with open(os.path.join(OUT, "classes.txt"), "w") as f:
    f.write("\n".join(CLASSES) + "\n")
print("wrote", OUT)
