# shellcheck shell=bash
# Scenario launch (issue 8, item 1): launch-to-exit of `true` in busybox, the image cached, the
# rootfs an overlay. Unicon through its API (one curl: LAUNCH, WAIT, REMOVE) and through
# `bin/unicon execute`, with the shipped runtime choice (auto: crun where it works, else runc)
# and with runc; against `runc run` and `crun run` of the bundle Unicon itself writes for such
# a container (same namespaces, mounts, capabilities, cgroupsPath; only the rootfs is a plain
# directory and the command /bin/true), `podman run --rm`, `ctr run --rm`, `docker run --rm`.
# Every container's own end is included: Unicon's REMOVE, runc's delete, the peers' --rm.

# launch_bundle AGENT_DIR ID PEER_DIR: copies the OCI bundle of Unicon's running container ID
# into PEER_DIR/bundle for the bare runtimes: command /bin/true, rootfs a busybox directory,
# bind mount sources copied under PEER_DIR/mounts, cgroupsPath /unicon/$BENCH_ID-peer.
launch_bundle() {
    local agent_dir=$1 id=$2 peer=$3 config source destination copy
    config=$agent_dir/run/containers/$id/launcher/bundle/config.json
    [[ -f $config ]] || die "launch: Unicon wrote no bundle at $config"
    mkdir -p "$peer/bundle" "$peer/mounts"
    busybox_rootfs "$peer/bundle/rootfs"
    jq -r --arg agent "$agent_dir/" '.mounts[] | select(.source | startswith($agent)) | "\(.source)\t\(.destination)"' \
        "$config" | while IFS=$'\t' read -r source destination; do
        copy=$peer/mounts/$(tr / _ <<<"${destination#/}")
        if [[ -d $source ]]; then mkdir -p "$copy"; else cp "$source" "$copy"; fi
    done
    jq --arg agent "$agent_dir/" --arg peer "$peer" --arg cgroup "/unicon/$BENCH_ID-peer" '
        .process.args = ["/bin/true"] | .root.path = ($peer + "/bundle/rootfs") | .linux.cgroupsPath = $cgroup
        | .mounts |= map(if (.source | startswith($agent))
            then .source = ($peer + "/mounts/" + (.destination | ltrimstr("/") | gsub("/"; "_"))) else . end)' \
        "$config" >"$peer/bundle/config.json"
}

# launch_check WHAT COMMAND...: runs a peer's command once; on failure sets SKIPPED to why.
launch_check() {
    local what=$1 output
    shift
    SKIPPED=""
    if ! output=$("$@" 2>&1); then
        SKIPPED="$what failed here: $(tr '\n' ' ' <<<"$output" | cut -c1-300)"
        log "launch: skipping $SKIPPED"
        return 1
    fi
}

# launch_unicon_api OUT NAME: measures LAUNCH + WAIT + REMOVE of `true` through the API of the
# agent at $AGENT, after checking once that the container exits 0. One curl process sends the
# three calls over one connection (--next), as a client of the API would.
launch_unicon_api() {
    local out=$1 id=$BENCH_ID-$2 dir=$3 url="http://$AGENT/api/v1" status
    launch_call "$id" /bin/true >"$dir/launch.json"
    container_call WAIT_CONTAINER "$id" >"$dir/wait.json"
    container_call REMOVE_CONTAINER "$id" >"$dir/remove.json"
    api "$(cat "$dir/launch.json")" >/dev/null || die "launch: the agent could not launch \`true\` in busybox"
    status=$(api "$(cat "$dir/wait.json")" | jq -r '.wait_container.exit_status')
    api "$(cat "$dir/remove.json")" >/dev/null
    [[ $status == 0 ]] || die "launch: \`true\` in busybox ended with wait status $status under Unicon"
    local one=(-sS -f -o /dev/null -X POST -H Content-Type:application/json)
    measure "$out" "curl --fail-early ${one[*]} --data-binary @$dir/launch.json $url --next ${one[*]} --data-binary @$dir/wait.json $url --next ${one[*]} --data-binary @$dir/remove.json $url" -N
}

# (The peers' commands are strings split into words on purpose: SC2086 is off below.)
# shellcheck disable=SC2086
scenario_launch() {
    local dir=$1 section=$2 out=$1/results runs warmup load
    mkdir -p "$out"
    # shellcheck disable=SC2153 # RUNS is bench/run's
    runs=$((SMOKE ? 1 : RUNS * 3)) warmup=$((SMOKE ? 0 : 3))
    load=$(load_line)
    busybox_archive
    local resources='cpus:0.1;mem:32'

    # Unicon as shipped (runtime auto), then with runtime=runc.
    start_agent "$dir/agent" "unicon.store.docker.cfg:docker_registry=$BUSYBOX_DIR" \
        "unicon.store.docker.cfg:docker_store_dir=$dir/agent/store"
    local runtime_line
    runtime_line=$(grep -m1 -oE 'runtime( auto)?: .*' "$dir/agent/agent.log" || echo "runtime: (not logged)")
    api "$(launch_call "$BENCH_ID-bundle" /bin/sleep 600)" >/dev/null || die "launch: cannot launch sleep in busybox"
    launch_bundle "$dir/agent" "$BENCH_ID-bundle" "$dir/peer"
    api "$(container_call KILL_CONTAINER "$BENCH_ID-bundle")" >/dev/null
    api "$(container_call WAIT_CONTAINER "$BENCH_ID-bundle")" >/dev/null
    api "$(container_call REMOVE_CONTAINER "$BENCH_ID-bundle")" >/dev/null
    RUNS=$runs WARMUP=$warmup launch_unicon_api "$out/api.json" api "$dir"
    RUNS=$runs WARMUP=$warmup measure "$out/cli.json" \
        "$ROOT/bin/unicon execute --agent $AGENT --name $BENCH_ID-cli --docker_image=busybox --shell=false --command=/bin/true --resources=$resources" -N
    RUNS=$runs WARMUP=$warmup measure "$out/cli-start.json" "$ROOT/bin/unicon ps -q --agent $AGENT" -N
    stop_servers
    # The same with runc (one agent start more: not in the smoke run, whose time is counted).
    if ((!SMOKE)); then
        start_agent "$dir/agent-runc" "unicon.store.docker.cfg:docker_registry=$BUSYBOX_DIR" \
            "unicon.store.docker.cfg:docker_store_dir=$dir/agent-runc/store" "unicon.launcher.linux.cfg:runtime=runc"
        RUNS=$runs WARMUP=$warmup launch_unicon_api "$out/api-runc.json" api-runc "$dir"
        stop_servers
    fi

    # The bare runtimes, on Unicon's bundle.
    local runc="runc --root $dir/peer/runc-state run --bundle $dir/peer/bundle $BENCH_ID-runc"
    launch_check "runc run" $runc || die "launch: $SKIPPED"
    RUNS=$runs WARMUP=$warmup measure "$out/runc.json" "$runc" -N
    crun_command "$dir/peer"
    local crun=""
    if [[ -n $CRUN ]]; then
        crun="$CRUN --root $dir/peer/crun-state run --bundle $dir/peer/bundle $BENCH_ID-crun"
        if launch_check "crun run" $crun; then
            RUNS=$runs WARMUP=$warmup measure "$out/crun.json" "$crun" -N
        else
            CRUN_SKIPPED=$SKIPPED
        fi
    fi

    # The peers with their own image stores, each loading the busybox archive.
    # (podman load reads a ':' in the file name as a transport/reference separator)
    local archive=$dir/busybox.tar
    ln -s "$BUSYBOX_DIR/busybox:latest.tar" "$archive"
    local podman_skip="" ctr_skip="" docker_skip=""
    if have podman; then
        podman_setup "$dir/podman"
        local loaded
        $PODMAN_LOAD -q -i "$archive" >/dev/null || die "launch: podman could not load $archive"
        loaded=$($PODMAN images --format '{{.Repository}}:{{.Tag}}' | head -n 1)
        if launch_check "podman run" $PODMAN run --rm --pull never --network none "$loaded" /bin/true; then
            RUNS=$runs WARMUP=$warmup measure "$out/podman.json" \
                "$PODMAN run --rm --pull never --network none $loaded /bin/true" -N
        else podman_skip=$SKIPPED; fi
    else
        podman_skip="podman is not installed (smoke runs install no peers)"
    fi
    if have containerd && have ctr; then
        start_containerd "$dir/containerd"
        $CTR images import "$archive" >/dev/null || die "launch: ctr could not import $archive"
        if launch_check "ctr run" $CTR run --rm docker.io/library/busybox:latest "$BENCH_ID-ctr" /bin/true; then
            RUNS=$runs WARMUP=$warmup measure "$out/ctr.json" \
                "$CTR run --rm docker.io/library/busybox:latest $BENCH_ID-ctr /bin/true" -N
        else ctr_skip=$SKIPPED; fi
    else
        ctr_skip="containerd is not installed (smoke runs install no peers)"
    fi
    if have dockerd && [[ -x /usr/bin/docker ]]; then
        start_dockerd "$dir/docker"
        $DOCKER load -q -i "$archive" >/dev/null || die "launch: docker could not load $archive"
        if launch_check "docker run" $DOCKER run --rm --pull never --network none busybox:latest /bin/true; then
            RUNS=$runs WARMUP=$warmup measure "$out/docker.json" \
                "$DOCKER run --rm --pull never --network none busybox:latest /bin/true" -N
        else docker_skip=$SKIPPED; fi
    else
        docker_skip="docker.io is not installed (smoke runs install no peers)"
    fi
    stop_servers

    row() {  # row WHAT COMMAND JSON [RATIOS]
        # shellcheck disable=SC2016 # the backquotes are Markdown
        printf '| %s | `%s` | %s | %s | %s | %s |\n' "$1" "$2" "$(runs_of "$3")" "$(median_of "$3")" "$(spread_of "$3")" "${4:-}"
    }
    skipped() {  # skipped WHAT COMMAND REASON
        # shellcheck disable=SC2016 # the backquotes are Markdown
        printf '| %s | `%s` | – | skipped | – | %s |\n' "$1" "$2" "$3"
    }
    ratios() {  # ratios JSON: against runc, crun, podman (those measured)
        local r
        r="÷ runc $(ratio_of "$1" "$out/runc.json")"
        [[ -f $out/crun.json ]] && r+=", ÷ crun $(ratio_of "$1" "$out/crun.json")"
        [[ -f $out/podman.json ]] && r+=", ÷ podman $(ratio_of "$1" "$out/podman.json")"
        [[ -f $out/ctr.json ]] && r+=", ÷ ctr $(ratio_of "$1" "$out/ctr.json")"
        echo "$r"
    }
    local title="launch — launch-to-exit of \`true\` in busybox, image cached, overlay rootfs"
    ((SMOKE)) && title+=" (smoke: 1 run, the numbers mean nothing)"
    {
        echo "## $title"
        echo
        echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(machine_line); $load."
        echo "- Versions: Unicon $(unicon_version) on $(java_version) (agent JVM options: $(agent_java_options)); runc $(package_version runc), crun $(package_version crun), conmon $(package_version conmon), podman $(package_version podman), containerd $(package_version containerd), docker.io $(package_version docker.io), curl $(package_version curl), hyperfine $(package_version hyperfine)."
        echo "- Unicon: the shipped configuration (isolators filesystem/linux, docker/runtime, namespaces/pid and ipc, cgroups/cpu, mem, pids; overlay backend; resources $resources); the agent's $runtime_line. Store, sandboxes and state on $SCRATCH_FS."
        echo "- Image: busybox from Debian's busybox-static (bin/lib/busybox-image), one layer; every peer loads the same archive. runc and crun run the OCI bundle Unicon writes for this container (pid, ipc and mount namespaces, host network, same mounts and capabilities), on a plain rootfs directory. crun: ${CRUN_SKIPPED:-$CRUN_HOW}. podman: runc, cgroupfs, probe.md's rlimits; podman, ctr and docker with --network none or none by default, private roots on the same tmpfs; docker and containerd started for the run and stopped after."
        echo "- Method: hyperfine -N, $warmup warm-up(s) + $runs run(s) per row. The API row is one curl process sending LAUNCH_CONTAINER, WAIT_CONTAINER and REMOVE_CONTAINER over one connection; \`bin/unicon execute\` adds the CLI's JVM start (the \`bin/unicon ps\` row) and its polling of the output."
        echo
        echo "| what | command | runs | median | min – max | ratios (medians) |"
        echo "| --- | --- | --- | --- | --- | --- |"
        row "Unicon API (shipped: runtime auto)" "curl LAUNCH --next WAIT --next REMOVE" "$out/api.json" "$(ratios "$out/api.json")"
        if [[ -f $out/api-runc.json ]]; then
            row "Unicon API, runtime=runc" "curl LAUNCH --next WAIT --next REMOVE" "$out/api-runc.json" "$(ratios "$out/api-runc.json")"
        else
            skipped "Unicon API, runtime=runc" "curl LAUNCH --next WAIT --next REMOVE" "not in smoke runs"
        fi
        row "Unicon CLI (shipped)" "bin/unicon execute --docker_image=busybox --shell=false --command=/bin/true" "$out/cli.json" "$(ratios "$out/cli.json")"
        row "runc, Unicon's bundle" "runc run --bundle B ID" "$out/runc.json"
        if [[ -f $out/crun.json ]]; then
            row "crun, Unicon's bundle" "crun run --bundle B ID" "$out/crun.json"
        else
            skipped "crun, Unicon's bundle" "crun run --bundle B ID" "$CRUN_SKIPPED"
        fi
        if [[ -f $out/podman.json ]]; then row "podman" "podman run --rm --pull never --network none busybox /bin/true" "$out/podman.json"
        else skipped "podman" "podman run --rm --pull never --network none busybox /bin/true" "$podman_skip"; fi
        if [[ -f $out/ctr.json ]]; then row "containerd" "ctr run --rm busybox ID /bin/true" "$out/ctr.json"
        else skipped "containerd" "ctr run --rm busybox ID /bin/true" "$ctr_skip"; fi
        if [[ -f $out/docker.json ]]; then row "docker" "docker run --rm --pull never --network none busybox /bin/true" "$out/docker.json"
        else skipped "docker" "docker run --rm --pull never --network none busybox /bin/true" "$docker_skip"; fi
        row "Unicon CLI start + one call" "bin/unicon ps -q" "$out/cli-start.json"
        echo
        echo "Targets (issue 8): Unicon ≤ 1.25 × the bare runtime it drives; ≥ 4 × faster than podman and ctr (ratio ≤ 0.25)."
    } >"$section"
}
