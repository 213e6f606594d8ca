#!/usr/bin/env bash
# Makes degraded, image-only "scanned" versions of shared-corpus PDFs, for the OCR accuracy and speed checks.
#
#   scripts/make-scans.sh [OUT_DIR] [PER_TYPE] [SEED] [DPI]
#
# OUT_DIR   default target/scans (never checked in)
# PER_TYPE  documents per document type, default 60 (types with fewer take all they have)
# SEED      default 17: the same seed picks the same documents and the same degradations
# DPI       default 200
# MAKE_SCANS_TYPES (environment) the types to render, default all: two processes with different types
#           split the work and make the same files (the seeds depend on the document's place in the list)
#
# For each chosen PDF of ../shared/corpus/document_type_labels.csv (types resume, scientific_paper,
# contract, invoice): its first 2 pages (the text budget of 3,000 characters rarely needs more) are
# rendered greyscale at DPI with pdftoppm, each page is rotated by a seeded angle in [-1.5, 1.5]
# degrees and given seeded Gaussian noise with ImageMagick, saved as a JPEG of quality 80 (as
# scanners and copiers do), and the pages are wrapped as an image-only PDF with img2pdf (no text left).
# Writes OUT_DIR/<type>/<name>.pdf, OUT_DIR/labels.csv (path,doc_type, paths relative to OUT_DIR)
# and OUT_DIR/born-digital/<type>/<name>.pdf links to the originals, for the same comparison
# born-digital. Debian packages: poppler-utils, imagemagick, img2pdf.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/scans}
per_type=${2:-60}
seed=${3:-17}
dpi=${4:-200}
corpus=${DOCCLASSIFY_CORPUS:-$root/../shared/corpus}
types=(resume scientific_paper contract invoice)
selected=" ${MAKE_SCANS_TYPES:-${types[*]}} "

for tool in pdftoppm convert img2pdf; do
    command -v "$tool" >/dev/null || {
        echo "make-scans.sh: '$tool' is missing; install Debian's poppler-utils, imagemagick and img2pdf" >&2
        exit 2
    }
done

# A reproducible stream of random bytes for shuf, from the seed.
random_source() { openssl enc -aes-128-ctr -pass "pass:$1" -nosalt -pbkdf2 </dev/zero 2>/dev/null; }

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
for type in "${types[@]}"; do
    mapfile -t chosen < <(awk -F, -v t="$type" 'NR > 1 && $2 == t && $1 ~ /\.pdf$/ {print $1}' \
        "$corpus/document_type_labels.csv" | sort | shuf -n "$per_type" --random-source=<(random_source "$seed-$type"))
    mkdir -p "$out/$type" "$out/born-digital/$type"
    for relative in "${chosen[@]}"; do
        n=$((n + 1))
        name=$(echo "$relative" | tr '/' '_')
        target=$out/$type/$name
        ln -sf "$corpus/$relative" "$out/born-digital/$type/$name"
        [[ $selected == *" $type "* ]] || continue
        [ -s "$target" ] && continue
        rm -f "$work"/page*
        if ! pdftoppm -q -r "$dpi" -gray -l 2 -png "$corpus/$relative" "$work/page"; then
            echo "make-scans.sh: pdftoppm could not render $relative; skipped" >&2
            continue
        fi
        i=0
        for page in "$work"/page*.png; do
            i=$((i + 1))
            # Seeded per document and page: angle in [-1.5, 1.5], noise seed.
            angle=$(awk -v s="$seed" -v n="$n" -v i="$i" 'BEGIN {srand(s * 100003 + n * 101 + i); printf "%.2f", rand() * 3 - 1.5}')
            convert "$page" -colorspace Gray -seed $((seed * 7919 + n * 31 + i)) -background white \
                -rotate "$angle" -attenuate 0.4 +noise Gaussian -depth 8 -units PixelsPerInch -density "$dpi" \
                -quality 80 "$work/scan-$(printf %03d "$i").jpg"
        done
        img2pdf -o "$target" "$work"/scan-*.jpg
        rm -f "$work"/scan-*.jpg
    done
done
{
    echo "path,doc_type"
    for type in "${types[@]}"; do
        find "$out/$type" -maxdepth 1 -name '*.pdf' -printf "$type/%f,$type\n" | sort
    done
} >"$out/labels.csv"
echo "make-scans.sh: $(($(wc -l <"$out/labels.csv") - 1)) documents in $out (seed $seed, $dpi DPI)"
