#!/usr/bin/env python3
"""PyTorch peer for the multi-label scenes benchmark: what a user would write without hone.

Reads path,labels CSVs (class names joined by ';', as tools/make-scenes.py writes them), trains the reference
resnet9 (as in tools/peer-fashion-mnist.py; here on 1x64x64 input) with one logit per class, BCEWithLogitsLoss,
Adam lr 1e-3, batch 64, no augmentation, on 2 threads, until --minutes of training time have passed (checked
after every step; loading and the final evaluation are not counted). Then prints one JSON line: test mAP (the
mean over classes of average precision, computed as sklearn's average_precision_score: the sum over score
thresholds of precision times the recall gained; classes without a test positive are left out and listed),
micro and macro F1 at 0.5 (a class with no positive and no prediction scores F1 0, as sklearn's
zero_division default does), per-class AP and the training figures.

Run with Debian's system Python (apt-get install python3-torch python3-numpy python3-pil):
    /usr/bin/python3 tools/peer-multilabel.py --train scenes/train.csv --test scenes/test.csv --minutes 10
--self-test checks the metrics against hand-worked values and exits.
"""
import argparse, csv, json, os, sys, time
import numpy as np


def read_csv(path, classes=None):
    base = os.path.dirname(os.path.abspath(path))
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    sets = [[c for c in r["labels"].split(";") if c] for r in rows]
    classes = classes or sorted({c for s in sets for c in s})
    from PIL import Image
    x = np.stack([np.asarray(Image.open(os.path.join(base, r["path"])).convert("L")) for r in rows])
    y = np.zeros((len(rows), len(classes)), np.float32)
    for i, s in enumerate(sets):
        for c in s:
            y[i, classes.index(c)] = 1
    return x, y, classes


def average_precision(truth, scores):
    """sklearn's average_precision_score for one class: sum over distinct thresholds of (R_n - R_n-1) * P_n."""
    order = np.argsort(-scores, kind="mergesort")
    s, t = scores[order], truth[order]
    last = np.r_[np.where(np.diff(s))[0], len(s) - 1]      # the end of each run of equal scores
    tps = np.cumsum(t)[last]
    precision = tps / (last + 1)
    recall = tps / t.sum()
    return float(np.sum(np.diff(np.r_[0, recall]) * precision))


def f1_scores(truth, predicted):
    tp = (truth * predicted).sum(0)
    fp = ((1 - truth) * predicted).sum(0)
    fn = (truth * (1 - predicted)).sum(0)
    per_class = np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros_like(tp, dtype=float), where=(2 * tp + fp + fn) > 0)
    micro = 2 * tp.sum() / max(2 * tp.sum() + fp.sum() + fn.sum(), 1)
    return float(micro), float(per_class.mean())


def self_test():
    # sklearn's documented example, and a tie that must count as one threshold
    assert abs(average_precision(np.array([0, 0, 1, 1.]), np.array([0.1, 0.4, 0.35, 0.8])) - 0.8333333) < 1e-6
    assert abs(average_precision(np.array([1, 0, 1.]), np.array([0.5, 0.5, 0.2])) - (0.5 * 0.5 + 0.5 * 2 / 3)) < 1e-9
    truth = np.array([[1, 0], [1, 1], [0, 0.]])
    pred = np.array([[1, 1], [0, 1], [0, 0.]])
    micro, macro = f1_scores(truth, pred)
    assert abs(micro - 2 * 2 / (2 * 2 + 1 + 1)) < 1e-9 and abs(macro - (2 / 3 + 2 / 3) / 2) < 1e-9
    print("metrics self-test passed")


def resnet9(classes):
    import torch.nn as nn

    def cbr(i, o):
        return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU())

    class Res(nn.Module):
        def __init__(s, c):
            super().__init__(); s.a = cbr(c, c); s.b = cbr(c, c)

        def forward(s, x):
            return x + s.b(s.a(x))
    return nn.Sequential(cbr(1, 32), cbr(32, 64), nn.MaxPool2d(2), Res(64), cbr(64, 128), nn.MaxPool2d(2), Res(128),
                         nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(128, classes))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--train"); p.add_argument("--test"); p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--bs", type=int, default=64); p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=2); p.add_argument("--seed", type=int, default=0)
    p.add_argument("--self-test", action="store_true")
    a = p.parse_args()
    if a.self_test:
        return self_test()
    if not (a.train and a.test):
        p.error("--train and --test are required")
    import torch
    torch.set_num_threads(a.threads); torch.manual_seed(a.seed)
    t0 = time.perf_counter()
    xtr, ytr, classes = read_csv(a.train)
    xte, yte, _ = read_csv(a.test, classes)
    mean, std = xtr.mean() / 255, xtr.std() / 255
    f = lambda x: (torch.tensor(x[:, None], dtype=torch.float32) / 255 - mean) / std
    Xtr, Ytr, Xte = f(xtr), torch.tensor(ytr), f(xte)
    load_s = time.perf_counter() - t0
    net = resnet9(len(classes))
    opt = torch.optim.Adam(net.parameters(), a.lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    limit, spent, steps, seen, epoch = a.minutes * 60, 0.0, 0, 0, 0
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
    with torch.no_grad():
        scores = torch.cat([torch.sigmoid(net(Xte[i:i + 500])) for i in range(0, len(Xte), 500)]).numpy()
    ap = {c: average_precision(yte[:, k], scores[:, k]) for k, c in enumerate(classes) if yte[:, k].sum() > 0}
    micro, macro = f1_scores(yte, (scores >= 0.5).astype(np.float32))
    print(json.dumps({"test_mAP": round(float(np.mean(list(ap.values()))), 4), "micro_f1": round(micro, 4),
                      "macro_f1": round(macro, 4), "per_class_ap": {c: round(v, 4) for c, v in ap.items()},
                      "classes_without_test_positive": [c for c in classes if c not in ap],
                      "train_s": round(spent, 1), "epochs": round(seen / len(Xtr), 2), "steps": steps,
                      "train_images": len(Xtr), "test_images": len(Xte), "load_s": round(load_s, 1),
                      "threads": a.threads, "batch": a.bs, "lr": a.lr}), flush=True)


if __name__ == "__main__":
    main()
