#!/usr/bin/env bash
# Short trials against full runs (issue 14): do the regularization search's trials rank candidates the way full
# trainings do? Runs hone's search once (--regularization auto), stopped as soon as it has decided, reads every
# trial's score and loss from its log, then trains the plain run, the singles that got a full-length trial, the LOW singles
# that raced lowest, and the chosen policy, each for a whole budget with --policy, one after the other on the
# otherwise idle machine. Prints one line per candidate (race score, full-length trial score and loss, test accuracy) and the
# rank correlations (scipy's Spearman rho and Kendall tau, with p-values) of the trials against the full runs: the race's
# scores, the full-length trials' scores, and their validation losses (what the search decides on).
# Usage: tools/bench-ranking.sh DATA SEARCH_BUDGET FULL_BUDGET SEED   e.g. tools/bench-ranking.sh /tmp/facing 30m 4m 1
# OUT=DIR keeps the runs (default a temp folder); LOW=N singles from the bottom of the race (default 2);
# HONE=CMD runs another hone launcher (default ./hone). Full runs fix weight averaging to none and test-time flips to
# off, so that they differ only in the training-time regularizer.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 4 ] || { sed -n 2,11p "$0"; exit 2; }
DATA=$1 SEARCH_BUDGET=$2 FULL_BUDGET=$3 SEED=$4
HONE=${HONE:-./hone}
OUT=${OUT:-$(mktemp -d)}
export HONE_JAVA_OPTS="-Xmx8g -Dai.djl.pytorch.num_threads=2"
mkdir -p "$OUT"
$HONE --version >/dev/null   # build outside the timings
echo "outputs in $OUT" >&2

log="$OUT/search.log"
if ! grep -qs "decision: regularization-policy" "$log"; then
  $HONE train --data "$DATA" --model resnet9 --budget "$SEARCH_BUDGET" --seed "$SEED" --out "$OUT/search" > "$log" 2>&1 &
  pid=$!
  until grep -qs "decision: regularization-policy" "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "the search run ended before deciding: $log" >&2; exit 1; }
    sleep 5
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
fi

# candidates: name <TAB> policy.json path
python3 - "$log" "$OUT" "${LOW:-2}" > "$OUT/candidates.tsv" <<'PY'
import json, re, sys
log, out, low = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(log).read()
if "learner: trial" not in text:
    raise SystemExit("the search ran no trials (see its decision in " + log + "): give it a larger SEARCH_BUDGET")
base_wd = float(re.search(r"decision: weight-decay = ([0-9.eE-]+)", text).group(1))
race, full, full_loss = {}, {}, {}
for label, is_race, acc, loss in re.findall(r"learner: trial (.+?)\s+(\(race\))?\s+val [A-Za-z-]+ ([0-9.]+), loss ([0-9.]+)", text):
    (race if is_race else full)[label.strip()] = float(acc)
    if not is_race:
        full_loss[label.strip()] = float(loss)
m = re.search(r"plain continuation: val [A-Za-z-]+ ([0-9.]+), loss ([0-9.]+)", text)
plain, plain_loss = float(m.group(1)), float(m.group(2))
chosen = re.search(r"decision: regularization-policy = (.*?), (LEARNED|DEFAULT) by", text).group(1)

def policy(parts):
    p = {"formatVersion": 1, "augmentation": {"steps": []}, "augmentationsPerBatch": 0, "labelSmoothing": 0.0,
         "mixupAlpha": 0.0, "cutmixAlpha": 0.0, "weightDecay": None, "dropout": 0.0, "weightAveraging": "none",
         "testTimeAugmentation": False}
    for part in parts:
        m = re.fullmatch(r"label smoothing ([0-9.]+)", part)
        if m: p["labelSmoothing"] = float(m.group(1)); continue
        m = re.fullmatch(r"(mixup|cutmix) alpha ([0-9.]+)", part)
        if m: p[m.group(1) + "Alpha"] = float(m.group(2)); continue
        m = re.fullmatch(r"weight decay x([0-9.]+)", part)
        if m: p["weightDecay"] = base_wd * float(m.group(1)); continue
        m = re.fullmatch(r"weight decay ([0-9.eE-]+)", part)
        if m: p["weightDecay"] = float(m.group(1)); continue
        m = re.fullmatch(r"dropout ([0-9.]+)", part)
        if m: p["dropout"] = float(m.group(1)); continue
        m = re.fullmatch(r"([a-z-]+) ([0-9.]+)", part)
        if m: p["augmentation"]["steps"].append({"transform": m.group(1), "magnitude": float(m.group(2))}); continue
        raise SystemExit("cannot read the candidate part: " + part)
    return p

def chosen_parts(describe):
    parts = []
    for section in describe.split("; "):
        if section.startswith("augmentation: "):
            aug = re.sub(r" \(\d+ per batch\)$", "", section[len("augmentation: "):])
            parts += [] if aug == "none" else aug.split(", ")
        elif not section.startswith(("weight averaging", "test-time flips")):
            parts.append(section)
    return parts

singles = {l: s for l, s in race.items() if " + " not in l and "stronger" not in l}
# the full-length singles: the race's survivors, and the soft-label singles, which do not race
picked = ["plain"] + [l for l in full if " + " not in l and "stronger" not in l]
picked += [l for l, _ in sorted(singles.items(), key=lambda kv: kv[1])[:low] if l not in picked]
rows = [("plain", [])] + [(l, [l]) for l in picked[1:]]
cp = chosen_parts(chosen)
if cp and all(cp != parts for _, parts in rows):
    rows.append(("chosen: " + chosen, cp))
meta = {"plain": plain, "plainLoss": plain_loss, "race": race, "full": full, "fullLoss": full_loss, "chosen": chosen}
json.dump(meta, open(out + "/trials.json", "w"), indent=1)
for i, (name, parts) in enumerate(rows):
    path = f"{out}/policy-{i}.json"
    json.dump(policy(parts), open(path, "w"), indent=1)
    print(f"{name}\t{path}")
PY

while IFS=$'\t' read -r name policy; do
  dir="${policy%.json}"
  if [ ! -s "$dir/evaluation.json" ]; then
    $HONE train --data "$DATA" --model resnet9 --budget "$FULL_BUDGET" --seed "$SEED" --policy "$policy" --out "$dir" \
        > "$dir.log" 2>&1 || { echo "run failed: $dir.log" >&2; exit 1; }
  fi
  echo "$name: $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['accuracy'])" "$dir/evaluation.json")" >&2
done < "$OUT/candidates.tsv"

python3 - "$OUT" <<'PY'
import json, sys
from scipy.stats import kendalltau, spearmanr
out = sys.argv[1]
meta = json.load(open(out + "/trials.json"))
rows = []
for line in open(out + "/candidates.tsv"):
    name, policy = line.rstrip("\n").split("\t")
    test = json.load(open(policy[:-len(".json")] + "/evaluation.json"))["accuracy"]
    # the plain run has no race trial: its one trial is the full-length plain continuation
    race = meta["race"].get(name)
    full = meta["plain"] if name == "plain" else meta["full"].get(name)
    loss = meta.get("plainLoss") if name == "plain" else meta.get("fullLoss", {}).get(name)
    rows.append((name, race, full, -loss if loss is not None else None, test))

print("| candidate | race trial | full-length trial | its validation loss | full run, test |")
print("| --- | --- | --- | --- | --- |")
fmt = lambda x: "" if x is None else f"{x:.4f}"
for name, race, full, negloss, test in sorted(rows, key=lambda r: -r[4]):
    print(f"| {name} | {fmt(race)} | {fmt(full)} | {fmt(None if negloss is None else -negloss)} | {test:.4f} |")
for what, k in (("race trials", 1), ("full-length trials' score", 2), ("full-length trials' loss (lower first)", 3)):
    pairs = [(r[k], r[4]) for r in rows if r[k] is not None]
    if len(pairs) >= 3:
        a, b = [p[0] for p in pairs], [p[1] for p in pairs]
        rho, tau = spearmanr(a, b), kendalltau(a, b)
        print(f"{what} against full runs: n={len(pairs)}, Spearman rho {rho.statistic:+.2f} (p={rho.pvalue:.2f}), "
              f"Kendall tau {tau.statistic:+.2f} (p={tau.pvalue:.2f})")
PY
