# shellcheck shell=bash
# Scenario recovery (issue 8, item 5): the agent is killed with SIGKILL while 100 containers of
# `sleep` run (they keep running under their conmon); it is started again with the same
# configuration and state, and timed until GET_CONTAINERS lists all of them RUNNING again. Then
# all are destroyed (through the recovered agent, which proves it took them back).

# shellcheck source=concurrent.sh
source "$BENCH/scenarios/concurrent.sh"

# running_in_answer PREFIX: how many containers of PREFIX the GET_CONTAINERS answer in
# API_ANSWER lists RUNNING (each container's ID comes before its state; one grep, no jq).
running_in_answer() {
    grep -oE '\{"container_id":\{"value":"[^"]*"\}|"state":"[A-Z_]+"' <<<"$API_ANSWER" \
        | awk -v prefix="{\"container_id\":{\"value\":\"$1" '
            index($0, prefix) == 1 { mine = 1; next }
            /^\{/ { mine = 0; next }
            mine && $0 == "\"state\":\"RUNNING\"" { n++; mine = 0 }
            END { print n + 0 }'
}

# recovery_wait COUNT PREFIX: polls the API (GET_PLUGINS every 20 ms, GET_CONTAINERS — which
# reads every container's cgroup statistics — every 60 ms, through bash's /dev/tcp: the poller
# must not take the CPU the agent recovers with); prints the seconds since $RECOVERY_T0 when
# GET_CONTAINERS first answered, when it first listed COUNT containers of PREFIX RUNNING, and
# when the agent was ready (GET_PLUGINS: launcher and image store in use — the launcher is what
# reattaches to the containers' monitors).
recovery_wait() {
    local count=$1 prefix=$2 answered="" listed="" ready="" now tries=0 running
    while [[ -z $listed || -z $ready ]]; do
        now=$(date +%s%N)
        if [[ -z $listed ]] && ((tries % 3 == 0)) \
            && api_tcp "$AGENT" '{"type":"GET_CONTAINERS","get_containers":{"show_standalone":true}}'; then
            [[ -n $answered ]] || answered=$now
            running=$(running_in_answer "$prefix")
            ((running == count)) && listed=$now
        fi
        if [[ -z $ready ]] && agent_ready "$AGENT" >/dev/null 2>&1; then
            ready=$(date +%s%N)
        fi
        [[ -n $listed && -n $ready ]] && break
        kill -0 "$AGENT_PID" 2>/dev/null || die "recovery: the restarted agent exited (log: $AGENT_LOG)"
        ((++tries < 6000)) || die "recovery: $count containers not RUNNING, or the agent not ready, within 120 s of the restart"
        sleep 0.02
    done
    awk -v t0="$RECOVERY_T0" -v a="$answered" -v b="$listed" -v c="$ready" \
        'BEGIN { print (a - t0) / 1e9, (b - t0) / 1e9, (c - t0) / 1e9 }'
}

scenario_recovery() {
    local dir=$1 section=$2 out=$1/results count rounds load round
    mkdir -p "$out"
    count=$((SMOKE ? 3 : 100)) rounds=$((SMOKE ? 1 : (RUNS < 3 ? RUNS : 3)))
    load=$(load_line)
    busybox_archive
    start_agent "$dir/agent" "unicon.store.docker.cfg:docker_registry=$BUSYBOX_DIR" \
        "unicon.store.docker.cfg:docker_store_dir=$dir/agent/store"
    AGENT_LOG=$dir/agent/agent.log
    local answered=() listed=() ready=() recovered=() a b c
    for ((round = 1; round <= rounds; round++)); do
        local prefix=$BENCH_ID-r$round-
        log "recovery: round $round: $count containers, then SIGKILL to the agent (pid $AGENT_PID)"
        concurrent_calls "$count" "$prefix"
        concurrent_launch "$dir/launch.codes"
        check_running "$count" "$prefix"
        kill -KILL "$AGENT_PID"
        wait "$AGENT_PID" 2>/dev/null || true
        RECOVERY_T0=$(date +%s%N)
        # restart_agent waits for health and plugins at 0.1 s steps: start it by hand here.
        start_server "agent" "$AGENT_LOG.$round" \
            "$ROOT/bin/unicon" agent --etc "$dir/agent/etc" --data "$dir/agent/data" --deploy "$dir/agent/deploy"
        AGENT_PID=$(last_server_pid)
        read -r a b c <<<"$(recovery_wait "$count" "$prefix")"
        answered+=("$a") listed+=("$b") ready+=("$c")
        recovered+=("$(awk -v b="$b" -v c="$c" 'BEGIN { print (b > c ? b : c) }')")
        log "recovery: round $round: the API answered after $a s, all $count listed RUNNING after $b s, launcher and store in use after $c s"
        AGENT_LOG=$AGENT_LOG.$round
        destroy_all "$dir/destroy.codes"
        AGENT_LOG=$dir/agent/agent.log
    done
    stats_json "$out/answered.json" "${answered[@]}"
    stats_json "$out/listed.json" "${listed[@]}"
    stats_json "$out/ready.json" "${ready[@]}"
    stats_json "$out/recovered.json" "${recovered[@]}"
    local java_options
    java_options=$(agent_java_options)
    stop_servers

    local title="recovery — agent killed (SIGKILL) with $count running containers, restarted"
    ((SMOKE)) && title+=" (smoke: $count containers, 1 round, the numbers mean nothing)"
    {
        echo "## $title"
        echo
        echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(machine_line); $load."
        echo "- Versions: Unicon $(unicon_version) on $(java_version) (agent JVM options: $java_options); runc $(package_version runc), crun $(package_version crun), conmon $(package_version conmon)."
        echo "- Unicon: the shipped configuration (linux launcher, runtime auto, cgroups isolators, overlay), busybox cached; $count containers of \`/bin/sleep 3600\` (launched in parallel) when the agent gets SIGKILL; the same \`bin/unicon agent --etc …\` command starts it again (same work, runtime and store directories, same port; the Felix cache is emptied at every start). State on $SCRATCH_FS."
        echo "- Method: from the restart command, polled through bash's /dev/tcp (no process started: GET_PLUGINS every 20 ms, GET_CONTAINERS every 60 ms): the first answer of GET_CONTAINERS, the first listing all $count RUNNING, and GET_PLUGINS listing the linux launcher (which reattaches to the containers' conmons) and the image store in use; recovered = the later of the last two. Only then are all destroyed through the restarted agent (the agent lists recovered containers RUNNING before its launcher is back; a KILL in that gap waits for the launcher). $rounds round(s); median (min – max)."
        echo
        echo "| what | median (min – max) |"
        echo "| --- | --- |"
        echo "| restart → API answers GET_CONTAINERS | $(median_of "$out/answered.json") ($(spread_of "$out/answered.json")) |"
        echo "| restart → all $count listed RUNNING | $(median_of "$out/listed.json") ($(spread_of "$out/listed.json")) |"
        echo "| restart → launcher and image store in use | $(median_of "$out/ready.json") ($(spread_of "$out/ready.json")) |"
        echo "| restart → all $count recovered (both) | $(median_of "$out/recovered.json") ($(spread_of "$out/recovered.json")) |"
        echo
        echo "Target (issue 8): recovery of 100 ≤ 2 s (cold start target alone: ≤ 1.5 s)."
    } >"$section"
}
