# shellcheck shell=bash
# Sourced by bench/run: the peers a user would pick instead of Unicon, set up privately under a
# scenario's directory and torn down by stop_servers (daemons by pid, the rest by at_stop hooks).
# Images never come from the network: every peer loads the same local busybox archive that the
# Unicon agent reads (bin/lib/busybox-image). Daemons get private sockets, roots and state
# directories, no bridge and no iptables rules; containers run with --network none.

# busybox_archive: sets BUSYBOX_DIR, a directory holding busybox:latest.tar (a `docker save`
# archive made by bin/lib/busybox-image from Debian's busybox-static, once, kept in $CACHE),
# usable as Unicon's docker_registry and by `docker load`, `podman load`, `ctr images import`.
busybox_archive() {
    BUSYBOX_DIR=$CACHE/images/busybox
    if [[ ! -f $BUSYBOX_DIR/busybox:latest.tar ]]; then
        "$ROOT/bin/lib/busybox-image" "$BUSYBOX_DIR" >/dev/null || die "could not build the busybox image"
    fi
}

# busybox_rootfs DIR: the busybox archive's layer, unpacked into DIR.
busybox_rootfs() {
    local tmp
    tmp=$(mktemp -d "$SCRATCH/busybox.XXXXXX")
    tar -xf "$BUSYBOX_DIR/busybox:latest.tar" -C "$tmp"
    mkdir -p "$1"
    tar -xf "$tmp"/*/layer.tar -C "$1"
    rm -rf "$tmp"
}

# have PROGRAM: whether PROGRAM is installed (peers are skipped, not installed, by --smoke).
have() {
    command -v "$1" >/dev/null 2>&1
}

# crun_command DIR: sets CRUN to how crun runs containers here, or CRUN_SKIPPED to why it
# cannot. crun 1.8 refuses hybrid cgroup hosts whose cgroup2 mount has controllers; probe.md's
# fix A (what Unicon's launcher does too) hides cgroup2 from crun in a private mount namespace.
# Fix B (moving hugetlb to a v1 hierarchy) changes the host for everyone and is never used.
# shellcheck disable=SC2034 # CRUN, CRUN_SKIPPED and CRUN_HOW are read by the scenarios
crun_command() {
    local dir=$1 cgroup2 error
    CRUN="" CRUN_SKIPPED="" CRUN_HOW=""
    if ! have crun; then
        CRUN_SKIPPED="crun is not installed"
        return 0
    fi
    mkdir -p "$dir"
    cgroup2=$(awk '$0 ~ / - cgroup2 / { print $5; exit }' /proc/self/mountinfo)
    if [[ -n $cgroup2 && -n $(cat "$cgroup2/cgroup.controllers" 2>/dev/null) ]] && grep -q ' - cgroup ' /proc/self/mountinfo; then
        cat >"$dir/crun-hybrid" <<EOF
#!/bin/sh
# crun through probe.md's fix A: cgroup2 ($cgroup2) covered by an empty tmpfs in a private
# mount namespace (as Unicon's launcher does; unmounting it would leave crun's cgroup
# directories in the tmpfs that the host's cgroup2 mount hides).
exec unshare -m --propagation private /bin/sh -c 'mount -t tmpfs -o size=1m,mode=755 bench-no-cgroup2 "\$1" || exit 125; shift; exec "\$0" "\$@"' $(command -v crun) $cgroup2 "\$@"
EOF
        chmod +x "$dir/crun-hybrid"
        CRUN=$dir/crun-hybrid
        CRUN_HOW="through a wrapper that covers $cgroup2 with an empty tmpfs in a private mount namespace (probe.md fix A; crun 1.8 refuses hybrid hosts whose cgroup2 has controllers)"
    else
        CRUN=$(command -v crun)
        CRUN_HOW="as is"
    fi
    if ! error=$("$CRUN" --version 2>&1 >/dev/null); then
        CRUN_SKIPPED="crun does not start: $error"
        CRUN=""
    fi
}

# start_containerd DIR: containerd with its root, state and socket under DIR, the CRI plugin
# off. Sets CTR (the client command). Leaves cgroups /default (its namespace) in every
# hierarchy: removed when empty by the at_stop hook.
start_containerd() {
    local dir=$1
    mkdir -p "$dir"
    cat >"$dir/config.toml" <<EOF
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
EOF
    CTR="ctr --address $dir/containerd.sock"
    start_server "containerd" "$dir/containerd.log" containerd --config "$dir/config.toml"
    at_stop "remove_new_cgroups default"
    # shellcheck disable=SC2086 # CTR is a command line
    wait_until "containerd" "$dir/containerd.log" 60 $CTR version
}

# start_dockerd DIR: dockerd (it starts its own containerd) with data root, exec root, socket,
# pid file and CLI config under DIR; no bridge, no iptables. Sets DOCKER (Debian's CLI; the
# /usr/local/bin/docker on this machine is another version, probe.md §0). dockerd runs under
# bench/lib/reroot, without which it cannot extract image layers on this machine.
start_dockerd() {
    local dir=$1
    mkdir -p "$dir/cli"
    echo '{}' >"$dir/daemon.json"
    DOCKER="env DOCKER_CONFIG=$dir/cli /usr/bin/docker -H unix://$dir/docker.sock"
    start_server "dockerd" "$dir/dockerd.log" "$BENCH/lib/reroot" "$SCRATCH" dockerd --config-file "$dir/daemon.json" --data-root "$dir/root" \
        --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" -H "unix://$dir/docker.sock" \
        --bridge=none --iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false
    at_stop "remove_new_cgroups docker"
    # shellcheck disable=SC2086 # DOCKER is a command line
    wait_until "dockerd" "$dir/dockerd.log" 60 $DOCKER version
}

# podman_setup DIR: podman with storage, run root and temp dir under DIR and probe.md's
# configuration (runc, cgroupfs, rlimits this host allows). Sets PODMAN, and PODMAN_LOAD for
# `podman load` (under bench/lib/reroot, without which it cannot extract layers on this
# machine). podman has no daemon; the at_stop hook unmounts what its storage left mounted and
# removes its cgroups.
podman_setup() {
    local dir=$1
    mkdir -p "$dir"
    cat >"$dir/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
[network]
network_config_dir = "$dir/networks"
EOF
    mkdir -p "$dir/tmp"
    PODMAN="env CONTAINERS_CONF=$dir/containers.conf TMPDIR=$dir/tmp podman --root $dir/storage --runroot $dir/run --tmpdir $dir/tmp"
    # shellcheck disable=SC2034 # read by the scenarios
    PODMAN_LOAD="$BENCH/lib/reroot $SCRATCH $PODMAN load"
    at_stop "$PODMAN rm -af >/dev/null 2>&1; unmount_below $dir; remove_new_cgroups libpod_parent"
}

# unmount_below DIR: unmounts every mount at or below DIR in this mount namespace, deepest first.
unmount_below() {
    local dir=$1 mount
    awk -v dir="$dir" '$5 == dir || index($5, dir "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r \
        | while read -r mount; do
            umount "$mount" 2>/dev/null || umount -l "$mount" || true
        done
}

# remove_new_cgroups NAME: removes the cgroup NAME (and its empty children) from every
# hierarchy where it did not exist when the run began (leftovers_snapshot) — what peers leave.
remove_new_cgroups() {
    local name=$1 hierarchy
    for hierarchy in $(cgroup_hierarchies); do
        [[ -d $hierarchy/$name ]] || continue
        grep -qxF "$hierarchy/$name" <<<"$LEFTOVER_CGROUPS" && continue
        find "$hierarchy/$name" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
}
