#!/usr/bin/env bash
# Times doc-classify against Apache Tika's own batch mode on the same documents, in one run.
#
#   benchmarks/compare-tika.sh [RUNS] [INPUT_DIR...]
#
# RUNS (default 3) rounds, each running, one after the other on the same input:
#   tika        java -jar tika-app-3.2.2.jar -t -numConsumers N -i IN -o OUT   (text of every document)
#   defaults    ./doc-classify classify IN -o OUT.jsonl                       (text to the budget, embedding classifier, JSON Lines)
#   full-rules  ./doc-classify classify IN --full-text --classifier rules     (whole text, like Tika, then classified)
# with N = the number of cores, and prints each wall time, the medians, documents/hour and the
# ratios of wall times. Input: by default the papers and the business documents of ../shared/corpus
# (666 documents), hard-linked (or copied) into one folder, since Tika's batch mode takes one.
# Tika 3.2.2 is the newest tika-app on Maven Central here; doc-classify embeds Tika 3.3.1.
# Run from the repository root after `mvn -q -DskipTests package` (on JDK 25 and newer that also
# records the launcher's AOT cache, which every doc-classify run here then uses, as a user's would).
set -euo pipefail

runs=${1:-3}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${DOCCLASSIFY_CORPUS:-$root/../shared/corpus}
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
    inputs=("$corpus/throughput_pdfs_papers_we_love/docs" "$corpus/business_docs/docs")
fi

source "$root/benchmarks/java-bin.sh"
# Both tools get the same Java, named directly: the launcher then looks for no other one.
java_home=$(dirname "$(dirname "$java_bin")")

tika_jar=$HOME/.m2/repository/org/apache/tika/tika-app/3.2.2/tika-app-3.2.2.jar
if [ ! -f "$tika_jar" ]; then
    echo "fetching tika-app 3.2.2 from Maven Central" >&2
    mvn -q dependency:get -Dartifact=org.apache.tika:tika-app:3.2.2 -Dtransitive=false >&2
fi
if [ ! -f "$root/examples/target/doc-classify.jar" ]; then
    echo "compare-tika.sh: build doc-classify first: mvn -q -DskipTests package" >&2
    exit 2
fi

work=$root/benchmarks/target/compare-tika
rm -rf "$work"
mkdir -p "$work/in"
for dir in "${inputs[@]}"; do
    name=$(basename "$(dirname "$dir")")-$(basename "$dir")
    cp -rl "$dir" "$work/in/$name" 2>/dev/null || cp -r "$dir" "$work/in/$name"
done
documents=$(find "$work/in" -type f | wc -l)
cores=$(nproc)
echo "compare-tika: $documents documents, $cores cores, $(free -g | awk '/Mem:/ {print $2}') GiB;" \
     "$("$java_bin" -version 2>&1 | head -1)"

declare -A times
seconds() { date +%s.%N; }
run_timed() { # name, command...
    local name=$1 start end
    shift
    start=$(seconds)
    "$@" >"$work/$name.log" 2>&1 || { echo "$name failed, see $work/$name.log" >&2; exit 1; }
    end=$(seconds)
    times[$name]+="$(echo "$end - $start" | bc) "
}

for round in $(seq 1 "$runs"); do
    rm -rf "$work/tika-out" "$work"/*.jsonl
    # tika-app OCRs every image as soon as tesseract is on its PATH: a text-only comparison gives it only the JDK's
    run_timed tika env PATH="$(dirname "$java_bin")" "$java_bin" -jar "$tika_jar" -t -numConsumers "$cores" -i "$work/in" -o "$work/tika-out"
    run_timed defaults env JAVA_HOME="$java_home" "$root/doc-classify" classify "$work/in" -o "$work/defaults.jsonl" --no-progress
    run_timed full-rules env JAVA_HOME="$java_home" "$root/doc-classify" classify "$work/in" -o "$work/full-rules.jsonl" --no-progress \
        --full-text --classifier rules
    echo "round $round: tika $(echo "${times[tika]}" | awk '{print $NF}') s," \
         "defaults $(echo "${times[defaults]}" | awk '{print $NF}') s," \
         "full-rules $(echo "${times[full-rules]}" | awk '{print $NF}') s"
done

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
tika=$(median "${times[tika]}")
defaults=$(median "${times[defaults]}")
full=$(median "${times[full-rules]}")
tika_out=$(find "$work/tika-out" -type f | wc -l)
per_hour() { echo "$documents * 3600 / $1" | bc; }
printf '%-12s %8s %14s %s\n' "" "median s" "documents/h" "documents out"
printf '%-12s %8.1f %14s %s\n' tika "$tika" "$(per_hour "$tika")" "$tika_out text files"
printf '%-12s %8.1f %14s %s\n' defaults "$defaults" "$(per_hour "$defaults")" "$(wc -l <"$work/defaults.jsonl") records"
printf '%-12s %8.1f %14s %s\n' full-rules "$full" "$(per_hour "$full")" "$(wc -l <"$work/full-rules.jsonl") records"
echo "ratio of wall times, tika / doc-classify: defaults $(echo "scale=2; $tika / $defaults" | bc)x," \
     "full-text + rules $(echo "scale=2; $tika / $full" | bc)x ($runs rounds, $cores cores)"
