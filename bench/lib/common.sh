# shellcheck shell=bash
# Sourced by bench/run: what every scenario uses. Servers started here are stopped by pid,
# and the scratch filesystem unmounted and removed, by bench_cleanup (the EXIT trap).
# Globals set by bench/run before a scenario runs: ROOT, BENCH, CACHE, SCRATCH, SMOKE, RUNS,
# WARMUP, SECTIONS.

SERVER_PIDS=()
SERVER_NAMES=()
SERVER_LOGS=()
STOP_HOOKS=()
SCRATCH_MOUNTED=""

log() {
    echo "bench: $*" >&2
}

die() {
    echo "bench: $*" >&2
    exit 1
}

# A loopback TCP port nobody listens on (checked in /proc/net/tcp*). Servers are started right
# after; a lost race shows as a server that does not come up, with its log.
free_port() {
    local port hex
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        hex=$(printf ':%04X ' "$port")
        if ! grep -qi "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    die "found no free loopback port"
}

# start_server NAME LOG COMMAND...: runs COMMAND in the background (stdin /dev/null, output to
# LOG) and remembers its pid; bench_cleanup stops it.
start_server() {
    local name=$1 logfile=$2
    shift 2
    "$@" </dev/null >"$logfile" 2>&1 &
    SERVER_PIDS+=("$!")
    SERVER_NAMES+=("$name")
    SERVER_LOGS+=("$logfile")
    log "started $name (pid $!)"
}

# The pid of the server started last.
last_server_pid() {
    echo "${SERVER_PIDS[-1]}"
}

# wait_until [--fatal REGEX] NAME LOG SECONDS COMMAND...: polls COMMAND every 0.1 s until it
# succeeds; fails with the server's log when the server died, its log matches REGEX (an error
# it will not recover from by itself) or the time is up.
wait_until() {
    local fatal="" name logfile seconds pid tries=0
    if [[ $1 == --fatal ]]; then
        fatal=$2
        shift 2
    fi
    name=$1 logfile=$2 seconds=$3
    shift 3
    pid=$(last_server_pid)
    until "$@" >/dev/null 2>&1; do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$name exited; its log:"
            tail -n 40 "$logfile" >&2
            exit 1
        fi
        if [[ -n $fatal ]] && grep -qE "$fatal" "$logfile"; then
            log "$name failed to start; its log without stack traces:"
            grep -v $'^[[:space:]]*at ' "$logfile" | tail -n 40 >&2
            exit 1
        fi
        if ((++tries > seconds * 10)); then
            log "$name did not come up within $seconds s; its log:"
            tail -n 40 "$logfile" >&2
            exit 1
        fi
        sleep 0.1
    done
}

# at_stop COMMAND: COMMAND (a string for eval) runs after the servers have stopped, newest
# first — for what a peer leaves behind that is not a process (mounts, cgroups, state).
at_stop() {
    STOP_HOOKS+=("$1")
}

# Stops the servers, newest first: SIGTERM, then SIGKILL after 30 s; then runs the at_stop hooks.
stop_servers() {
    local i pid
    for ((i = ${#SERVER_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${SERVER_PIDS[i]}
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 300); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            if kill -0 "$pid" 2>/dev/null; then
                log "${SERVER_NAMES[i]} (pid $pid) ignored SIGTERM for 30 s; killing it"
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        wait "$pid" 2>/dev/null || true
    done
    SERVER_PIDS=()
    SERVER_NAMES=()
    SERVER_LOGS=()
    for ((i = ${#STOP_HOOKS[@]} - 1; i >= 0; i--)); do
        eval "${STOP_HOOKS[i]}" || log "clean-up step failed: ${STOP_HOOKS[i]}"
    done
    STOP_HOOKS=()
}

# After a failure: the end of every running server's log, on stderr.
show_server_logs() {
    local i
    for i in "${!SERVER_LOGS[@]}"; do
        log "the last lines of ${SERVER_NAMES[i]}'s log (${SERVER_LOGS[i]}):"
        tail -n 30 "${SERVER_LOGS[i]}" >&2 || true
    done
}

# keep_logs NAME: copies the logs under scenario NAME's scratch directory (its servers', the
# agents' among them, each under its own directory) to $CACHE/logs/NAME, before the scratch
# tmpfs goes; prints where.
keep_logs() {
    local name=$1
    [[ -n ${SCRATCH:-} && -d $SCRATCH/$name ]] || return 0
    mkdir -p "$CACHE/logs/$name"
    (cd "$SCRATCH/$name" && find . -name '*.log*' -exec cp --parents -t "$CACHE/logs/$name" {} +) 2>/dev/null || true
    echo "${CACHE#"$ROOT"/}/logs/$name"
}

# The scratch directory every measurement writes to: a tmpfs mounted for this run (as root),
# else a directory under /dev/shm. Writes on this machine's ext4 swing by seconds (probe.md
# §2.2), which would drown what we measure. Sets SCRATCH and SCRATCH_FS (for the tables).
# shellcheck disable=SC2034 # SCRATCH_FS is read by the scenarios
make_scratch() {
    SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/unicon-bench.XXXXXX")
    if ((EUID == 0)) && mount -t tmpfs -o size=4g,mode=0700 unicon-bench "$SCRATCH"; then
        SCRATCH_MOUNTED=$SCRATCH
        SCRATCH_FS="a tmpfs mounted for the run (size=4g, in a private mount namespace) at $SCRATCH"
    else
        rmdir "$SCRATCH"
        SCRATCH=$(mktemp -d /dev/shm/unicon-bench.XXXXXX)
        SCRATCH_FS="tmpfs (/dev/shm), in $SCRATCH"
    fi
}

bench_cleanup() {
    local status=$? kept
    if ((status != 0)) && [[ -n ${SCENARIO:-} ]] && kept=$(keep_logs "$SCENARIO") && [[ -n $kept ]]; then
        log "scenario $SCENARIO failed; its servers' logs are in $kept"
    fi
    stop_servers
    if [[ -n $SCRATCH_MOUNTED ]]; then
        umount "$SCRATCH_MOUNTED" 2>/dev/null || {
            log "umount $SCRATCH_MOUNTED failed (busy?); detaching it lazily"
            umount -l "$SCRATCH_MOUNTED" || true
        }
        rmdir "$SCRATCH_MOUNTED" 2>/dev/null || true
        SCRATCH_MOUNTED=""
    elif [[ -n ${SCRATCH:-} && -d $SCRATCH ]]; then
        rm -rf "$SCRATCH"
    fi
    SCRATCH=""
}

# measure JSON COMMAND [hyperfine options...]: WARMUP warm-ups then RUNS timed runs of COMMAND
# (hyperfine; options such as --prepare 'untimed setup' go after the command). When a run
# fails: the servers' logs, then one more run of COMMAND with its output shown, then exit.
measure() {
    local json=$1 command=$2
    shift 2
    log "measuring: $command"
    if ! hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" "$@" "$command" >&2; then
        show_server_logs
        log "once more, with its output: $command"
        sh -c "$command" >&2 || true
        die "measurement failed: $command"
    fi
}

# stats_json JSON SECONDS...: writes measurements taken by a scenario itself (not hyperfine) in
# hyperfine's JSON shape, so that median_of, spread_of, runs_of and ratio_of read them alike.
stats_json() {
    local json=$1
    shift
    printf '%s\n' "$@" | jq -s '{results: [{times: ., min: min, max: max,
        median: (sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end)}]}' >"$json"
}

# Median, "min–max" and run count of a measurement, human units: "1.23 s" or "456 ms".
median_of() {
    jq -r '.results[0].median' "$1" | human_seconds
}

spread_of() {
    local min max
    min=$(jq -r '.results[0].min' "$1" | human_seconds)
    max=$(jq -r '.results[0].max' "$1" | human_seconds)
    echo "$min – $max"
}

runs_of() {
    jq -r '.results[0].times | length' "$1"
}

# ratio_of A.json B.json: median(A) / median(B), two decimals with a ×.
ratio_of() {
    jq -rn --slurpfile a "$1" --slurpfile b "$2" \
        '($a[0].results[0].median / $b[0].results[0].median * 100 | round / 100 | tostring) + " ×"'
}

human_seconds() {
    awk '{ if ($1 >= 1) printf "%.2f s\n", $1; else if ($1 >= 0.01) printf "%.0f ms\n", $1 * 1000; else printf "%.1f ms\n", $1 * 1000 }'
}

# Resident and peak resident memory of a process in bytes: "<VmRSS> <VmHWM>".
process_memory() {
    awk '/^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 } END { print rss * 1024, hwm * 1024 }' "/proc/$1/status"
}

# CPU seconds a process used itself and through the children it waited for: "<own> <children>".
process_cpu() {
    # /proc/PID/stat: the command may hold spaces; the fields after its ')' start with the state.
    sed 's/^.*) //' "/proc/$1/stat" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f %.3f\n", ($12 + $13) / hz, ($14 + $15) / hz }'
}

# One line about the machine, and one about its load, for every section.
machine_line() {
    local cpu mem
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    echo "$(nproc) CPUs (${cpu:-unknown model}), $mem memory, Linux $(uname -r), Debian $(cat /etc/debian_version 2>/dev/null || echo '?')"
}

load_line() {
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start of the scenario"
}

# Unicon's version: the commit, with "+ local changes" when the work tree differs from it
# (bench/RESULTS.md aside: an earlier scenario of the same run has just rewritten it).
unicon_version() {
    local commit
    commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) || { echo "unknown (not a git checkout)"; return; }
    if [[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no -- . ':!bench/RESULTS.md' 2>/dev/null) ]]; then
        echo "commit $commit + local changes"
    else
        echo "commit $commit"
    fi
}

package_version() {
    dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"
}

java_version() {
    java -version 2>&1 | head -n 1 | sed 's/^\([A-Za-z]*\) version "\([^"]*\)".*/\1 \2/'
}

# replace_section FILE NAME SECTION: puts SECTION's text between FILE's markers for NAME
# (<!-- bench:NAME --> … <!-- /bench:NAME -->), appending it when FILE has none yet.
replace_section() {
    local file=$1 name=$2 section=$3 begin end tmp
    begin="<!-- bench:$name -->"
    end="<!-- /bench:$name -->"
    if [[ ! -f $file ]]; then
        # shellcheck disable=SC2016 # the backquotes are Markdown
        printf '# Unicon benchmarks\n\nWritten by `bench/run` (see bench/README.md); each section is replaced when its scenario runs again.\n' >"$file"
    fi
    tmp=$(mktemp "$file.XXXXXX")
    awk -v begin="$begin" -v end="$end" -v section="$section" '
        $0 == begin { print begin; while ((getline line < section) > 0) print line; print end; skip = 1; done = 1; next }
        $0 == end { skip = 0; next }
        !skip { print }
        END { if (!done) { print ""; print begin; while ((getline line < section) > 0) print line; print end } }
    ' "$file" >"$tmp"
    mv "$tmp" "$file"
}
