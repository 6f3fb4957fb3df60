# shellcheck shell=bash
# Sourced by bench/run: a Unicon agent as a user starts one elsewhere (README: copy runtime/etc,
# edit the copies, `bin/unicon agent --etc DIR`), on a free loopback port, registered as a
# server so bench_cleanup stops it. `bin/unicon agent` builds Unicon first when the build is
# missing or stale (UNICON_BUILD=never skips that); the build is never part of a measurement.

# start_agent DIR [FILE:KEY=VALUE...]: an agent configured as shipped (runtime/etc), with its
# work, runtime and Felix directories under DIR, its API on a free loopback port, and each
# FILE:KEY=VALUE set (e.g. unicon.store.docker.cfg:docker_store_dir=/x). Sets AGENT
# (HOST:PORT) once the agent answers GET_HEALTH as healthy.
start_agent() {
    local dir=$1 port started setting file
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
    started=$(date +%s%N)
    start_server "agent" "$dir/agent.log" \
        "$ROOT/bin/unicon" agent --etc "$dir/etc" --data "$dir/data" --deploy "$dir/deploy"
    # The first start may build Unicon: allow for it. A component that cannot activate (a bad
    # configuration) never gets healthy: fail at once.
    wait_until --fatal 'activate method has thrown an exception' "the agent" "$dir/agent.log" 900 \
        agent_healthy "127.0.0.1:$port"
    AGENT=127.0.0.1:$port
    log "agent healthy on $AGENT after $(( ($(date +%s%N) - started) / 1000000 )) ms"
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
    curl -sf --max-time 5 -X POST -H 'Content-Type: application/json' -d '{"type":"GET_HEALTH"}' \
        "http://$1/api/v1" | jq -e '.get_health.healthy == true'
}

# The agent's JVM options as bin/unicon passes them (UNICON_JAVA_OPTS, else its default).
agent_java_options() {
    # shellcheck disable=SC2016 # the sed pattern matches bin/unicon's text
    if [[ -n ${UNICON_JAVA_OPTS:-} ]]; then
        echo "UNICON_JAVA_OPTS=$UNICON_JAVA_OPTS"
    else
        echo "bin/unicon's default, $(sed -n 's/.*\${UNICON_JAVA_OPTS:-\([^}]*\)}.*/\1/p' "$ROOT/bin/unicon" | head -n 1)"
    fi
}
