#!/usr/bin/env bash
# Pages per second of `classify` over the papers (138 PDFs, 2,323 pages), without and with --split,
# runs alternating, JVM start included; pages are those of the documents done (the records' `pages`).
#   mvn -q -DskipTests package && benchmarks/split-pages.sh [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-3}
papers=${DOCCLASSIFY_CORPUS:-$root/../shared/corpus}/throughput_pdfs_papers_we_love/docs
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq "$runs"); do
    for mode in plain split; do
        flags=(--no-progress --overwrite -o "$out/$mode.jsonl")
        [ "$mode" = split ] && flags+=(--split)
        start=$(date +%s.%N)
        ./doc-classify classify "$papers" "${flags[@]}" >/dev/null 2>&1
        seconds=$(echo "$(date +%s.%N) - $start" | bc)
        pages=$(grep -oE '"pages":[0-9]+' "$out/$mode.jsonl" | cut -d: -f2 | paste -sd+ | bc)
        segments=$( (grep -o '"pages":\[[0-9]*,[0-9]*\]' "$out/$mode.jsonl" || true) | wc -l)
        printf '%-5s run %d: %5d pages in %6.1f s = %6.0f pages/s (%d segments)\n' "$mode" "$i" "$pages" \
            "$seconds" "$(echo "$pages / $seconds" | bc -l)" "$segments"
    done
done
