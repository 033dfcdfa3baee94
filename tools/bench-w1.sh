#!/usr/bin/env bash
# Benchmark W1 (issue 3): hone with a 10-minute budget against the peer PyTorch script (resnet9, Adam
# 1e-3, batch 64, no augmentation) on Fashion-MNIST, both without augmentation, run one after the other
# on the same machine. Then hone with smaller budgets, to find the time it needs to reach the peer's
# 10-minute accuracy. Usage: tools/bench-w1.sh [SMALLER_BUDGETS... | none]   (default: 2m 3m 4m)
# HONE_FLAGS adds flags to hone's command (default --regularization none: W1 of issue 3 compares without augmentation).
# PEER_RESULT=FILE reuses a peer run's JSON lines (from the same session) instead of running it again.
set -euo pipefail
cd "$(dirname "$0")/.."
PEER=${PEER:-tools/peer-fashion-mnist.py}
PY=${PY:-/usr/bin/python3}
OUT=${OUT:-$(mktemp -d)}
SMALLER=("$@")
[ ${#SMALLER[@]} -gt 0 ] || SMALLER=(2m 3m 4m)
[ "${SMALLER[*]}" != "none" ] || SMALLER=()
mkdir -p "$OUT"
./hone --version >/dev/null   # build outside the timings
echo "outputs in $OUT"

if [ -n "${PEER_RESULT:-}" ]; then
  [ "$PEER_RESULT" -ef "$OUT/peer.jsonl" ] || cp "$PEER_RESULT" "$OUT/peer.jsonl"
else
  "$PY" "$PEER" --arch resnet --epochs 5 --bs 64 --lr 1e-3 --opt adam --threads 2 | tee "$OUT/peer.jsonl"
fi
peer_acc=$("$PY" -c "
import json
rows = [json.loads(l) for l in open('$OUT/peer.jsonl')]
within = [r for r in rows if r['train_s'] <= 600]
print(within[-1]['test_acc'] if within else rows[0]['test_acc'])")
echo "peer: test accuracy at the last epoch within 600 s of training: $peer_acc"

run_hone() {
  local budget=$1
  local start end
  start=$(date +%s.%N)
  HONE_JAVA_OPTS="-Xmx8g -Dai.djl.pytorch.num_threads=2" ./hone train --data fashion-mnist --model resnet9 \
      --budget "$budget" ${HONE_FLAGS:---regularization none} --out "$OUT/hone-$budget" > "$OUT/hone-$budget.log" 2>&1
  end=$(date +%s.%N)
  "$PY" - "$OUT/hone-$budget" "$budget" "$start" "$end" <<'PY'
import json, re, sys
def seconds(iso):
    h, m, s = re.fullmatch(r'PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?', iso).groups()
    return int(h or 0) * 3600 + int(m or 0) * 60 + float(s or 0)
out, budget, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
rec = json.load(open(out + '/training-record.json'))
ev = json.load(open(out + '/evaluation.json'))
costs = sum(seconds(d.get('cost', 'PT0S')) for d in rec['decisions'])
print(json.dumps({'budget': budget, 'wall_s': round(end - start, 1), 'test_acc': ev['accuracy'],
                  'meta_learning_s': round(costs, 1), 'epochs': len(rec['epochs']), 'stop': rec['stopReason'],
                  'decisions': {d['name']: d['value'] for d in rec['decisions']
                                if d['name'] in ('batch-size', 'lr', 'optimizer', 'epochs', 'batchnorm-momentum')}}))
PY
}
run_hone 10m | tee "$OUT/hone-10m.json"
for b in "${SMALLER[@]}"; do run_hone "$b" | tee "$OUT/hone-$b.json"; done
