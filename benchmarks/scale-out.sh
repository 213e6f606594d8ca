#!/usr/bin/env bash
# Scale-out on one machine: 1, 2, 4 and 8 member processes, each asking its own Ollama stand-in of fixed
# latency and concurrency (one GPU host each, `node --llm-url`), one submitter; prints documents/s and
# efficiency per member (rate / (members x the one-member rate)), then the submitter's dispatch ceiling.
#   mvn -q -DskipTests package && benchmarks/scale-out.sh [LATENCY_MS] [CONCURRENCY] [SECONDS] [SIZES]
# Defaults: 200 ms, 4 requests at once per stand-in (20 documents/s per member), runs of about 20 s, "1 2 4 8".
# The work is waiting, not CPU: eight members fit on two cores. Documents are generated one-line text files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source "$root/benchmarks/java-bin.sh"
latency=${1:-200}
concurrency=${2:-4}
seconds=${3:-20}
sizes=${4:-1 2 4 8}
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
opens=(--enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
per_member=$(( concurrency * 1000 / latency ))
echo "stand-in: ${latency} ms per request, ${concurrency} at once = ${per_member} documents/s per member"
printf '%-8s %-10s %-10s %-14s %-12s\n' members documents seconds documents/s efficiency
base_rate=
for n in $sizes; do
    documents=$(( n * per_member * seconds ))
    docs="$work/docs-$n"
    mkdir -p "$docs"
    # Seeded by the document number: the same files on every run.
    awk -v n="$documents" -v dir="$docs" 'BEGIN { for (i = 0; i < n; i++) {
        f = sprintf("%s/report-%06d.txt", dir, i); print "Quarterly report number " i " on sales and costs." > f; close(f) } }'
    port=$(( 20000 + RANDOM % 20000 ))
    cluster="scale-out-$n-$$"
    members=()
    for i in $(seq 0 $(( n - 1 ))); do members+=("127.0.0.1:$(( port + i ))"); done
    join=$(IFS=,; echo "${members[*]}")
    for i in $(seq 0 $(( n - 1 ))); do
        "$java_bin" -cp benchmarks/target/benchmarks.jar io.docclassify.benchmarks.LlmStandIn \
            $(( port + 100 + i )) "$latency" "$concurrency" > "$work/llm-$n-$i.log" 2>&1 &
        pids+=($!)
        "$java_bin" -Xmx256m "${opens[@]}" -jar examples/target/doc-classify.jar node --cluster-name "$cluster" \
            --port $(( port + i )) --members "$join" --workers "$concurrency" \
            --llm-url "http://127.0.0.1:$(( port + 100 + i ))" > "$work/member-$n-$i.log" 2>&1 &
        pids+=($!)
    done
    for i in $(seq 0 $(( n - 1 ))); do
        until grep -q '^member .* of cluster' "$work/member-$n-$i.log"; do sleep 0.5; done
    done
    # The submitter names no reachable LLM: each member asks its own stand-in. A first, short run builds
    # the members' pipelines (Tika, the LLM client) and warms the JIT; the second is measured.
    submit() {
        "$java_bin" "${opens[@]}" -jar examples/target/doc-classify.jar classify "$1" -o "$2" \
            --engine hazelcast --members "$join" --cluster-name "$cluster" --classifier ollama \
            --llm-url http://127.0.0.1:9 --llm-max-concurrent "$concurrency" --no-progress > "$3" 2>&1
    }
    mkdir -p "$work/warm-$n"
    cp "$docs"/report-0000[0-9]*.txt "$work/warm-$n"/ 2>/dev/null || true
    submit "$work/warm-$n" "$work/warm-$n.jsonl" "$work/warm-$n.log"
    submit "$docs" "$work/results-$n.jsonl" "$work/submitter-$n.log"
    # The summary's rate line, documents/hour, covers the run from connecting to the last record.
    per_hour=$(sed -nE 's/^  rate +([0-9,]+) documents\/hour.*/\1/p' "$work/submitter-$n.log" | tr -d ,)
    if [ -z "$per_hour" ]; then
        echo "the run on $n members failed; its output:" >&2
        tail -n 30 "$work/submitter-$n.log" >&2
        exit 1
    fi
    recorded=$(wc -l < "$work/results-$n.jsonl")
    rate=$(awk -v h="$per_hour" 'BEGIN { printf "%.1f", h / 3600 }')
    time_s=$(awk -v d="$recorded" -v r="$rate" 'BEGIN { printf "%.1f", d / r }')
    base_rate=${base_rate:-$rate}
    efficiency=$(awk -v r="$rate" -v b="$base_rate" -v n="$n" 'BEGIN { printf "%.2f", r / (n * b) }')
    printf '%-8s %-10s %-10s %-14s %-12s\n' "$n" "$recorded" "$time_s" "$rate" "$efficiency"
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    pids=()
    rm -rf "$docs" "$work/warm-$n"
done
"$java_bin" "${opens[@]}" -cp benchmarks/target/benchmarks.jar io.docclassify.benchmarks.DispatchCeiling 10000 10 2>/dev/null \
    | grep '^dispatch ceiling'
