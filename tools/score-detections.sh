#!/usr/bin/env bash
# Scores COCO-format detections (e.g. a PyTorch peer's) with hone's own COCO metrics code:
#   tools/score-detections.sh --truth gt.coco.json --detections results.json
# prints AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl, VOC_AP50 and per-class AP as JSON.
# Builds the project like the hone launcher when the jar is missing or the sources changed.
set -euo pipefail
HONE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$HONE_HOME/target/hone.jar"
if [ ! -f "$JAR" ] || [ ! -d "$HONE_HOME/target/lib" ] || \
   [ -n "$(find "$HONE_HOME/src/main" "$HONE_HOME/pom.xml" -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "score-detections: building hone (first run or sources changed; needs JDK 17 and Maven)..." >&2
  (cd "$HONE_HOME" && mvn -q -B -DskipTests package) >&2
fi
exec java ${HONE_JAVA_OPTS:--Xmx4g} -cp "$JAR:$HONE_HOME/target/lib/*" dev.hone.tasks.metrics.ScoreCocoDetections "$@"
