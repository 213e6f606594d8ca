#!/usr/bin/env bash
# Load test of `doc-classify serve` on loopback: UPLOADS (default 2000) uploads of real documents from the
# shared corpus to POST /v1/classify from CLIENTS (default 32) concurrent clients, with the service's default
# classifier. Passes when there is no 5xx, no transport error and every answer is a record of the bytes sent;
# prints p50/p90/p99 latency and documents/second. A documented command, not a CI test: timings vary with load.
#   mvn -q -DskipTests package && benchmarks/service-load.sh [UPLOADS] [CLIENTS] [DOCUMENTS]
# DOCUMENTS (default 200) distinct files, cycled: texts of Reuters and BBC, and the business PDFs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source "$root/benchmarks/java-bin.sh"
uploads=${1:-2000}
clients=${2:-32}
documents=${3:-200}
corpus=${DOCCLASSIFY_CORPUS:-$root/../shared/corpus}
work=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/root"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/tokens"
token=$(cat "$work/tokens")
# A fixed, seeded choice: the first files by name of each folder, a third from each.
mapfile -t files < <({
    # sed, not head: head would end the pipe early, and pipefail would end the list with it.
    find "$corpus/business_docs/docs" -type f -name '*.pdf' | sort | sed -n "1,$((documents / 3))p"
    find "$corpus/reuters_r8_test/docs" -type f | sort | sed -n "1,$((documents / 3))p"
    find "$corpus/bbc_news" -type f -name '*.txt' | sort | sed -n "1,$((documents - 2 * (documents / 3)))p"
})

./doc-classify serve --port 0 --tokens "$work/tokens" --root "$work/root" --jobs-dir "$work/jobs" \
    --max-sync "$clients" --no-progress 2> "$work/serve.log" &
server=$!
for _ in $(seq 1 120); do
    url=$(sed -n 's/^doc-classify: serving at \(http[^ ]*\) .*/\1/p' "$work/serve.log")
    [ -n "$url" ] && break
    if ! kill -0 "$server" 2>/dev/null; then
        cat "$work/serve.log" >&2
        exit 1
    fi
    sleep 0.5
done
[ -n "$url" ] || { echo "the service did not start; see its log:" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "service      $url, $(nproc) cores, ${#files[@]} documents cycled"
"$java_bin" -cp "$root/examples/target/lib/*" "$root/benchmarks/ServiceLoad.java" "$url" "$token" "$uploads" \
    "$clients" "${files[@]}"
