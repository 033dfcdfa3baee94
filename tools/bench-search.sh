#!/usr/bin/env bash
# Regularization search benchmark (issue 14): hone with the search (--regularization auto) against
# hone with --regularization none, on one dataset, budget and seed each, one run after the other on
# the otherwise idle machine. Prints one JSON line per run: test accuracy, the chosen policy, the
# search's time and trial count, the pairs vetoed as label-changing, and wall time.
# Usage: tools/bench-search.sh DATA BUDGET SEED [SEED...]   e.g. tools/bench-search.sh fashion-mnist 30m 1 2
# OUT=DIR keeps the runs (default a temp folder); MODES="auto none" picks the runs (default both, auto first);
# HONE=CMD runs another hone launcher (default ./hone). The runs share this machine's throughput cache (HONE_CACHE,
# default ~/.cache/hone): the first run's curve sets every run's batch size, and only a run that times the curve
# pays for it (30-40 s) inside its budget. With an empty cache, that is the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { sed -n 2,10p "$0"; exit 2; }
DATA=$1 BUDGET=$2
shift 2
HONE=${HONE:-./hone}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
$HONE --version >/dev/null   # build outside the timings
echo "outputs in $OUT" >&2
name=$(basename "$DATA")
for seed in "$@"; do
  for mode in ${MODES:-auto none}; do
    dir="$OUT/$name-$BUDGET-$mode-seed$seed"
    start=$(date +%s.%N)
    HONE_JAVA_OPTS="-Xmx8g -Dai.djl.pytorch.num_threads=2" $HONE train --data "$DATA" --model resnet9 --budget "$BUDGET" \
        --seed "$seed" --regularization "$mode" --out "$dir" > "$dir.log" 2>&1 || { echo "run failed: $dir.log" >&2; exit 1; }
    end=$(date +%s.%N)
    python3 - "$dir" "$mode" "$seed" "$start" "$end" <<'PY'
import json, sys
out, mode, seed, start, end = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
rec = json.load(open(out + '/training-record.json'))
ev = json.load(open(out + '/evaluation.json'))
d = {x['name']: x for x in rec['decisions']}
pol = d.get('regularization-policy', {})
evidence = pol.get('evidence') or {}
print(json.dumps({'run': out.rsplit('/', 1)[-1], 'mode': mode, 'seed': int(seed), 'test_acc': ev.get('accuracy'),
                  'wall_s': round(end - start, 1), 'policy': pol.get('value'), 'why': pol.get('rationale'),
                  'search_s': round(evidence.get('searchSeconds', 0), 1), 'trials': evidence.get('candidatesTried'),
                  'vetoed': evidence.get('vetoedPairs'), 'epochs': len(rec['epochs']),
                  'batch': d.get('batch-size', {}).get('value'),
                  'throughput': (d.get('batch-size', {}).get('evidence') or {}).get('throughputSource')}))
PY
  done
done
