#!/usr/bin/env bash
# compare-thumbnails.sh [--quick]
# sluice-cli against vipsthumbnail and ImageMagick on the same corpus, in one run, on this
# machine. Prints one JSON object per line: one per tool and case, then one per ratio with its
# target from the issue ("Image pipeline and sluice-cli", Benchmark). Progress goes to stderr.
#
#   thumbnails-256  60 x 12 MP JPEG -> 256 px JPEG q85: sluice-cli, xargs -P2 vipsthumbnail,
#                   mogrify -thumbnail; PSNR against `convert -resize 256x256` references
#   web-1600        the same corpus -> 1600 px: sluice-cli, vipsthumbnail
#   png-2000        2,000 64x64 PNGs -> JPEG: sluice-cli, vipsthumbnail
#   png-20000       20,000 of them through sluice-cli: peak RSS (skipped with --quick)
#   zip-vs-folder   corpus ZIP -> ZIP against folder -> folder, sluice-cli at 256 px
#   heic-1600       12 x 12 MP HEIC (made from the corpus with heif-enc -q 80 -t 320, as phones
#                   write them with a thumbnail) -> 1600 px JPEG: sluice-cli, vipsthumbnail
#                   (issue 13: at least as fast); heic-256 the same -> 256 px (the thumbnail path)
#   avif-encode     12 x 1600x1200 PNGs -> AVIF q60, libaom speed 6, 4:2:0: sluice-cli
#                   (--format avif --effort 4) against xargs -P2 heif-enc, the same settings
#   quality-256     real photos (13, from Debian's lomiri-wallpapers and mate-backgrounds) -> 256
#   quality-1600    and 1600 px PNG: per photo, PSNR of sluice-cli and of vipsthumbnail against
#                   `convert -auto-orient IN -resize NxN`, then the median and the worst of
#                   sluice minus vips against issue 11's targets (-0.5 dB, -1.5 dB)
#
# Environment: SLUICE_CLI (the binary; default: the first of build-release, build-bench, build,
# build-* under the repository), SLUICE_SHARED (default: ../shared next to the repository, for
# bench/make-corpus.sh), BENCH_DIR (work folder, kept; default: a new temporary one, removed),
# WORKERS (default 2), ROUNDS (runs of each tool per case, interleaved; default 3, --quick: 1),
# CASES (a space-separated subset of: thumbnails web pngs zip heic avif quality; default all).
# Each line has the best run (`seconds`, `images_per_s`), the median (`images_per_s_median`)
# and every run (`runs_seconds`); ratios compare the best runs (`value`) and the medians
# (`value_median`). Missing libvips-tools / imagemagick are installed with apt-get when
# possible; a tool that is still missing is reported as skipped.
set -euo pipefail

quick=0
[ "${1:-}" = "--quick" ] && quick=1
rounds=${ROUNDS:-3}
[ "$quick" -eq 1 ] && rounds=1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${SLUICE_SHARED:-$repo/../shared}
workers=${WORKERS:-2}

log() { echo "compare-thumbnails: $*" >&2; }

find_cli() {
    if [ -n "${SLUICE_CLI:-}" ]; then echo "$SLUICE_CLI"; return; fi
    local candidate
    for candidate in "$repo"/build-release "$repo"/build-bench "$repo"/build "$repo"/build-*; do
        if [ -x "$candidate/src/cli/sluice-cli" ]; then echo "$candidate/src/cli/sluice-cli"; return; fi
    done
    log "no sluice-cli found; build it (cmake --build BUILD --target sluice-cli) or set SLUICE_CLI"
    exit 2
}

apt_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    log "installing $*"
    { $sudo apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 ||
      { $sudo apt-get update >/dev/null 2>&1 &&
        $sudo apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1; }; } ||
        log "could not install $* (continuing without)"
}

ensure_tools() {
    command -v vipsthumbnail >/dev/null || apt_install libvips-tools
    if ! command -v mogrify >/dev/null || ! command -v compare >/dev/null; then
        apt_install imagemagick
    fi
    [ -x /usr/bin/time ] || apt_install time
    command -v heif-enc >/dev/null || apt_install libheif-examples
}

now() { date +%s.%N; }

# run_timed OUT_RSS_VAR command...: runs it, sets $seconds, and $rss_mb when GNU time exists.
run_timed() {
    local start end rss_file
    rss_file=$(mktemp)
    start=$(now)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f %M -o "$rss_file" "$@" >/dev/null 2>>"$work/tools.log" || true
    else
        "$@" >/dev/null 2>>"$work/tools.log" || true
    fi
    end=$(now)
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    rss_mb=null
    if [ -s "$rss_file" ]; then rss_mb=$(awk '{ printf "%.1f", $1 / 1024 }' "$rss_file"); fi
    rm -f "$rss_file"
}

# emit BENCH IMPL IMAGES [EXTRA_JSON]: one result line from the runs recorded by `measure`.
emit() {
    local key="${1//-/_}_${2//-/_}" list rss best median rate rate_median runs sorted
    list=$(eval "echo \${runs_$key:-}")
    rss=$(eval "echo \${rss_$key:-null}")
    runs=$(tr ' ' '\n' <<<"$list" | grep . | paste -sd, -)
    sorted=$(tr ',' '\n' <<<"$runs" | sort -g)
    best=$(head -1 <<<"$sorted")
    median=$(awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' <<<"$sorted")
    rate=$(awk -v n="$3" -v s="$best" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }')
    rate_median=$(awk -v n="$3" -v s="$median" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }')
    eval "rate_$key=$rate"
    eval "rate_median_$key=$rate_median"
    printf '{"bench":"%s","impl":"%s","images":%d,"workers":%d,"seconds":%s,"images_per_s":%s,"images_per_s_median":%s,"runs_seconds":[%s],"peak_rss_mb":%s%s}\n' \
        "$1" "$2" "$3" "$workers" "$best" "$rate" "$rate_median" "$runs" "$rss" "${4:-}"
}

skipped() {
    printf '{"bench":"%s","impl":"%s","skipped":true,"reason":"%s"}\n' "$1" "$2" "$3"
}

# ratio BENCH A B TARGET: A's images/s over B's (best runs, and medians), when both ran.
ratio() {
    local a b am bm
    a=$(eval "echo \${rate_${1//-/_}_${2//-/_}:-}")
    b=$(eval "echo \${rate_${1//-/_}_${3//-/_}:-}")
    am=$(eval "echo \${rate_median_${1//-/_}_${2//-/_}:-}")
    bm=$(eval "echo \${rate_median_${1//-/_}_${3//-/_}:-}")
    [ -n "$a" ] && [ -n "$b" ] || return 0
    awk -v bench="$1" -v x="$2" -v y="$3" -v a="$a" -v b="$b" -v am="$am" -v bm="$bm" -v t="$4" 'BEGIN {
        r = (b > 0 ? a / b : 0)
        rm = (bm > 0 ? am / bm : 0)
        printf "{\"bench\":\"%s\",\"impl\":\"ratio\",\"of\":\"%s\",\"over\":\"%s\",\"value\":%.2f,\"value_median\":%.2f,\"target\":%s,\"met\":%s}\n",
            bench, x, y, r, rm, t, (r >= t ? "true" : "false") }'
}

# measure BENCH TOOL...: runs every tool $rounds times, interleaved, the order reversed every
# other round, and records the seconds of each run (and the highest peak RSS) for `emit`. The
# tool `T` of bench `B` is the function run_B_T OUTPUT_FOLDER (dashes as underscores); each run
# writes into a folder of its own, `$work/out/B-T-N`, and nothing is deleted between runs: on a
# file system without a journal (like this VM's), ext4 skips every inode freed in the last
# minutes when it allocates one, so deleting between rounds would slow whichever run comes next.
measure() {
    local bench=$1 round tool key
    shift
    local tools=("$@") order
    for round in $(seq 1 "$rounds"); do
        order=("${tools[@]}")
        if [ $((round % 2)) -eq 0 ]; then
            local i reversed=()
            for ((i = ${#order[@]} - 1; i >= 0; i--)); do reversed+=("${order[$i]}"); done
            order=("${reversed[@]}")
        fi
        for tool in "${order[@]}"; do
            key="${bench//-/_}_${tool//-/_}"
            "run_$key" "$work/out/$bench-$tool-$round"
            eval "runs_$key=\"\${runs_$key:-} $seconds\""
            local previous
            previous=$(eval "echo \${rss_$key:-null}")
            if [ "$rss_mb" != null ] && { [ "$previous" = null ] ||
                awk -v a="$rss_mb" -v b="$previous" 'BEGIN { exit !(a > b) }'; }; then
                eval "rss_$key=$rss_mb"
            fi
            log "$bench $tool round $round: $seconds s"
        done
    done
}

# mean_psnr DIR SUFFIX: PSNR of DIR/img_000N.SUFFIX against the references, over the 4 bases.
mean_psnr() { # mean_psnr DIR SUFFIX [REFERENCE_DIR]
    local i total=0 count=0 value
    for i in 1 2 3 4; do
        local ref="${3:-$work/ref}/img_000$i.jpg" out="$1/img_000$i.$2"
        if [ ! -f "$out" ] || [ ! -f "$ref" ]; then continue; fi
        value=$(compare -metric PSNR "$out" "$ref" null: 2>&1 || true)
        value=${value%% *}
        [[ "$value" =~ ^[0-9.]+$ ]] || continue
        total=$(awk -v a="$total" -v b="$value" 'BEGIN { print a + b }')
        count=$((count + 1))
    done
    [ "$count" -gt 0 ] || { echo null; return; }
    awk -v t="$total" -v c="$count" 'BEGIN { printf "%.2f", t / c }'
}

make_references() {
    mkdir -p "$work/ref"
    local i
    for i in 1 2 3 4; do
        convert "$work/corpus/img_000$i.jpg" -resize 256x256 -quality 95 "$work/ref/img_000$i.jpg"
    done
}

make_pngs() {
    local dir=$1 count=$2 i
    [ -f "$dir/.done" ] && return
    mkdir -p "$dir"
    convert -seed 7 -size 64x64 plasma:fractal "$dir/.base.png"
    for i in $(seq 1 "$count"); do cp "$dir/.base.png" "$dir/p_$i.png"; done
    touch "$dir/.done"
}

make_zip() {
    python3 - "$work/corpus" "$work/corpus.zip" <<'PYEOF'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as z:
    for name in sorted(os.listdir(src)):
        if name.endswith(".jpg") and not name.startswith("."):
            z.write(os.path.join(src, name), "corpus/" + name)
PYEOF
}

# Both run under /usr/bin/time, so they are commands, not shell functions.
sluice() { run_timed "$cli" "$@" --workers "$workers" --quiet; }

# vips IN OUT SIZE EXT: the README's baseline, xargs -P$workers -n 30 vipsthumbnail (fewer per
# process when there are fewer than 30 files per worker, so that every worker gets some).
vips() {
    mkdir -p "$2"
    local files per
    files=$(find "$1" -maxdepth 1 -name "*.$4" ! -name ".*" | wc -l)
    per=$(( (files + workers - 1) / workers ))
    [ "$per" -ge 1 ] || per=1
    [ "$per" -le 30 ] || per=30
    # shellcheck disable=SC2016 # the inner sh expands these
    run_timed sh -c 'find "$1" -maxdepth 1 -name "*.$4" ! -name ".*" -print0 |
        xargs -0 -P"$5" -n "$6" vipsthumbnail -s "$3" -o "$2/%s.jpg[Q=85]"' _ "$1" "$2" "$3" "$4" "$workers" "$per"
}

have_vips() { command -v vipsthumbnail >/dev/null; }
have_magick() { command -v mogrify >/dev/null; }

run_thumbnails_256_sluice_cli() {
    sluice "$work/corpus" -o "$1" --flat --size 256 --format jpg --quality 85
}
run_thumbnails_256_vipsthumbnail() { vips "$work/corpus" "$1" 256 jpg; }
run_thumbnails_256_mogrify() {
    mkdir -p "$1"
    run_timed mogrify -path "$1" -thumbnail 256x256 -quality 85 "$work"/corpus/img_*.jpg
}

case_thumbnails() {
    local n=60 tools=(sluice-cli)
    have_vips && tools+=(vipsthumbnail)
    have_magick && tools+=(mogrify)
    measure thumbnails-256 "${tools[@]}"
    emit thumbnails-256 sluice-cli $n ",\"psnr_db\":$(mean_psnr "$work/out/thumbnails-256-sluice-cli-1" jpg)"
    if have_vips; then
        emit thumbnails-256 vipsthumbnail $n ",\"psnr_db\":$(mean_psnr "$work/out/thumbnails-256-vipsthumbnail-1" jpg)"
    else skipped thumbnails-256 vipsthumbnail "not installed"; fi
    if have_magick; then
        emit thumbnails-256 mogrify $n ",\"psnr_db\":$(mean_psnr "$work/out/thumbnails-256-mogrify-1" jpg)"
    else skipped thumbnails-256 mogrify "not installed"; fi
    ratio thumbnails-256 sluice-cli vipsthumbnail 1.5
    ratio thumbnails-256 sluice-cli mogrify 8
}

run_web_1600_sluice_cli() {
    sluice "$work/corpus" -o "$1" --flat --size 1600 --format jpg --quality 85
}
run_web_1600_vipsthumbnail() { vips "$work/corpus" "$1" 1600 jpg; }

case_web() {
    local tools=(sluice-cli)
    have_vips && tools+=(vipsthumbnail)
    measure web-1600 "${tools[@]}"
    emit web-1600 sluice-cli 60
    if have_vips; then emit web-1600 vipsthumbnail 60
    else skipped web-1600 vipsthumbnail "not installed"; fi
    ratio web-1600 sluice-cli vipsthumbnail 1.5 # issue 11
}

run_png_2000_sluice_cli() {
    sluice "$work/png2000" -o "$1" --flat --format jpg --quality 85
}
run_png_2000_vipsthumbnail() { vips "$work/png2000" "$1" 64 png; }
run_png_20000_sluice_cli() {
    sluice "$work/png20000" -o "$1" --flat --format jpg --quality 85
}

case_pngs() {
    local tools=(sluice-cli)
    make_pngs "$work/png2000" 2000
    have_vips && tools+=(vipsthumbnail)
    measure png-2000 "${tools[@]}"
    emit png-2000 sluice-cli 2000
    if have_vips; then emit png-2000 vipsthumbnail 2000
    else skipped png-2000 vipsthumbnail "not installed"; fi
    ratio png-2000 sluice-cli vipsthumbnail 5
    [ "$quick" -eq 1 ] && return
    make_pngs "$work/png20000" 20000
    rounds=1 measure png-20000 sluice-cli
    emit png-20000 sluice-cli 20000 ",\"rss_target_mb\":300"
}

run_zip_vs_folder_folder_to_folder() {
    sluice "$work/corpus" -o "$1" --size 256 --format jpg --quality 85
}
run_zip_vs_folder_zip_to_zip() {
    sluice "$work/corpus.zip" -o "$1.zip" --size 256 --format jpg --quality 85
}

case_zip() {
    make_zip
    measure zip-vs-folder folder-to-folder zip-to-zip
    emit zip-vs-folder folder-to-folder 60
    emit zip-vs-folder zip-to-zip 60
    ratio zip-vs-folder zip-to-zip folder-to-folder 0.9
}


# The HEIC corpus: the first 12 corpus JPEGs (4000x3000) through heif-enc, once per work folder.
make_heics() {
    [ -d "$work/heic" ] && return 0
    mkdir -p "$work/heic.part"
    log "making 12 HEIC files with heif-enc (x265; about a minute)"
    find "$work/corpus" -maxdepth 1 -name "img_*.jpg" | sort | head -12 |
        xargs -P"$workers" -I{} sh -c 'heif-enc -q 80 -t 320 "$1" -o "$2/$(basename "$1" .jpg).heic" >/dev/null' _ {} "$work/heic.part"
    mv "$work/heic.part" "$work/heic"
}

run_heic_1600_sluice_cli() { sluice "$work/heic" -o "$1" --flat --size 1600 --format jpg --quality 85; }
run_heic_1600_vipsthumbnail() { vips "$work/heic" "$1" 1600 heic; }
run_heic_256_sluice_cli() { sluice "$work/heic" -o "$1" --flat --size 256 --format jpg --quality 85; }
run_heic_256_vipsthumbnail() { vips "$work/heic" "$1" 256 heic; }

case_heic() {
    if ! command -v heif-enc >/dev/null; then
        skipped heic-1600 sluice-cli "heif-enc (libheif-examples) is not installed"
        skipped heic-256 sluice-cli "heif-enc (libheif-examples) is not installed"
        return 0
    fi
    make_heics
    local size i tools=(sluice-cli)
    have_vips && tools+=(vipsthumbnail)
    for size in 1600 256; do
        # Quality: PSNR against ImageMagick's resize of the JPEG each HEIC was made from.
        mkdir -p "$work/ref-heic-$size"
        for i in 1 2 3 4; do
            [ -f "$work/ref-heic-$size/img_000$i.jpg" ] ||
                convert "$work/corpus/img_000$i.jpg" -resize "${size}x$size" -quality 95 \
                    "$work/ref-heic-$size/img_000$i.jpg"
        done
        measure "heic-$size" "${tools[@]}"
        emit "heic-$size" sluice-cli 12 \
            ",\"psnr_db\":$(mean_psnr "$work/out/heic-$size-sluice-cli-1" jpg "$work/ref-heic-$size")"
        if have_vips; then
            emit "heic-$size" vipsthumbnail 12 \
                ",\"psnr_db\":$(mean_psnr "$work/out/heic-$size-vipsthumbnail-1" jpg "$work/ref-heic-$size")"
        else skipped "heic-$size" vipsthumbnail "not installed"; fi
        ratio "heic-$size" sluice-cli vipsthumbnail 1.0 # issue 13: at least as fast
    done
}

# The AVIF encode corpus: 12 corpus images at 1600x1200, as PNG (nothing left to resize).
make_avif_inputs() {
    [ -d "$work/png1600" ] && return 0
    mkdir -p "$work/png1600"
    local f
    find "$work/corpus" -maxdepth 1 -name "img_*.jpg" | sort | head -12 | while IFS= read -r f; do
        convert "$f" -resize 1600x1200 "$work/png1600/$(basename "$f" .jpg).png"
    done
}

run_avif_encode_sluice_cli() {
    sluice "$work/png1600" -o "$1" --flat --size 1600 --format avif --quality 60 --effort 4 \
        --metadata none
}
run_avif_encode_heif_enc() {
    mkdir -p "$1"
    # shellcheck disable=SC2016 # the inner shells expand these
    run_timed env OUT="$1" sh -c 'find "$0" -maxdepth 1 -name "*.png" -print0 |
        xargs -0 -P"$1" -n 1 sh -c "heif-enc -A -q 60 -p speed=6 -p chroma=420 \"\$0\" -o \"\$OUT/\$(basename \"\$0\" .png).avif\""' \
        "$work/png1600" "$workers"
}

case_avif() {
    if ! command -v heif-enc >/dev/null; then
        skipped avif-encode heif-enc "heif-enc (libheif-examples) is not installed"
        return 0
    fi
    make_avif_inputs
    measure avif-encode sluice-cli heif-enc
    emit avif-encode sluice-cli 12
    emit avif-encode heif-enc 12
    ratio avif-encode sluice-cli heif-enc 1.0 # reported (bench/README.md), not a target
}

# The photographs (not the renders) of Debian's lomiri-wallpapers and mate-backgrounds, 4-20 MP,
# as bench/resample-photos.sh; installed when missing.
quality_photos() {
    local b=/usr/share/backgrounds
    # Debian 12 ships these photos in lomiri-wallpapers-16.04 (Kleiber: -20.04), not in
    # ukui-wallpapers, as an earlier version of this script had it.
    [ -f "$b/Dragonfly_by_Bolly.jpg" ] || apt_install lomiri-wallpapers-16.04
    [ -f "$b/Kleiber_by_Lukas_Baubkus.jpg" ] || apt_install lomiri-wallpapers-20.04
    [ -f "$b/mate/nature/Wood.jpg" ] || apt_install mate-backgrounds
    local photo
    for photo in picosdeeuropa_by_Aitzol_Berasategi life_by_Aitzol_Berasategi \
        aitzgorri_by_Aitzol_Berasategi sunset_by_Aitzol_Berasategi friends_by_Aitzol_Berasategi \
        Dragonfly_by_Bolly Bridge_by_Sander_Klootwijk seeding_by_Clements_Engelhardt \
        Kleiber_by_Lukas_Baubkus Wine_by_Jakkub_Mede mate/nature/Wood mate/nature/TwoWings \
        mate/nature/LadyBird; do
        [ -f "$b/$photo.jpg" ] && echo "$b/$photo.jpg"
    done
}

psnr_of() { # psnr_of OUT REF: compare's figure, 99 for identical, null when it cannot compare
    local value
    value=$(compare -metric PSNR "$1" "$2" null: 2>&1 >/dev/null || true)
    case "$value" in
        inf) echo 99 ;;
        [0-9]*) echo "$value" | awk '{ print $1 + 0 }' ;;
        *) echo null ;;
    esac
}

case_quality() {
    local photos size photo name dir ref s v lines
    mapfile -t photos < <(quality_photos)
    if [ ${#photos[@]} -eq 0 ] || ! have_vips || ! command -v compare >/dev/null; then
        skipped quality sluice-cli "no photos, vipsthumbnail or compare"
        return
    fi
    for size in 256 1600; do
        dir=$work/quality-$size
        mkdir -p "$dir/ref" "$dir/sluice" "$dir/vips"
        "$cli" "${photos[@]}" -o "$dir/sluice" --flat --size "$size" --format png --quiet \
            --no-journal --workers "$workers" || true
        lines=""
        for photo in "${photos[@]}"; do
            name=$(basename "$photo" .jpg)
            ref=$dir/ref/$name.png
            convert -auto-orient "$photo" -resize "${size}x$size" "$ref"
            vipsthumbnail -s "$size" -o "$dir/vips/%s.png" "$photo" 2>>"$work/tools.log" || true
            s=$(psnr_of "$dir/sluice/$name.png" "$ref")
            v=$(psnr_of "$dir/vips/$name.png" "$ref")
            printf '{"bench":"quality-%s","photo":"%s","sluice_psnr_db":%s,"vips_psnr_db":%s}\n' \
                "$size" "$name" "$s" "$v"
            [ "$s" != null ] && [ "$v" != null ] && lines+="$s $v"$'\n'
        done
        awk -v size="$size" 'NF == 2 { s[NR] = $1; v[NR] = $2; d[NR] = $1 - $2; n = NR }
            function median(a, k, i, j, t, b) {
                for (i = 1; i <= k; i++) b[i] = a[i]
                for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
                return k % 2 ? b[(k + 1) / 2] : (b[k / 2] + b[k / 2 + 1]) / 2
            }
            function worst(a, k, i, m) { m = a[1]; for (i = 2; i <= k; i++) if (a[i] < m) m = a[i]; return m }
            END {
                if (n == 0) exit
                printf "{\"bench\":\"quality-%s\",\"impl\":\"sluice-cli\",\"photos\":%d,\"psnr_median_db\":%.2f,\"psnr_worst_db\":%.2f}\n", size, n, median(s, n), worst(s, n)
                printf "{\"bench\":\"quality-%s\",\"impl\":\"vipsthumbnail\",\"photos\":%d,\"psnr_median_db\":%.2f,\"psnr_worst_db\":%.2f}\n", size, n, median(v, n), worst(v, n)
                dm = median(d, n); dw = worst(d, n)
                printf "{\"bench\":\"quality-%s\",\"impl\":\"sluice-minus-vips\",\"median_db\":%.2f,\"worst_db\":%.2f,\"target_median_db\":-0.5,\"target_worst_db\":-1.5,\"met\":%s}\n", size, dm, dw, (dm >= -0.5 && dw >= -1.5 ? "true" : "false")
            }' <<<"$lines"
    done
}

# The corpus was just written: flush it and read it once, and run each tool once untimed, so
# that the first timed case does not pay for write-back and cold caches the later ones don't.
warm_up() {
    sync
    cat "$work"/corpus/img_*.jpg >/dev/null
    "$cli" "$work/corpus" -o "$work/out/warm-sluice" --flat --size 256 --quiet --workers "$workers" || true
    if command -v vipsthumbnail >/dev/null; then
        mkdir -p "$work/out/warm-vips"
        find "$work/corpus" -maxdepth 1 -name "img_*.jpg" -print0 |
            xargs -0 -P"$workers" -n 30 vipsthumbnail -s 256 -o "$work/out/warm-vips/%s.jpg" || true
    fi
    rm -rf "$work/out/warm-sluice" "$work/out/warm-vips"
    sync
}

main() {
    cli=$(find_cli) || exit 2
    [ -x "$shared/bench/make-corpus.sh" ] || [ -f "$shared/bench/make-corpus.sh" ] ||
        { log "no $shared/bench/make-corpus.sh (set SLUICE_SHARED)"; exit 2; }
    ensure_tools
    if [ -n "${BENCH_DIR:-}" ]; then work=$BENCH_DIR; mkdir -p "$work"
    else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
    rm -rf "$work/out"
    log "sluice-cli: $cli; work folder: $work"
    bash "$shared/bench/make-corpus.sh" "$work/corpus" 60 4000x3000 >&2
    make_references
    warm_up
    local name
    for name in ${CASES:-thumbnails web pngs zip heic avif quality}; do
        case "$name" in
            thumbnails) case_thumbnails ;;
            web) case_web ;;
            pngs) case_pngs ;;
            zip) case_zip ;;
            heic) case_heic ;;
            avif) case_avif ;;
            quality) case_quality ;;
            *) log "unknown case '$name' (thumbnails, web, pngs, zip, heic, avif, quality)"; exit 2 ;;
        esac
    done
}

main
