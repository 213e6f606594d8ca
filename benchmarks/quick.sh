#!/usr/bin/env bash
# The whole JMH suite in quick mode: every benchmark and parameter once, with short iterations, for a
# first look (the figures in the README come from the full settings of each class).
#   mvn -q -DskipTests package && benchmarks/quick.sh
# Needs PostgreSQL at DOCCLASSIFY_TEST_JDBC_URL (default 127.0.0.1:5432, database test) and ../shared/corpus.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source "$root/benchmarks/java-bin.sh"
jmh=("$java_bin" --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar -f 1)
# Benchmarks of calls and rows: one short warm-up and one short measured iteration each.
"${jmh[@]}" -wi 1 -w 1s -i 1 -r 2s -e "WaitingClassifierEngine|LlmEngine|EndToEnd|ClusterOverhead"
# Whole runs: one warm-up run and two measured ones; the waiting classifier over 250 documents (local
# takes 25 s a run), the LLM stand-in for one 5-second iteration.
"${jmh[@]}" "EndToEndBenchmark|ClusterOverheadBenchmark" -wi 1 -i 2
"${jmh[@]}" WaitingClassifierEngineBenchmark -p documents=250 -wi 0 -i 1 -r 1s
"${jmh[@]}" LlmEngineBenchmark -wi 0 -i 1 -r 5s
