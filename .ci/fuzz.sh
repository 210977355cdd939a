#!/usr/bin/env bash
# Fuzz the extract pipeline and the grammar loader with libFuzzer and AddressSanitizer.
#
#   .ci/fuzz.sh SECONDS [extract|grammar]...     (default: both targets, one after the other)
#
# Each target (Tests/Fuzz/<Target>Fuzz.swift) is compiled with the library's sources by
# `swiftc -sanitize=fuzzer,address` and run for SECONDS with a corpus under .build/fuzz/ (not
# committed), seeded from Corpus/ (the extract target: the documents, whole and cut into pieces of
# about 4 KB; the grammar target: each rule file of Grammar/) and from the regression fixtures in
# Tests/Fuzz/Regressions/<target>/. Findings — a crash, a sanitizer report, a leak, or an input
# that runs longer than 10 s — are written to .build/fuzz/findings/ and make the script exit 1;
# copy each into Tests/Fuzz/Regressions/<target>/ (FuzzRegressionTests replays them), fix, rerun.
#
# Leak detection is on (libFuzzer's -detect_leaks=1 with LeakSanitizer): the Swift runtime's
# caches stay reachable and are not reported. Other settings: FUZZ_DIR moves the work folder (give
# each of two runs side by side its own), FUZZ_MAX_LEN caps the input size (default 4096 bytes
# for extract, about two pages, so that executions stay fast — the seeds' pieces fit, whole seeds
# are cut; 16384 for grammar, above the largest rule file).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

seconds="${1:?usage: .ci/fuzz.sh SECONDS [extract|grammar]...}"
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(extract grammar)
work="${FUZZ_DIR:-.build/fuzz}"
mkdir -p "$work/findings"

library_sources=$(find Sources/OfstedKit -name '*.swift' | sort)
if [ -f "$work/OfstedKit.o" ] && [ -z "$(find Sources/OfstedKit -newer "$work/OfstedKit.o" -name '*.swift')" ]; then
    echo "== the library for fuzzing is up to date"
else
    echo "== building the library for fuzzing (AddressSanitizer, coverage)"
    mkdir -p "$work/module"
    rm -f "$work/OfstedKit.o"
    # shellcheck disable=SC2086
    swiftc -parse-as-library -wmo -O -g -sanitize=fuzzer,address -module-name OfstedKit \
        -emit-module -emit-module-path "$work/module/OfstedKit.swiftmodule" \
        -emit-object -o "$work/OfstedKit.o" $library_sources 2>&1 | grep -v "Cannot export local symbol" || true
    [ -f "$work/OfstedKit.o" ] || { echo "the library did not build" >&2; exit 1; }
fi

seed_extract() {
    local corpus="$1"
    find Corpus -name '*.txt' | sort | while read -r document; do
        local stem
        stem=$(basename "$document" .txt)
        cp "$document" "$corpus/$stem.txt"
        # Pieces of about 4 KB, cut at line ends, so that short inputs start from every part of a document.
        split --line-bytes=4096 --numeric-suffixes --suffix-length=3 "$document" "$corpus/$stem.piece-"
    done
}

seed_grammar() {
    local corpus="$1" index=0
    for name in manifest grades services areas frameworks sections timescales judgements counts facts layout authorities themes comparison; do
        { printf "\\$(printf '%03o' "$index")"; cat "Grammar/$name.rules"; } > "$corpus/$name.rules"
        index=$((index + 1))
    done
}

status=0
for target in "${targets[@]}"; do
    case "$target" in
        extract) source=Tests/Fuzz/ExtractFuzz.swift; max_len="${FUZZ_MAX_LEN:-4096}" ;;
        grammar) source=Tests/Fuzz/GrammarFuzz.swift; max_len="${FUZZ_MAX_LEN:-16384}" ;;
        *) echo "unknown target $target (extract, grammar)" >&2; exit 64 ;;
    esac
    echo "== building the $target target"
    rm -f "$work/$target"
    swiftc -parse-as-library -O -g -sanitize=fuzzer,address -I "$work/module" "$source" "$work/OfstedKit.o" -o "$work/$target" 2>&1 \
        | grep -v "Cannot export local symbol" || true
    [ -x "$work/$target" ] || { echo "the $target target did not build" >&2; exit 1; }

    corpus="$work/corpus-$target"
    if [ ! -d "$corpus" ]; then
        mkdir -p "$corpus"
        "seed_$target" "$corpus"
    fi
    if [ -d "Tests/Fuzz/Regressions/$target" ]; then
        find "Tests/Fuzz/Regressions/$target" -type f -exec cp {} "$corpus/" \;
    fi

    echo "== fuzzing $target for $seconds s ($(find "$corpus" -type f | wc -l) inputs in the corpus)"
    log="$work/$target.log"
    set +e
    ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
    "$work/$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
        -detect_leaks=1 -print_final_stats=1 \
        -artifact_prefix="$work/findings/$target-" > "$log" 2>&1
    result=$?
    set -e
    tail -n 25 "$log"
    findings=$(find "$work/findings" -name "$target-*" -type f | wc -l)
    if [ "$result" -ne 0 ] || [ "$findings" -ne 0 ]; then
        echo "== $target: FINDINGS (exit $result); see $log and $work/findings/ — copy each into Tests/Fuzz/Regressions/$target/"
        status=1
    else
        echo "== $target: no crash, leak or time-out in $seconds s"
    fi
done
exit $status
