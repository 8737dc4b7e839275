#!/usr/bin/env bash
# Rebuilds the committed logs datasets/*.zst from the raw CSVs, one `domino import` per manifest
# in datasets/manifests/. Deterministic: the same raw files, manifests and binary give the same
# decoded content (header + events); compressed bytes may differ between zstd versions.
#
#   bash datasets/rebuild.sh            rebuild in place, print each file's size and content digest
#   bash datasets/rebuild.sh --check    rebuild into a temporary directory and compare the decoded
#                                       content with the committed files (exit 1 on a difference)
#
# Environment:
#   DATA_RAW      raw CSV root (default ../shared/data-raw, relative to the repository root)
#   CONFIG        release (default) or debug
#   SCRATCH_PATH  swift build scratch directory (default .build)
#   DOMINO        use this domino binary instead of building one
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data_raw="${DATA_RAW:-../shared/data-raw}"
config="${CONFIG:-release}"
scratch="${SCRATCH_PATH:-.build}"
mode="${1:-build}"
case "$mode" in build|--check) ;; *) echo "usage: bash datasets/rebuild.sh [--check]" >&2; exit 2 ;; esac

[ -d "$data_raw" ] || { echo "rebuild.sh: no raw data at $data_raw (set DATA_RAW)" >&2; exit 1; }
command -v zstd >/dev/null || { echo "rebuild.sh: zstd is not installed" >&2; exit 1; }

if [ -n "${DOMINO:-}" ]; then
    domino="$DOMINO"
else
    swift build -c "$config" --product domino --scratch-path "$scratch" >&2
    domino="$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/domino"
fi

# Digest of a log's decoded content: the header frame (magic, size, version, CRC and the
# header's canonical JSON, stored uncompressed) followed by the decompressed blocks (`zstd -dc`
# skips the header, index and footer, which are skippable frames).
content_digest() {
    local file="$1" size
    size=$(od -An -tu4 -j4 -N4 "$file" | tr -d ' ')
    { head -c "$((8 + size))" "$file"; zstd -dcq "$file"; } | sha256sum | cut -c1-16
}

out_dir="datasets"
if [ "$mode" = "--check" ]; then
    out_dir="$(mktemp -d)"
    trap 'rm -rf "$out_dir"' EXIT
fi

status=0
for manifest in datasets/manifests/*.json; do
    name="$(basename "$manifest" .json)"
    out="$out_dir/$name.zst"
    "$domino" import --manifest "$manifest" --data-root "$data_raw" --out "$out" --quiet
    zstd -tq "$out"
    digest="$(content_digest "$out")"
    if [ "$mode" = "--check" ]; then
        committed="datasets/$name.zst"
        if [ ! -f "$committed" ]; then
            echo "MISSING  $committed"; status=1
        elif [ "$(content_digest "$committed")" = "$digest" ]; then
            echo "SAME     $committed  content $digest"
        else
            echo "DIFFERS  $committed  content $(content_digest "$committed"), rebuilt $digest"; status=1
        fi
    else
        printf '%-36s %9d bytes  content %s\n' "$out" "$(stat -c %s "$out")" "$digest"
    fi
done
exit "$status"
