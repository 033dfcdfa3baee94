#!/usr/bin/env bash
# Throughput-probe stability (issue 14): starts `./hone train` RUNS times with one seed, stops each run once the
# batch size is decided, and prints each run's measured throughput curve and chosen batch. Run it alone on the idle
# machine; the spread between runs is the probe's noise (the throughput cache is off, so every start times).
# Usage: [SEED=1] tools/bench-probe.sh [RUNS] [DATA]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-4}
DATA=${2:-fashion-mnist}
SEED=${SEED:-1}
./hone --version >/dev/null   # build outside the timings
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for r in $(seq "$RUNS"); do
  log="$WORK/run$r.log"
  HONE_CACHE=off HONE_JAVA_OPTS="-Xmx8g -Dai.djl.pytorch.num_threads=2" ./hone train --data "$DATA" --model resnet9 --budget 30m \
      --seed "$SEED" --out "$WORK/run$r" > "$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && ! grep -q "decision: batch-size" "$log"; do sleep 1; done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  python3 - "$log" "$r" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
curve = re.findall(r"batchSize=(\d+), imagesPerSecond=([\d.]+)", text)
batch = re.search(r"decision: batch-size = (\d+)", text)
print("run %s: %s -> batch %s" % (sys.argv[2], ", ".join("%s: %.0f" % (b, float(v)) for b, v in curve),
                                  batch.group(1) if batch else "none"))
PY
done
