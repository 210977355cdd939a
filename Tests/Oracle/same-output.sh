#!/usr/bin/env bash
# Does this working tree give the same output as REV, byte for byte? For changes that must not
# change what `ofsted` says: speed work, refactoring.
#
#   Tests/Oracle/same-output.sh REV [REPORTS_DIR]
#
# Builds `ofsted` (release) here and at REV (in a temporary git worktree), makes the inputs with
# `variants.py` — every text of REPORTS_DIR (default ../shared/corpus/reports, when it is there)
# and of Corpus/, 260 mutations of them and 120 Unicode-heavy variants — and runs both builds on
# each: `ofsted extract … --out-dir` (the JSON files and the batch summary), `ofsted tokens` and
# `ofsted tree`. Prints how many differ and exits 1 if any does; `KEEP=1` keeps the outputs to diff.
# Takes a few minutes: two release builds, then about a minute a build for the runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
rev=${1:?usage: Tests/Oracle/same-output.sh REV [REPORTS_DIR]}
reports=${2:-../shared/corpus/reports}
git rev-parse --verify --quiet "$rev^{commit}" > /dev/null || { echo "same-output: no commit $rev" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ofsted-oracle.XXXXXX")
cleanup() {
    git -C "$repo" worktree remove --force "$work/base" 2> /dev/null || true
    if [ "${KEEP:-}" = 1 ]; then echo "outputs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "== build: this tree"
swift build -c release --product ofsted 2>&1 | tail -1
cp .build/release/ofsted "$work/new"
echo "== build: $rev"
git worktree add --quiet --detach "$work/base" "$rev"
(cd "$work/base" && swift build -c release --product ofsted 2>&1 | tail -1)
cp "$work/base/.build/release/ofsted" "$work/old"

echo "== inputs"
sources=()
if [ -d "$reports" ]; then sources+=("$reports"/*.txt); else echo "(no $reports: Corpus/ only)"; fi
while IFS= read -r -d '' f; do sources+=("$f"); done < <(find Corpus -name '*.txt' -print0)
python3 Tests/Oracle/variants.py "$work/in" 7 plain "${sources[@]}"
python3 Tests/Oracle/variants.py "$work/in-u" 11 unicode "${sources[@]}"

run() {  # run BIN OUT IN
    mkdir -p "$2/json" "$2/dump"
    (cd "$work" && "$1" extract "$3"/*.txt --out-dir "$2/json" --jobs 2 > "$2/summary" 2>&1 || true)
    # The summary's first line has the time taken; the rest must agree.
    sed -i '1s/ in [0-9.]* s:/:/' "$2/summary"
    for f in "$work/$3"/*.txt; do
        b=$(basename "$f" .txt)
        { "$1" tokens "$f"; echo "exit $?"; "$1" tree "$f"; echo "exit $?"; } > "$2/dump/$b.txt" 2>&1 || true
    done
}

differ=0
for set in in in-u; do
    echo "== run: $set ($(ls "$work/$set" | wc -l) inputs)"
    run "$work/old" "$work/old-$set" "$set"
    run "$work/new" "$work/new-$set" "$set"
    n=$(diff -rq "$work/old-$set" "$work/new-$set" | wc -l || true)
    echo "$set: $n outputs differ"
    differ=$((differ + n))
done
if [ "$differ" -gt 0 ]; then
    echo "same-output: $differ outputs differ from $rev (KEEP=1 to keep them)"
    exit 1
fi
echo "same-output: identical to $rev"
