# Sourced by bin/unicon and bench/run: one call to an agent's API over bash's /dev/tcp.

# api_tcp HOST:PORT JSON: POSTs JSON to the agent's /api/v1, starting no process; sets
# API_ANSWER to the body of a 200 answer, fails otherwise (no answer, or another status). For
# pollers (the demo waiting for its agent, the bench timing a start every few milliseconds):
# curl and jq there (jq alone takes some 35 ms of CPU a call) took the CPU the agent's start
# needed on a 2-CPU machine.
API_ANSWER=""
api_tcp() {
    local address=$1 body=$2 fd status line
    API_ANSWER=""
    # (braces: a redirection of exec itself would stay on the whole shell)
    { exec {fd}<>"/dev/tcp/${address%:*}/${address##*:}"; } 2>/dev/null || return 1
    printf 'POST /api/v1 HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
        "$address" "${#body}" "$body" >&"$fd"
    if IFS= read -r -t 5 status <&"$fd" && [[ $status == "HTTP/1.1 200 "* ]]; then
        while IFS= read -r -t 5 line <&"$fd" && [[ $line != $'\r' ]]; do :; done
        IFS= read -r -d '' -t 5 API_ANSWER <&"$fd" || true
    fi
    exec {fd}<&-
    [[ -n $API_ANSWER ]]
}
