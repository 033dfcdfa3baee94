#!/usr/bin/env bash
# What augmentation adds to a training step on the CPU: resnet9 on 28x28x1 images, batch 128, 2 threads,
# mean full-step time (forward, backward, optimizer) with no augmentation and with a heavy policy
# (translate, zoom, rotate, flip, erase, brightness, contrast, noise at magnitude 0.5), alternated in rounds.
# The target is an overhead of at most 15%. Takes about a minute.
# Usage: tools/bench-augment.sh [BATCH] [STEPS_PER_ROUND] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
./hone --version >/dev/null   # build first, outside the timings
# the launcher's allocator settings, so the step is timed as `hone train` runs it
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1:glibc.malloc.hugetlb=1}"
exec java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "target/hone.jar:target/lib/*" dev.hone.augment.AugmentBench "${1:-128}" "${2:-20}" "${3:-3}"
