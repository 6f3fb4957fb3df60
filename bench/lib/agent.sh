# shellcheck shell=bash
# Sourced by bench/run: a Unicon agent as a user starts one elsewhere (README: copy runtime/etc,
# edit the copies, `bin/unicon agent --etc DIR`), on a free loopback port, registered as a
# server so bench_cleanup stops it. `bin/unicon agent` builds Unicon first when the build is
# missing or stale (UNICON_BUILD=never skips that); the build is never part of a measurement.

# start_agent DIR [FILE:KEY=VALUE...]: an agent configured as shipped (runtime/etc), with its
# work, runtime and Felix directories under DIR, its API on a free loopback port, and each
# FILE:KEY=VALUE set (e.g. unicon.store.docker.cfg:docker_store_dir=/x). Sets AGENT
# (HOST:PORT) once the agent answers GET_HEALTH as healthy, and AGENT_PID.
start_agent() {
    configure_agent "$@"
    restart_agent "$1"
}

# configure_agent DIR [FILE:KEY=VALUE...]: start_agent's configuration only (DIR/etc).
configure_agent() {
    local dir=$1 port setting file
    shift
    mkdir -p "$dir/etc" "$dir/deploy"
    cp "$ROOT"/runtime/etc/*.cfg "$dir/etc/"
    port=$(free_port)
    set_config "$dir/etc/unicon.agent.cfg" work_dir "$dir/work"
    set_config "$dir/etc/unicon.agent.cfg" runtime_dir "$dir/run"
    set_config "$dir/etc/unicon.agent.http.cfg" address "127.0.0.1:$port"
    for setting in "$@"; do
        file=${setting%%:*}
        setting=${setting#*:}
        set_config "$dir/etc/$file" "${setting%%=*}" "${setting#*=}"
    done
}

# restart_agent DIR: starts the agent of DIR (made by start_agent) again, with the same
# configuration, state and port — after it was stopped or killed. Sets AGENT and AGENT_PID.
restart_agent() {
    local dir=$1 address started
    address=$(sed -n 's/^address = //p' "$dir/etc/unicon.agent.http.cfg")
    started=$(date +%s%N)
    start_server "agent" "$dir/agent.log" \
        "$ROOT/bin/unicon" agent --etc "$dir/etc" --data "$dir/data" --deploy "$dir/deploy"
    # shellcheck disable=SC2034 # AGENT_PID is read by the scenarios
    AGENT_PID=$(last_server_pid)
    # The first start may build Unicon: allow for it. A component that cannot activate (a bad
    # configuration) never gets healthy: fail at once.
    wait_until --fatal 'activate method has thrown an exception' "the agent" "$dir/agent.log" 900 \
        agent_healthy "$address"
    AGENT=$address
    log "agent healthy on $AGENT after $(( ($(date +%s%N) - started) / 1000000 )) ms"
    # GET_HEALTH answers before every plugin has registered: wait for the image store and the
    # launcher the configuration names.
    wait_until "the agent's plugins" "$dir/agent.log" 60 agent_ready "$AGENT"
}

# agent_ready HOST:PORT: the agent lists its Docker image store and its launcher as in use.
agent_ready() {
    api_tcp "$1" '{"type":"GET_PLUGINS"}' || return 1
    [[ $API_ANSWER =~ \"kind\":\"IMAGE_STORE\",\"name\":\"DOCKER\",\"status\":\"IN_USE\" ]] \
        && [[ $API_ANSWER =~ \"kind\":\"LAUNCHER\",\"name\":\"[a-z]+\",\"status\":\"IN_USE\" ]]
}

# api_post JSON [SECONDS]: one call to the agent's API (JSON both ways, curl); prints the answer
# (or curl's error), fails on HTTP >= 400 or after SECONDS (default 120).
api_post() {
    curl -sS --fail-with-body --max-time "${2:-120}" -X POST -H 'Content-Type: application/json' \
        -d "$1" "http://$AGENT/api/v1"
}

# api JSON: api_post, and when the agent refuses, the refusal and what its plugins report (with
# why a missing one is missing: bundle, component state) are logged.
api() {
    local answer
    if ! answer=$(api_post "$1"); then
        log "the agent refused $(jq -r .type <<<"$1" 2>/dev/null): $answer"
        log "its plugins: $(api_post '{"type":"GET_PLUGINS"}' 30 2>&1)"
        return 1
    fi
    echo "$answer"
}

# The JSON of a LAUNCH_CONTAINER of busybox (the docker_registry's busybox:latest): ID, then the
# command's argv (exec'd, no shell), resources small enough for a hundred at once.
launch_call() {
    local id=$1
    shift
    jq -cn --arg id "$id" --args '{type: "LAUNCH_CONTAINER", launch_container: {
        container_id: {value: $id},
        command: {shell: false, value: $ARGS.positional[0], arguments: $ARGS.positional},
        resources: [{name: "cpus", type: "SCALAR", scalar: {value: 0.1}},
                    {name: "mem", type: "SCALAR", scalar: {value: 32}}],
        container: {type: "MESOS", mesos: {image: {type: "DOCKER", docker: {name: "busybox"}}}}}}' "$@"
}

# container_call TYPE ID: the JSON of WAIT_CONTAINER, KILL_CONTAINER or REMOVE_CONTAINER.
container_call() {
    local field
    field=$(tr '[:upper:]' '[:lower:]' <<<"$1")
    jq -cn --arg type "$1" --arg field "$field" --arg id "$2" '{type: $type, ($field): {container_id: {value: $id}}}'
}

# The IDs of the agent's containers in state RUNNING whose ID starts with PREFIX, one a line.
running_containers() {
    api '{"type":"GET_CONTAINERS","get_containers":{"show_standalone":true}}' \
        | jq -r --arg prefix "$1" '.get_containers.containers[]? | select(.state == "RUNNING")
            | .container_id.value | select(startswith($prefix))'
}

# parallel_calls OUT JSON...: POSTs every JSON body at once (one curl, up to 200 transfers in
# parallel); writes each HTTP status to OUT, one a line. Fails unless every status is 200,
# showing the first refusal.
parallel_calls() {
    local out=$1 config body n=0 answers
    shift
    config=$(mktemp "${SCRATCH:-/tmp}/curl.XXXXXX")
    answers=$config.answers
    mkdir -p "$answers"
    for body in "$@"; do
        [[ -s $config ]] && echo next
        n=$((n + 1))
        printf 'url = "http://%s/api/v1"\nrequest = "POST"\nheader = "Content-Type: application/json"\nmax-time = 300\noutput = "%s/%s"\nwrite-out = "%%{http_code}\\n"\ndata = "%s"\n' \
            "$AGENT" "$answers" "$n" "${body//\"/\\\"}"
    done >>"$config"
    curl --no-progress-meter --parallel --parallel-immediate --parallel-max 200 -K "$config" >"$out" 2>"$config.err" || true
    if [[ $(grep -c '^200$' "$out") != "$#" ]]; then
        log "of $# calls, $(grep -vc '^200$' "$out") were not answered 200; curl said: $(head -c 2000 "$config.err")"
        log "the agent answered: $(grep -L -E '^\{"type"' "$answers"/* 2>/dev/null | head -n 3 | xargs -r head -c 600)"
        rm -rf "$config" "$config.err" "$answers"
        return 1
    fi
    rm -rf "$config" "$config.err" "$answers"
}

# set_config FILE KEY VALUE: KEY = VALUE in a Config Admin .cfg file, replacing the key's line.
set_config() {
    local file=$1 key=$2 value=$3 tmp
    tmp=$(mktemp "$file.XXXXXX")
    if [[ -f $file ]]; then
        grep -v -E "^[[:space:]]*${key}[[:space:]]*=" "$file" >"$tmp" || true
    fi
    printf '%s = %s\n' "$key" "$value" >>"$tmp"
    mv "$tmp" "$file"
}

agent_healthy() {
    api_tcp "$1" '{"type":"GET_HEALTH"}' && [[ $API_ANSWER == *'"healthy":true'* ]]
}

# The agent's JVM options as bin/unicon passes them (UNICON_JAVA_OPTS, else its default), and
# the system properties it always sets for speed.
agent_java_options() {
    local fixed
    fixed=$(grep -oE -- '-D(sun\.net\.httpserver\.nodelay|jdk\.lang\.Process\.launchMechanism)=[A-Za-z_]+' "$ROOT/bin/unicon" | tr '\n' ' ')
    # shellcheck disable=SC2016 # the sed pattern matches bin/unicon's text
    if [[ -n ${UNICON_JAVA_OPTS:-} ]]; then
        echo "UNICON_JAVA_OPTS=$UNICON_JAVA_OPTS${fixed:+; always ${fixed% }}"
    else
        echo "bin/unicon's default, $(sed -n 's/.*\${UNICON_JAVA_OPTS:-\([^}]*\)}.*/\1/p' "$ROOT/bin/unicon" | head -n 1)${fixed:+; always ${fixed% }}"
    fi
}
