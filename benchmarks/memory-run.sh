#!/bin/sh
# The async engine's memory bound, end to end: 100,000 small generated text documents plus the 200
# largest PDFs of the shared corpus, classified with a 512 MB heap. Run from the checkout after
# `mvn -q -DskipTests package`; the documents are generated into a temporary folder and removed.
#
#   benchmarks/memory-run.sh [CORPUS_DIR] [CLASSIFIER]      (defaults: ../shared/corpus, rules)
#
# Prints the run summary and the largest heap occupancy left after a garbage collection.
set -eu
CORPUS=${1:-../shared/corpus}
CLASSIFIER=${2:-rules}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/docclassify-memory.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
mkdir -p "$DIR/small" "$DIR/pdfs"

# 100 folders of 1,000 files; each file's content is distinct, so dedup does not shrink the work.
awk -v dir="$DIR/small" 'BEGIN {
    split("Invoice number %d. Bill to ACME Corp. Amount due: %d EUR. Payment terms net 30.|Dear Sir, thank you for your letter %d of %d. Yours sincerely, Anna|This Agreement %d is made between the parties; governing law of state %d.|Minutes of meeting %d: agenda item %d, action items and attendees.", kinds, "|");
    for (i = 0; i < 100000; i++) {
        if (i % 1000 == 0) { sub_dir = sprintf("%s/%03d", dir, i / 1000); system("mkdir -p " sub_dir) }
        file = sprintf("%s/doc%06d.txt", sub_dir, i);
        printf(kinds[i % 4 + 1] "\n", i, i * 7) > file;
        close(file);
    }
}'
find "$CORPUS" -iname '*.pdf' -type f -printf '%s %p\n' | sort -rn | head -200 | cut -d' ' -f2- | cat -n |
    while read -r n pdf; do cp "$pdf" "$DIR/pdfs/$n-$(basename "$pdf")"; done
echo "inputs: $(find "$DIR/small" -type f | wc -l) small files, $(ls "$DIR/pdfs" | wc -l) PDFs ($(du -sh "$DIR/pdfs" | cut -f1))"

DOC_CLASSIFY_OPTS="-Xmx512m -Xlog:gc:file=$DIR/gc.log" ./doc-classify classify "$DIR/small" "$DIR/pdfs" \
    --engine async --max-concurrent 50 --classifier "$CLASSIFIER" -o "$DIR/results.jsonl" --no-progress
echo "records: $(wc -l < "$DIR/results.jsonl")"
# GC lines end like "Pause Young (Normal) (G1 Evacuation Pause) 180M->41M(512M) 3.1ms": the number after "->".
echo "largest heap after a GC: $(sed -n 's/.*->\([0-9]*\)M(.*/\1/p' "$DIR/gc.log" | sort -n | tail -1) MB of 512"
