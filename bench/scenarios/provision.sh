# shellcheck shell=bash
# Scenario provision (issue 8, item 3): what making (and removing) one container's root
# filesystem costs, once the image's layers are in the store. Unicon's overlay and copy backends
# (bench/lib/ProvisionTimer.java calls the bundles' own classes in process, as the agent does)
# against `cp -a` of the layers and a bare `mount -t overlay` + `umount` (the kernel's floor),
# for a small image (busybox, 1 layer) and a large one (the pull scenario's 3 layers, ~200 MB),
# on a tmpfs and on the work disk (ext4, whose writes swing by seconds here: probe.md §2.2).
# The layers are extracted by a Unicon agent pulling both images, then copied to the disk.

# shellcheck source=pull.sh
source "$BENCH/scenarios/pull.sh"

# provision_layers STORE NAME...: the store's directories of the given DiffIDs (sha256:…).
provision_layers() {
    local store=$1 diff
    shift
    for diff in "$@"; do
        echo "$store/layers/sha256-${diff#sha256:}"
    done
}

# provision_job OUT FS IMAGE WORK LAYER...: adds the backends' measurements of one image on one
# filesystem to $PROVISION_JOBS (ProvisionTimer's job file).
provision_job() {
    local out=$1 fs=$2 image=$3 work=$4 backend layers
    shift 4
    layers=$(IFS=:; echo "$*")
    for backend in overlay copy; do
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$PROVISION_WARMUP" "$RUNS" "$out/$fs-$image-$backend.json" \
            "$out/$fs-$image-$backend-destroy.json" "$work/$backend" "$layers" >>"$PROVISION_JOBS"
    done
}

# provision_shell OUT FS IMAGE WORK LAYER...: the shell rows of one image on one filesystem.
provision_shell() {
    local out=$1 fs=$2 image=$3 work=$4 lowers="" layer cp_sources=""
    shift 4
    mkdir -p "$work"
    for layer in "$@"; do
        lowers=$layer${lowers:+:$lowers}
        cp_sources+=" $layer/."
    done
    measure "$out/$fs-$image-cp.json" "cp -a$cp_sources $work/cp" --prepare "rm -rf $work/cp && mkdir $work/cp"
    measure "$out/$fs-$image-rm.json" "rm -rf $work/rm" --prepare "rm -rf $work/rm && mkdir $work/rm && cp -a$cp_sources $work/rm"
    mkdir -p "$work/upper" "$work/work" "$work/merged"
    measure "$out/$fs-$image-mount.json" \
        "mount -t overlay overlay -o lowerdir=$lowers,upperdir=$work/upper,workdir=$work/work $work/merged && umount $work/merged"
    rm -rf "$work"
}

scenario_provision() {
    local dir=$1 section=$2 out=$1/results profile load disk
    mkdir -p "$out"
    load=$(load_line)
    if ((SMOKE)); then
        profile=smoke PULL_RANDOM_FILES=2 PULL_RANDOM_BYTES=65536 PULL_TEXT_FILES=20
    else
        profile=full PULL_RANDOM_FILES=60 PULL_RANDOM_BYTES=1048576 PULL_TEXT_FILES=2000
    fi
    busybox_archive
    pull_build_images "$profile"
    start_registry "$dir/registry"
    push_oci "$PULL_LAYOUT" big1 bench/big:1
    local store=$dir/store
    start_agent "$dir/agent" "unicon.store.docker.cfg:docker_registry=$BUSYBOX_DIR" \
        "unicon.store.docker.cfg:docker_store_dir=$store"
    api "$(pull_call busybox)" >/dev/null || die "provision: the agent could not pull busybox"
    api "$(pull_call "$REGISTRY/bench/big:1")" >/dev/null || die "provision: the agent could not pull the large image"
    stop_servers

    local small=() large=() config diff_ids=()
    config=$(tar -xOf "$BUSYBOX_DIR/busybox:latest.tar" manifest.json | jq -r '.[0].Config')
    mapfile -t diff_ids < <(tar -xOf "$BUSYBOX_DIR/busybox:latest.tar" "$config" | jq -r '.rootfs.diff_ids[]')
    mapfile -t small < <(provision_layers "$store" "${diff_ids[@]}")
    mapfile -t diff_ids < <(pull_diff_ids "$PULL_LAYOUT" big1)
    mapfile -t large < <(provision_layers "$store" "${diff_ids[@]}")
    local small_size large_size
    small_size=$(du -sb "${small[@]}" | awk '{ s += $1 } END { print s }')
    large_size=$(du -sb "${large[@]}" | awk '{ s += $1 } END { print s }')

    # The same layers on the work disk, in a directory of this run removed at its end.
    disk=$(mktemp -d "$CACHE/provision-disk.XXXXXX")
    scratch_dir "$disk"
    at_stop "rm -rf '$disk'"
    cp -a "$store/layers" "$disk/layers"

    # Unicon's backends: one JVM, several warm-ups (the agent that provisions is a warm JVM).
    PROVISION_JOBS=$dir/jobs PROVISION_WARMUP=$((SMOKE ? 0 : 5))
    : >"$PROVISION_JOBS"
    provision_job "$out" tmpfs small "$dir/tmpfs" "${small[@]}"
    provision_job "$out" tmpfs large "$dir/tmpfs" "${large[@]}"
    provision_job "$out" disk small "$disk/work" "${small[@]/#$store/$disk}"
    provision_job "$out" disk large "$disk/work" "${large[@]/#$store/$disk}"
    log "measuring: Unicon's overlay and copy backends (bench/lib/ProvisionTimer.java, $(wc -l <"$PROVISION_JOBS") jobs)"
    java -cp "$ROOT/runtime/target/export/unicon/*" "$BENCH/lib/ProvisionTimer.java" "$PROVISION_JOBS" \
        || die "provision: measuring the backends failed"

    provision_shell "$out" tmpfs small "$dir/tmpfs" "${small[@]}"
    provision_shell "$out" tmpfs large "$dir/tmpfs" "${large[@]}"
    provision_shell "$out" disk small "$disk/work" "${small[@]/#$store/$disk}"
    provision_shell "$out" disk large "$disk/work" "${large[@]/#$store/$disk}"

    cell() {  # cell JSON: "median (min – max)"
        echo "$(median_of "$1") ($(spread_of "$1"))"
    }
    table() {  # table FS
        local fs=$1
        echo "| what | small image | large image |"
        echo "| --- | --- | --- |"
        printf '| %s | %s | %s |\n' "Unicon overlay backend: provision" "$(cell "$out/$fs-small-overlay.json")" "$(cell "$out/$fs-large-overlay.json")"
        printf '| %s | %s | %s |\n' "Unicon overlay backend: destroy" "$(cell "$out/$fs-small-overlay-destroy.json")" "$(cell "$out/$fs-large-overlay-destroy.json")"
        printf '| %s | %s | %s |\n' "Unicon copy backend: provision" "$(cell "$out/$fs-small-copy.json")" "$(cell "$out/$fs-large-copy.json")"
        printf '| %s | %s | %s |\n' "Unicon copy backend: destroy" "$(cell "$out/$fs-small-copy-destroy.json")" "$(cell "$out/$fs-large-copy-destroy.json")"
        printf '| %s | %s | %s |\n' "\`cp -a\` of the layers (peer of copy: provision)" "$(cell "$out/$fs-small-cp.json")" "$(cell "$out/$fs-large-cp.json")"
        printf '| %s | %s | %s |\n' "\`rm -rf\` of that copy (peer of copy: destroy)" "$(cell "$out/$fs-small-rm.json")" "$(cell "$out/$fs-large-rm.json")"
        printf '| %s | %s | %s |\n' "\`mount -t overlay\` + \`umount\` from a shell (floor of overlay: both)" "$(cell "$out/$fs-small-mount.json")" "$(cell "$out/$fs-large-mount.json")"
        printf '| %s | %s | %s |\n' "overlay ÷ copy (provision medians)" "$(ratio_of "$out/$fs-small-overlay.json" "$out/$fs-small-copy.json")" "$(ratio_of "$out/$fs-large-overlay.json" "$out/$fs-large-copy.json")"
        printf '| %s | %s | %s |\n' "copy ÷ \`cp -a\` (provision medians)" "$(ratio_of "$out/$fs-small-copy.json" "$out/$fs-small-cp.json")" "$(ratio_of "$out/$fs-large-copy.json" "$out/$fs-large-cp.json")"
    }
    local title="provision — a root filesystem per container: overlay, copy, \`cp -a\`"
    ((SMOKE)) && title+=" (smoke: tiny images, 1 run, the numbers mean nothing)"
    {
        echo "## $title"
        echo
        echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(machine_line); $load."
        echo "- Versions: Unicon $(unicon_version) on $(java_version); coreutils $(package_version coreutils), util-linux $(package_version util-linux), hyperfine $(package_version hyperfine)."
        echo "- Images: small = busybox (1 layer, $(mib "$small_size") extracted); large = the pull scenario's image 1 (3 layers of $PULL_RANDOM_FILES × $((PULL_RANDOM_BYTES / 1024)) KiB random + $PULL_TEXT_FILES × 4 KiB text files, $(mib "$large_size") extracted). Layers extracted by a Unicon agent (PULL_IMAGE) into its store, in overlay form; for the disk rows copied with \`cp -a\` to the work disk."
        echo "- Filesystems: tmpfs = $SCRATCH_FS; disk = $(df --output=fstype "$CACHE" | tail -n 1) ($(df --output=source "$CACHE" | tail -n 1)) under ${CACHE#"$ROOT"/}: layers and rootfs on the same filesystem."
        echo "- Method: Unicon's backends timed in process by bench/lib/ProvisionTimer.java (the agent's own classes; each run a fresh empty rootfs directory: provision, check it is not empty, destroy; one JVM for all, $PROVISION_WARMUP warm-up(s) per cell as the agent is a warm JVM), no JVM start in the times; the shell rows by hyperfine ($WARMUP warm-up(s), a fresh target before each run, untimed). $RUNS run(s) per cell; median (min – max)."
        echo
        echo "### On tmpfs"
        echo
        table tmpfs
        echo
        echo "### On the work disk"
        echo
        table disk
        echo
        echo "Target (issue 8): overlay provisioning ≤ 10 ms whatever the image size."
    } >"$section"
}
