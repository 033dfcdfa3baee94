#!/usr/bin/env bash
# What glibc's allocator settings do to a training step, hone and plain PyTorch side by side, alternated in rounds.
# hone: resnet9 on an image folder for 3 epochs at a fixed batch, learning rate, optimizer and schedule (no probes,
# no resizing, no regularization), with the old launcher settings (the two kept-memory thresholds) and with
# EngineDefaults.GLIBC_TUNABLES (those and arena_max=1, hugetlb=1); prints each epoch's images/s.
# PyTorch: the same resnet9 (3 channels, 2 threads, AdamW) timed over steps 4-10 at 28x28/64, 64x64/64 and 96x96/32,
# with glibc's defaults (as a user runs a script) and with the same settings.
# Usage: tools/bench-allocator.sh DATA BATCH [ROUNDS]   e.g. a folder of 64x64 or 96x96 images in class folders
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$1
BATCH=$2
ROUNDS=${3:-2}
PY=${PY:-/usr/bin/python3}   # Debian's python3 with python3-torch
OLD="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824"
NEW="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1:glibc.malloc.hugetlb=1"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
./hone --version >/dev/null   # build first, outside the timings
for r in $(seq "$ROUNDS"); do
  for name in old new; do
    tunables=$OLD; [ "$name" = new ] && tunables=$NEW
    rm -rf "$WORK/run"
    GLIBC_TUNABLES=$tunables HONE_CACHE=off HONE_JAVA_OPTS="-Xmx8g -Dai.djl.pytorch.num_threads=2" ./hone train \
        --data "$DATA" --model resnet9 --epochs 3 --batch-size "$BATCH" --lr 0.001 --optimizer adamw \
        --schedule warmup-cosine --progressive-resizing off --regularization none --out "$WORK/run" > "$WORK/log" 2>&1
    echo "round $r, hone, $name settings: $(grep -o 'epoch [0-9]/3: train.*' "$WORK/log" | grep -o '[0-9]* images/s' \
        | paste -sd ' ')"
  done
  for name in default new; do
    if [ "$name" = new ]; then export GLIBC_TUNABLES=$NEW; else unset GLIBC_TUNABLES; fi
    echo "round $r, PyTorch, $name settings: $("$PY" - <<'PY'
import time, torch, torch.nn as nn
torch.manual_seed(0)
torch.set_num_threads(2)
def cbr(i, o): return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU())
class Res(nn.Module):
    def __init__(s, c): super().__init__(); s.a = cbr(c, c); s.b = cbr(c, c)
    def forward(s, x): return x + s.b(s.a(x))
net = nn.Sequential(cbr(3, 32), cbr(32, 64), nn.MaxPool2d(2), Res(64), cbr(64, 128), nn.MaxPool2d(2), Res(128),
                    nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(128, 3))
opt = torch.optim.AdamW(net.parameters(), 1e-3)
out = []
for side, b in [(28, 64), (64, 64), (96, 32)]:
    x = torch.randn(b, 3, side, side); y = torch.randint(0, 3, (b,))
    seconds = []
    for s in range(10):
        t = time.time(); opt.zero_grad(); nn.functional.cross_entropy(net(x), y).backward(); opt.step()
        seconds.append(time.time() - t)
    out.append("%dx%d batch %d: %.0f images/s" % (side, side, b, b * 7 / sum(seconds[3:])))
print(", ".join(out))
PY
)"
  done
  unset GLIBC_TUNABLES
done
