# shellcheck shell=bash
# Sourced by bench/run: an open docker-registry (distribution) on a free loopback port, its
# storage under the given directory, registered as a server so bench_cleanup stops it.
# Debian's own /etc/docker/registry/config.yml listens on every interface: never used here.

# start_registry DIR: sets REGISTRY (HOST:PORT) once GET /v2/ answers.
start_registry() {
    local dir=$1 port
    mkdir -p "$dir/storage"
    port=$(free_port)
    cat >"$dir/config.yml" <<EOF2
version: 0.1
log: { level: warn, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $dir/storage }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
EOF2
    start_server "docker-registry" "$dir/registry.log" docker-registry serve "$dir/config.yml"
    wait_until "docker-registry" "$dir/registry.log" 30 curl -sf --max-time 2 "http://127.0.0.1:$port/v2/"
    REGISTRY=127.0.0.1:$port
}

# push_oci LAYOUT TAG REPOSITORY:TAG: copies one image of an OCI layout to the registry.
push_oci() {
    skopeo copy -q --dest-tls-verify=false "oci:$1:$2" "docker://$REGISTRY/$3" >/dev/null \
        || die "could not push $1:$2 to $REGISTRY/$3"
}
