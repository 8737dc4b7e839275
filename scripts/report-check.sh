#!/usr/bin/env bash
# The browser check of `domino report` (run by scripts/test.sh, and so by CI): renders the
# flagship's report and a counterfactual report in headless Chromium (Debian's package, installed
# here when missing, with sudo when not root) and requires, for each:
#   - no console message at all (an error, an uncaught exception or a log line) while it loads;
#   - a screenshot that is not blank: at least 3% of its pixels are ink (neither the page
#     background nor the white of a card; the flagship's first screen has about 6%);
#   - that moving the time scrubber (the page opened with #t=2022-05-01, which moves the slider
#     on load) changes the exposure network drawn, against the page opened as written;
#   - (flagship) that the page's script answers a user: a copy of the page with a test script
#     appended hovers a chart (a read-out appears), scrolls over it (it zooms), clicks a legend
#     entry (a series hides) and drags the slider (the balance sheets change), with no exception.
# Chromium runs headless, without sandbox or GPU (root in CI), with a fresh profile, every host
# name mapped to nothing, and a timeout: the page must not need the network, and cannot reach it.
# Screenshots are left in $REPORT_CHECK_OUT when set (e.g. to refresh docs/report-flagship.png).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "report-check: installing chromium" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >&2
    $sudo apt-get install -y -qq --no-install-recommends chromium >&2
fi
swift build -c release --product domino >&2
domino=.build/release/domino
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out="${REPORT_CHECK_OUT:-$tmp}"
mkdir -p "$out"

browser() { # browser OUTPUT-FLAG URL LOG
    timeout 120 chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --no-default-browser-check --disable-extensions --disable-sync --disable-background-networking \
        --disable-component-update --disable-default-apps --host-resolver-rules="MAP * ~NOTFOUND" \
        --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 --window-size=1280,2400 \
        --virtual-time-budget=5000 "$1" "$2" 2>"$3"
}

status=0
check() { # check NAME ARGS…
    local name=$1 ok=$status; shift
    "$domino" report "$@" --quiet --out "$tmp/$name.html" >/dev/null
    local size; size=$(stat -c %s "$tmp/$name.html")
    local url="file://$(pwd)/$tmp/$name.html"
    case "$tmp" in /*) url="file://$tmp/$name.html" ;; esac
    browser --screenshot="$out/$name.png" "$url" "$tmp/$name.shot.log" >/dev/null
    browser --dump-dom "$url" "$tmp/$name.dom.log" > "$tmp/$name.dom"
    browser --dump-dom "$url#t=2022-05-01" "$tmp/$name.moved.log" > "$tmp/$name.moved.dom"
    if grep -h ':CONSOLE' "$tmp/$name".*.log >&2; then
        echo "report-check: $name: console messages while loading (above)" >&2; status=1
    fi
    if ! python3 - "$out/$name.png" <<'PY'
import struct, sys, zlib
# A PNG decoder for Chromium's 8-bit RGB(A) screenshots (stdlib only): the share of pixels that
# are neither the page background (#fbfaf7) nor white (the cards), give or take a little.
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, width = 8, b'', 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b'IHDR':
        width, height, depth, colour = struct.unpack('>IIBB', body[:10])
        assert depth == 8 and colour in (2, 6), 'unexpected PNG format'
        bpp = 3 if colour == 2 else 4
    elif kind == b'IDAT':
        idat += body
raw, stride = zlib.decompress(idat), width * bpp
prev, ink, i = bytearray(stride), 0, 0
for y in range(height):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 2):  # every other pixel is plenty
        r, g, b = line[x], line[x + 1], line[x + 2]
        if abs(r - 0xfb) + abs(g - 0xfa) + abs(b - 0xf7) > 12 and (255 - r) + (255 - g) + (255 - b) > 12: ink += 1
    prev = line
share = ink / (height * ((width + 1) // 2))
print(f'{share:.3f}')
sys.exit(0 if share >= 0.03 else 1)
PY
    then echo "report-check: $name: the screenshot is blank" >&2; status=1; fi > "$tmp/$name.share"
    net() { sed -n 's/.*\(<svg id="net0".*<\/svg>\)<table class="sheet" id="sheet0".*/\1/p' "$1" | head -c 200000; }
    if [ -z "$(net "$tmp/$name.dom")" ]; then
        echo "report-check: $name: no exposure network in the page" >&2; status=1
    elif [ "$(net "$tmp/$name.dom")" = "$(net "$tmp/$name.moved.dom")" ]; then
        echo "report-check: $name: moving the time scrubber did not change the network drawn" >&2; status=1
    fi
    if [ "$status" = "$ok" ]; then
        echo "report-check: $name: $size bytes, no console message, $(cat "$tmp/$name.share") of the screenshot inked, the scrubber redraws the network"
    fi
}
check flagship replays/3ac-celsius-2022.yaml
check counterfactual replays/3ac-celsius-2022.yaml --b-policy no-rehypothecation
# Interactions, scripted in a copy of the flagship's page (the page itself must log nothing).
cp "$tmp/flagship.html" "$tmp/interact.html"
cat >> "$tmp/interact.html" <<'JS'
<script>
try {
  var svg = document.querySelector('svg.chart.line'), r = svg.getBoundingClientRect(), at = {clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true};
  svg.dispatchEvent(new MouseEvent('mousemove', at));
  var tip = document.getElementById('tip');
  console.log('CHECK hover ' + (!tip.hidden && tip.textContent.indexOf('%') > 0));
  var before = svg.getAttribute('viewBox');
  svg.dispatchEvent(new WheelEvent('wheel', Object.assign({deltaY: -100, cancelable: true}, at)));
  console.log('CHECK zoom ' + (svg.getAttribute('viewBox') !== before));
  svg.querySelector('.legend[data-t="1"]').dispatchEvent(new MouseEvent('click', {bubbles: true}));
  console.log('CHECK legend ' + (svg.querySelectorAll('.off-s').length > 0));
  var row = function () { return document.querySelector('#sheet0 tbody').textContent; }, first = row(), slider = document.getElementById('scrub');
  slider.value = 10; slider.dispatchEvent(new Event('input'));
  console.log('CHECK scrubber ' + (row() !== first));
} catch (e) { console.log('CHECK exception ' + e); }
</script>
JS
browser --dump-dom "file://$tmp/interact.html" "$tmp/interact.log" >/dev/null
for what in hover zoom legend scrubber; do
    if ! grep -q "CHECK $what true" "$tmp/interact.log"; then echo "report-check: flagship: the $what interaction failed" >&2; status=1; fi
done
if grep -E 'CHECK exception|Uncaught' "$tmp/interact.log" >&2; then status=1; fi
[ "$status" = 0 ] && echo "report-check: flagship: hover, zoom, legend toggle and scrubber answer a scripted user"
flagship=$(stat -c %s "$tmp/flagship.html")
if [ "$flagship" -ge 2000000 ]; then echo "report-check: the flagship report is $flagship bytes, over 2 MB" >&2; status=1; fi
exit $status
