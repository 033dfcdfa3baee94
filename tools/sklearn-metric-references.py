#!/usr/bin/env python3
"""Reference values for the Java tests of dev.hone.tasks.metrics, from scikit-learn and scipy.

Run once by hand (CI has no scikit-learn); paste the printed constants into the tests under
src/test/java/dev/hone/tasks/metrics/. Used: scikit-learn 1.2.1, scipy 1.10.1, numpy 1.24.2 (Debian
python3-sklearn). Scores are float32 so that Java reads exactly the same numbers.

    /usr/bin/python3 tools/sklearn-metric-references.py
"""
import numpy as np
import scipy
import sklearn
from scipy.optimize import minimize_scalar
from sklearn.calibration import calibration_curve
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix, f1_score,
                             hamming_loss, log_loss, precision_recall_fscore_support, precision_score,
                             recall_score, roc_auc_score)


def jfloats(a):
    return "{" + ", ".join(f"{np.float32(x)!s}f" for x in np.ravel(a)) + "}"


def jbools(a):
    return "{" + ", ".join("true" if x else "false" for x in np.ravel(a)) + "}"


def jdoubles(a):
    return "{" + ", ".join(repr(float(x)) for x in np.ravel(a)) + "}"


def ranking_case(seed, n, decimals):
    rng = np.random.default_rng(seed)
    s = rng.random(n).astype(np.float32)
    if decimals is not None:
        s = np.round(s, decimals).astype(np.float32)  # coarse scores make ties
    y = rng.random(n) < 0.3 + 0.4 * s  # scores carry some signal
    print(f"// seed {seed}: n {n}, rounded to {decimals} decimals")
    print(f"float[] s{seed} = {jfloats(s)};")
    print(f"boolean[] y{seed} = {jbools(y)};")
    print(f"// average_precision_score {average_precision_score(y, s)!r}, roc_auc_score {roc_auc_score(y, s)!r}")


def multilabel_case(seed, n, k, thresholds):
    rng = np.random.default_rng(seed)
    s = rng.random((n, k)).astype(np.float32)
    y = rng.random((n, k)) < 0.15 + 0.5 * s
    y[:, k - 1] = False  # the last class has no positive
    t = np.array(thresholds)
    pred = s >= t
    p, r, f, sup = precision_recall_fscore_support(y, pred, zero_division=0)
    labels = [c for c in range(k) if sup[c] > 0]
    averaged = [c for c in range(k) if sup[c] > 0 or pred[:, c].any()]  # macro F1 counts a predicted class too
    ap = [average_precision_score(y[:, c], s[:, c]) for c in labels]
    print(f"// multi-label seed {seed}: {n} x {k}, thresholds {thresholds}")
    print(f"float[][] s = {{{', '.join(jfloats(row) for row in s)}}};")
    print(f"boolean[][] y = {{{', '.join(jbools(row) for row in y)}}};")
    print(f"// precision_recall_fscore_support(zero_division=0): precision {jdoubles(p)}")
    print(f"// recall {jdoubles(r)}")
    print(f"// f1 {jdoubles(f)}")
    print(f"// support {list(sup)}")
    print(f"// f1_score micro {f1_score(y, pred, average='micro', zero_division=0)!r}")
    print(f"// f1_score macro labels={averaged} {f1_score(y, pred, average='macro', labels=averaged, zero_division=0)!r}")
    print(f"// accuracy_score (subset) {accuracy_score(y, pred)!r}, hamming_loss {hamming_loss(y, pred)!r}")
    print(f"// average_precision_score per class with support {jdoubles(ap)}, mean {np.mean(ap)!r}")


def binary_case(seed, n, threshold):
    rng = np.random.default_rng(seed)
    s = rng.random(n).astype(np.float32)
    y = rng.random(n) < 0.2 + 0.6 * s
    pred = s >= threshold
    tn, fp, fn, tp = confusion_matrix(y, pred).ravel()
    print(f"// binary seed {seed}: n {n}, threshold {threshold}")
    print(f"float[] s = {jfloats(s)};")
    print(f"boolean[] y = {jbools(y)};")
    print(f"// confusion_matrix tp {tp} fp {fp} fn {fn} tn {tn}; accuracy_score {accuracy_score(y, pred)!r}")
    print(f"// precision_score {precision_score(y, pred)!r}, recall_score {recall_score(y, pred)!r}, "
          f"f1_score {f1_score(y, pred)!r}")


def candidates(s):
    d = np.unique(s.astype(np.float64))[::-1]
    mids = list((d[:-1] + d[1:]) / 2) + [d[-1], np.nextafter(d[0], np.inf)]
    return mids


def threshold_case(seed, n):
    """Brute force over the candidate thresholds with sklearn's scores, ties toward 0.5 then lower."""
    rng = np.random.default_rng(seed)
    s = rng.random(n).astype(np.float32)
    y = rng.random(n) < 0.1 + 0.6 * s
    print(f"// threshold seed {seed}: n {n}")
    print(f"float[] s = {jfloats(s)};")
    print(f"boolean[] y = {jbools(y)};")
    rows = []
    for t in candidates(s):
        pred = s >= t
        rows.append((t, f1_score(y, pred, zero_division=0), precision_score(y, pred, zero_division=0),
                     recall_score(y, pred, zero_division=0), pred.any()))

    def pick(feasible, key):
        pool = [r for r in rows if feasible(r)]
        if not pool:
            return None
        best = max(key(r) for r in pool)
        tied = [r for r in pool if all(abs(a - b) <= 1e-12 for a, b in zip(key(r), best))]
        return min(tied, key=lambda r: (abs(r[0] - 0.5), r[0]))

    for name, feasible, key in [
        ("f1", lambda r: True, lambda r: (r[1],)),
        ("precision>=0.8", lambda r: r[4] and r[2] >= 0.8, lambda r: (r[3], r[2])),
        ("precision>=0.6", lambda r: r[4] and r[2] >= 0.6, lambda r: (r[3], r[2])),
        ("recall>=0.9", lambda r: r[3] >= 0.9, lambda r: (r[2], r[3])),
    ]:
        chosen = pick(feasible, key)
        if chosen is None:
            name += " unreachable, highest precision instead"
            chosen = pick(lambda r: True, lambda r: (r[2], r[3]))
        t, f, p, r, _ = chosen
        print(f"// {name}: threshold {t!r}, f1 {f!r}, precision {p!r}, recall {r!r}")


def calibration_case(seed, n, bins):
    rng = np.random.default_rng(seed)
    p = rng.random(n).astype(np.float32)
    y = rng.random(n) < p ** 2  # overconfident in the positive class
    true, pred = calibration_curve(y, p, n_bins=bins, strategy="uniform")
    edges = np.linspace(0.0, 1.0, bins + 1)
    ids = np.searchsorted(edges[1:-1], p, side="right")
    counts = np.bincount(ids, minlength=bins)
    nonempty = counts[counts > 0]
    ece = np.sum(nonempty / n * np.abs(true - pred))
    conf = np.maximum(p.astype(np.float64), 1 - p.astype(np.float64))  # in double, as Java
    hit = (p >= 0.5) == y
    cids = np.searchsorted(edges[1:-1], conf, side="right")
    cece = sum(np.sum(cids == b) / n * abs(hit[cids == b].mean() - conf[cids == b].mean())
               for b in range(bins) if np.any(cids == b))
    print(f"// calibration seed {seed}: n {n}, {bins} bins")
    print(f"float[] p = {jfloats(p)};")
    print(f"boolean[] y = {jbools(y)};")
    print(f"// calibration_curve(strategy='uniform') non-empty bins: counts {list(counts[counts > 0])}")
    print(f"// prob_true {jdoubles(true)}")
    print(f"// prob_pred {jdoubles(pred)}")
    print(f"// ECE positive-class {ece!r}; predicted-class (numpy, Guo top-label) {cece!r}")


def temperature_case(seed, n, scale):
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 2, n)
    y = rng.random(n) < 1 / (1 + np.exp(-z))
    logits = (scale * z).astype(np.float32)

    def nll(u):
        return log_loss(y, 1 / (1 + np.exp(-logits.astype(np.float64) / np.exp(u))), labels=[False, True])

    res = minimize_scalar(nll, bounds=(np.log(0.01), np.log(100)), method="bounded",
                          options={"xatol": 1e-10})
    print(f"// temperature seed {seed}: n {n}, logits {scale} x the true ones")
    print(f"float[] z = {jfloats(logits)};")
    print(f"boolean[] y = {jbools(y)};")
    print(f"// log_loss at T=1 {nll(0.0)!r}; scipy minimize_scalar(bounded) on log T: "
          f"T {np.exp(res.x)!r}, log_loss {res.fun!r}")


if __name__ == "__main__":
    print(f"// scikit-learn {sklearn.__version__}, scipy {scipy.__version__}, numpy {np.__version__}")
    ranking_case(1, 40, 1)
    ranking_case(2, 60, None)
    ranking_case(3, 25, 2)
    multilabel_case(4, 30, 4, [0.5, 0.3, 0.6, 0.5])
    binary_case(5, 30, 0.4)
    threshold_case(6, 40)
    calibration_case(7, 60, 15)
    temperature_case(8, 80, 3.0)
