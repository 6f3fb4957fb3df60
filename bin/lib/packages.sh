# Sourced by bin/verify and bin/unicon: installs the Debian packages listed in the given files
# (one per line, '#' starts a comment) that are not installed yet, with one `apt-get update`.
install_missing_packages() {
    local wanted=() missing=() package file
    for file in "$@"; do
        mapfile -t -O "${#wanted[@]}" wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$file" | grep -v '^$')
    done
    ((${#wanted[@]})) || return 0
    # One dpkg-query for all (it starts in about 10 ms; bin/unicon agent runs this at every start).
    local installed
    installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null | awk '/ install ok installed$/ { print $1 }')
    for package in "${wanted[@]}"; do
        grep -qxF "${package%%:*}" <<<"$installed" || missing+=("$package")
    done
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    echo "unicon: installing missing Debian packages: ${missing[*]}" >&2
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || { echo "unicon: need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
