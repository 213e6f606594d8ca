#!/usr/bin/env bash
# Times the status server during a real run: one CLI run over the Reuters texts of the shared corpus,
# with /metrics and /api/run each fetched 15 times mid-run. Prints the run's wall time, the median
# response times and the size of a scrape. Run it from the repository root, after
# `mvn -o -q -DskipTests package`; repeat three times and take the medians.
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s.%N)
"$root/doc-classify" classify ../shared/corpus/reuters_r8_test/docs -o "$work/out.jsonl" --no-progress \
  --classifier rules -w 2 --status-port 0 > "$work/stdout.txt" 2> "$work/err.txt" &
pid=$!
for _ in $(seq 1 200); do grep -q "status page" "$work/err.txt" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o "http://[^ ]*" "$work/err.txt" | head -1)
scrape=(); api=(); bytes=0
for _ in $(seq 1 15); do
  scrape+=("$(curl -s -o "$work/scrape.txt" -w '%{time_total}' "${url}metrics")")
  bytes=$(wc -c < "$work/scrape.txt")
  api+=("$(curl -s -o /dev/null -w '%{time_total}' "${url}api/run")")
  sleep 0.2
done
wait "$pid"
end=$(date +%s.%N)
median_ms() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]*1000}'; }
echo "run $(echo "$end - $start" | bc) s; /metrics $(median_ms "${scrape[@]}") ms, $bytes bytes; /api/run $(median_ms "${api[@]}") ms"
