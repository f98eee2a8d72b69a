#!/usr/bin/env bash
# A one-node Slurm cluster test of sluice-cli's sharding (--shard auto, --resume,
# --merge-reports), on this machine, without systemd.
#
# What it does:
#   1. installs slurmctld, slurmd, slurm-client and munge from Debian's apt if missing (and
#      imagemagick for the test images);
#   2. starts a private Slurm 22.05 cluster of one node in a new temporary folder: its own munge
#      key and munged (own socket, pid, log and seed files), its own slurm.conf (free private
#      ports, cons_tres with CR_Core, no cgroups, state and spool in the folder), slurmctld and
#      slurmd in the foreground of background jobs. /etc/slurm, /etc/munge and the system's
#      services are never touched; every daemon started here is stopped by its pid on exit
#      (also on failure and Ctrl-C) and the folder is removed;
#   3. makes an input tree of small JPEGs and PNGs (ImageMagick, fixed seeds) in subfolders,
#      plus a text file and a hidden dot-file that sluice-cli skips;
#   4. submits a job array of 4 tasks (sbatch --array=0-3 --requeue, 1 CPU each) that all run
#        sluice-cli IN -o SHARED_OUT --size 300 --format jpg --quality 85 --workers 1
#                   --shard auto --resume --report REPORTS/run.json --rate R
#      into one shared output folder (--rate slows the tasks down), kills array task 2 with
#      SIGKILL once it has written some but not all of its outputs, requeues it
#      (scontrol requeue) and checks that it ran again and resumed;
#   5. once every task has finished, runs the same command once without sharding into another
#      folder and checks: the union of the shards' outputs equals the single run's, file for
#      file and byte for byte; nothing else (temporary or partial files) is in the shared
#      output; `sluice-cli --merge-reports` of the shards' reports exits 0 and lists every input
#      exactly once, the same inputs as the single run's report.
#   It prints a PASS/FAIL summary and exits non-zero on any failure.
#
# How to run it (as root, or as a user with sudo: it re-runs itself with sudo), from anywhere:
#   scripts/slurm-cluster-test.sh
# Environment:
#   SLUICE_CLI      the sluice-cli to test (default: build-test/src/cli/sluice-cli relative to
#                   the repository root); it is copied into the temporary folder first, so a
#                   rebuild during the test does not change it under the running tasks
#   SLUICE_RATE     images per second per task (default 2): slow enough to kill a task mid-run
#   KEEP_TMP=1      keep the temporary folder (logs, outputs, reports) for a look afterwards
#   SLUICE_REQUEUE_ON_OTHER_NODE=1
#                   before the requeue, make the killed task's journal lock look as if it had
#                   been left by a machine of another boot and machine id (what a requeue onto
#                   another node, or a Kubernetes pod retried on another node, meets): the test
#                   then checks that --resume still takes over a dead holder's lock
# It takes about half a minute (longer the first time, when it installs Slurm and munge).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        exec sudo --preserve-env=SLUICE_CLI,SLUICE_RATE,KEEP_TMP,SLUICE_REQUEUE_ON_OTHER_NODE bash "$0" "$@"
    fi
    echo "slurm-cluster-test: needs root (slurmd runs as root) or sudo" >&2
    exit 2
fi

tasks=4              # array tasks = shards
kill_index=2         # the array task that is killed mid-run and requeued (shard 3 of 4)
rate=${SLUICE_RATE:-2}
cluster=sluicetest
started=$(date +%s)

say() { printf '[slurm-test %s] %s\n' "$(date +%T)" "$*"; }

failures=()
fail() {
    failures+=("$*")
    printf '[slurm-test %s] FAIL: %s\n' "$(date +%T)" "$*" >&2
}

# --- the binary under test ------------------------------------------------------------------
cli_given=${SLUICE_CLI:-build-test/src/cli/sluice-cli}
[[ $cli_given == /* ]] || cli_given=$root/$cli_given
if [[ ! -x $cli_given ]]; then
    echo "slurm-cluster-test: no executable sluice-cli at $cli_given (set SLUICE_CLI)" >&2
    exit 2
fi
cli_source=$(readlink -f "$cli_given")

# --- 1. packages ----------------------------------------------------------------------------
missing=()
for tool in slurmctld:slurmctld slurmd:slurmd sbatch:slurm-client munged:munge \
    python3:python3; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
if ! command -v magick >/dev/null 2>&1 && ! command -v convert >/dev/null 2>&1; then
    missing+=(imagemagick)
fi
if ((${#missing[@]})); then
    say "installing from apt: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if command -v magick >/dev/null 2>&1; then
    im=(magick)
else
    im=(convert)
fi

# --- the temporary folder and the exit trap -------------------------------------------------
tmp=$(mktemp -d /tmp/sluice-slurm-test.XXXXXX)
chmod 0755 "$tmp" # munged refuses group- or other-writable folders on its paths
munge_dir=$tmp/munge
slurm_dir=$tmp/slurm
job_dir=$tmp/job
in_dir=$tmp/photos
shared_out=$tmp/shared-out
single_out=$tmp/single-out
reports=$tmp/reports
mkdir -p "$munge_dir" "$slurm_dir/state" "$slurm_dir/spool" "$job_dir/out" "$in_dir" \
    "$shared_out" "$reports" "$tmp/xdg" "$tmp/probe"
chmod 0700 "$munge_dir"

munged_pid=
slurmctld_pid=
slurmd_pid=
job_id=

# Stops a daemon started here: SIGTERM, then SIGKILL after 10 s.
stop_pid() {
    local name=$1 pid=$2 i
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name (pid $pid) did not stop on SIGTERM; SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# The last resort when the job could not be canceled (slurmctld gone): the processes of our
# private cluster that are left, found by pid as those whose working folder or open files are
# in our temporary folder (slurmstepd keeps the slurmd log open, a task runs in $job_dir):
# SIGTERM, then SIGKILL.
our_leftovers() {
    local proc pid link
    for proc in /proc/[0-9]*; do
        pid=${proc#/proc/}
        [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
        for link in "$proc/cwd" "$proc"/fd/*; do
            if [[ $(readlink "$link" 2>/dev/null) == "$tmp"/* ]]; then
                echo "$pid"
                break
            fi
        done
    done
}
stop_leftovers() {
    local pids i
    [[ -n ${tmp:-} && -d $tmp ]] || return 0
    pids=$(our_leftovers | grep -vxE "${munged_pid:-x}" | xargs)
    [[ -n $pids ]] || return 0
    say "stopping leftover processes of the private cluster: $pids"
    # shellcheck disable=SC2086 # one pid per word
    kill -TERM $pids 2>/dev/null
    for ((i = 0; i < 30; i++)); do
        # shellcheck disable=SC2086
        kill -0 $pids 2>/dev/null || return 0
        sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null
}

cleanup() {
    local rc=$? i
    set +e
    trap - EXIT INT TERM
    # The job's own processes first (slurmstepd outlives slurmd): cancel what is left of the
    # job while slurmctld and slurmd are still up, and wait for it to go.
    if [[ -n $job_id && -n $slurmctld_pid ]] && kill -0 "$slurmctld_pid" 2>/dev/null; then
        scancel "$job_id" 2>/dev/null
        for ((i = 0; i < 100; i++)); do
            [[ -z $(squeue -h -j "$job_id" -o %i 2>/dev/null) ]] && break
            sleep 0.2
        done
    fi
    stop_pid slurmd "$slurmd_pid"
    stop_pid slurmctld "$slurmctld_pid"
    stop_leftovers
    stop_pid munged "$munged_pid"
    if [[ ${KEEP_TMP:-0} == 1 ]]; then
        say "kept $tmp"
    else
        rm -rf "$tmp"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_logs() {
    local f
    for f in "$slurm_dir/slurmctld.log" "$slurm_dir/slurmd.log" "$munge_dir/munged.log" \
        "$slurm_dir"/*.stderr; do
        [[ -s $f ]] || continue
        echo "----- $f (last 40 lines) -----" >&2
        tail -n 40 "$f" >&2
    done
}

die() {
    fail "$*"
    show_logs
    exit 1
}

# Fails the test when a daemon started here has died.
check_daemons() {
    local name pid
    for name in munged slurmctld slurmd; do
        pid=${name}_pid
        pid=${!pid}
        [[ -z $pid ]] || kill -0 "$pid" 2>/dev/null || die "$name (pid $pid) died"
    done
}

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
    local timeout=$1 deadline
    shift
    deadline=$(($(date +%s) + timeout))
    until "$@"; do
        check_daemons
        (($(date +%s) < deadline)) || return 1
        sleep 0.2
    done
}

cp "$cli_source" "$tmp/sluice-cli"
cli=$tmp/sluice-cli
say "sluice-cli: $cli_source ($("$cli" --version 2>/dev/null | head -n 1)); temporary folder $tmp"

# --- 2. the private cluster -----------------------------------------------------------------
# Two free TCP ports (nothing listening on them), from 26817 up.
free_ports() {
    python3 - <<'EOF'
import socket
found = []
for port in range(26817, 27817):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("0.0.0.0", port))
        found.append(port)
    except OSError:
        pass
    finally:
        s.close()
    if len(found) == 2:
        break
print(*found)
EOF
}
read -r ctld_port slurmd_port < <(free_ports)
[[ -n ${slurmd_port:-} ]] || die "found no two free TCP ports for slurmctld and slurmd"

host=$(hostname -s)
munge_sock=$munge_dir/munged.sock
munge_key=$munge_dir/munge.key
if command -v mungekey >/dev/null 2>&1; then
    mungekey --create --keyfile="$munge_key" --bits=1024
else
    dd if=/dev/urandom of="$munge_key" bs=1 count=1024 status=none
fi
chown root:root "$munge_key"
chmod 0400 "$munge_key"
# Each daemon runs in the foreground of a background job, in a session of its own (setsid, which
# does not fork here: a background job is no process group leader), so that its pid is $!
# (checked against its pid file) and a Ctrl-C reaches only this script, whose EXIT trap then
# stops everything in order.
setsid munged -F --force --socket="$munge_sock" --key-file="$munge_key" \
    --pid-file="$munge_dir/munged.pid" --log-file="$munge_dir/munged.log" \
    --seed-file="$munge_dir/munged.seed" </dev/null >"$munge_dir/munged.stderr" 2>&1 &
munged_pid=$!
munge_works() {
    munge -S "$munge_sock" -n </dev/null 2>/dev/null | unmunge -S "$munge_sock" >/dev/null 2>&1
}
wait_for 20 munge_works || die "munged did not come up on $munge_sock"
# The pid a daemon wrote to its pid file, when it is another than $! (setsid forked after all).
pid_from_file() {
    local file=$1 pid=$2 written
    written=$(cat "$file" 2>/dev/null || true)
    if [[ $written =~ ^[0-9]+$ && $written != "$pid" ]]; then
        echo "$written"
    else
        echo "$pid"
    fi
}
munged_pid=$(pid_from_file "$munge_dir/munged.pid" "$munged_pid")
say "munged up (pid $munged_pid)"

# The node line as slurmd -C reads this machine (CPUs, sockets, cores, threads, RealMemory).
node_line=$(slurmd -C | grep '^NodeName=')
[[ $node_line == NodeName=* ]] || die "slurmd -C printed no NodeName line"
node_hw=$(sed -E 's/^NodeName=[^ ]+ //' <<<"$node_line")
cpus=$(grep -oE 'CPUs=[0-9]+' <<<"$node_line" | cut -d= -f2)

conf=$slurm_dir/slurm.conf
: >"$slurm_dir/plugstack.conf"
cat >"$conf" <<EOF
# A private one-node cluster of scripts/slurm-cluster-test.sh; removed with its folder.
ClusterName=$cluster
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$munge_sock
CredType=cred/munge
StateSaveLocation=$slurm_dir/state
SlurmdSpoolDir=$slurm_dir/spool
SlurmctldPidFile=$slurm_dir/slurmctld.pid
SlurmdPidFile=$slurm_dir/slurmd.pid
SlurmctldLogFile=$slurm_dir/slurmctld.log
SlurmdLogFile=$slurm_dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$slurm_dir/plugstack.conf
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
JobRequeue=1
MailProg=/bin/true
# Finished jobs stay known (scontrol show job, scontrol requeue) for 10 minutes.
MinJobAge=600
KillWait=5
InactiveLimit=0
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host $node_hw State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$conf
# Variables of an enclosing Slurm job (if this runs inside one) must not leak into ours.
while read -r var; do
    unset "$var"
done < <(env | sed -nE 's/^((SLURM|SBATCH|SQUEUE)_[A-Z_]+)=.*/\1/p' | grep -v '^SLURM_CONF$')

setsid slurmctld -D -f "$conf" </dev/null >"$slurm_dir/slurmctld.stderr" 2>&1 &
slurmctld_pid=$!
ctld_up() { kill -0 "$slurmctld_pid" 2>/dev/null && scontrol ping 2>/dev/null | grep -q 'UP'; }
wait_for 30 ctld_up || die "slurmctld did not come up (port $ctld_port)"
setsid slurmd -D -f "$conf" -N "$host" </dev/null >"$slurm_dir/slurmd.stderr" 2>&1 &
slurmd_pid=$!
node_idle() {
    kill -0 "$slurmd_pid" 2>/dev/null || return 2
    [[ $(sinfo -h -n "$host" -o %T 2>/dev/null) == idle ]]
}
if ! wait_for 60 node_idle; then
    scontrol show node "$host" >&2 || true
    die "node $host did not become idle"
fi
slurmctld_pid=$(pid_from_file "$slurm_dir/slurmctld.pid" "$slurmctld_pid")
slurmd_pid=$(pid_from_file "$slurm_dir/slurmd.pid" "$slurmd_pid")
say "cluster '$cluster' up: slurmctld pid $slurmctld_pid (port $ctld_port), slurmd pid" \
    "$slurmd_pid (port $slurmd_port), node $host with $cpus CPUs idle"

# --- 3. the input tree ----------------------------------------------------------------------
mkdir -p "$in_dir/2023/summer" "$in_dir/2023/winter" "$in_dir/scans" "$in_dir/misc/deep/er"
folders=("" 2023 2023/summer 2023/winter scans misc/deep misc/deep/er)
images=48
for ((i = 1; i <= images; i++)); do
    folder=${folders[i % ${#folders[@]}]}
    w=$((64 + (i * 97) % 900))
    h=$((48 + (i * 61) % 700))
    ext=jpg
    ((i % 3 == 0)) && ext=png
    name=img-$(printf '%02d' "$i").$ext
    ((i == 7)) && name="with space $i.$ext"
    ((i == 11)) && name="café-$i.$ext"
    if ((i % 4 == 1)); then
        pattern=(-size "${w}x${h}" "gradient:#$(printf '%06x' $((i * 2654435 % 16777216)))-#204080")
    else
        pattern=(-seed "$i" -size "${w}x${h}" plasma:fractal)
    fi
    "${im[@]}" "${pattern[@]}" "$in_dir/${folder:+$folder/}$name"
done
echo "not an image" >"$in_dir/misc/notes.txt"
"${im[@]}" -size 40x40 xc:orange "$in_dir/2023/.hidden-thumb.jpg"
inputs=$(find "$in_dir" -type f | wc -l)
say "input tree: $images images in ${#folders[@]} folders, plus a text file and a hidden file"

common=(--size 300 --format jpg --quality 85 --workers 1)
export XDG_DATA_HOME=$tmp/xdg # the journals: $XDG_DATA_HOME/sluice/journals

# Which outputs shard $((kill_index + 1)) of $tasks makes: a quick run of that shard alone (not
# slowed down, no journal, into a folder of its own), so that the watcher below knows when the
# task has written some but not all of them (with N > 1 the report is the shard's own:
# probe-shard-3-of-4.json).
"$cli" "$in_dir" -o "$tmp/probe" "${common[@]}" --shard $((kill_index + 1))/$tasks \
    --no-journal --quiet --report "$tmp/probe.json" ||
    die "the probe run of shard $((kill_index + 1))/$tasks failed"
mapfile -t kill_outputs < <(python3 -c '
import json, os, sys
for item in json.load(open(sys.argv[1]))["items"]:
    if item.get("output"):
        print(os.path.relpath(item["output"], sys.argv[2]))
' "$tmp/probe-shard-$((kill_index + 1))-of-$tasks.json" "$tmp/probe")
rm -rf "$tmp/probe" "$tmp"/probe-shard-*.json
((${#kill_outputs[@]} >= 2)) ||
    die "shard $((kill_index + 1))/$tasks has ${#kill_outputs[@]} outputs; too few to kill it mid-run"

# --- 4. the job array -----------------------------------------------------------------------
cat >"$job_dir/task.sh" <<EOF
#!/bin/bash
echo "slurm-task: array task \${SLURM_ARRAY_TASK_ID} of job \${SLURM_ARRAY_JOB_ID}" \\
    "(job \${SLURM_JOB_ID}) on \$(hostname -s), restart count \${SLURM_RESTART_COUNT:-0}"
export XDG_DATA_HOME='$tmp/xdg'
exec '$cli' '$in_dir' -o '$shared_out' ${common[*]} --shard auto --resume \\
    --report '$reports/run.json' --rate $rate
EOF
chmod +x "$job_dir/task.sh"
job_id=$(sbatch --parsable --array=0-$((tasks - 1)) --requeue --cpus-per-task=1 \
    --job-name=sluice-shards --open-mode=append --chdir="$job_dir" \
    --output="$job_dir/out/task-%A_%a.out" "$job_dir/task.sh") || die "sbatch failed"
job_id=${job_id%%;*}
task_out=$job_dir/out/task-${job_id}_$kill_index.out
say "submitted job array $job_id (tasks 0-$((tasks - 1)), --rate $rate); will kill task" \
    "$kill_index (${#kill_outputs[@]} outputs) mid-run"

# scontrol's one-line view of one array task: field $2 of it.
task_field() {
    scontrol -o show job "${job_id}_$1" 2>/dev/null |
        awk -v key="$2" '{ for (i = 1; i <= NF; i++) if (index($i, key "=") == 1) {
            print substr($i, length(key) + 2); exit } }' || true
}
written_of_kill_task() {
    local n=0 f
    for f in "${kill_outputs[@]}"; do
        [[ -e $shared_out/$f ]] && n=$((n + 1))
    done
    echo "$n"
}

# The sluice-cli processes of array task $1, by pid: the task's processes as slurmd tracks them
# (scontrol listpids; this node is the task's node) whose executable is a sluice-cli.
sluice_pids_of_task() {
    local task_job pid exe
    task_job=$(task_field "$1" JobId)
    [[ -n $task_job ]] || return 0
    scontrol listpids "$task_job" 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }' |
        sort -un | while read -r pid; do
        exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
        [[ ${exe%" (deleted)"} == */sluice-cli ]] && echo "$pid"
    done
}

# Wait until task $kill_index has written at least a third (and at least one) but not all of
# its outputs, then SIGKILL its sluice-cli, as a crash or the OOM killer would: the task then
# ends FAILED, and scontrol requeue runs it again. (scancel --signal=KILL --full would end it
# CANCELLED instead; scancel --signal=KILL --batch kills only the batch shell, which would
# orphan a sluice-cli started by a wrapper script: proctrack/linuxproc loses reparented
# processes, and the orphan goes on writing while the requeued task runs.)
want=$(((${#kill_outputs[@]} + 2) / 3))
deadline=$(($(date +%s) + 120))
killed_at=
killed_pids=
while :; do
    written=$(written_of_kill_task)
    if ((written >= want && written < ${#kill_outputs[@]})); then
        killed_pids=$(sluice_pids_of_task "$kill_index" | xargs)
        [[ -n $killed_pids ]] || die "found no sluice-cli process of task $kill_index to kill"
        # shellcheck disable=SC2086 # one pid per word
        kill -KILL $killed_pids
        killed_at=$written
        break
    fi
    if ((written == ${#kill_outputs[@]})); then
        die "task $kill_index finished before it could be killed; lower SLUICE_RATE"
    fi
    check_daemons
    (($(date +%s) < deadline)) ||
        die "task $kill_index wrote $written of ${#kill_outputs[@]} outputs in 120 s"
    sleep 0.05
done
say "killed task $kill_index (sluice-cli pid $killed_pids) with SIGKILL after $killed_at of" \
    "${#kill_outputs[@]} outputs"

# It ends FAILED (scontrol requeue needs it running, pending or finished, not completing).
task_failed() { [[ $(task_field "$kill_index" JobState) == FAILED ]]; }
wait_for 60 task_failed ||
    die "task $kill_index is $(task_field "$kill_index" JobState), not FAILED, after the kill"
say "task $kill_index: JobState=FAILED ExitCode=$(task_field "$kill_index" ExitCode)"
if [[ ${SLUICE_REQUEUE_ON_OTHER_NODE:-0} == 1 ]]; then
    # A QLockFile holds: pid, application, host name, machine id, boot id. Only the killed
    # process's lock (its pid on the first line) is rewritten.
    for lock in "$tmp/xdg/sluice/journals"/*.lock; do
        [[ -f $lock && $(head -n 1 "$lock") == "${killed_pids%% *}" ]] || continue
        sed -i '3s/.*/other-node/; 4s/.*/0123456789abcdef0123456789abcdef/;
            5s/.*/00000000-1111-2222-3333-444444444444/' "$lock"
        say "made $(basename "$lock") look left by a dead sluice-cli on another machine"
    done
fi
requeue_ok() { scontrol requeue "${job_id}_$kill_index" 2>>"$slurm_dir/requeue.stderr"; }
wait_for 30 requeue_ok ||
    die "scontrol requeue ${job_id}_$kill_index failed: $(cat "$slurm_dir/requeue.stderr")"
# Slurm 22.05 keeps a requeued job pending until the job credential lifetime has passed
# (AuthInfo cred_expire, 120 s by default: EligibleTime lies that far ahead); after requeuehold
# it would also be held. Make it eligible now (and release it if held).
scontrol -o show job "${job_id}_$kill_index" >"$slurm_dir/requeued-job.txt" 2>&1 || true
state=$(task_field "$kill_index" JobState)
reason=$(task_field "$kill_index" Reason)
eligible=$(task_field "$kill_index" EligibleTime)
say "task $kill_index requeued: JobState=$state Reason=$reason EligibleTime=$eligible" \
    "Restarts=$(task_field "$kill_index" Restarts)"
if [[ $state == PENDING ]]; then
    eligible_at=$(date -d "$eligible" +%s 2>/dev/null || echo 0)
    if ((eligible_at > $(date +%s))); then
        scontrol update jobid="${job_id}_$kill_index" starttime=now
        say "task $kill_index: StartTime=now (it would have been eligible only" \
            "$((eligible_at - $(date +%s))) s from now)"
    fi
    if [[ $(task_field "$kill_index" Priority) == 0 || $reason == *Held* ]]; then
        scontrol release "${job_id}_$kill_index"
    fi
fi

# --- 5. all tasks done ----------------------------------------------------------------------
job_gone() { [[ -z $(squeue -h -j "$job_id" -o %i 2>/dev/null) ]]; }
wait_for 240 job_gone || {
    squeue -j "$job_id" >&2
    die "job $job_id still in the queue after 240 s"
}
for ((t = 0; t < tasks; t++)); do
    state=$(task_field "$t" JobState)
    code=$(task_field "$t" ExitCode)
    [[ $state == COMPLETED && $code == 0:0 ]] ||
        fail "array task $t ended $state (ExitCode $code); its output:$(echo
            cat "$job_dir/out/task-${job_id}_$t.out")"
    if grep -q 'cannot write' "$job_dir/out/task-${job_id}_$t.out"; then
        fail "array task $t: $(grep 'cannot write' "$job_dir/out/task-${job_id}_$t.out")"
    fi
done
restarts=$(task_field "$kill_index" Restarts)
requeued=no
if [[ $restarts == 1 ]] && grep -q 'restart count 1' "$task_out" &&
    grep -q 'resuming (run 2 of this job)' "$task_out"; then
    requeued=yes
else
    fail "task $kill_index did not run again and resume (Restarts=$restarts); its output:$(echo
        cat "$task_out")"
fi
say "all tasks finished; task $kill_index Restarts=$restarts"

# The same command once, on one machine, without sharding (and without slowing down).
single_started=$(date +%s)
"$cli" "$in_dir" -o "$single_out" "${common[@]}" --resume --report "$tmp/single.json" \
    >"$tmp/single.log" 2>&1 || {
    cat "$tmp/single.log" >&2
    fail "the single run exited non-zero"
}
single_seconds=$(($(date +%s) - single_started))

# File for file: every file and folder of both outputs (the marker .sluice-output included in
# the listing, and compared byte for byte below like every other file: it is the same text).
listing() {
    (cd "$1" && find . -mindepth 1 \( -type d -printf 'd %P\n' \) -o -printf 'f %P\n' | LC_ALL=C sort)
}
listing "$single_out" >"$tmp/single.list"
listing "$shared_out" >"$tmp/shared.list"
if ! diff "$tmp/single.list" "$tmp/shared.list" >"$tmp/list.diff"; then
    fail "the shared output and the single run's differ in files (< single only, > shared only:" \
        "temporary or partial files, duplicates under other names):$(echo; head -n 40 "$tmp/list.diff")"
fi
grep -q '^f \.sluice-output$' "$tmp/single.list" || fail "the single run wrote no .sluice-output marker"
grep -q '^f \.sluice-output$' "$tmp/shared.list" || fail "the shared output has no .sluice-output marker"
compared=0
differing=0
while read -r kind path; do
    [[ $kind == f && -f $shared_out/$path ]] || continue
    compared=$((compared + 1))
    if ! cmp -s "$single_out/$path" "$shared_out/$path"; then
        differing=$((differing + 1))
        fail "'$path' differs byte for byte between the shared output and the single run's"
    fi
done <"$tmp/single.list"
output_files=$(grep -c '^f ' "$tmp/single.list" || true)
shared_files=$(grep -c '^f ' "$tmp/shared.list" || true)
marker_equal=no
cmp -s "$single_out/.sluice-output" "$shared_out/.sluice-output" && marker_equal=yes
# A job that completed deletes its journal: none may be left (the killed shard's included).
leftover_journals=$(find "$tmp/xdg" -type f -name '*.journal' | wc -l)
((leftover_journals == 0)) ||
    fail "$leftover_journals journal(s) left in \$XDG_DATA_HOME/sluice/journals after every run" \
        "completed"

# The merged report.
merged_ok=yes
if ! "$cli" --merge-reports "$reports"/run-shard-*.json -o "$reports/merged.json" \
    --expect "$in_dir" >"$tmp/merge.log" 2>&1; then
    merged_ok=no
    fail "sluice-cli --merge-reports exited non-zero:$(echo; cat "$tmp/merge.log")"
fi
report_check=$(python3 - "$tmp/single.json" "$reports/merged.json" "$tasks" "$reports" <<'EOF'
import collections, json, os, sys

single_path, merged_path, tasks, reports = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
problems = []
single = json.load(open(single_path))
try:
    merged = json.load(open(merged_path))
except (OSError, ValueError) as error:
    merged = {"items": [], "summary": {}}
    problems.append(f"no merged report: {error}")

def paths(report):
    return [item["relativePath"] for item in report["items"]]

single_paths, merged_paths = paths(single), paths(merged)
twice = [p for p, n in collections.Counter(merged_paths).items() if n > 1]
if twice:
    problems.append(f"inputs listed more than once in the merged report: {twice}")
if len(single_paths) != len(set(single_paths)):
    problems.append("the single run's report lists an input more than once")
if set(merged_paths) != set(single_paths):
    problems.append("the merged report's inputs differ from the single run's: only merged "
                    f"{sorted(set(merged_paths) - set(single_paths))}, only single "
                    f"{sorted(set(single_paths) - set(merged_paths))}")
if len(merged_paths) != len(single_paths):
    problems.append(f"the merged report lists {len(merged_paths)} items, the single run "
                    f"{len(single_paths)}")
if merged.get("summary", {}).get("total") != single["summary"]["total"]:
    problems.append(f"merged summary total {merged.get('summary', {}).get('total')} != single "
                    f"{single['summary']['total']}")
for key in ("source", "entry", "relativePath", "status", "shard"):
    if any(key not in item for item in merged["items"]):
        problems.append(f"a merged item has no '{key}'")

# The same outcome per input: done, or (in the resumed shard) kept from its earlier run.
single_status = {i["relativePath"]: (i["status"], i.get("skipReason")) for i in single["items"]}
kept = 0
for item in merged["items"]:
    want = single_status.get(item["relativePath"])
    got = (item["status"], item.get("skipReason"))
    if want is None or got == want:
        continue
    if want[0] == "done" and got == ("skipped", "done in an earlier run"):
        kept += 1
        continue
    problems.append(f"{item['relativePath']}: merged {got}, single {want}")

merge = merged.get("summary", {}).get("merge", {})
for key in ("inTwoReports", "inNoReport", "shardsWithoutReport"):
    if merge.get(key):
        problems.append(f"the merged report's {key}: {merge[key]}")

# Outputs per shard, from each shard's own report; every merged item names the shard whose
# report lists it.
per_shard = []
shard_of = {i["relativePath"]: i.get("shard") for i in merged["items"]}
for k in range(1, tasks + 1):
    path = os.path.join(reports, f"run-shard-{k}-of-{tasks}.json")
    try:
        report = json.load(open(path))
    except (OSError, ValueError) as error:
        problems.append(f"no report of shard {k}: {error}")
        per_shard.append(0)
        continue
    shard = report.get("summary", {}).get("shard", {})
    if shard.get("index") != k or shard.get("count") != tasks:
        problems.append(f"{path} says it is shard {shard}")
    for item in report["items"]:
        if shard_of.get(item["relativePath"], f"{k}/{tasks}") != f"{k}/{tasks}":
            problems.append(f"{item['relativePath']} is in shard {k}'s report but the merged "
                            f"report says shard {shard_of[item['relativePath']]}")
    per_shard.append(sum(1 for i in report["items"] if i.get("output")))
single_outputs = sum(1 for i in single["items"] if i.get("output"))
if sum(per_shard) != single_outputs:
    problems.append(f"the shards' reports name {sum(per_shard)} outputs, the single run's "
                    f"{single_outputs}")

s = single["summary"]
print(f"single run: {s['total']} inputs, {s['done']} done, {s['skipped']} skipped, "
      f"{s['failed']} failed")
print(f"merged report: {len(merged_paths)} inputs ({len(set(merged_paths))} distinct), "
      f"{kept} kept from the killed run")
print(f"outputs per shard: {' + '.join(map(str, per_shard))} = {sum(per_shard)} "
      f"(single run: {single_outputs})")
for problem in problems:
    print(f"PROBLEM: {problem}")
EOF
)
while read -r line; do
    [[ $line == PROBLEM:* ]] && fail "report: ${line#PROBLEM: }"
done <<<"$report_check"

# --- summary --------------------------------------------------------------------------------
elapsed=$(($(date +%s) - started))
echo
echo "===== Slurm cluster test of sluice-cli sharding ====="
echo "cluster:        one node ($host, $cpus CPUs), Slurm $(sinfo --version | cut -d' ' -f2)," \
    "job array $job_id, $tasks tasks, --rate $rate"
echo "inputs:         $inputs files ($images images, 1 text file, 1 hidden file)"
grep -v '^PROBLEM:' <<<"$report_check" | sed 's/^/                /; 1s/^ \{16\}/reports:        /'
echo "outputs:        $shared_files files in the shared output, $output_files in the single" \
    "run's (.sluice-output included); $compared compared byte for byte, $differing differ;" \
    "marker .sluice-output equal: $marker_equal"
echo "kill + requeue: task $kill_index killed after $killed_at of ${#kill_outputs[@]} outputs;" \
    "requeued and resumed: $requeued (Restarts=$restarts)"
echo "merge-reports:  exit 0: $merged_ok; journals left after the runs: $leftover_journals"
echo "time:           ${elapsed} s in all (single run ${single_seconds} s)"
if ((${#failures[@]})); then
    echo "RESULT: FAIL (${#failures[@]} problem(s))"
    printf '  - %s\n' "${failures[@]}"
    exit 1
fi
echo "RESULT: PASS"
