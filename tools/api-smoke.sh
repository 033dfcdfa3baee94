#!/usr/bin/env bash
# Issue 13's check of the Java API as a user meets it: installs hone into the local Maven repository,
# creates a fresh Maven project whose pom has hone as its only dependency, puts the complete program of
# docs/java-api.md in it as it is (the java block after the "<!-- api-smoke" comment), compiles it with
# Maven, runs it with a plain `java -cp` on the embedded Fashion-MNIST sample (the program's own 30 s
# budget) and checks that it printed a test accuracy and a prediction of one of the sample's classes for
# an image taken from the sample's test set.
# Usage: tools/api-smoke.sh      MVN_FLAGS=-o passes flags to every mvn call (offline here);
#        KEEP=1 keeps the temporary project; JAVA_OPTS adds JVM options to the program's run.
set -euo pipefail
cd "$(dirname "$0")/.."
HONE_HOME=$(pwd)
read -r -a MVN <<<"mvn -B ${MVN_FLAGS:-}"
start=$SECONDS
fail() { echo "api-smoke: FAIL: $*" >&2; exit 1; }

DOC=docs/java-api.md
SAMPLE=$HONE_HOME/data/fashion-mnist-sample
[ -f "$SAMPLE/classes.txt" ] || fail "the embedded sample $SAMPLE is missing"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hone-api-smoke.XXXXXX")
if [ -n "${KEEP:-}" ]; then echo "api-smoke: keeping $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi

# 1. the program, from the doc: the fenced java block right after the marker comment
program=$(awk '/^<!-- api-smoke/ {armed = 1; next}
               armed == 1 && /^```java[[:space:]]*$/ {armed = 2; next}
               armed == 1 && NF {exit}
               armed == 2 && /^```/ {exit}
               armed == 2 {print}' "$DOC")
[ -n "$program" ] || fail "$DOC has no \`\`\`java block right after a '<!-- api-smoke' comment"
class=$(sed -n 's/^public \(final \)\{0,1\}class \([A-Za-z_][A-Za-z0-9_]*\).*/\2/p' <<<"$program" | head -1)
[ -n "$class" ] || fail "the api-smoke block of $DOC declares no public class"
grep -q 'static void main' <<<"$program" || fail "the api-smoke block of $DOC ($class) has no main method"

# 2. hone into the local repository; its coordinates from the jar just built
echo "api-smoke: installing hone (mvn install -DskipTests)"
"${MVN[@]}" -q install -DskipTests || fail "mvn install of hone failed"
props=target/maven-archiver/pom.properties
prop() { sed -n "s/^$1=//p" "$props"; }
group=$(prop groupId); artifact=$(prop artifactId); version=$(prop version)
[ -n "$group" ] && [ -n "$artifact" ] && [ -n "$version" ] || fail "no coordinates in $props after the build"
echo "api-smoke: $group:$artifact:$version installed; fresh project in $WORK/app"

# 3. a fresh project: the hone dependency and Java 17, nothing else (plugin versions pinned to the ones
#    hone's own build uses, so they resolve offline wherever hone builds)
mkdir -p "$WORK/app/src/main/java"
printf '%s\n' "$program" >"$WORK/app/src/main/java/$class.java"
cat >"$WORK/app/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>hone-api-smoke</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>$group</groupId>
      <artifactId>$artifact</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.7.1</version></plugin>
    </plugins>
  </build>
</project>
EOF

# 4. compile it with Maven, and the runtime classpath Maven resolves from hone's pom alone
echo "api-smoke: compiling $class.java against the installed jar"
(cd "$WORK/app" && "${MVN[@]}" -q compile dependency:build-classpath -Dmdep.outputFile=classpath.txt \
    -DincludeScope=runtime) || fail "the program of $DOC did not compile in a fresh project with only $group:$artifact:$version"
classpath="$WORK/app/target/classes:$(cat "$WORK/app/classpath.txt")"
grep -q "pytorch-native-cpu" "$WORK/app/classpath.txt" || fail "the PyTorch natives did not come with $artifact's dependency"

# 5. an image to predict: the first Ankle boot of the sample's test set, as a PNG
cat >"$WORK/IdxToPng.java" <<'EOF'
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/** IdxToPng IMAGES.gz LABELS.gz LABEL OUT.png: writes the first image with LABEL as a PNG. */
public class IdxToPng {
    public static void main(String[] a) throws Exception {
        try (DataInputStream images = new DataInputStream(new GZIPInputStream(new FileInputStream(a[0])));
                DataInputStream labels = new DataInputStream(new GZIPInputStream(new FileInputStream(a[1])))) {
            images.readInt();
            int n = images.readInt(), h = images.readInt(), w = images.readInt();
            labels.readInt();
            labels.readInt();
            byte[] pixels = new byte[h * w];
            for (int i = 0; i < n; i++) {
                images.readFully(pixels);
                if (labels.readUnsignedByte() == Integer.parseInt(a[2])) {
                    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
                    image.getRaster().setDataElements(0, 0, w, h, pixels);
                    ImageIO.write(image, "png", new File(a[3]));
                    return;
                }
            }
            throw new IllegalStateException("no image with label " + a[2]);
        }
    }
}
EOF
label=9
truth=$(sed -n "$((label + 1))p" "$SAMPLE/classes.txt")
image="$WORK/ankle-boot.png"
java -Djava.awt.headless=true "$WORK/IdxToPng.java" "$SAMPLE/t10k-images-idx3-ubyte.gz" "$SAMPLE/t10k-labels-idx1-ubyte.gz" "$label" "$image" \
    || fail "could not write a test image from the sample"

# 6. run it as a user would: java -cp, the program's usage DATA IMAGE OUT
echo "api-smoke: running $class on $SAMPLE"
log="$WORK/run.log"
set +e
(cd "$WORK/app" && java ${JAVA_OPTS:-} -cp "$classpath" "$class" "$SAMPLE" "$image" "$WORK/run") 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || fail "$class exited with status $status (log: $log)"

grep -q '^decision: ' "$log" || fail "$class printed no decision from its TrainingListener"
grep -Eq '^test accuracy [0-9.]+; model in ' "$log" || fail "$class printed no 'test accuracy ...; model in ...' line"
[ -f "$WORK/run/model/hone-model.json" ] || fail "no model folder at $WORK/run/model"
line=$(grep -F "$image: " "$log" | tail -1)
[ -n "$line" ] || fail "$class printed no prediction line '$image: CLASS, top 3: ...'"
predicted=${line#"$image: "}
predicted=${predicted%%, top 3: *}
grep -Fxq -- "$predicted" "$SAMPLE/classes.txt" || fail "the prediction '$predicted' is not one of the sample's classes"
if [ "$predicted" = "$truth" ]; then verdict="right"; else verdict="wrong (a 30 s model errs on about 1 image in 5)"; fi
echo "api-smoke: OK in $((SECONDS - start)) s: $group:$artifact:$version alone compiles and runs docs/java-api.md;" \
    "it predicted '$predicted' for an image of '$truth', $verdict"
