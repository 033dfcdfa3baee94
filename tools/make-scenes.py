#!/usr/bin/env python3
"""Composes Fashion-MNIST items into 64x64 grey scenes for a multi-label, a segmentation or a detection benchmark.

Each scene holds 0 to 3 items (0 with probability 0.1, else 1, 2 or 3 alike), placed at random so that any
two overlap by at most a tenth of an item's area; overlapping pixels keep the brighter value (items are
light on black). A scene's labels are the set of classes it shows, sorted, joined by ';' (two items of one
class give one label; an empty label is a scene with no item). Train scenes take items from the official
training split and test scenes from the test split, so no item is seen on both sides.

Writes OUT/train/NNNNNN.png, OUT/test/NNNNNN.png, OUT/train.csv and OUT/test.csv (header path,labels; paths
relative to the CSV). Deterministic for a given --seed. Needs numpy and Debian's dataset-fashion-mnist
package (apt-get install python3-numpy dataset-fashion-mnist); PNGs are written with zlib, no Pillow.
Usage: python3 tools/make-scenes.py --out scenes --train 20000 --test 4000 --seed 0

--task segmentation composes scenes the same way (same item counts and placement rule, train items from the
training split, test items from the test split) but writes per-pixel class masks:
  OUT/{train,test}/images/NNNNNN.png   the 64x64 8-bit grey scene
  OUT/{train,test}/masks/NNNNNN.png    a 64x64 single-channel 8-bit PNG of class indices
  OUT/classes.txt (also copied into train/ and test/, so each folder stands alone): line 1 "background",
  then the ten Fashion-MNIST names in class order, so mask value = Fashion-MNIST class + 1.
A pixel belongs to an item where the item's pixel is > 32 (of 255; below that Fashion-MNIST pixels are the
item's faint fringe or dark interior, not clearly cloth); it takes the class of the item whose pixel is
brightest there (ties go to the item placed first), else it is background, 0. The image agrees: where some
item is > 32 the scene shows that brightest item pixel, opaque over the background; elsewhere it shows the
brighter of the background and any faint item fringe.
The background is not black: a linear grey ramp in a random direction between two levels drawn from 0..80,
plus uniform noise of +-10, clipped to 0..255. The ramp reaches ~90 while item pixels start at 33, and it
changes across a scene, so no global or per-image threshold on brightness recovers the mask: a model has to
use shape and context, as real segmentation does. It stays low enough that most of an item remains brighter
than its surroundings, as with the multi-label scenes' faint noise. The last lines printed are the per-class
pixel shares of train and test.
Usage: python3 tools/make-scenes.py --task segmentation --out /tmp/scenes-seg --train 20000 --test 4000 --seed 0

--task detection composes scenes of 1 to 4 items (each count alike, no empty scene) with the same placement
rule (any two items' 28x28 cells share at most a tenth of a cell, so an item loses at most that much to each
neighbour and stays recognisable) and the same compositing and grey-ramp background as segmentation, and
writes COCO JSON as Roboflow and most labelling tools export it:
  OUT/{train,test}/NNNNNN.png               the 64x64 8-bit grey scene
  OUT/{train,test}/_annotations.coco.json   images [{id, file_name, width, height}] (id = N + 1, file_name
      relative to the JSON), annotations [{id, image_id, category_id, bbox [x, y, w, h], area, iscrowd 0}],
      categories [{id, name}] with ids 1..10 = Fashion-MNIST class + 1 in class order. Ids start at 1, as
      pycocotools reads an annotation id of 0 as "no match".
An item's box is the tight box of its visible pixels, the pixels the segmentation mask would give it (> 32
and brightest there), in COCO's continuous pixel coordinates: a box covering columns x0..x1 has x = x0, w =
x1 - x0 + 1. So boxes hug the cloth, not the 28x28 cell, and shrink where a neighbour covers an edge; an
item left with no visible pixel gets no box (counted, so far never seen). area is w * h (boxes only, no
masks, as in Roboflow exports). Four items fit only in a loose 2x2 layout (three in a row would need 80
pixels); placements are drawn in vectorised batches and the valid ones kept in order, which is the same
distribution as the one-at-a-time retry of the other tasks but ~300x faster for four items. The ramp
background makes the task harder than black would: box edges of faint cloth are not a brightness step, and
empty regions are not flat. The last lines printed are the per-class box counts of train and test.
Usage: python3 tools/make-scenes.py --task detection --out /tmp/scenes-det --train 20000 --test 4000 --seed 0
"""
import argparse, collections, csv, gzip, json, os, shutil, struct, subprocess, zlib
from collections import Counter
import numpy as np

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SIZE, ITEM = 64, 28
COUNT_P = [0.1, 0.3, 0.3, 0.3]      # probability of 0, 1, 2, 3 items
MAX_OVERLAP = ITEM * ITEM // 10     # pixels two item boxes may share
ITEM_THRESHOLD = 32                 # segmentation: an item pixel above this is the item's class
BACKGROUND_LEVELS = 80              # segmentation: the ramp's two ends are drawn from 0..this
BACKGROUND_NOISE = 10               # segmentation: +- this uniform noise on the ramp
DETECTION_COUNTS = (1, 2, 3, 4)     # detection: items per scene, each count alike
PLACEMENT_BATCH = 16384             # detection: candidate placements drawn at once


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


def background(rng):
    """A smooth random grey ramp with low-amplitude noise (see the module docstring)."""
    angle = rng.uniform(0, 2 * np.pi)
    lo, hi = rng.uniform(0, BACKGROUND_LEVELS, 2)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE] / (SIZE - 1)
    t = np.cos(angle) * xx + np.sin(angle) * yy
    t = (t - t.min()) / (t.max() - t.min())
    noise = rng.integers(-BACKGROUND_NOISE, BACKGROUND_NOISE + 1, (SIZE, SIZE))
    return np.clip(np.rint(lo + (hi - lo) * t) + noise, 0, 255).astype(np.uint8)


def compose_segmentation(rng, images, labels):
    """One scene and its mask: the image and the class index (0 background, class + 1) of every pixel."""
    count = int(rng.choice(4, p=COUNT_P))
    items = rng.choice(len(images), count, replace=False)
    top = np.zeros((SIZE, SIZE), np.uint8)          # the brightest item pixel so far
    owner = np.zeros((SIZE, SIZE), np.uint8)        # its class + 1
    for item, (y, x) in zip(items, place(rng, count)):
        win, own = top[y:y + ITEM, x:x + ITEM], owner[y:y + ITEM, x:x + ITEM]
        brighter = images[item] > win
        win[brighter] = images[item][brighter]
        own[brighter] = labels[item] + 1
    item = top > ITEM_THRESHOLD
    scene = np.where(item, top, np.maximum(background(rng), top))
    mask = np.where(item, owner, 0).astype(np.uint8)
    return scene, mask


def make_segmentation(out, part, n, images, labels, rng):
    for sub in ("images", "masks"):
        os.makedirs(os.path.join(out, part, sub), exist_ok=True)
    pixels = np.zeros(len(CLASSES) + 1, np.int64)
    for s in range(n):
        scene, mask = compose_segmentation(rng, images, labels)
        for sub, data in (("images", scene), ("masks", mask)):
            with open(os.path.join(out, part, sub, "%06d.png" % s), "wb") as f:
                f.write(png(data))
        pixels += np.bincount(mask.ravel(), minlength=len(pixels))
    # last, so that a part folder with its classes.txt is complete (tools/bench-tasks.sh tests for it)
    shutil.copy(os.path.join(out, "classes.txt"), os.path.join(out, part, "classes.txt"))
    shares = pixels / max(pixels.sum(), 1)
    print("%s: %d scenes, pixel share per class: %s" % (part, n, ", ".join(
        "%s %.2f%%" % (c, 100 * v) for c, v in zip(["background"] + CLASSES, shares))))


def placer(rng):
    """place(count) for detection: corners as place() draws them, from batches of candidates tested at once.

    The valid candidates of each batch are queued per count and handed out in order; as the candidates are
    independent draws, the queue holds independent draws from the valid placements, as place()'s retries do."""
    queues = collections.defaultdict(collections.deque)

    def place_detection(count):
        queue = queues[count]
        while not queue:
            c = rng.integers(0, SIZE - ITEM + 1, (PLACEMENT_BATCH, count, 2))
            valid = np.ones(PLACEMENT_BATCH, bool)
            for i in range(count):
                for j in range(i + 1, count):
                    d = np.abs(c[:, i] - c[:, j])
                    valid &= np.maximum(0, ITEM - d[:, 0]) * np.maximum(0, ITEM - d[:, 1]) <= MAX_OVERLAP
            queue.extend([tuple(int(v) for v in corner) for corner in placement] for placement in c[valid])
        return queue.popleft()
    return place_detection


def compose_detection(rng, images, labels, place_detection):
    """One scene and its boxes: the image and (class, x, y, w, h) of every item with a visible pixel."""
    count = int(rng.choice(DETECTION_COUNTS))
    items = rng.choice(len(images), count, replace=False)
    top = np.zeros((SIZE, SIZE), np.uint8)          # the brightest item pixel so far
    owner = np.zeros((SIZE, SIZE), np.uint8)        # its item's place in `items` + 1
    for k, (item, (y, x)) in enumerate(zip(items, place_detection(count))):
        win, own = top[y:y + ITEM, x:x + ITEM], owner[y:y + ITEM, x:x + ITEM]
        brighter = images[item] > win
        win[brighter] = images[item][brighter]
        own[brighter] = k + 1
    item = top > ITEM_THRESHOLD
    scene = np.where(item, top, np.maximum(background(rng), top))
    boxes = []
    for k in range(count):
        ys, xs = np.nonzero(item & (owner == k + 1))
        if len(xs):
            boxes.append((int(labels[items[k]]), int(xs.min()), int(ys.min()),
                          int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)))
    return scene, boxes, count


def make_detection(out, part, n, images, labels, rng):
    os.makedirs(os.path.join(out, part), exist_ok=True)
    place_detection = placer(rng)
    coco = {"info": {"description": "Fashion-MNIST detection scenes (tools/make-scenes.py --task detection)"},
            "images": [], "annotations": [],
            "categories": [{"id": c + 1, "name": name} for c, name in enumerate(CLASSES)]}
    per_class, per_count, hidden, sides = Counter(), Counter(), 0, []
    for s in range(n):
        scene, boxes, count = compose_detection(rng, images, labels, place_detection)
        name = "%06d.png" % s
        with open(os.path.join(out, part, name), "wb") as f:
            f.write(png(scene))
        coco["images"].append({"id": s + 1, "file_name": name, "width": SIZE, "height": SIZE})
        for c, x, y, w, h in boxes:
            coco["annotations"].append({"id": len(coco["annotations"]) + 1, "image_id": s + 1, "category_id": c + 1,
                                        "bbox": [x, y, w, h], "area": w * h, "iscrowd": 0})
            per_class[CLASSES[c]] += 1
            sides += [w, h]
        per_count[count] += 1
        hidden += count - len(boxes)
    # last, so that a part folder with its JSON is complete (tools/bench-tasks.sh tests for it)
    with open(os.path.join(out, part, "_annotations.coco.json"), "w") as f:
        json.dump(coco, f)
    sides = np.array(sides).reshape(-1, 2)
    print("%s: %d scenes, items per scene %s, %d boxes (%d items without a visible pixel), box width mean %.1f "
          "(%d..%d), height mean %.1f (%d..%d)" % (
              part, n, dict(sorted(per_count.items())), len(coco["annotations"]), hidden, sides[:, 0].mean(),
              sides[:, 0].min(), sides[:, 0].max(), sides[:, 1].mean(), sides[:, 1].min(), sides[:, 1].max()))
    return per_class


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True); p.add_argument("--train", type=int, required=True)
    p.add_argument("--test", type=int, required=True); p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data-dir", default=None, help="folder with the four IDX .gz files (default: from dpkg)")
    p.add_argument("--task", choices=["multi-label", "segmentation", "detection"], default="multi-label")
    a = p.parse_args()
    folder = a.data_dir or fashion_dir()
    if a.task == "detection":
        counts = [make_detection(a.out, "train", a.train, *read_split(folder, "train"), np.random.default_rng([a.seed, 0])),
                  make_detection(a.out, "test", a.test, *read_split(folder, "t10k"), np.random.default_rng([a.seed, 1]))]
        for part, per_class in zip(("train", "test"), counts):
            print("%s boxes per class: %s" % (part, ", ".join("%s %d" % (c, per_class[c]) for c in CLASSES)))
        return
    if a.task == "segmentation":
        os.makedirs(a.out, exist_ok=True)
        with open(os.path.join(a.out, "classes.txt"), "w") as f:
            f.write("\n".join(["background"] + CLASSES) + "\n")
        make_segmentation(a.out, "train", a.train, *read_split(folder, "train"), np.random.default_rng([a.seed, 0]))
        make_segmentation(a.out, "test", a.test, *read_split(folder, "t10k"), np.random.default_rng([a.seed, 1]))
        return
    make(a.out, "train", a.train, *read_split(folder, "train"), np.random.default_rng([a.seed, 0]))
    make(a.out, "test", a.test, *read_split(folder, "t10k"), np.random.default_rng([a.seed, 1]))


if __name__ == "__main__":
    main()
