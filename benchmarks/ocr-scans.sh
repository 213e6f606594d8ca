#!/usr/bin/env bash
# OCR on scanned documents: accuracy against the same documents born-digital, the rendering resolution,
# and speed against Apache Tika's own batch mode with Tesseract.
#
#   benchmarks/ocr-scans.sh accuracy [SCANS]     scans vs born-digital, per type (README's table)
#   benchmarks/ocr-scans.sh dpi [SCANS] [N]      accuracy and time at 100, 150, 200, 300 DPI on N scans per type (default 5)
#   benchmarks/ocr-scans.sh speed [SCANS] [N]    N scans (default 20): tika-app 3.2.2 -t vs doc-classify --ocr, one run each
#
# SCANS defaults to target/scans, made by scripts/make-scans.sh (its labels.csv names each scan's type,
# and born-digital/ links to the originals). Every run uses the default classifier and writes JSON Lines
# to benchmarks/target/ocr-scans/. OCR_TIMEOUT (default 60, the default --timeout) is the time budget per
# document: on a machine shared with other work, a page can take ten times its usual 2-3 s. Run from the repository root after `mvn -q -DskipTests package`.
# Tika 3.2.2 is the newest tika-app on Maven Central here; it finds Tesseract on the PATH and, by default,
# OCRs the PDF pages with little text (its AUTO strategy), as a new user would run it.
set -euo pipefail

mode=${1:?usage: benchmarks/ocr-scans.sh accuracy|dpi|speed [SCANS] [N]}
root=$(cd "$(dirname "$0")/.." && pwd)
scans=$(cd "${2:-$root/target/scans}" && pwd)
work=$root/benchmarks/target/ocr-scans
mkdir -p "$work"
budget=(--timeout "${OCR_TIMEOUT:-60}")
[ -f "$scans/labels.csv" ] || { echo "ocr-scans.sh: no $scans/labels.csv; run scripts/make-scans.sh first" >&2; exit 2; }
[ -f "$root/examples/target/doc-classify.jar" ] || { echo "ocr-scans.sh: build first: mvn -q -DskipTests package" >&2; exit 2; }

source "$root/benchmarks/java-bin.sh"

# accuracy JSONL: "type correct total accuracy" per type and "all ..."; the expected type is the folder name.
accuracy() {
    jq -r 'select(.outcome != "duplicate") | [(.path | split("/") | .[-2]), (.label // "-")] | @tsv' "$1" |
        awk -F'\t' '{t[$1]++; n++; if ($1 == $2) {c[$1]++; k++}}
            END {for (x in t) printf "%s %d %d %.3f\n", x, c[x], t[x], c[x] / t[x]; printf "all %d %d %.3f\n", k, n, k / n}' |
        sort
}

# N documents per type of the scans, linked into one folder (a scan and its born-digital original side by side).
subset() { # n, folder
    rm -rf "$2"
    mkdir -p "$2"
    for dir in "$scans"/*/; do
        type=$(basename "$dir")
        [ "$type" = born-digital ] && continue
        mkdir -p "$2/$type"
        find "$dir" -maxdepth 1 -name '*.pdf' | sort | head -n "$1" | while read -r f; do ln -s "$f" "$2/$type/"; done
    done
}

timed() { # name, command...: runs it, prints the wall time in seconds; its CPU time (children included) goes to NAME.cpu
    local name=$1 start end
    shift
    start=$(date +%s.%N)
    /usr/bin/time -o "$work/$name.cpu" -f '%U %S' "$@" >"$work/$name.log" 2>&1 ||
        { echo "$name failed, see $work/$name.log" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
cpu() { awk '{printf "%.0f", $1 + $2}' "$work/$1.cpu"; } # CPU seconds, user + system

case $mode in
accuracy)
    echo "ocr-scans accuracy: $(($(wc -l <"$scans/labels.csv") - 1)) documents, $(nproc) cores"
    born=$(timed born-digital "$root/doc-classify" classify "$scans/born-digital" --follow-links --no-dedup \
        -o "$work/born-digital.jsonl" --no-progress)
    ocr=$(timed scans "$root/doc-classify" classify "$scans" --ocr "${budget[@]}" --no-dedup -o "$work/scans.jsonl" --no-progress)
    # The scans folder holds born-digital/ (links, not followed) and labels.csv too: count only the scans.
    jq -c 'select((.path | endswith(".pdf")) and (.path | contains("/born-digital/") | not))' "$work/scans.jsonl" \
        >"$work/scans-only.jsonl"
    echo "born-digital ($born s):"
    accuracy "$work/born-digital.jsonl"
    echo "scans with --ocr ($ocr s):"
    accuracy "$work/scans-only.jsonl"
    echo "OCRed pages: $(jq -s 'map(.ocrPages) | add' "$work/scans-only.jsonl")," \
         "pages: $(jq -s 'map(.pages // 0) | add' "$work/scans-only.jsonl")," \
         "failed: $(jq -s 'map(select(.outcome == "failed")) | length' "$work/scans-only.jsonl")"
    ;;
dpi)
    n=${3:-5}
    subset "$n" "$work/dpi-in"
    for dpi in 100 150 200 300; do
        rm -f "$work/dpi-$dpi.jsonl"
        t=$(DOC_CLASSIFY_OPTS="-Ddocclassify.ocr.dpi=$dpi" timed "dpi-$dpi" "$root/doc-classify" classify \
            "$work/dpi-in" --follow-links --ocr "${budget[@]}" --no-dedup -o "$work/dpi-$dpi.jsonl" --no-progress)
        ms=$(jq -s 'map(.timingsMs.ocr // 0) | add' "$work/dpi-$dpi.jsonl")
        pages=$(jq -s 'map(.ocrPages) | add' "$work/dpi-$dpi.jsonl")
        chars=$(jq -s 'map(.chars // 0) | add' "$work/dpi-$dpi.jsonl")
        echo "dpi $dpi: $(accuracy "$work/dpi-$dpi.jsonl" | awk '$1 == "all" {print $2 "/" $3 " correct (" $4 ")"}')," \
             "$pages pages OCRed, $((ms / (pages > 0 ? pages : 1))) ms OCR per page, $chars chars, wall $t s"
    done
    ;;
speed)
    n=${3:-20}
    tika_jar=$HOME/.m2/repository/org/apache/tika/tika-app/3.2.2/tika-app-3.2.2.jar
    if [ ! -f "$tika_jar" ]; then
        echo "fetching tika-app 3.2.2 from Maven Central" >&2
        mvn -q dependency:get -Dartifact=org.apache.tika:tika-app:3.2.2 -Dtransitive=false >&2
    fi
    command -v tesseract >/dev/null || { echo "ocr-scans.sh: tesseract is not on the PATH" >&2; exit 2; }
    # n scans, round-robin over the types, copied into one folder (Tika's batch mode takes one).
    rm -rf "$work/speed-in" "$work/tika-out" "$work/speed.jsonl"
    mkdir -p "$work/speed-in"
    paste -d '\n' <(find "$scans"/resume -name '*.pdf' | sort) <(find "$scans"/scientific_paper -name '*.pdf' | sort) \
        <(find "$scans"/contract -name '*.pdf' | sort) <(find "$scans"/invoice -name '*.pdf' | sort) |
        grep -v '^$' | head -n "$n" | while read -r f; do cp "$f" "$work/speed-in/"; done || true # head ends paste early
    docs=$(find "$work/speed-in" -type f | wc -l)
    pages=$(for f in "$work"/speed-in/*.pdf; do pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}'; done | paste -sd+ | bc)
    echo "ocr-scans speed: $docs scans ($pages pages), $(nproc) cores; $("$java_bin" -version 2>&1 | head -1)"
    tika=$(timed tika "$java_bin" -jar "$tika_jar" -t -numConsumers "$(nproc)" -i "$work/speed-in" -o "$work/tika-out")
    ours=$(timed doc-classify "$root/doc-classify" classify "$work/speed-in" --ocr "${budget[@]}" -o "$work/speed.jsonl" --no-progress)
    tika_chars=$(find "$work/tika-out" -type f -exec cat {} + | wc -m)
    echo "tika-app -t:          $tika s wall, $(cpu tika) s CPU ($tika_chars characters of text out)"
    echo "doc-classify --ocr:   $ours s wall, $(cpu doc-classify) s CPU ($(jq -s 'map(.ocrPages) | add' "$work/speed.jsonl")" \
         "pages OCRed, $(jq -s 'map(select(.outcome == "classified")) | length' "$work/speed.jsonl") classified)"
    echo "ratio (tika / doc-classify): $(echo "scale=2; $tika / $ours" | bc)x wall," \
         "$(echo "scale=2; $(cpu tika) / $(cpu doc-classify)" | bc)x CPU;" \
         "doc-classify: $(echo "$docs * 3600 / $ours" | bc) scanned documents/hour"
    ;;
*)
    echo "ocr-scans.sh: unknown mode '$mode'; use accuracy, dpi or speed" >&2
    exit 2
    ;;
esac
