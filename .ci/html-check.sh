#!/usr/bin/env bash
# Opens the HTML page of `ofsted compare` in headless Chromium and checks the rendered DOM: the
# judgement grid has the expected cells, and report text that holds markup (a paper whose area
# for improvement contains <script>alert(1)</script>) shows as text and runs nothing.
# Installs Debian's chromium (and python3) when they are missing, with sudo only when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            echo "html-check: need root or sudo to install $*" >&2; exit 1
        fi
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
command -v chromium >/dev/null 2>&1 || install chromium
command -v python3 >/dev/null 2>&1 || install python3

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

swift build >/dev/null
ofsted="$(swift build --show-bin-path)/ofsted"
"$ofsted" compare Corpus/seeds/002_6ba9ae1270c0c472.txt Tests/Fixtures/comparison/hostile.json \
    --format html -o "$work/compare.html"

# --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
if ! timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
        --dump-dom "file://$work/compare.html" >"$work/dom.html" 2>"$work/chromium.log"; then
    echo "html-check: chromium failed:" >&2
    cat "$work/chromium.log" >&2
    exit 1
fi
python3 .ci/html_check.py "$work/dom.html"
