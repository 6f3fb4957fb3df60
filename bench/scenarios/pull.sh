# shellcheck shell=bash
# Scenario pull (issue 8, item 2): pull + unpack a ~200 MB, 3-layer image from a local
# registry, Unicon (`bin/unicon pull`: download, verify, extract every layer into its store)
# against skopeo copy + umoci unpack; then a second image that shares two layers with the first.
#
# The images are made once without network and kept in $CACHE/images (the recipe of probe.md
# §2.2): per layer 60 × 1 MiB random files + 2000 × 4 KiB text files, tar, gzip -1. Image 1 is
# layers 1, 2, 3; image 2 is layers 1, 2, 4. --smoke uses the same recipe with tiny counts.

PULL_RECIPE=v1
# shellcheck disable=SC2054 # the commas are part of --pax-option's value
TAR_OPTIONS=(--numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 --format=posix
    --pax-option=delete=atime,delete=ctime)

# pull_layer N SRC BLOBS: makes layer N's files under SRC, writes its gzip blob into BLOBS and
# prints "<diff_id> <blob digest> <blob size>".
pull_layer() {
    local n=$1 src=$2 blobs=$3 i diff_id digest
    mkdir -p "$src/layer$n/bin" "$src/layer$n/txt"
    for ((i = 1; i <= PULL_RANDOM_FILES; i++)); do
        head -c "$PULL_RANDOM_BYTES" /dev/urandom >"$src/layer$n/bin/r$i"
    done
    awk -v dir="$src/layer$n/txt" -v layer="$n" -v count="$PULL_TEXT_FILES" 'BEGIN {
        for (i = 1; i <= count; i++) {
            line = "layer " layer " file " i " lorem ipsum dolor sit amet\n"; text = ""
            while (length(text) < 4096) text = text line
            file = dir "/t" i; printf "%s", substr(text, 1, 4096) > file; close(file)
        }
    }'
    (cd "$src" && tar "${TAR_OPTIONS[@]}" -cf "$src/layer.tar" "layer$n")
    diff_id=$(sha256sum "$src/layer.tar" | cut -d' ' -f1)
    gzip -n -1 <"$src/layer.tar" >"$src/layer.tar.gz"
    digest=$(sha256sum "$src/layer.tar.gz" | cut -d' ' -f1)
    echo "$diff_id $digest $(stat -c %s "$src/layer.tar.gz")"
    mv "$src/layer.tar.gz" "$blobs/$digest"
    rm -rf "$src/layer.tar" "$src/layer$n"
}

# pull_blob BLOBS FILE: stores FILE as a blob, prints "<digest> <size>".
pull_blob() {
    local digest
    digest=$(sha256sum "$2" | cut -d' ' -f1)
    cp "$2" "$1/$digest"
    echo "$digest $(stat -c %s "$2")"
}

# pull_image BLOBS WORK LAYER_LINES...: writes config and manifest of an image made of the given
# layers (lines from pull_layer); prints the manifest's "<digest> <size>".
pull_image() {
    local blobs=$1 work=$2 diff_ids=() layers=() line diff digest size d config
    shift 2
    for line in "$@"; do
        read -r diff digest size <<<"$line"
        diff_ids+=("\"sha256:$diff\"")
        layers+=("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$digest\",\"size\":$size}")
    done
    printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
        "$(IFS=,; echo "${diff_ids[*]}")" >"$work/config.json"
    read -r d config <<<"$(pull_blob "$blobs" "$work/config.json")"
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
        "$d" "$config" "$(IFS=,; echo "${layers[*]}")" >"$work/manifest.json"
    pull_blob "$blobs" "$work/manifest.json"
}

# Builds the OCI layout (tags big1 and big2) unless the cache has it; sets PULL_LAYOUT.
pull_build_images() {
    local profile=$1 dir work l1 l2 l3 l4 m1 m1size m2 m2size
    dir=$CACHE/images/pull-$profile-$PULL_RECIPE
    PULL_LAYOUT=$dir/oci
    if [[ -f $PULL_LAYOUT/index.json ]]; then
        log "images: cached in $dir"
        return 0
    fi
    log "images: building in $dir (once; no network)"
    mkdir -p "$CACHE/images"
    rm -rf "$dir"
    work=$(mktemp -d "$CACHE/images/.building.XXXXXX")
    mkdir -p "$work/oci/blobs/sha256"
    l1=$(pull_layer 1 "$work" "$work/oci/blobs/sha256")
    l2=$(pull_layer 2 "$work" "$work/oci/blobs/sha256")
    l3=$(pull_layer 3 "$work" "$work/oci/blobs/sha256")
    l4=$(pull_layer 4 "$work" "$work/oci/blobs/sha256")
    read -r m1 m1size <<<"$(pull_image "$work/oci/blobs/sha256" "$work" "$l1" "$l2" "$l3")"
    read -r m2 m2size <<<"$(pull_image "$work/oci/blobs/sha256" "$work" "$l1" "$l2" "$l4")"
    echo '{"imageLayoutVersion":"1.0.0"}' >"$work/oci/oci-layout"
    printf '{"schemaVersion":2,"manifests":[%s,%s]}\n' \
        "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$m1\",\"size\":$m1size,\"annotations\":{\"org.opencontainers.image.ref.name\":\"big1\"}}" \
        "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$m2\",\"size\":$m2size,\"annotations\":{\"org.opencontainers.image.ref.name\":\"big2\"}}" \
        >"$work/oci/index.json"
    rm -f "$work/config.json" "$work/manifest.json"
    mv "$work" "$dir"
}

# pull_diff_ids LAYOUT TAG: the image's layer DiffIDs (sha256:…), from its config.
pull_diff_ids() {
    local manifest config
    manifest=$(jq -r --arg tag "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $tag) | .digest | sub("sha256:"; "")' "$1/index.json")
    config=$(jq -r '.config.digest | sub("sha256:"; "")' "$1/blobs/sha256/$manifest")
    jq -r '.rootfs.diff_ids[]' "$1/blobs/sha256/$config"
}

# Regular files and their total bytes below a directory: "<files> files, <bytes> bytes".
pull_tree_summary() {
    find "$@" -type f -printf '%s\n' | awk '{ n++; b += $1 } END { printf "%d files, %d bytes\n", n, b }'
}

# Bytes in MiB, or KiB below one MiB.
mib() {
    awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.0f MiB", b / 1048576; else printf "%.0f KiB", b / 1024 }'
}

# The body of a PULL_IMAGE call (JSON) for an image name; cached=false as `bin/unicon pull` sends.
pull_call() {
    printf '{"type":"PULL_IMAGE","pull_image":{"image":{"type":"DOCKER","cached":false,"docker":{"name":"%s"}}}}' "$1"
}

scenario_pull() {
    local dir=$1 section=$2 out profile unicon peers store reset ref
    out=$dir/results
    if ((SMOKE)); then
        profile=smoke PULL_RANDOM_FILES=2 PULL_RANDOM_BYTES=65536 PULL_TEXT_FILES=20
    else
        profile=full PULL_RANDOM_FILES=60 PULL_RANDOM_BYTES=1048576 PULL_TEXT_FILES=2000
    fi
    pull_build_images "$profile"
    mkdir -p "$out"
    local load
    load=$(load_line)

    start_registry "$dir/registry"
    push_oci "$PULL_LAYOUT" big1 bench/big:1
    push_oci "$PULL_LAYOUT" big2 bench/big:2
    local image1=$REGISTRY/bench/big:1 image2=$REGISTRY/bench/big:2

    store=$dir/unicon-store
    start_agent "$dir/agent" "unicon.store.docker.cfg:docker_registry=http://$REGISTRY" \
        "unicon.store.docker.cfg:docker_store_dir=$store"
    unicon="$ROOT/bin/unicon pull --agent $AGENT"
    # The same pull through the API (one answer when the image is stored), without the CLI's JVM.
    api="curl -sf -o /dev/null -X POST -H Content-Type:application/json http://$AGENT/api/v1"
    # A fresh store before every run: what StoreLayout creates in an empty docker_store_dir.
    reset="rm -rf $store/layers $store/images $store/staging && mkdir -p $store/layers $store/images $store/staging"
    peers=$dir/peers
    ref=$dir/reference
    mkdir -p "$peers" "$ref"

    # Reference copies: the image's unpacked size, and the input of the umoci-alone row.
    skopeo copy -q --src-tls-verify=false "docker://$image1" "oci:$ref/oci:big1" >/dev/null
    umoci unpack --image "$ref/oci:big1" "$ref/bundle" >/dev/null
    local rootfs entries
    rootfs=$(du -sb "$ref/bundle/rootfs" | cut -f1)
    entries=$(find "$ref/bundle/rootfs" | wc -l)

    measure "$out/unicon1.json" "$unicon --docker_image=$image1" --prepare "$reset"
    measure "$out/api1.json" "$api -d '$(pull_call "$image1")'" --prepare "$reset"
    measure "$out/peers1.json" \
        "skopeo copy -q --src-tls-verify=false docker://$image1 oci:$peers/oci:big1 && umoci unpack --image $peers/oci:big1 $peers/bundle1" \
        --prepare "rm -rf $peers && mkdir -p $peers"
    measure "$out/unicon2.json" "$unicon --docker_image=$image2" \
        --prepare "$reset && $unicon --docker_image=$image1 >/dev/null"
    measure "$out/api2.json" "$api -d '$(pull_call "$image2")'" \
        --prepare "$reset && $unicon --docker_image=$image1 >/dev/null"
    measure "$out/peers2.json" \
        "skopeo copy -q --src-tls-verify=false docker://$image2 oci:$peers/oci:big2 && umoci unpack --image $peers/oci:big2 $peers/bundle2" \
        --prepare "rm -rf $peers && mkdir -p $peers && skopeo copy -q --src-tls-verify=false docker://$image1 oci:$peers/oci:big1 >/dev/null"

    # After the last runs Unicon's store holds image 2's layers (and image 1's third) and the
    # peers' bundle is image 2 unpacked: image 2's layers in the store must have the same files
    # and bytes as that bundle, or the numbers above mean nothing.
    local ours theirs layers=()
    mapfile -t layers < <(pull_diff_ids "$PULL_LAYOUT" big2 | sed "s|^sha256:|$store/layers/sha256-|")
    ours=$(pull_tree_summary "${layers[@]}")
    theirs=$(pull_tree_summary "$peers/bundle2/rootfs")
    [[ $ours == "$theirs" ]] \
        || die "pull: Unicon's store holds $ours but umoci unpacked $theirs from image 2"
    log "pull: Unicon's store and umoci's bundle of image 2 agree: $ours"

    measure "$out/skopeo.json" "skopeo copy -q --src-tls-verify=false docker://$image1 oci:$peers/oci:big1" \
        --prepare "rm -rf $peers && mkdir -p $peers"
    measure "$out/umoci.json" "umoci unpack --image $ref/oci:big1 $ref/bundle2" --prepare "rm -rf $ref/bundle2"
    measure "$out/cli.json" "$ROOT/bin/unicon images --agent $AGENT"

    local sizes
    sizes=$(jq -r '[.manifests[].digest | sub("sha256:"; "")] | .[]' "$PULL_LAYOUT/index.json" \
        | while read -r m; do jq -r '[.layers[].size] | map(tostring) | join(" ")' "$PULL_LAYOUT/blobs/sha256/$m"; done)
    local s1 s2 s3 s4
    read -r s1 s2 s3 <<<"$(sed -n 1p <<<"$sizes")"
    read -r _ _ s4 <<<"$(sed -n 2p <<<"$sizes")"

    row() {  # row WHAT COMMAND JSON [RATIO]
        # shellcheck disable=SC2016 # the backquotes are Markdown
        printf '| %s | `%s` | %s | %s | %s | %s |\n' "$1" "$2" "$(runs_of "$3")" "$(median_of "$3")" "$(spread_of "$3")" "${4:-}"
    }
    local title="pull — pull and unpack a 3-layer image from a local registry"
    if ((SMOKE)); then
        title+=" (smoke: tiny images, 1 run, the numbers mean nothing)"
    fi
    {
        echo "## $title"
        echo
        echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(machine_line); $load."
        echo "- Versions: Unicon $(unicon_version) on $(java_version) (agent JVM options: $(agent_java_options)); docker-registry $(package_version docker-registry), skopeo $(package_version skopeo), umoci $(package_version umoci), hyperfine $(package_version hyperfine)."
        echo "- Image 1: 3 layers of $PULL_RANDOM_FILES × $((PULL_RANDOM_BYTES / 1024)) KiB random + $PULL_TEXT_FILES × 4 KiB text files, gzip -1: $(mib "$s1") + $(mib "$s2") + $(mib "$s3") compressed; unpacked $(mib "$rootfs"), $entries entries. Image 2 shares layers 1–2 and adds its own third layer ($(mib "$s4")). Served by docker-registry on 127.0.0.1 over plain HTTP."
        echo "- Filesystem: Unicon's docker_store_dir, the peers' OCI layout and bundle and the registry's storage all on $SCRATCH_FS (this machine's ext4 writes swing by seconds, probe.md §2.2)."
        echo "- Method: hyperfine, $WARMUP warm-up(s) + $RUNS run(s) per row; before each run (untimed) a fresh docker_store_dir for Unicon (one agent for all runs) and fresh directories for the peers. The \`bin/unicon pull\` rows include the CLI's JVM start (last row); the API rows do not."
        echo
        echo "| what | command | runs | median | min – max | Unicon ÷ peers |"
        echo "| --- | --- | --- | --- | --- | --- |"
        row "Unicon, image 1 (3 layers move)" "bin/unicon pull --docker_image=…/bench/big:1" "$out/unicon1.json" "$(ratio_of "$out/unicon1.json" "$out/peers1.json")"
        row "Unicon API, image 1" "curl … PULL_IMAGE …/bench/big:1" "$out/api1.json" "$(ratio_of "$out/api1.json" "$out/peers1.json")"
        row "skopeo + umoci, image 1" "skopeo copy docker://…/bench/big:1 oci:DIR:big1 && umoci unpack --image DIR:big1 BUNDLE" "$out/peers1.json"
        row "Unicon, image 2 after image 1 (1 layer moves)" "bin/unicon pull --docker_image=…/bench/big:2" "$out/unicon2.json" "$(ratio_of "$out/unicon2.json" "$out/peers2.json")"
        row "Unicon API, image 2 after image 1" "curl … PULL_IMAGE …/bench/big:2" "$out/api2.json" "$(ratio_of "$out/api2.json" "$out/peers2.json")"
        row "skopeo + umoci, image 2 after image 1 is in DIR (skopeo copies 1 layer, umoci unpacks 3)" "skopeo copy docker://…/bench/big:2 oci:DIR:big2 && umoci unpack --image DIR:big2 BUNDLE" "$out/peers2.json"
        row "skopeo alone, image 1" "skopeo copy docker://…/bench/big:1 oci:DIR:big1" "$out/skopeo.json"
        row "umoci alone, image 1" "umoci unpack --image DIR:big1 BUNDLE" "$out/umoci.json"
        row "Unicon CLI start + one call" "bin/unicon images" "$out/cli.json"
        echo
        echo "Target (issue 8): Unicon ÷ peers ≤ 0.5 ×."
    } >"$section"
}
