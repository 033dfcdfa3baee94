#!/usr/bin/env bash
# Training throughput of hone vs the peer PyTorch script (tools/peer-fashion-mnist.py), side by side:
# resnet9 on Fashion-MNIST, 2 threads, the same batch size and image count (54,000 = the training split
# hone keeps after holding out validation), alternating runs so machine noise hits both.
# Prints images/s per run and the ratio of the medians. Usage: tools/bench-throughput.sh [BATCH] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BS=${1:-64}
ROUNDS=${2:-2}
PEER=${PEER:-tools/peer-fashion-mnist.py}
PY=${PY:-/usr/bin/python3}   # Debian's python3 with python3-torch
N=54000
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
./hone --version >/dev/null   # build first, outside the timings
peer=(); hone=()
for r in $(seq "$ROUNDS"); do
  s=$("$PY" "$PEER" --arch resnet --epochs 1 --bs "$BS" --limit "$N" --threads 2 | tail -1 \
      | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["train_s"])')
  peer+=("$("$PY" -c "print(round($N / $s, 1))")")
  HONE_JAVA_OPTS="-Xmx8g -Dai.djl.pytorch.num_threads=2" ./hone train --data fashion-mnist --model resnet9 \
      --epochs 1 --batch-size "$BS" --out "$WORK/run$r" >/dev/null 2>&1
  hone+=("$("$PY" -c "import json; print(round(json.loads(open('$WORK/run$r/metrics.jsonl').readline())['imagesPerSecond'], 1))")")
  echo "round $r: peer ${peer[-1]} images/s, hone ${hone[-1]} images/s"
done
"$PY" - "${peer[*]}" "${hone[*]}" <<'PY'
import statistics, sys
p = [float(x) for x in sys.argv[1].split()]; h = [float(x) for x in sys.argv[2].split()]
mp, mh = statistics.median(p), statistics.median(h)
print(f"median: peer {mp:.1f} images/s, hone {mh:.1f} images/s, hone/peer = {mh / mp:.3f}")
PY
