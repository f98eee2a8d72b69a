#!/usr/bin/env bash
# Keeps the manual pages and the bash completion in step with the programs' --help:
#   1. every option of "sluice-cli --help" has an entry under OPTIONS in docs/man/sluice-cli.1
#      and is offered by resources/completion/sluice-cli; the page and the completion name no
#      option that --help does not have (options of other programs in the examples, such as
#      sbatch's, are listed below);
#   2. the same for "sluice --help" and docs/man/sluice.1 (when SLUICE is given);
#   3. both pages carry the programs' version and format without a warning (groff -ww, and
#      man --warnings where man-db is installed);
#   4. the completion, sourced in bash, completes option names, the values of the options
#      that take one of a few words, and file names: without the bash-completion package,
#      and with it too where it is installed.
# Fails naming the option or the case. Usage: check-manpage.sh SLUICE_CLI [SLUICE]
# (the ctest case sluicecli_manpage_and_completion: tests/cli/CMakeLists.txt)
set -euo pipefail
cli=$(readlink -f "$1")
app=${2:+$(readlink -f "$2")}
root=$(cd "$(dirname "$0")/../.." && pwd)
cli_page=$root/docs/man/sluice-cli.1
app_page=$root/docs/man/sluice.1
completion=$root/resources/completion/sluice-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
    echo "check-manpage: FAIL: $*" >&2
    failures=$((failures + 1))
}

# Options of other programs that the pages show in examples: sbatch's and GNU parallel's.
foreign_options='--array --requeue --wrap -S'

# The options of a program's --help: "  -o, --output <OUTPUT>   ..." gives -o and --output.
help_options() {
    sed -nE 's/^  (-[[:alnum:]]), (--[[:alnum:]][[:alnum:]-]*).*/\1\n\2/p;
             s/^  (--[[:alnum:]][[:alnum:]-]*).*/\1/p' | sort -u
}
# A page as text enough to find options in: "\fB\-\-png\-compression\fR" becomes
# "--png-compression"; comments are left out.
page_text() {
    sed -e 's/\\-/-/g; s/\\f[BIRP]//g; s/\\f\[[^]]*\]//g' -e '/^\.\\"/d' "$1"
}
# Every option named anywhere in a page.
page_mentions() {
    page_text "$1" | grep -oE -- '(^|[^[:alnum:]-])--?[[:alnum:]][[:alnum:]-]*' |
        sed -E 's/^[^-]+//' | grep -E -- '^(--[[:alnum:]]|-[[:alnum:]]$)' | sort -u
}
# The options that have an entry (the line after .TP) in the OPTIONS section.
page_entries() {
    page_text "$1" |
        awk '/^\.SH /{ in_options = ($2 == "OPTIONS") }
             in_options && tp { print }
             { tp = /^\.TP/ }' |
        grep -oE -- '(^|[^[:alnum:]-])--?[[:alnum:]][[:alnum:]-]*' | sed -E 's/^[^-]+//' | sort -u
}

check_page() { # PROGRAM HELP_FILE PAGE [HELP_ALL_FILE]
    local program=$1 help=$2 page=$3 help_all=${4:-$2} option
    help_options < "$help" > "$work/help.list"
    help_options < "$help_all" > "$work/help-all.list"
    [ -s "$work/help.list" ] || { fail "no options found in $program --help"; return; }
    page_entries "$page" > "$work/entries.list"
    page_mentions "$page" > "$work/mentions.list"
    while read -r option; do
        grep -qxF -- "$option" "$work/entries.list" ||
            fail "$option (in $program --help) has no entry under OPTIONS in ${page#"$root"/}"
    done < "$work/help.list"
    while read -r option; do
        grep -qxF -- "$option" "$work/help.list" ||
            fail "${page#"$root"/} has an entry for $option, which $program --help does not have"
    done < "$work/entries.list"
    while read -r option; do
        grep -qxF -- "$option" "$work/help-all.list" ||
            [[ " $foreign_options " == *" $option "* ]] ||
            fail "${page#"$root"/} names $option, which $program --help-all does not have"
    done < "$work/mentions.list"
}

check_format() { # PAGE VERSION
    local page=$1 version=$2 out
    grep -qE "^\.TH [^ ]+ 1 [^ ]+ \"Sluice $version\"" "$page" ||
        fail "${page#"$root"/}: its .TH line does not say \"Sluice $version\""
    out=$(groff -man -ww -z "$page" 2>&1) || true
    [ -z "$out" ] || fail "groff -man -ww -z ${page#"$root"/} warns: $out"
    if command -v man >/dev/null; then
        out=$(man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null) || true
        [ -z "$out" ] || fail "man --warnings ${page#"$root"/} warns: $out"
    fi
}

# Runs PROGRAM ARGS... with its output into FILE; stops with what it said on stderr when it
# fails (under a sanitizer, say).
capture() { # FILE PROGRAM ARGS...
    local file=$1 status=0
    shift
    QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$work "$@" > "$file" 2> "$work/stderr" || status=$?
    if [ "$status" -ne 0 ]; then
        cat "$work/stderr" >&2
        echo "check-manpage: FAIL: $* exited $status" >&2
        exit 1
    fi
}

# --- 1. sluice-cli and its page ------------------------------------------------------------
capture "$work/cli-help.txt" "$cli" --help
check_page sluice-cli "$work/cli-help.txt" "$cli_page"
capture "$work/cli-version.txt" "$cli" --version
check_format "$cli_page" "$(awk '{ print $2 }' "$work/cli-version.txt")"

# --- 2. sluice and its page ------------------------------------------------------------------
if [ -n "$app" ]; then
    capture "$work/app-help.txt" "$app" --help
    capture "$work/app-help-all.txt" "$app" --help-all
    check_page sluice "$work/app-help.txt" "$app_page" "$work/app-help-all.txt"
    capture "$work/app-version.txt" "$app" --version
    check_format "$app_page" "$(awk '{ print $2 }' "$work/app-version.txt")"
fi

# --- 3. the completion names the options of --help, and no other -----------------------------
# (Long options only: -W, -f, -F and the like are compgen's and complete's. The short ones
# are checked by completing "-" below.)
help_options < "$work/cli-help.txt" > "$work/help.list"
grep -v '^[[:space:]]*#' "$completion" | grep -oE -- '(^|[^[:alnum:]-])--[[:alnum:]][[:alnum:]-]*' |
    sed -E 's/^[^-]+//' | sort -u > "$work/completion-options.list" || true
while read -r option; do
    grep -qxF -- "$option" "$work/help.list" ||
        fail "the completion names $option, which sluice-cli --help does not have"
done < "$work/completion-options.list"

# --- 4. the completion in bash ------------------------------------------------------------------
mkdir -p "$work/files/sub dir" "$work/files/runs"
touch "$work/files/photo.jpg" "$work/files/a.zip" "$work/files/r1.json" "$work/files/r2.CSV" \
    "$work/files/notes.txt" "$work/files/runs/r3.json"

# Runs the completion in a fresh bash for the command line LINE (the cursor at its end) and
# prints COMPREPLY, one per line, sorted. WITH_BASH_COMPLETION=1 loads bash-completion first.
complete_line() { # LINE
    LINE=$1 COMPLETION=$completion bash --norc --noprofile -c '
        set -u
        if [ "${WITH_BASH_COMPLETION:-0}" = 1 ]; then
            . /usr/share/bash-completion/bash_completion
        fi
        . "$COMPLETION"
        COMP_LINE=$LINE
        COMP_POINT=${#LINE}
        # Split as bash does with the default COMP_WORDBREAKS: words at blanks, "=" a word
        # of its own ("--mode=" ends in the word "=", "--mode=f" in "=" "f"); after a blank
        # the cursor is in a new, empty word.
        COMP_WORDS=()
        rest=$LINE
        while [[ $rest =~ ^[[:space:]]*([^[:space:]=]+|=) ]]; do
            COMP_WORDS+=("${BASH_REMATCH[1]}")
            rest=${rest:${#BASH_REMATCH[0]}}
        done
        [[ $LINE =~ [[:space:]]$ ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMPREPLY=()
        _sluice_cli sluice-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}" | sort -u | sed "/^\$/d"' 2>&1
}

expect_completion() { # LINE EXPECTED...
    local line=$1 got want
    shift
    got=$(complete_line "$line" | tr '\n' ' ' | sed 's/ $//')
    want=$(printf '%s\n' "$@" | sort -u | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$want" ] || fail "completion$mode_name of \"$line\": got \"$got\", want \"$want\""
}

f=$work/files
modes=(0)
[ -r /usr/share/bash-completion/bash_completion ] && modes+=(1)
for mode in "${modes[@]}"; do
    export WITH_BASH_COMPLETION=$mode
    mode_name=" (without bash-completion)"
    [ "$mode" = 1 ] && mode_name=" (with bash-completion)"
    # Each option of --help, by name, among the completions of "-", and no other.
    complete_line "sluice-cli -" > "$work/offered.list"
    while read -r option; do
        grep -qxF -- "$option" "$work/offered.list" ||
            fail "$option (in sluice-cli --help) is not offered by the completion$mode_name"
    done < "$work/help.list"
    while read -r option; do
        grep -qxF -- "$option" "$work/help.list" ||
            fail "the completion$mode_name offers $option, which sluice-cli --help does not have"
    done < "$work/offered.list"
    expect_completion "sluice-cli --mo" --mode
    expect_completion "sluice-cli --me" --merge-reports --metadata
    expect_completion "sluice-cli --shard" --shard --shards
    # The values of enumerated options.
    expect_completion "sluice-cli --mode " fit fill exact long-edge short-edge percent
    expect_completion "sluice-cli --mode l" long-edge
    expect_completion "sluice-cli --mode=" fit fill exact long-edge short-edge percent
    expect_completion "sluice-cli --mode=s" short-edge
    expect_completion "sluice-cli --format " keep jpg png webp avif jxl
    expect_completion "sluice-cli --format j" jpg jxl
    expect_completion "sluice-cli --metadata " keep public none
    expect_completion "sluice-cli --on-conflict " rename overwrite skip
    expect_completion "sluice-cli --color s" srgb strip
    expect_completion "sluice-cli --priority " high normal low
    expect_completion "sluice-cli --workers " auto
    expect_completion "sluice-cli --shard " auto
    expect_completion "sluice-cli --size "
    # File names: INPUT and --expect anything, -o folders and .zip, reports .json and .csv.
    expect_completion "sluice-cli $f/" "$f/photo.jpg" "$f/a.zip" "$f/r1.json" "$f/r2.CSV" \
        "$f/notes.txt" "$f/runs" "$f/sub dir"
    expect_completion "sluice-cli --expect $f/p" "$f/photo.jpg"
    expect_completion "sluice-cli $f/photo.jpg -o $f/" "$f/a.zip" "$f/runs" "$f/sub dir"
    expect_completion "sluice-cli $f/photo.jpg --output $f/s" "$f/sub dir"
    expect_completion "sluice-cli $f -o out --report $f/" "$f/r1.json" "$f/r2.CSV" "$f/runs" \
        "$f/sub dir"
    expect_completion "sluice-cli --merge-reports $f/r" "$f/r1.json" "$f/r2.CSV" "$f/runs"
    expect_completion "sluice-cli --merge-reports $f/r1.json $f/runs/" "$f/runs/r3.json"
done

if [ "$failures" -gt 0 ]; then
    echo "check-manpage: $failures failure(s)" >&2
    exit 1
fi
echo "check-manpage: the pages and the completion agree with --help" \
    "($(wc -l < "$work/help.list") options of sluice-cli);" \
    "the completion works${mode_name/ (with/ (also with}"
