#!/usr/bin/env bash
# resample-photos.sh [PHOTO...]
# Resampling quality on real photographs (issue 11, point 1): per photo and size, the PSNR
# against ImageMagick's `convert -auto-orient IN -resize NxN REF.png` of
#   qt-smooth   Sluice's job until now: JPEG decoded at the reduced scale that keeps the target,
#               then QImage::scaled(SmoothTransformation)
#   sluice-1x   the same decode, then Sluice's Lanczos3 (resampler.h)
#   sluice-2x   decoded at the reduced scale that keeps twice the target, then Lanczos3
#   vips        vipsthumbnail -s N (its own shrink-on-load and Lanczos3 reduce)
# all written as PNG, compared with `compare -metric PSNR`. Prints one JSON object per photo
# and size, then one summary per size (median and worst of each, and sluice - vips).
#
# Without arguments it takes the photographs (not the renders) that Debian's wallpaper packages
# lomiri-wallpapers-16.04/-20.04 and mate-backgrounds ship, installing them with apt-get when missing.
# Environment: BENCH (sluice-bench-resample; default: the first build-*/bench/ under the
# repository), SIZES (default "256 1600"), WORK (work folder, kept; default: temporary).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
log() { echo "resample-photos: $*" >&2; }

bench=${BENCH:-}
if [ -z "$bench" ]; then
    for candidate in "$repo"/build-release "$repo"/build-bench "$repo"/build "$repo"/build-*; do
        if [ -x "$candidate/bench/sluice-bench-resample" ]; then
            bench=$candidate/bench/sluice-bench-resample
            break
        fi
    done
fi
[ -n "$bench" ] || { log "build sluice-bench-resample first (or set BENCH)"; exit 2; }

apt_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    log "installing $*"
    $sudo apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 ||
        { $sudo apt-get update >/dev/null 2>&1 &&
          $sudo apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1; } ||
        { log "could not install $*"; exit 2; }
}
command -v vipsthumbnail >/dev/null || apt_install libvips-tools
command -v compare >/dev/null || apt_install imagemagick

photos=("$@")
if [ ${#photos[@]} -eq 0 ]; then
    b=/usr/share/backgrounds
    # Debian 12 ships these photos in lomiri-wallpapers-16.04 (Kleiber: -20.04), not in
    # ukui-wallpapers, as an earlier version of this script had it.
    [ -f "$b/Dragonfly_by_Bolly.jpg" ] || apt_install lomiri-wallpapers-16.04
    [ -f "$b/Kleiber_by_Lukas_Baubkus.jpg" ] || apt_install lomiri-wallpapers-20.04
    [ -f "$b/mate/nature/Wood.jpg" ] || apt_install mate-backgrounds
    photos=("$b/picosdeeuropa_by_Aitzol_Berasategi.jpg" "$b/life_by_Aitzol_Berasategi.jpg"
            "$b/aitzgorri_by_Aitzol_Berasategi.jpg" "$b/sunset_by_Aitzol_Berasategi.jpg"
            "$b/friends_by_Aitzol_Berasategi.jpg" "$b/Dragonfly_by_Bolly.jpg"
            "$b/Bridge_by_Sander_Klootwijk.jpg" "$b/seeding_by_Clements_Engelhardt.jpg"
            "$b/Kleiber_by_Lukas_Baubkus.jpg" "$b/Wine_by_Jakkub_Mede.jpg"
            "$b/mate/nature/Wood.jpg" "$b/mate/nature/TwoWings.jpg" "$b/mate/nature/LadyBird.jpg")
fi

work=${WORK:-}
if [ -z "$work" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

psnr() { # psnr OUT REF: compare's figure, or null when it cannot compare
    local value
    value=$(compare -metric PSNR "$1" "$2" null: 2>&1 >/dev/null || true)
    case "$value" in
        inf) echo 99 ;;
        [0-9]*) echo "$value" | awk '{ print $1 + 0 }' ;;
        *) log "compare $1: $value"; echo null ;;
    esac
}

for size in ${SIZES:-256 1600}; do
    dir=$work/$size
    mkdir -p "$dir/ref" "$dir/vips"
    log "$size px: references and vipsthumbnail"
    for photo in "${photos[@]}"; do
        name=$(basename "${photo%.*}")
        convert "$photo" -auto-orient -resize "${size}x${size}" "$dir/ref/$name.png"
        vipsthumbnail "$photo" -s "$size" -o "$dir/vips/%s.png"
    done
    log "$size px: sluice-bench-resample --photos"
    "$bench" --photos "$dir" --size "$size" "${photos[@]}" > "$dir/times.jsonl"
    for photo in "${photos[@]}"; do
        name=$(basename "${photo%.*}")
        printf '{"bench":"resample-photos","size":%s,"image":"%s"' "$size" "$name"
        for impl in qt-smooth sluice-1x sluice-2x vips; do
            printf ',"%s_db":%s' "${impl//-/_}" "$(psnr "$dir/$impl/$name.png" "$dir/ref/$name.png")"
        done
        printf '}\n'
    done | tee "$dir/psnr.jsonl"
    python3 - "$dir/psnr.jsonl" "$dir/times.jsonl" "$size" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
times = [json.loads(l) for l in open(sys.argv[2])]
out = {"bench": "resample-photos-summary", "size": int(sys.argv[3]), "photos": len(rows)}
for impl in ("qt_smooth", "sluice_1x", "sluice_2x", "vips"):
    values = [r[impl + "_db"] for r in rows if r[impl + "_db"] is not None]
    if values:
        out[impl + "_median_db"] = round(statistics.median(values), 2)
        out[impl + "_worst_db"] = round(min(values), 2)
for impl in ("sluice_1x", "sluice_2x", "qt_smooth"):
    gaps = [r[impl + "_db"] - r["vips_db"] for r in rows
            if r[impl + "_db"] is not None and r["vips_db"] is not None]
    if gaps:
        out[impl + "_minus_vips_median_db"] = round(statistics.median(gaps), 2)
        out[impl + "_minus_vips_worst_db"] = round(min(gaps), 2)
for impl in ("qt-smooth", "sluice-1x", "sluice-2x"):
    t = [x["decode_ms"] + x["resample_ms"] for x in times if x["impl"] == impl]
    if t:
        out[impl.replace("-", "_") + "_ms_median"] = round(statistics.median(t), 1)
print(json.dumps(out))
EOF
done
