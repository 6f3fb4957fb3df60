# shellcheck shell=bash
# Scenario concurrent (issue 8, item 4): 100 launches of `sleep` in busybox sent at once (one
# curl, 100 parallel LAUNCH_CONTAINER calls; each answers once its container runs): the time
# until all are running, the agent's resident memory and CPU; then all destroyed at once
# (KILL_CONTAINER, WAIT_CONTAINER, REMOVE_CONTAINER, each 100 in parallel) and that time.

# concurrent_calls COUNT PREFIX: the JSON of every call of a round, made before anything is
# timed: sets LAUNCH_CALLS, KILL_CALLS, WAIT_CALLS and REMOVE_CALLS (COUNT each, IDs PREFIX1…).
# One jq per kind of call, the IDs put in by bash (jq takes some 35 ms of CPU a run: one per call
# inside the timed region took seconds of this 2-CPU machine from the agent).
concurrent_calls() {
    local count=$1 prefix=$2 i launch kill wait remove
    launch=$(launch_call "${prefix}@N@" /bin/sleep 3600)
    kill=$(container_call KILL_CONTAINER "${prefix}@N@")
    wait=$(container_call WAIT_CONTAINER "${prefix}@N@")
    remove=$(container_call REMOVE_CONTAINER "${prefix}@N@")
    LAUNCH_CALLS=() KILL_CALLS=() WAIT_CALLS=() REMOVE_CALLS=()
    for ((i = 1; i <= count; i++)); do
        LAUNCH_CALLS+=("${launch//@N@/$i}") KILL_CALLS+=("${kill//@N@/$i}")
        WAIT_CALLS+=("${wait//@N@/$i}") REMOVE_CALLS+=("${remove//@N@/$i}")
    done
}

# concurrent_launch OUT: sends LAUNCH_CALLS at once; fails unless every one answered 200.
concurrent_launch() {
    parallel_calls "$1" "${LAUNCH_CALLS[@]}" || die "concurrent: not every launch succeeded (agent log: $AGENT_LOG)"
}

# check_running COUNT PREFIX: fails unless COUNT containers of PREFIX are RUNNING.
check_running() {
    local running
    running=$(running_containers "$2" | wc -l)
    ((running == $1)) || die "concurrent: $running of $1 containers are RUNNING after their launches returned"
}

# destroy_all OUT: kills, waits for and removes every container of the round (each kind at once).
destroy_all() {
    parallel_calls "$1" "${KILL_CALLS[@]}" || die "concurrent: KILL_CONTAINER failed for some containers"
    parallel_calls "$1" "${WAIT_CALLS[@]}" || die "concurrent: WAIT_CONTAINER failed for some containers"
    parallel_calls "$1" "${REMOVE_CALLS[@]}" || die "concurrent: REMOVE_CONTAINER failed for some containers"
}

scenario_concurrent() {
    local dir=$1 section=$2 out=$1/results count rounds load round
    mkdir -p "$out"
    count=$((SMOKE ? 3 : 100)) rounds=$((SMOKE ? 1 : (RUNS < 5 ? RUNS : 5)))
    load=$(load_line)
    busybox_archive
    start_agent "$dir/agent" "unicon.store.docker.cfg:docker_registry=$BUSYBOX_DIR" \
        "unicon.store.docker.cfg:docker_store_dir=$dir/agent/store"
    AGENT_LOG=$dir/agent/agent.log
    # The image is pulled (cached) by one launch first: the rounds measure launches only.
    api "$(launch_call "$BENCH_ID-warm" /bin/true)" >/dev/null
    api "$(container_call WAIT_CONTAINER "$BENCH_ID-warm")" >/dev/null
    api "$(container_call REMOVE_CONTAINER "$BENCH_ID-warm")" >/dev/null
    local idle_rss up=() down=() rss=() hwm=() cpu=() children=() t0 t1 td t2 cpu0 cpu1 kids0 kids1 now peak
    read -r idle_rss _ <<<"$(process_memory "$AGENT_PID")"
    for ((round = 1; round <= rounds; round++)); do
        local prefix=$BENCH_ID-r$round-
        log "concurrent: round $round, $count launches at once"
        concurrent_calls "$count" "$prefix"
        read -r cpu0 kids0 <<<"$(process_cpu "$AGENT_PID")"
        t0=$(date +%s%N)
        concurrent_launch "$dir/launch.codes"
        t1=$(date +%s%N)
        read -r cpu1 kids1 <<<"$(process_cpu "$AGENT_PID")"
        read -r now peak <<<"$(process_memory "$AGENT_PID")"
        check_running "$count" "$prefix"
        rss+=("$now") hwm+=("$peak")
        cpu+=("$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')")
        children+=("$(awk -v a="$kids0" -v b="$kids1" 'BEGIN { print b - a }')")
        td=$(date +%s%N)
        destroy_all "$dir/destroy.codes"
        t2=$(date +%s%N)
        up+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e9 }')")
        down+=("$(awk -v a="$td" -v b="$t2" 'BEGIN { print (b - a) / 1e9 }')")
        [[ -z $(running_containers "$prefix") ]] || die "concurrent: containers of round $round still run after destroy"
    done
    stats_json "$out/up.json" "${up[@]}"
    stats_json "$out/down.json" "${down[@]}"
    stats_json "$out/cpu.json" "${cpu[@]}"
    stats_json "$out/children.json" "${children[@]}"
    stats_json "$out/rss.json" "${rss[@]}"
    stats_json "$out/hwm.json" "${hwm[@]}"
    local java_options
    java_options=$(agent_java_options)
    stop_servers

    mebibytes() {  # mebibytes JSON: "median (min – max)" of byte counts, in MiB
        jq -r '.results[0] | "\(.median / 1048576 | round) MiB (\(.min / 1048576 | round) – \(.max / 1048576 | round) MiB)"' "$1"
    }
    cpu_seconds() {  # cpu_seconds JSON
        jq -r '.results[0] | "\(.median * 100 | round / 100) s (\(.min * 100 | round / 100) – \(.max * 100 | round / 100) s)"' "$1"
    }
    local title="concurrent — $count launches of \`sleep\` at once, then $count destroys at once"
    ((SMOKE)) && title+=" (smoke: $count containers, 1 round, the numbers mean nothing)"
    {
        echo "## $title"
        echo
        echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(machine_line); $load."
        echo "- Versions: Unicon $(unicon_version) on $(java_version) (agent JVM options: $java_options); runc $(package_version runc), crun $(package_version crun), conmon $(package_version conmon), curl $(package_version curl)."
        echo "- Unicon: the shipped configuration (linux launcher, runtime auto; isolators filesystem/linux, docker/runtime, namespaces/pid and ipc, cgroups/cpu, mem, pids; overlay), busybox cached; each container \`/bin/sleep 3600\` with cpus 0.1, mem 32 MiB. State on $SCRATCH_FS. One agent for all rounds."
        echo "- Method: per round, one curl sends the $count LAUNCH_CONTAINER calls (their JSON made before the clock starts) in parallel (each answers when its container runs; afterwards GET_CONTAINERS must list all $count RUNNING); then KILL, WAIT and REMOVE, each $count in parallel. Agent memory from /proc (VmRSS when all run; VmHWM = peak so far); CPU = the agent JVM's user + system time during the launches, and that of the processes it ran and waited for (runtime start, kill, delete …; conmon and the containers are not its children). $rounds round(s); median (min – max)."
        echo
        echo "| what | median (min – max) |"
        echo "| --- | --- |"
        echo "| until all $count run (first call sent → last answer) | $(median_of "$out/up.json") ($(spread_of "$out/up.json")) |"
        echo "| agent RSS when all run (idle before the first round: $((idle_rss / 1048576)) MiB) | $(mebibytes "$out/rss.json") |"
        echo "| agent peak RSS (VmHWM) | $(mebibytes "$out/hwm.json") |"
        echo "| agent CPU during the launches (JVM) | $(cpu_seconds "$out/cpu.json") |"
        echo "| CPU of the agent's waited-for children during the launches | $(cpu_seconds "$out/children.json") |"
        echo "| destroy all $count (KILL, WAIT, REMOVE, each in parallel) | $(median_of "$out/down.json") ($(spread_of "$out/down.json")) |"
        echo
        echo "Targets (issue 8): all $count running ≤ 3 s, agent RSS ≤ 150 MB."
    } >"$section"
}
