# shellcheck shell=bash
# Sourced by bench/run: after every scenario, check that nothing of the run is left — no
# process, mount, cgroup, network namespace or peer state outside the scratch directories. Other
# people's agents and tests may run on this machine at the same time, so only what is ours
# counts: container IDs start with $BENCH_ID, state lives under $SCRATCH (or a disk scratch
# directory registered with scratch_dir), cgroups and paths are compared with a snapshot.

# Peer state outside our directories that peers are known to create (probe.md §1, §4): removed
# when it did not exist before the run and is empty (directories) or is the peer's own file.
PEER_PATHS=(/run/containerd /run/docker /run/docker.sock /run/libpod /run/containers /run/runc /run/crun
    /etc/docker/key.json /var/lib/containers /var/lib/docker /var/lib/containerd /etc/cni/net.d/87-podman-bridge.conflist)

SCRATCH_DIRS=()

# scratch_dir DIR: DIR counts as ours (processes and mounts that name it are leftovers).
scratch_dir() {
    SCRATCH_DIRS+=("$1")
}

cgroup_hierarchies() {
    awk '$0 ~ / - cgroup2? / { print $5 }' /proc/self/mountinfo | sort -u
}

# What exists before the run: top-level cgroups, network namespaces, peer paths.
leftovers_snapshot() {
    local hierarchy path
    LEFTOVER_CGROUPS=$(for hierarchy in $(cgroup_hierarchies); do
        find "$hierarchy" -mindepth 1 -maxdepth 1 -type d 2>/dev/null
    done)
    LEFTOVER_NETNS=$(ls -A /run/netns 2>/dev/null || true)
    LEFTOVER_PATHS=()
    for path in "${PEER_PATHS[@]}"; do
        [[ -e $path ]] && LEFTOVER_PATHS+=("$path")
    done
    return 0
}

# Removes peer state that appeared during the run (see PEER_PATHS), saying what it removed.
remove_peer_droppings() {
    local path
    for path in "${PEER_PATHS[@]}"; do
        [[ -e $path ]] || continue
        printf '%s\n' "${LEFTOVER_PATHS[@]}" | grep -qxF "$path" && continue
        log "removing what a peer left: $path"
        if [[ -d $path && ! -L $path ]]; then
            find "$path" -depth -type d -empty -delete 2>/dev/null || true
            [[ -e $path ]] && { umount -R "$path" 2>/dev/null; rm -rf "$path"; }
        else
            rm -f "$path"
        fi
    done
    return 0
}

# hidden_cgroups NAME: directories called NAME (a glob) in the top three levels of the
# filesystem beneath a hybrid host's cgroup2 mount (on a host with cgroup v1 hierarchies too),
# looked at in a private mount namespace with cgroup2 unmounted.
hidden_cgroups() {
    local cgroup2
    cgroup2=$(awk '$0 ~ / - cgroup2 / { print $5; exit }' /proc/self/mountinfo)
    [[ -n $cgroup2 ]] && grep -q ' - cgroup ' /proc/self/mountinfo || return 0
    # shellcheck disable=SC2016 # $0 and $1 are the inner shell's
    unshare -m --propagation private /bin/sh -c 'umount "$0" && find "$0" -mindepth 1 -maxdepth 3 -type d -name "$1"' \
        "$cgroup2" "$1" 2>/dev/null || true
}

# leftovers_check NAME: fails (naming each one) when anything of the run is left after
# scenario NAME stopped its servers.
leftovers_check() {
    local name=$1 found=() dir pid cmdline hierarchy netns
    remove_peer_droppings
    for pid in /proc/[0-9]*; do
        pid=${pid#/proc/}
        [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
        cmdline=$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || continue
        for dir in "$SCRATCH" "${SCRATCH_DIRS[@]}"; do
            if [[ -n $dir && $cmdline == *"$dir"* ]] || [[ $cmdline == *"$BENCH_ID"* && $cmdline != *bench/run* ]]; then
                found+=("process $pid: ${cmdline:0:160}")
                break
            fi
        done
    done
    for dir in "$SCRATCH" "${SCRATCH_DIRS[@]}"; do
        [[ -n $dir ]] || continue
        while read -r mount; do
            found+=("mount $mount (in the bench's mount namespace)")
        done < <(awk -v dir="$dir" 'index($5, dir "/") == 1 { print $5 }' /proc/self/mountinfo)
        while read -r mount; do
            found+=("mount $mount (in the host's mount namespace)")
        done < <(awk -v dir="$dir" '$5 == dir || index($5, dir "/") == 1 { print $5 }' /proc/1/mountinfo)
    done
    # Peers leave their parent cgroups (probe.md §4); `runc run` leaves /unicon, which Unicon's
    # launcher removes when empty (and other agents on this machine may be using).
    remove_new_cgroups docker
    remove_new_cgroups default
    remove_new_cgroups libpod_parent
    for hierarchy in $(cgroup_hierarchies); do
        if [[ -d $hierarchy/unicon ]] && ! grep -qxF "$hierarchy/unicon" <<<"$LEFTOVER_CGROUPS"; then
            rmdir "$hierarchy/unicon" 2>/dev/null || true
        fi
        while read -r dir; do
            found+=("cgroup $dir")
        done < <(find "$hierarchy" -maxdepth 3 -type d -name "$BENCH_ID*" 2>/dev/null)
        for dir in docker default libpod_parent; do
            [[ -d $hierarchy/$dir ]] && ! grep -qxF "$hierarchy/$dir" <<<"$LEFTOVER_CGROUPS" \
                && found+=("cgroup $hierarchy/$dir (a peer's, new since the run began)")
        done
    done
    # A runtime that does not see a hybrid host's cgroup2 (crun through fix A) would create its
    # cgroups in the tmpfs that the cgroup2 mount hides: look beneath it too.
    while read -r dir; do
        found+=("cgroup directory $dir, hidden beneath the cgroup2 mount")
    done < <(hidden_cgroups "$BENCH_ID*")
    for netns in /run/netns/*; do
        [[ -e $netns ]] || continue
        grep -qxF "${netns##*/}" <<<"$LEFTOVER_NETNS" || found+=("network namespace ${netns##*/}")
    done
    if ((${#found[@]})); then
        log "scenario $name left things behind:"
        printf '  %s\n' "${found[@]}" >&2
        return 1
    fi
    log "scenario $name left nothing behind (processes, mounts, cgroups, network namespaces)"
}
