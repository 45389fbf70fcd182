#!/usr/bin/env bash
# Run both fuzz targets side by side for SECONDS (default 600) and keep their logs.
# Usage: fuzz/run.sh [SECONDS] ["load check"]   (needs `pip install atheris` in the venv; see CONTRIBUTING.md)
# Working corpora, crash artifacts and logs go to git-ignored fuzz/corpus-*/ directories;
# the last lines of each log are libFuzzer's final stats (executions, coverage, features).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
targets="${2:-load check}"
python="${PYTHON:-.venv/bin/python}"
"$python" fuzz/make_seeds.py
mkdir -p fuzz/corpus-artifacts fuzz/corpus-logs
for target in $targets; do
  mkdir -p "fuzz/corpus-$target"
  "$python" "fuzz/fuzz_$target.py" "fuzz/corpus-$target" fuzz/corpus-seeds \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=1024 \
    -max_len=65536 -artifact_prefix="fuzz/corpus-artifacts/$target-" \
    >"fuzz/corpus-logs/$target.log" 2>&1 &
done
wait
for target in $targets; do
  echo "== $target"
  grep -E '^(stat::|==[0-9]+== ERROR|SUMMARY|artifact_prefix|Test unit written)' \
    "fuzz/corpus-logs/$target.log" || true
  grep -E '^#[0-9]+' "fuzz/corpus-logs/$target.log" | tail -1
done
