#!/usr/bin/env bash
# The team lab: one host whose vmk rides on a team of two veth uplinks, steered with tc, for
# pathverify's team tests. Bonding and team drivers are not available where the lab runs, so the
# team is built from a virtual-switch port and tc: u32 filters with mirred redirect decide which
# uplink each destination leaves by, the way a teaming policy would. See usage() below.
#
# What captures and counters in PREFIX-h show (observed with tcpdump 4.99 on kernel 6.18):
#   - The team's frames (vmk -> vsw, redirected to upN's egress) are outgoing on upN: they show
#     with `tcpdump -i upN -Q out` and not with `-Q in`, as "Out" with `-i any`, and keep vmk's
#     source MAC 02:00:00:00:0c:01. On vsw the same frames are incoming (taps run before tc).
#   - The peer's replies are incoming on upN (`-Q in`) although tc ingress redirects them to vsw
#     at once; with `-i any` they show as "P" (PACKET_OTHERHOST: addressed to vmk's MAC, not
#     upN's), so a direction read from the packet type must count "other host" as incoming. On
#     vsw they are outgoing, on vmk incoming.
#   - upN's tx counters count the team's frames, its rx counters the replies; vmk and vsw count
#     as a plain veth pair does (vsw rx = vmk tx).
#   - Redirected to an uplink that is down, a frame is dropped by mirred: the action's statistics
#     count it as an overlimit (`tc -s filter show dev vsw ingress`), vmk's tx and vsw's rx count
#     it, the uplink's counters do not move, and the sender is not told.
#   - tcpdump started on a down uplink fails at once ("up1: That device is not up", exit 1). One
#     already running when the uplink goes down keeps running without an error, sees nothing while
#     it is down, and sees its frames again once it is up.
#   - The switch learns vmk's MAC on the port of the uplink vmk last sent by, so replies to every
#     flow come back by that uplink (as with a physical switch and a team without LACP), and until
#     it has learned it they are flooded to both uplinks and reach vmk twice.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

usage() {
    cat <<'EOF'
Usage: team-lab.sh COMMAND [ARGS...]   (run as root; every name starts with $PVTEAM_PREFIX)

  check                      can a lab be made here? prints "ok", or the reason on stderr (exit 1)
  up                         build the lab; the team's default uplink is up1
  down                       remove the lab; idempotent, also after a half-failed up
  exec NS CMD...             run CMD inside namespace NS (h, p or sw)
  steer DST UPLINK           frames of vmk to DST (an IPv4 address) leave by UPLINK (up1 or up2);
                             adds or replaces that destination's filter
  steer default UPLINK       every other frame of vmk leaves by UPLINK
  unsteer DST                remove DST's filter (its frames follow the default); idempotent
  link UPLINK up|down        set UPLINK up or down in h
  send DST COUNT [RATE_PPS [SOURCE_PORT]]
                             send COUNT UDP datagrams of 100 bytes from 10.98.0.11 to DST port
                             9999, all from one source port (one flow; random if not given), at
                             RATE_PPS (default 2000); prints one "sent=N received=M source_port=P"
                             line, M counted by a sink in p
  counters                   one line per interface of h: interface= mac= rx_packets= rx_bytes=
                             tx_packets= tx_bytes=

Topology: namespaces PREFIX-h (the host), PREFIX-p (the peer), PREFIX-sw (the switch, bridge br0).
  h:  vmk 10.98.0.11/24 02:00:00:00:0c:01 <-veth-> vsw (the virtual-switch port, no address)
      up1 02:00:00:00:0e:01 <-veth-> h-up1 on br0 in sw
      up2 02:00:00:00:0e:02 <-veth-> h-up2 on br0 in sw
      tc on vsw ingress: per-destination u32 filters (pref 10) and a default (pref 100), each
      "mirred egress redirect dev upN"; on up1 and up2 ingress: everything to vsw's egress.
  p:  eth0 10.98.0.21/24 .22 .23 .24 02:00:00:00:0d:01 <-veth-> p-eth0 on br0 in sw
No ARP (static neighbours) and no IPv6: captures hold only the test's traffic.
Environment: PVTEAM_PREFIX (default pvt, at most 10 characters).
EOF
}

prefix=${PVTEAM_PREFIX:-pvt}
here=$(cd "$(dirname "$0")" && pwd)
# The distribution's python starts fast and needs no HOME, unlike version-manager shims.
python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
port=9999
host_address=10.98.0.11
host_mac=02:00:00:00:0c:01
peer_addresses="10.98.0.21 10.98.0.22 10.98.0.23 10.98.0.24"
peer_mac=02:00:00:00:0d:01
# tc preferences: lower is tried first, so a destination's filter wins over the default.
destination_pref=10
default_pref=100

die() { echo "team-lab.sh: $*" >&2; exit 1; }

namespace() {
    case "$1" in
    h | p | sw) echo "$prefix-$1" ;;
    *) die "unknown namespace '$1' (expected h, p or sw)" ;;
    esac
}

# shellcheck source=netns.sh
. "$here/netns.sh"


uplink_mac() {
    case "$1" in
    up1) echo 02:00:00:00:0e:01 ;;
    up2) echo 02:00:00:00:0e:02 ;;
    esac
}

require_uplink() { [ -n "$(uplink_mac "$1")" ] || die "unknown uplink '$1' (expected up1 or up2)"; }

require_address() {
    local IFS=. octet count=0
    [[ "$1" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "'$1' is not an IPv4 address"
    for octet in $1; do
        [ "$octet" -le 255 ] || die "'$1' is not an IPv4 address"
        count=$((count + 1))
    done
}

require_lab() { exists "$(namespace h)" || die "no lab with prefix '$prefix'; run up first"; }

check() {
    [ "$(id -u)" -eq 0 ] || die "needs root to make network namespaces (running as uid $(id -u))"
    for tool in ip tc timeout "$python"; do
        command -v "$tool" >/dev/null || die "'$tool' is not installed"
    done
    local probe="$prefix-probe" error
    if ! error=$(timeout 10 ip netns add "$probe" 2>&1); then
        die "'ip netns add' failed: $error"
    fi
    # Each probe step names what it needs; the namespace goes whatever happens.
    if ! error=$(
        set -e
        exec 2>&1
        ip -n "$probe" link add pa type veth peer name pb || { echo "no veth"; exit 1; }
        ip -n "$probe" link set pa up
        ip -n "$probe" link set pb up
        timeout 10 ip netns exec "$probe" tc qdisc add dev pa clsact || { echo "no clsact qdisc"; exit 1; }
        timeout 10 ip netns exec "$probe" tc filter add dev pa ingress prio 1 protocol all u32 match u32 0 0 \
            action mirred egress redirect dev pb || { echo "no tc u32 filter with mirred redirect"; exit 1; }
    ); then
        ip netns del "$probe" 2>/dev/null || true
        die "tc steering is not available: $(echo "$error" | tr '\n' ' ')"
    fi
    ip netns del "$probe"
    echo ok
}

down() { remove_namespaces h p sw; }

# Redirects everything arriving on DEV to TARGET's egress, at PREF.
redirect_all() {
    local dev=$1 target=$2 pref=$3
    in_ns h tc filter add dev "$dev" ingress prio "$pref" protocol all u32 match u32 0 0 \
        action mirred egress redirect dev "$target"
}

up() {
    local ns h p sw uplink address dev
    [ ${#prefix} -le 10 ] || die "PVTEAM_PREFIX '$prefix' is longer than 10 characters"
    for ns in h p sw; do
        if exists "$prefix-$ns"; then die "a lab with prefix '$prefix' exists; run down first"; fi
    done
    trap 'status=$?; trap - EXIT; echo "team-lab.sh: up failed; removing what it made" >&2; down; exit $status' EXIT

    h=$(namespace h)
    p=$(namespace p)
    sw=$(namespace sw)
    for ns in h p sw; do
        ip netns add "$(namespace "$ns")"
        # No IPv6, set before any link exists: its autoconfiguration packets would show in the
        # captures and counters the tests read.
        in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        # Replies reach vmk through tc, not by the route back; no reverse-path check may drop them.
        in_ns "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
        in_ns "$ns" ip link set lo up
    done
    # No snooping: with it the bridge joins 224.0.0.106 (multicast router discovery) and its IGMP
    # report would reach vmk through both uplinks.
    ip -n "$sw" link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
    ip -n "$sw" link set br0 up

    # Created in order, so vmk, vsw, up1 and up2 get the same ifindexes in every lab.
    ip link add vmk netns "$h" address "$host_mac" type veth peer name vsw netns "$h"
    for uplink in up1 up2; do
        ip link add "$uplink" netns "$h" address "$(uplink_mac "$uplink")" type veth peer name "h-$uplink" netns "$sw"
    done
    ip link add eth0 netns "$p" address "$peer_mac" type veth peer name p-eth0 netns "$sw"
    for dev in h-up1 h-up2 p-eth0; do
        ip -n "$sw" link set "$dev" master br0
        ip -n "$sw" link set "$dev" up
    done
    # The peer never sends first (UDP one way, no ARP), so the bridge would not learn its MAC and
    # would flood the team's frames back out of the other uplink: pin it.
    ip netns exec "$sw" bridge fdb replace "$peer_mac" dev p-eth0 master static

    for dev in vsw up1 up2; do
        in_ns h tc qdisc add dev "$dev" clsact
    done
    redirect_all vsw up1 "$default_pref"
    for uplink in up1 up2; do
        redirect_all "$uplink" vsw "$default_pref"
    done

    ip -n "$h" addr add "$host_address/24" dev vmk
    for address in $peer_addresses; do
        ip -n "$h" neigh replace "$address" lladdr "$peer_mac" dev vmk nud permanent
        ip -n "$p" addr add "$address/24" dev eth0
    done
    ip -n "$p" neigh replace "$host_address" lladdr "$host_mac" dev eth0 nud permanent
    for dev in vsw up1 up2 vmk; do
        ip -n "$h" link set "$dev" up
    done
    ip -n "$p" link set eth0 up
    trap - EXIT
    echo "team lab prefix=$prefix h=$h p=$p sw=$sw default=up1"
}

# The handle (e.g. 801::800) of vsw's ingress filter at PREF whose key is KEY at OFFSET, as
# `tc filter show` prints them; empty if there is none. u32 numbers its hash tables itself, so a
# handle cannot be chosen in advance.
filter_handle() {
    local pref=$1 key=$2 offset=$3
    in_ns h tc filter show dev vsw ingress prio "$pref" | awk -v key="$key" -v offset="$offset" '
        $0 ~ / fh [0-9a-f]+:[0-9a-f]*:[0-9a-f]+ / {
            for (i = 1; i < NF; i++) if ($i == "fh") handle = $(i + 1)
        }
        $1 == "match" && $2 == key && $4 == offset { print handle; exit }'
}

# An IPv4 address as u32 prints its key: 10.98.0.22 -> 0a620016/ffffffff.
address_key() {
    local IFS=.
    # shellcheck disable=SC2086
    printf '%02x%02x%02x%02x/ffffffff' $1
}

steer() {
    local destination=$1 uplink=$2 handle
    require_uplink "$uplink"
    require_lab
    if [ "$destination" = default ]; then
        handle=$(filter_handle "$default_pref" 00000000/00000000 0)
        [ -n "$handle" ] || die "the default filter is missing"
        in_ns h tc filter replace dev vsw ingress prio "$default_pref" handle "$handle" protocol all u32 \
            match u32 0 0 action mirred egress redirect dev "$uplink"
        return
    fi
    require_address "$destination"
    handle=$(filter_handle "$destination_pref" "$(address_key "$destination")" 16)
    # Replacing in place never leaves the destination without a filter, so no frame of a steered
    # flow falls through to the default while it moves.
    local verb=(add)
    [ -z "$handle" ] || verb=(replace handle "$handle")
    in_ns h tc filter "${verb[0]}" dev vsw ingress prio "$destination_pref" "${verb[@]:1}" protocol ip u32 \
        match ip dst "$destination/32" action mirred egress redirect dev "$uplink"
}

unsteer() {
    local destination=$1 handle
    require_address "$destination"
    require_lab
    handle=$(filter_handle "$destination_pref" "$(address_key "$destination")" 16)
    [ -z "$handle" ] || in_ns h tc filter del dev vsw ingress prio "$destination_pref" handle "$handle" protocol ip u32
}

set_link() {
    local uplink=$1 state=$2
    require_uplink "$uplink"
    case "$state" in up | down) ;; *) die "unknown link state '$state' (up or down)" ;; esac
    require_lab
    ip -n "$(namespace h)" link set "$uplink" "$state"
}

send() {
    local destination=$1 count=$2 rate=${3:-2000} source_port=${4:-} limit tmp sink ready=0 sent=0 status=0
    require_address "$destination"
    [[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 100000 ] ||
        die "COUNT must be 1..100000, not '$count'"
    [[ "$rate" =~ ^[0-9]+$ ]] && [ "$rate" -ge 1 ] && [ "$rate" -le 100000 ] ||
        die "RATE_PPS must be 1..100000, not '$rate'"
    # One source port for the whole call: one flow, whichever uplink its filter picks.
    [ -n "$source_port" ] || source_port=$((20000 + RANDOM % 30000))
    [[ "$source_port" =~ ^[0-9]+$ ]] && [ "$source_port" -ge 1 ] && [ "$source_port" -le 65535 ] ||
        die "SOURCE_PORT must be 1..65535, not '$source_port'"
    require_lab
    limit=$((count / rate + 10))

    tmp=$(mktemp -d)
    in_ns p timeout -k 1 "$limit" "$python" "$here/traffic.py" sink --proto udp --port "$port" \
        --expect "$count" >"$tmp/sink" 2>&1 &
    sink=$!
    for _ in $(seq 100); do
        if grep -qs '^ready' "$tmp/sink"; then ready=1 && break; fi
        kill -0 "$sink" 2>/dev/null || break
        sleep 0.05
    done
    if [ "$ready" -ne 1 ]; then
        kill "$sink" 2>/dev/null || true
        cat "$tmp/sink" >&2
        rm -rf "$tmp"
        die "the sink in p did not start"
    fi
    in_ns h timeout -k 1 "$limit" "$python" "$here/traffic.py" send --proto udp --source "$host_address" \
        --source-port "$source_port" --target "$destination" --port "$port" --count "$count" --rate "$rate" \
        >"$tmp/send" 2>&1 || status=$?
    # The sink stops at COUNT; datagrams dropped on the way (a down uplink) must not hold us.
    for _ in $(seq 40); do
        kill -0 "$sink" 2>/dev/null || break
        sleep 0.05
    done
    kill -TERM "$sink" 2>/dev/null || true
    wait "$sink" || true
    if [ "$status" -ne 0 ]; then
        cat "$tmp/send" >&2
        rm -rf "$tmp"
        die "the sender in h failed (status $status)"
    fi
    sent=$(sed -n 's/^sent .* packets=\([0-9]*\) .*/\1/p' "$tmp/send")
    received=$(sed -n 's/^received .* packets=\([0-9]*\) .*/\1/p' "$tmp/sink")
    rm -rf "$tmp"
    echo "sent=${sent:-0} received=${received:-0} source_port=$source_port"
}

counters() {
    # One ip netns exec: sysfs shows the namespace of the process that mounts it.
    in_ns h sh -c '
        for dir in /sys/class/net/*; do
            name=${dir##*/}
            [ "$name" = lo ] && continue
            s=$dir/statistics
            echo "interface=$name mac=$(cat "$dir/address") rx_packets=$(cat "$s/rx_packets")" \
                "rx_bytes=$(cat "$s/rx_bytes") tx_packets=$(cat "$s/tx_packets") tx_bytes=$(cat "$s/tx_bytes")"
        done'
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
-h | --help | help) usage ;;
check) check ;;
up) [ $# -eq 0 ] || die "usage: up"; up ;;
down) down ;;
exec)
    [ $# -ge 2 ] || die "usage: exec NS CMD..."
    ns=$(namespace "$1")
    shift
    # exec keeps the caller's pid for the command, so signals sent to it reach the command.
    exec ip netns exec "$ns" "$@"
    ;;
steer) [ $# -eq 2 ] || die "usage: steer DST|default UPLINK"; steer "$@" ;;
unsteer) [ $# -eq 1 ] || die "usage: unsteer DST"; unsteer "$1" ;;
link) [ $# -eq 2 ] || die "usage: link UPLINK up|down"; set_link "$@" ;;
send) [ $# -ge 2 ] && [ $# -le 4 ] || die "usage: send DST COUNT [RATE_PPS [SOURCE_PORT]]"; send "$@" ;;
counters) [ $# -eq 0 ] || die "usage: counters"; require_lab; counters ;;
*) usage >&2; exit 64 ;;
esac
