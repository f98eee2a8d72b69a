#!/usr/bin/env bash
# Builds the Debian package and checks it on this machine, end to end:
#   1. sets up what it needs (scripts/setup-deps.sh for the build; lintian, dpkg-dev, file,
#      man-db, appstream for the checks), configures and builds build-deb (RelWithDebInfo,
#      -DCMAKE_INSTALL_PREFIX=/usr) and runs `cpack -G DEB` in it:
#      build-deb/sluice_<version>_<arch>.deb;
#   2. checks its contents and control fields, the AppStream metainfo (appstreamcli) and the
#      manual pages, and runs lintian: an error (E:) fails;
#   3. lists the files on the system, installs the package with apt (its dependencies from
#      apt), runs `sluice-cli --demo` and `sluice --version`, finds the manual pages and the
#      bash completion;
#   4. purges the package and checks that nothing is left behind: every path `dpkg -L sluice`
#      listed is gone (or was there before: shared folders such as /usr/share/man/man1), dpkg
#      knows no sluice, and no file is new outside the volatile places listed below.
# Needs root (apt, dpkg) and refuses to run while a sluice package is installed, so that it
# never removes yours. Quiet: step headings, the lintian tags, and a PASS line; on a failure
# the log of the failing step. Exits non-zero when anything fails.
# Environment: SLUICE_JOBS (build jobs; default: 1 while another ninja runs, else all cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-deb
started=$SECONDS
export DEBIAN_FRONTEND=noninteractive
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
logs=$work/logs
mkdir -p "$logs"

step() { echo "== test-deb: $* =="; }
die() {
    echo "test-deb: FAIL: $*" >&2
    exit 1
}
# Runs a command with its output in a log; on failure shows the log's end and stops.
quiet() { # NAME COMMAND...
    local name=$1 status=0
    shift
    "$@" > "$logs/$name.log" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        tail -n 40 "$logs/$name.log" >&2
        die "$name: $* (exit status $status)"
    fi
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
sluice_status() { dpkg-query -W -f='${db:Status-Status}' sluice 2>/dev/null || true; }

[ "$(id -u)" -eq 0 ] || die "run as root: it installs and purges the package with apt"
status=$(sluice_status)
if [ -n "$status" ] && [ "$status" != not-installed ]; then
    die "a sluice package is on this machine already (dpkg status: $status). This test installs \
and purges its own; remove yours first (apt-get purge sluice) if you mean to run it."
fi

# --- 1. the package ------------------------------------------------------------------------------
step "set up the build and the checks"
quiet setup-deps "$root/scripts/setup-deps.sh"
tools=(lintian dpkg-dev file binutils xz-utils man-db groff-base appstream)
missing=()
for p in "${tools[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "test-deb: installing ${missing[*]}"
    quiet apt-update apt-get update -qq
    quiet apt-tools apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

version=$(sed -nE 's/^project\(Sluice VERSION ([0-9.]+).*/\1/p' "$root/CMakeLists.txt")
arch=$(dpkg --print-architecture)
deb=$build/sluice_${version}_${arch}.deb
[ -n "$version" ] || die "no version in project() in CMakeLists.txt"
jobs=${SLUICE_JOBS:-}
if [ -z "$jobs" ]; then
    jobs=$(nproc)
    pgrep -x ninja > /dev/null && jobs=1 # another build runs: share the cores
fi

step "build $(basename "$deb") in build-deb (-j$jobs)"
# The same compiler flags as build-test (ccache reuses its objects); -z now for lintian's
# hardening-no-bindnow (a link flag: nothing is recompiled for it).
quiet configure cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSLUICE_BUILD_TESTS=OFF -DSLUICE_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX=/usr \
    "-DCMAKE_EXE_LINKER_FLAGS=-Wl,-z,relro,-z,now"
quiet build cmake --build "$build" -j "$jobs"
rm -f "$build"/sluice_*.deb
(cd "$build" && quiet cpack cpack -G DEB)
[ -f "$deb" ] || die "cpack wrote no $deb: $(ls "$build"/*.deb 2>/dev/null || echo nothing)"

# --- 2. what is in it ----------------------------------------------------------------------------
step "check its contents, control fields, metainfo and manual pages"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|; s|/$||' | sort > "$work/contents.list"
for path in /usr/bin/sluice /usr/bin/sluice-cli \
    /usr/share/applications/io.github.sluice.Sluice.desktop \
    /usr/share/metainfo/io.github.sluice.Sluice.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/sluice.svg \
    /usr/share/icons/hicolor/{16x16,32x32,48x48,64x64,128x128,256x256}/apps/sluice.png \
    /usr/share/man/man1/sluice.1.gz /usr/share/man/man1/sluice-cli.1.gz \
    /usr/share/bash-completion/completions/sluice-cli \
    /usr/share/doc/sluice/copyright /usr/share/doc/sluice/changelog.gz; do
    grep -qxF "$path" "$work/contents.list" || die "the package lacks $path"
done
for field in Package:sluice "Version:$version" "Architecture:$arch" Section:graphics \
    Priority:optional; do
    value=$(dpkg-deb -f "$deb" "${field%%:*}")
    [ "$value" = "${field#*:}" ] || die "${field%%:*} is \"$value\", not \"${field#*:}\""
done
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libqt6core6 libqt6widgets6 qt6-image-formats-plugins; do
    [[ ", $depends" == *", $lib"* ]] || die "Depends lacks $lib (dpkg-shlibdeps?): $depends"
done
[ "$(dpkg-deb -f "$deb" Maintainer)" != "" ] || die "no Maintainer"
[ "$(dpkg-deb -f "$deb" Description | wc -l)" -gt 2 ] || die "no long Description"
dpkg-deb --ctrl-tarfile "$deb" | tar -t | sed 's|^\./||; /^$/d' | sort | tr '\n' ' ' |
    grep -qx 'control md5sums ' || die "the control archive holds more than control, md5sums"
mkdir "$work/unpacked"
dpkg-deb -x "$deb" "$work/unpacked"
for program in sluice sluice-cli; do
    file -b "$work/unpacked/usr/bin/$program" | grep -q ', stripped' ||
        die "/usr/bin/$program is not stripped"
done
gzip -t "$work"/unpacked/usr/share/man/man1/*.gz "$work/unpacked/usr/share/doc/sluice/changelog.gz"
head -n 1 "$work/unpacked/usr/share/doc/sluice/copyright" |
    grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
    die "copyright is not in the machine-readable format"
quiet appstream appstreamcli validate --no-net \
    "$work/unpacked/usr/share/metainfo/io.github.sluice.Sluice.metainfo.xml"
for page in "$work"/unpacked/usr/share/man/man1/*.gz; do
    warnings=$(man --warnings -E UTF-8 -l "$page" 2>&1 > /dev/null || true)
    [ -z "$warnings" ] || die "man --warnings ${page##*/}: $warnings"
done

step "lintian"
# Exit status 2 on an error; the tags go to the log and are shown.
lintian_status=0
lintian --pedantic --display-info --fail-on error "$deb" > "$logs/lintian.log" 2>&1 ||
    lintian_status=$?
grep -E '^[EWIPX]: ' "$logs/lintian.log" || echo "(no tags)"
if [ "$lintian_status" -ne 0 ] || grep -q '^E: ' "$logs/lintian.log"; then
    cat "$logs/lintian.log" >&2
    die "lintian found errors"
fi

# --- 3. installed --------------------------------------------------------------------------------
# The places a package's files and its triggers go, without the volatile ones: apt's and
# dpkg's state (dpkg is asked about sluice below), caches, logs and temporary files. Home
# folders are left out: the package has no maintainer scripts (checked above), and the runs
# below keep their journals and settings under $work.
snapshot() { # FILE
    local roots=() r
    for r in /bin /boot /etc /lib /lib32 /lib64 /libx32 /opt /sbin /srv /usr /var; do
        [ -d "$r" ] && [ ! -L "$r" ] && roots+=("$r")
    done
    find "${roots[@]}" -xdev \( -path /var/cache -o -path /var/lib/apt -o -path /var/lib/dpkg \
        -o -path /var/log -o -path /var/tmp -o -path /var/backups -o -path /var/spool \
        -o -path /var/mail -o -path /var/lib/systemd \) -prune -o -print 2> /dev/null |
        # Caches that other packages' triggers rebuild when any package adds desktop files
        # or icons (desktop-file-utils, gtk-update-icon-cache), kept after the purge.
        grep -vE '^/usr/share/applications/mimeinfo\.cache$' |
        grep -vE '^/usr/share/icons/[^/]+/icon-theme\.cache$' |
        sort > "$1"
}
packages() {
    dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" { print $2 }' | sort
}

step "install it with apt"
# Its dependencies first, so that the snapshot below has them: then installing the package
# adds only its own files.
read -ra needed <<< "$(dpkg-deb -f "$deb" Depends | sed -E 's/\([^)]*\)//g; s/\|[^,]*//g; s/,/ /g')"
quiet apt-deps apt-get install -y -qq --no-install-recommends "${needed[@]}"
snapshot "$work/before.list"
packages > "$work/packages-before.list"
dpkg_options=()
# Slim images (debian:12-slim) exclude /usr/share/man and /usr/share/doc from every package.
if grep -qs '^path-exclude' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/*; then
    dpkg_options=(-o "Dpkg::Options::=--path-include=/usr/share/man/man1/sluice*"
        -o "Dpkg::Options::=--path-include=/usr/share/doc/sluice/*")
fi
quiet apt-install apt-get install -y --no-install-recommends "${dpkg_options[@]}" "$deb"
[ "$(sluice_status)" = installed ] ||
    die "dpkg says sluice is \"$(sluice_status)\" after the install"
dpkg -L sluice | sort -u > "$work/listed.list"
comm -13 "$work/packages-before.list" <(packages) > "$work/packages-new.list"
grep -vx sluice "$work/packages-new.list" > "$work/others-new.list" || true
[ -s "$work/others-new.list" ] &&
    echo "test-deb: note: installed besides sluice: $(tr '\n' ' ' < "$work/others-new.list")"
while read -r path; do
    [ -e "$path" ] || die "$path of the package is not on the system"
done < <(comm -12 "$work/contents.list" "$work/listed.list")

step "use it"
home=$work/home
mkdir -p "$home" && chmod 700 "$home"
run() { env HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
    XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home" QT_QPA_PLATFORM=offscreen "$@"; }
demo_status=0
run /usr/bin/sluice-cli --demo -o "$work/demo" > "$logs/demo.log" 2>&1 || demo_status=$?
if [ "$demo_status" -ne 0 ]; then
    cat "$logs/demo.log" >&2
    die "sluice-cli --demo exited $demo_status"
fi
images=0
while IFS= read -r -d '' output; do
    file -b --mime-type "$output" | grep -q '^image/' || die "the demo wrote $output, no image"
    images=$((images + 1))
done < <(find "$work/demo" -type f ! -name .sluice-output -print0)
[ "$images" -gt 0 ] || die "sluice-cli --demo wrote no images"
echo "test-deb: sluice-cli --demo wrote $images images"
[ "$(run /usr/bin/sluice-cli --version)" = "sluice-cli $version" ] ||
    die "sluice-cli --version says \"$(run /usr/bin/sluice-cli --version)\""
app_version=$(run /usr/bin/sluice --version 2> "$logs/sluice-version.log") ||
    { cat "$logs/sluice-version.log" >&2; die "sluice --version failed"; }
[ "$app_version" = "Sluice $version" ] || die "sluice --version says \"$app_version\""
echo "test-deb: $app_version"
for page in sluice sluice-cli; do
    [ "$(man -w "$page")" = "/usr/share/man/man1/$page.1.gz" ] ||
        die "man -w $page finds \"$(man -w "$page" 2>&1)\""
done
MANWIDTH=80 man sluice-cli 2> /dev/null | grep -q -- '--merge-reports' ||
    die "man sluice-cli does not show the options"
completion=/usr/share/bash-completion/completions/sluice-cli
[ -f "$completion" ] || die "no $completion"
if [ -r /usr/share/bash-completion/bash_completion ]; then
    loaded=$(bash --norc -c '. /usr/share/bash-completion/bash_completion
        __load_completion sluice-cli && complete -p sluice-cli')
else
    loaded=$(bash --norc -c ". $completion && complete -p sluice-cli")
fi
[ "$loaded" = "complete -F _sluice_cli sluice-cli" ] || die "the completion does not load: $loaded"

# --- 4. purged -----------------------------------------------------------------------------------
step "purge it and look for leftovers"
quiet apt-purge apt-get purge -y sluice
status=$(sluice_status)
[ -z "$status" ] || [ "$status" = not-installed ] ||
    die "dpkg says sluice is \"$status\" after the purge"
if compgen -G '/var/lib/dpkg/info/sluice.*' > /dev/null; then
    die "dpkg's database keeps $(echo /var/lib/dpkg/info/sluice.*)"
fi
while read -r path; do
    if [ -e "$path" ] || [ -L "$path" ]; then
        grep -qxF "$path" "$work/before.list" || die "the purge left $path behind"
        [ -d "$path" ] || die "the purge left the file $path behind"
    fi
done < "$work/listed.list"
snapshot "$work/after.list"
comm -13 "$work/before.list" "$work/after.list" > "$work/new.list"
# Files of packages that apt installed meanwhile (besides sluice, if any) are not ours.
while read -r other; do
    dpkg -L "$other" 2> /dev/null
done < "$work/others-new.list" | sort -u > "$work/others-files.list"
comm -23 "$work/new.list" "$work/others-files.list" > "$work/left.list"
if [ -s "$work/left.list" ]; then
    head -n 20 "$work/left.list" >&2
    die "$(wc -l < "$work/left.list") new files or folders after install and purge"
fi

size=$(stat -c %s "$deb")
echo "test-deb: PASS: $(basename "$deb") ($((size / 1024)) KiB," \
    "$(wc -l < "$work/listed.list") paths)" \
    "built, lintian-clean of errors, installed, used and purged without leftovers" \
    "in $((SECONDS - started)) s"
