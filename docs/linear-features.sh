#!/usr/bin/env bash
# The README's table "words alone against words + embedding features": for bbc_news and
# reuters_r8_test, a stratified split (seed 42) trains on 25 % or 50 % of the documents and the rest
# is scored, once with --features words and once with --features words+embedding (both with
# --validation 0, so each model is fitted on the whole training part); then the default
# (--features auto, validation 0.2) is trained on the same part to show which set it picks.
#   mvn -q -DskipTests package && docs/linear-features.sh [CORPUS_DIR] [OUT_DIR]
# CORPUS_DIR defaults to ../shared/corpus, OUT_DIR (CSVs, models, outputs) to /tmp/linear-features.
# About 25 minutes on 2 busy cores: every eval with words+embedding embeds its documents.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$root/../shared/corpus}
out=${2:-/tmp/linear-features}
mkdir -p "$out"
dc="$root/doc-classify"
printf '| corpus | trained on | features | accuracy | macro-F1 | eval documents/s |\n| --- | --- | --- | --- | --- | --- |\n' >"$out/table.md"
: >"$out/auto.txt"
for set in bbc_news reuters_r8_test; do
  for train in 25 50; do
    test=$(awk "BEGIN { print 1 - $train / 100 }")
    split="$out/$set-$train"
    "$dc" split --labels "$corpus/$set/labels.csv" --test "$test" --seed 42 \
        --train-out "$split-train.csv" --test-out "$split-test.csv" >/dev/null
    for features in words words+embedding; do
      model="$split-$features.bin"
      "$dc" train --labels "$split-train.csv" --features "$features" --validation 0 --out "$model" >"$model.train.txt"
      "$dc" eval --labels "$split-test.csv" --model "$model" --json "$model.eval.json" >"$model.eval.txt"
      python3 - "$model.eval.json" "$set" "$train" "$features" "$(wc -l <"$split-train.csv")" >>"$out/table.md" <<'EOF'
import json, sys
f = json.load(open(sys.argv[1]))
print(f"| `{sys.argv[2]}` | {sys.argv[3]} % ({int(sys.argv[5]) - 1:,}; {f['documents']:,} scored) | {sys.argv[4]} "
      f"| {f['accuracy']:.4f} | {f['macroF1']:.4f} | {f['documentsPerSecond']} |")
EOF
    done
    "$dc" train --labels "$split-train.csv" --out "$split-auto.bin" >"$split-auto.train.txt"
    echo "$set $train %: $(grep -- '(--features auto' "$split-auto.train.txt")" >>"$out/auto.txt"
  done
done
cat "$out/table.md" "$out/auto.txt"
