#!/usr/bin/env bash
# Benchmarks of issue 9, run one after the other on the idle machine (2 cores):
#  1. multi-label scenes (tools/make-scenes.py): hone --budget 10m against the plain PyTorch peer for 10 minutes;
#  2. binary Fashion-MNIST "Shirt" against the rest (1:9): hone --budget 5m;
#  3. W1 again: Fashion-MNIST, hone --budget 10m --regularization none (the figure of issue 3 must not move).
#  4. w1peer: the W1 peer (tools/peer-fashion-mnist.py, 2 epochs), to compare hone's W1 figure with the peer's on the same day.
#  5. segmentation scenes (tools/make-scenes.py --task segmentation, 20000/4000, seed 0, in $SEGDATA, default
#     $OUT/scenes-seg): segdata generates them once, seg trains hone's unet --budget 10m, segpeer runs the plain
#     PyTorch U-Net peer (tools/peer-segmentation.py) for 600 s of training (SEGPEER_BUDGET_S) and writes
#     $OUT/peer-seg.json.
#  6. detection scenes (tools/make-scenes.py --task detection, 20000/4000, seed 0, COCO JSON, in $DETDATA, default
#     $OUT/scenes-det): detdata generates them once (~1 minute), det trains hone's resnet18 detector --budget 15m,
#     detpeer runs the plain PyTorch Faster R-CNN peer (tools/peer-detection.py) for 900 s of training
#     (DETPEER_BUDGET_S) and writes $OUT/detpeer/detections.json and $OUT/detpeer/peer.json, scored by
#     tools/score-detections.sh when that exists (the peer runs it; its output is in peer.json's "score").
# The peers run with the environment's allocator; ./hone sets glibc's tunables when GLIBC_TUNABLES is unset (3.5 to 4.5
# times the speed of glibc's defaults at 64x64, for PyTorch too: docs/BENCHMARKS.md, "glibc's allocator"). To give the
# peers the same settings, export GLIBC_TUNABLES with ./hone's value before running this script.
# Usage: OUT=DIR tools/bench-tasks.sh [scenes|binary|w1|w1peer|segdata|seg|segpeer|detdata|det|detpeer]...
#        (default: scenes binary w1)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-/usr/bin/python3}
OUT=${OUT:-$(mktemp -d)}
STEPS=("$@")
[ ${#STEPS[@]} -gt 0 ] || STEPS=(scenes binary w1)
mkdir -p "$OUT"
SEGDATA=${SEGDATA:-$OUT/scenes-seg}
segdata() { [ -f "$SEGDATA/test/classes.txt" ] || "$PY" tools/make-scenes.py --task segmentation --out "$SEGDATA" \
    --train 20000 --test 4000 --seed 0; }
DETDATA=${DETDATA:-$OUT/scenes-det}
detdata() { [ -f "$DETDATA/test/_annotations.coco.json" ] || "$PY" tools/make-scenes.py --task detection --out "$DETDATA" \
    --train 20000 --test 4000 --seed 0; }
for step in "${STEPS[@]}"; do   # build outside the timings, when a step runs hone
  case $step in scenes|binary|w1|seg|det) ./hone --version >/dev/null; break ;; esac
done
export HONE_JAVA_OPTS="-Xmx8g -Dai.djl.pytorch.num_threads=2"
timed() { local name=$1; shift; local s e; s=$(date +%s.%N); "$@" > "$OUT/$name.log" 2>&1; e=$(date +%s.%N);
  echo "$name: $(echo "$e - $s" | bc) s wall" | tee -a "$OUT/walls.txt"; }
for step in "${STEPS[@]}"; do
  case $step in
    scenes)
      [ -f "$OUT/scenes/train.csv" ] || "$PY" tools/make-scenes.py --out "$OUT/scenes" --train 12000 --test 3000 --seed 1
      timed hone-scenes ./hone train --data "$OUT/scenes/train.csv" --test "$OUT/scenes/test.csv" --model resnet9 \
          --budget 10m --out "$OUT/hone-scenes"
      timed peer-scenes "$PY" tools/peer-multilabel.py --train "$OUT/scenes/train.csv" --test "$OUT/scenes/test.csv" --minutes 10
      ;;
    binary)
      [ -f "$OUT/shirt/classes.txt" ] || "$PY" tools/make-binary-fashion.py "$OUT/shirt"
      timed hone-shirt ./hone train --data "$OUT/shirt" --model resnet9 --budget 5m --out "$OUT/hone-shirt"
      ;;
    w1)
      timed hone-w1 ./hone train --data fashion-mnist --model resnet9 --budget 10m --regularization none --out "$OUT/hone-w1"
      ;;
    w1peer)   # the W1 peer, for a same-session ratio: per-epoch JSON lines with the training seconds so far
      timed peer-w1 "$PY" "${PEER:-tools/peer-fashion-mnist.py}" --arch resnet --epochs 2 --bs 64 --lr 1e-3 --opt adam --threads 2
      ;;
    segdata)
      segdata
      ;;
    seg)
      segdata
      timed hone-seg ./hone train --data "$SEGDATA/train" --test "$SEGDATA/test" --model unet --budget 10m --out "$OUT/hone-seg"
      ;;
    segpeer)
      segdata
      timed peer-seg "$PY" tools/peer-segmentation.py --train "$SEGDATA/train" --test "$SEGDATA/test" --budget-s "${SEGPEER_BUDGET_S:-600}" \
          --out-json "$OUT/peer-seg.json"
      ;;
    detdata)
      detdata
      ;;
    det)
      detdata
      timed hone-det ./hone train --data "$DETDATA/train/_annotations.coco.json" --test "$DETDATA/test/_annotations.coco.json" \
          --model resnet18 --budget 15m --out "$OUT/det"
      ;;
    detpeer)
      detdata
      timed peer-det "$PY" tools/peer-detection.py --train "$DETDATA/train/_annotations.coco.json" \
          --test "$DETDATA/test/_annotations.coco.json" --budget-s "${DETPEER_BUDGET_S:-900}" --out "$OUT/detpeer"
      ;;
    *)
      echo "unknown step: $step" >&2; exit 2
      ;;
  esac
done
echo "outputs in $OUT"
