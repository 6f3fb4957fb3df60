# shellcheck shell=bash
# Scenario coldstart (issue 8, item 6): `bin/unicon agent` with a fresh configuration and state
# directory, timed until the API answers GET_HEALTH, until GET_PLUGINS lists its image store
# and launcher in use (it can run image containers), and the first launch of `true` after that
# (LAUNCH, WAIT, REMOVE: the code still cold); then its resident memory once idle.

# coldstart_poll SECONDS CHECK...: runs CHECK every 10 ms until it succeeds; prints the seconds
# since $COLDSTART_T0. Fails when the agent exits or the time is up.
coldstart_poll() {
    local seconds=$1 tries=0
    shift
    until "$@" >/dev/null 2>&1; do
        kill -0 "$AGENT_PID" 2>/dev/null || { show_server_logs; die "coldstart: the agent exited (log: $AGENT_LOG)"; }
        ((++tries < seconds * 100)) || {
            show_server_logs
            coldstart_stuck "${AGENT_LOG%/*}"
            die "coldstart: $1 not true within $seconds s (log: $AGENT_LOG; plugins and threads beside it)"
        }
        sleep 0.01
    done
    awk -v t0="$COLDSTART_T0" -v t="$(date +%s%N)" 'BEGIN { print (t - t0) / 1e9 }'
}

# coldstart_stuck DIR: what the agent says of its plugins, and its threads, into DIR (kept with
# the logs when the scenario fails).
coldstart_stuck() {
    api_post '{"type":"GET_PLUGINS"}' 30 >"$1/plugins.log" 2>&1 || true
    jcmd "$AGENT_PID" Thread.print >"$1/threads.log" 2>&1 || true
}

scenario_coldstart() {
    local dir=$1 section=$2 out=$1/results rounds settle load round
    mkdir -p "$out"
    rounds=$((SMOKE ? 1 : RUNS)) settle=$((SMOKE ? 1 : 5))
    load=$(load_line)
    busybox_archive
    local healthy=() ready=() first=() rss_ready=() rss_idle=() id=$BENCH_ID-first before after
    # One untimed start first: the page cache warm, and the agent's class archive recorded if a
    # build made it stale (bin/lib/agent-class-archive), as after any first start.
    if ((!SMOKE)); then
        start_agent "$dir/warm-up" "unicon.store.docker.cfg:docker_registry=$BUSYBOX_DIR" \
            "unicon.store.docker.cfg:docker_store_dir=$dir/store"
        stop_servers
    fi
    local archive="none"
    [[ -s $ROOT/runtime/target/unicon-agent.jsa ]] && archive="runtime/target/unicon-agent.jsa (AppCDS, recorded by bin/lib/agent-class-archive)"
    for ((round = 1; round <= rounds; round++)); do
        local agent=$dir/agent$round
        configure_agent "$agent" "unicon.store.docker.cfg:docker_registry=$BUSYBOX_DIR" \
            "unicon.store.docker.cfg:docker_store_dir=$dir/store"
        AGENT=$(sed -n 's/^address = //p' "$agent/etc/unicon.agent.http.cfg") AGENT_LOG=$agent/agent.log
        COLDSTART_T0=$(date +%s%N)
        start_server "agent" "$AGENT_LOG" \
            "$ROOT/bin/unicon" agent --etc "$agent/etc" --data "$agent/data" --deploy "$agent/deploy"
        AGENT_PID=$(last_server_pid)
        healthy+=("$(coldstart_poll 60 agent_healthy "$AGENT")")
        ready+=("$(coldstart_poll 60 agent_ready "$AGENT")")
        rss_ready+=("$(process_memory "$AGENT_PID" | cut -d' ' -f1)")
        before=$(date +%s%N)
        api "$(launch_call "$id" /bin/true)" >/dev/null || die "coldstart: the first launch failed (log: $AGENT_LOG)"
        api "$(container_call WAIT_CONTAINER "$id")" >/dev/null
        api "$(container_call REMOVE_CONTAINER "$id")" >/dev/null
        after=$(date +%s%N)
        first+=("$(awk -v a="$before" -v b="$after" 'BEGIN { print (b - a) / 1e9 }')")
        sleep "$settle"
        rss_idle+=("$(process_memory "$AGENT_PID" | cut -d' ' -f1)")
        log "coldstart: round $round: healthy after ${healthy[-1]} s, ready after ${ready[-1]} s, first launch ${first[-1]} s"
        stop_servers
    done
    stats_json "$out/healthy.json" "${healthy[@]}"
    stats_json "$out/ready.json" "${ready[@]}"
    stats_json "$out/first.json" "${first[@]}"
    stats_json "$out/rss-ready.json" "${rss_ready[@]}"
    stats_json "$out/rss-idle.json" "${rss_idle[@]}"

    mebibytes() {  # mebibytes JSON: "median (min – max)" of byte counts, in MiB
        jq -r '.results[0] | "\(.median / 1048576 | round) MiB (\(.min / 1048576 | round) – \(.max / 1048576 | round) MiB)"' "$1"
    }
    local title="coldstart — agent start until its API is ready; memory when idle"
    ((SMOKE)) && title+=" (smoke: 1 start, the numbers mean nothing)"
    {
        echo "## $title"
        echo
        echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(machine_line); $load."
        echo "- Versions: Unicon $(unicon_version) on $(java_version) (agent JVM options: $(agent_java_options); class archive: $archive); Felix runtime of runtime/target ($(find "$ROOT/runtime/target/export/unicon" -name '*.jar' | wc -l) bundles)."
        echo "- Unicon: \`bin/unicon agent --etc DIR --data DIR --deploy DIR\` (UNICON_BUILD=never: no build check; it still checks runtime/packages with dpkg-query) with the shipped configuration in a fresh directory per start (runtime auto: the linux launcher tries crun by running a container), state on $SCRATCH_FS; busybox already in the store after the first start."
        echo "- Method: the agent's command is started, then polled every 10 ms with curl: GET_HEALTH until healthy, then GET_PLUGINS until its image store and launcher are in use; then LAUNCH + WAIT + REMOVE of \`true\` in busybox (3 curl calls). Resident memory (VmRSS) when ready and after $settle s idle following that launch. Then SIGTERM. $rounds start(s); median (min – max)."
        echo
        echo "| what | median (min – max) |"
        echo "| --- | --- |"
        echo "| start → GET_HEALTH healthy | $(median_of "$out/healthy.json") ($(spread_of "$out/healthy.json")) |"
        echo "| start → image store and launcher in use (ready) | $(median_of "$out/ready.json") ($(spread_of "$out/ready.json")) |"
        echo "| first launch-to-exit of \`true\` after ready (3 calls) | $(median_of "$out/first.json") ($(spread_of "$out/first.json")) |"
        echo "| RSS when ready | $(mebibytes "$out/rss-ready.json") |"
        echo "| RSS idle ($settle s after the first container) | $(mebibytes "$out/rss-idle.json") |"
        echo
        echo "Target (issue 8): cold start ≤ 1.5 s."
    } >"$section"
}
