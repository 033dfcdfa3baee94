#!/usr/bin/env python3
"""PyTorch peer for the segmentation scenes benchmark: what a user would write without hone.

Reads two folders as tools/make-scenes.py --task segmentation writes them: DIR/images/NAME.png (8-bit grey),
DIR/masks/NAME.png (8-bit class indices; 255, if present, is ignored) and DIR/classes.txt (one name a line,
line 1 = index 0). PNGs are decoded with torchvision.io.read_image (works offline, no Pillow). Trains a plain
U-Net of the size of hone's built-in `unet`: 4 levels of widths 32/64/128/256, each level two 3x3 conv + BN +
ReLU, 2x2 max-pool between levels; each decoder level = nearest upsample x2 + 3x3 conv + BN + ReLU, concat
with the encoder's skip, two 3x3 conv + BN + ReLU; a 1x1 conv to the classes (2,142,027 parameters for
11 classes; the count is printed). Per-pixel cross-entropy, Adam
lr 1e-3, batch 32, no augmentation, images normalised by the training set's mean and std, a fixed seed, 2
threads, until --budget-s seconds of training time have passed (checked after every step; loading and the
final evaluation are not counted, as in tools/peer-multilabel.py).

Prints one JSON line per epoch on stderr, then one JSON line on stdout (also written to --out-json): test mIoU
(IoU per class over the whole test set, TP/(TP+FP+FN) from one confusion matrix, averaged over the classes
with TP+FP+FN > 0, i.e. present in the test truth or the prediction; background counts as a class),
the same mean without background, per-class IoU (null for a class absent from both), pixel accuracy,
training images/s, steps, epochs, training seconds and wall seconds.

Run with Debian's system Python (apt-get install python3-torch python3-torchvision python3-numpy):
    /usr/bin/python3 tools/peer-segmentation.py --train /tmp/scenes-seg/train --test /tmp/scenes-seg/test \\
        --budget-s 600 --out-json peer-seg.json
--self-test checks the metrics against hand-worked values and exits.
"""
import argparse, json, os, sys, time
import numpy as np

IGNORE = 255


def read_folder(folder):
    """(images N*1*H*W uint8, masks N*H*W uint8, class names) of one images/ + masks/ + classes.txt folder."""
    import torch
    from torchvision.io import read_image, ImageReadMode
    with open(os.path.join(folder, "classes.txt")) as f:
        classes = [line.strip() for line in f if line.strip()]
    names = sorted(n for n in os.listdir(os.path.join(folder, "images")) if n.lower().endswith(".png"))
    images = torch.stack([read_image(os.path.join(folder, "images", n), ImageReadMode.GRAY) for n in names])
    masks = torch.stack([read_image(os.path.join(folder, "masks", n), ImageReadMode.UNCHANGED)[0] for n in names])
    return images, masks, classes


def confusion(truth, predicted, classes):
    """classes*classes counts, rows = truth, columns = prediction; IGNORE pixels left out."""
    keep = truth != IGNORE
    return np.bincount(truth[keep].astype(np.int64) * classes + predicted[keep], minlength=classes * classes) \
        .reshape(classes, classes)


def iou_scores(cm):
    """Per-class IoU TP/(TP+FP+FN) (nan where TP+FP+FN = 0), mIoU over the rest, pixel accuracy."""
    tp = np.diag(cm).astype(float)
    union = cm.sum(0) + cm.sum(1) - tp
    iou = np.divide(tp, union, out=np.full(len(tp), np.nan), where=union > 0)
    return iou, float(np.nanmean(iou)), float(tp.sum() / max(cm.sum(), 1))


def self_test():
    truth = np.array([0, 0, 0, 1, 1, 2, IGNORE])
    pred = np.array([0, 0, 1, 1, 2, 2, 1])
    cm = confusion(truth, pred, 4)
    iou, miou, acc = iou_scores(cm)
    # class 0: TP 2, FN 1 -> 2/3; class 1: TP 1, FP 1, FN 1 -> 1/3; class 2: TP 1, FP 1 -> 1/2; class 3 absent
    assert np.allclose(iou[:3], [2 / 3, 1 / 3, 1 / 2]) and np.isnan(iou[3])
    assert abs(miou - (2 / 3 + 1 / 3 + 1 / 2) / 3) < 1e-12 and abs(acc - 4 / 6) < 1e-12
    print("metrics self-test passed")


def unet(classes, widths=(32, 64, 128, 256)):
    import torch, torch.nn as nn

    def cbr(i, o):
        return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU())

    class UNet(nn.Module):
        def __init__(s):
            super().__init__()
            s.down = nn.ModuleList(nn.Sequential(cbr(i, o), cbr(o, o)) for i, o in zip((1,) + widths[:-1], widths))
            s.pool = nn.MaxPool2d(2)
            s.up = nn.ModuleList(nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), cbr(widths[k + 1], widths[k]))
                                 for k in range(len(widths) - 1))
            s.merge = nn.ModuleList(nn.Sequential(cbr(2 * widths[k], widths[k]), cbr(widths[k], widths[k]))
                                    for k in range(len(widths) - 1))
            s.head = nn.Conv2d(widths[0], classes, 1)

        def forward(s, x):
            skips = []
            for k, level in enumerate(s.down):
                x = level(x if k == 0 else s.pool(x))
                skips.append(x)
            for k in reversed(range(len(s.up))):
                x = s.merge[k](torch.cat([s.up[k](x), skips[k]], 1))
            return s.head(x)
    return UNet()


def main():
    wall0 = time.perf_counter()
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--train"); p.add_argument("--test"); p.add_argument("--budget-s", type=float, default=600)
    p.add_argument("--bs", type=int, default=32); p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=2); p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out-json", default=None, help="also write the final JSON here")
    p.add_argument("--self-test", action="store_true")
    a = p.parse_args()
    if a.self_test:
        return self_test()
    if not (a.train and a.test):
        p.error("--train and --test are required")
    import torch
    torch.set_num_threads(a.threads); torch.manual_seed(a.seed)
    xtr, ytr, classes = read_folder(a.train)
    xte, yte, test_classes = read_folder(a.test)
    if test_classes != classes:
        sys.exit("the test classes.txt differs from the training one")
    mean, std = xtr.float().mean() / 255, xtr.float().std() / 255
    f = lambda x: (x.float() / 255 - mean) / std
    Xtr, Ytr, Xte = f(xtr), ytr.long(), f(xte)
    load_s = time.perf_counter() - wall0
    net = unet(len(classes))
    params = sum(q.numel() for q in net.parameters())
    print(json.dumps({"model": "unet", "parameters": params, "train_images": len(Xtr), "test_images": len(Xte),
                      "classes": len(classes), "load_s": round(load_s, 1)}), file=sys.stderr, flush=True)
    opt = torch.optim.Adam(net.parameters(), a.lr)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    limit, spent, steps, seen, epoch = a.budget_s, 0.0, 0, 0, 0
    net.train()
    while spent < limit:
        perm = torch.randperm(len(Xtr)); epoch += 1
        for i in range(0, len(Xtr), a.bs):
            s0 = time.perf_counter()
            j = perm[i:i + a.bs]
            loss = loss_fn(net(Xtr[j]), Ytr[j]); opt.zero_grad(); loss.backward(); opt.step()
            spent += time.perf_counter() - s0; steps += 1; seen += len(j)
            if spent >= limit:
                break
        print(json.dumps({"epoch": epoch, "train_s": round(spent, 1), "steps": steps, "loss": round(loss.item(), 4)}),
              file=sys.stderr, flush=True)
    net.eval()
    cm = np.zeros((len(classes), len(classes)), np.int64)
    with torch.no_grad():
        for i in range(0, len(Xte), 200):
            pred = net(Xte[i:i + 200]).argmax(1)
            cm += confusion(yte[i:i + 200].numpy().ravel(), pred.numpy().ravel(), len(classes))
    iou, miou, acc = iou_scores(cm)
    result = {"test_mIoU": round(miou, 4), "test_mIoU_without_background": round(float(np.nanmean(iou[1:])), 4),
              "pixel_accuracy": round(acc, 4),
              "per_class_iou": {c: (None if np.isnan(v) else round(float(v), 4)) for c, v in zip(classes, iou)},
              "train_images_per_s": round(seen / max(spent, 1e-9), 1), "steps": steps,
              "epochs": round(seen / len(Xtr), 2), "train_s": round(spent, 1),
              "wall_s": round(time.perf_counter() - wall0, 1), "load_s": round(load_s, 1), "parameters": params,
              "train_images": len(Xtr), "test_images": len(Xte), "threads": a.threads, "batch": a.bs, "lr": a.lr,
              "budget_s": a.budget_s, "seed": a.seed}
    line = json.dumps(result)
    print(line, flush=True)
    if a.out_json:
        with open(a.out_json, "w") as out:
            out.write(line + "\n")


if __name__ == "__main__":
    main()
