#!/usr/bin/env python3
"""Writes Fashion-MNIST as a binary, imbalanced IDX folder: one class ("Shirt", 1 in 10) against "other".

Usage: tools/make-binary-fashion.py OUT [--positive Shirt]
Reads Debian's dataset-fashion-mnist files; writes OUT/{train,t10k}-{images,labels}-idx*-ubyte.gz and
OUT/classes.txt (label 0 = other, 1 = the positive class).
"""
import argparse
import gzip
import os
import shutil

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SOURCE = "/usr/share/datasets/fashion-mnist"

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--positive", default="Shirt")
a = p.parse_args()
positive = CLASSES.index(a.positive)
os.makedirs(a.out, exist_ok=True)
for part in ("train", "t10k"):
    shutil.copy(f"{SOURCE}/{part}-images-idx3-ubyte.gz", f"{a.out}/{part}-images-idx3-ubyte.gz")
    raw = gzip.open(f"{SOURCE}/{part}-labels-idx1-ubyte.gz").read()
    header, labels = raw[:8], raw[8:]
    binary = bytes(1 if l == positive else 0 for l in labels)
    with gzip.open(f"{a.out}/{part}-labels-idx1-ubyte.gz", "wb") as f:
        f.write(header + binary)
    print(part, len(binary), "images,", sum(binary), a.positive)
with open(f"{a.out}/classes.txt", "w") as f:
    f.write("other\n" + a.positive + "\n")
