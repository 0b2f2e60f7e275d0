#!/usr/bin/env bash
# The namespace lab: two hosts with two interfaces each in one /24 behind one bridge,
# the fault of DESIGN.md on one machine (reference §1.9). See usage() below.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

usage() {
    cat <<'EOF'
Usage: lab.sh COMMAND [ARGS...]      (run as root; every name starts with $PVLAB_PREFIX)

  check                      can a lab be made here? prints "ok", or the reason on stderr (exit 1)
  up PROFILE                 build the lab; PROFILE is misconfigured (kernel defaults) or fixed
                             (policy routing per interface + arp_ignore=1/arp_announce=2)
  down                       remove the lab; idempotent, also after a half-failed up
  exec HOST CMD...           run CMD inside HOST's namespace (HOST: a, b or sw)
  send SCENARIO PROTO COUNT [each]
                             send COUNT packets from A to B and print one "sent" and one
                             "received" line; SCENARIO 1 binds A vmk1 (.11 -> .21),
                             2 binds A vmk2 (.12 -> .22); PROTO udp or tcp; with "each"
                             (udp only) every packet leaves from a new source port: a new flow
  unlink HOST IFACE          delete HOST's IFACE (vmk1 or vmk2) and its bridge port
  link HOST IFACE            create it again as up made it (name, MAC, address, profile)
  counters HOST              one line per interface: interface= mac= rx_packets= rx_bytes=
                             tx_packets= tx_bytes=
  arp HOST IFACE TARGET      send one ARP who-has TARGET out of IFACE, print one
                             "reply ip= mac=" line per answer seen within 0.3 s

Topology: namespaces PREFIX-a, PREFIX-b, PREFIX-sw; vmk1/vmk2 in a and b, veth peers
a-vmk1.. b-vmk2 enslaved to br0 in sw. A vmk1 10.99.0.11 02:00:00:00:0a:01,
A vmk2 10.99.0.12 ..0a:02, B vmk1 10.99.0.21 ..0b:01, B vmk2 10.99.0.22 ..0b:02.
Traffic uses port 9999. Environment: PVLAB_PREFIX (default pvl, at most 12 characters).
EOF
}

prefix=${PVLAB_PREFIX:-pvl}
here=$(cd "$(dirname "$0")" && pwd)
# The distribution's python starts fast and needs no HOME, unlike version-manager shims.
python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
port=9999

die() { echo "lab.sh: $*" >&2; exit 1; }

namespace() {
    case "$1" in
    a | b | sw) echo "$prefix-$1" ;;
    *) die "unknown host '$1' (expected a, b or sw)" ;;
    esac
}

# shellcheck source=netns.sh
. "$here/netns.sh"

# Interface facts, kept here once: HOST IFACE -> address and MAC.
address() {
    case "$1 $2" in
    "a vmk1") echo 10.99.0.11 ;;
    "a vmk2") echo 10.99.0.12 ;;
    "b vmk1") echo 10.99.0.21 ;;
    "b vmk2") echo 10.99.0.22 ;;
    esac
}
mac() {
    case "$1 $2" in
    "a vmk1") echo 02:00:00:00:0a:01 ;;
    "a vmk2") echo 02:00:00:00:0a:02 ;;
    "b vmk1") echo 02:00:00:00:0b:01 ;;
    "b vmk2") echo 02:00:00:00:0b:02 ;;
    esac
}

check() {
    [ "$(id -u)" -eq 0 ] || die "needs root to make network namespaces (running as uid $(id -u))"
    for tool in ip timeout "$python"; do
        command -v "$tool" >/dev/null || die "'$tool' is not installed"
    done
    local probe="$prefix-probe" error
    if ! error=$(ip netns add "$probe" 2>&1); then
        die "'ip netns add' failed: $error"
    fi
    ip netns del "$probe"
    echo ok
}

down() { remove_namespaces a b sw; }


up() {
    local profile=$1 host i ns sw bridgeport
    case "$profile" in misconfigured | fixed) ;; *) die "unknown profile '$profile' (misconfigured or fixed)" ;; esac
    [ ${#prefix} -le 12 ] || die "PVLAB_PREFIX '$prefix' is longer than 12 characters"
    for host in a b sw; do
        if exists "$prefix-$host"; then die "a lab with prefix '$prefix' exists; run down first"; fi
    done
    trap 'status=$?; trap - EXIT; echo "lab.sh: up failed; removing what it made" >&2; down; exit $status' EXIT

    sw=$(namespace sw)
    for host in a b sw; do
        ip netns add "$(namespace "$host")"
        # No IPv6: its autoconfiguration packets would show in the counters the tests read.
        in_ns "$host" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        in_ns "$host" ip link set lo up
    done
    ip -n "$sw" link add br0 type bridge stp_state 0 forward_delay 0
    ip -n "$sw" link set br0 up

    # The bridge floods to the port enslaved last first (new ports go to the head of its
    # list), and the first ARP reply wins. Enslaving B's vmk2 before B's vmk1 lets B's vmk1
    # answer first: traffic for B's vmk2 address then arrives on vmk1, the field symptom.
    for host in a b; do
        ns=$(namespace "$host")
        if [ "$profile" = fixed ]; then
            in_ns "$host" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
        fi
        for i in 1 2; do
            # Created in order so that vmk1 gets ifindex 2 and vmk2 ifindex 3 in each host.
            ip link add "vmk$i" netns "$ns" address "$(mac "$host" "vmk$i")" \
                type veth peer name "$host-vmk$i" netns "$sw"
        done
    done
    for bridgeport in a-vmk1 a-vmk2 b-vmk2 b-vmk1; do
        ip -n "$sw" link set "$bridgeport" master br0
        ip -n "$sw" link set "$bridgeport" up
    done

    for host in a b; do
        ns=$(namespace "$host")
        # vmk1 first: its connected route is inserted first and so wins (reference §1.1).
        for i in 1 2; do
            if [ "$profile" = fixed ]; then
                in_ns "$host" sysctl -qw "net.ipv4.conf.vmk$i.arp_ignore=1" "net.ipv4.conf.vmk$i.arp_announce=2"
            fi
            ip -n "$ns" addr add "$(address "$host" "vmk$i")/24" dev "vmk$i"
            ip -n "$ns" link set "vmk$i" up
        done
        if [ "$profile" = fixed ]; then
            # Source policy routing: a packet from vmkN's address leaves vmkN (reference §1.6).
            for i in 1 2; do
                ip -n "$ns" route add 10.99.0.0/24 dev "vmk$i" src "$(address "$host" "vmk$i")" table "10$i"
                ip -n "$ns" rule add from "$(address "$host" "vmk$i")" lookup "10$i" priority "100$i"
            done
        fi
    done
    trap - EXIT
    echo "lab prefix=$prefix profile=$profile a=$(namespace a) b=$(namespace b) sw=$sw"
}

counters() {
    local ns=$1
    # One ip netns exec: sysfs shows the namespace of the process that mounts it.
    ip netns exec "$ns" sh -c '
        for dir in /sys/class/net/*; do
            name=${dir##*/}
            [ "$name" = lo ] && continue
            s=$dir/statistics
            echo "interface=$name mac=$(cat "$dir/address") rx_packets=$(cat "$s/rx_packets")" \
                "rx_bytes=$(cat "$s/rx_bytes") tx_packets=$(cat "$s/tx_packets") tx_bytes=$(cat "$s/tx_bytes")"
        done'
}

# Deletes HOST's IFACE; its veth peer, the bridge port, goes with it.
unlink_interface() {
    local host=$1 iface=$2
    [ -n "$(address "$host" "$iface")" ] || die "unknown interface '$iface' on host '$host'"
    ip -n "$(namespace "$host")" link del "$iface"
}

# Re-creates HOST's IFACE as up made it: same name, MAC, address and bridge port, and in the
# fixed profile (arp_ignore set on the host) its sysctls and policy route again.
link_interface() {
    local host=$1 iface=$2 ns sw fixed
    [ -n "$(address "$host" "$iface")" ] || die "unknown interface '$iface' on host '$host'"
    ns=$(namespace "$host")
    sw=$(namespace sw)
    fixed=$(in_ns "$host" sysctl -n net.ipv4.conf.all.arp_ignore)
    ip link add "$iface" netns "$ns" address "$(mac "$host" "$iface")" type veth peer name "$host-$iface" netns "$sw"
    ip -n "$sw" link set "$host-$iface" master br0
    ip -n "$sw" link set "$host-$iface" up
    if [ "$fixed" = 1 ]; then
        in_ns "$host" sysctl -qw "net.ipv4.conf.$iface.arp_ignore=1" "net.ipv4.conf.$iface.arp_announce=2"
    fi
    ip -n "$ns" addr add "$(address "$host" "$iface")/24" dev "$iface"
    ip -n "$ns" link set "$iface" up
    if [ "$fixed" = 1 ]; then
        local i=${iface#vmk}
        ip -n "$ns" route add 10.99.0.0/24 dev "$iface" src "$(address "$host" "$iface")" table "10$i"
    fi
}

send() {
    local scenario=$1 proto=$2 count=$3 each=${4:-} source target limit tmp sink ready=0
    case "$scenario" in
    1) source=10.99.0.11 target=10.99.0.21 ;;
    2) source=10.99.0.12 target=10.99.0.22 ;;
    *) die "unknown scenario '$scenario' (1 or 2)" ;;
    esac
    case "$proto" in udp | tcp) ;; *) die "unknown protocol '$proto' (udp or tcp)" ;; esac
    case "$each" in "") ;; each) [ "$proto" = udp ] || die "'each' needs udp" ;; *) die "unknown option '$each' (each)" ;; esac
    [[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 100000 ] ||
        die "COUNT must be 1..100000, not '$count'"
    exists "$(namespace a)" || die "no lab with prefix '$prefix'; run up first"
    local rate=2000 # packets/s: a few thousand in a few seconds, never limited by TCP's window
    limit=$((count / rate + 10))

    tmp=$(mktemp -d)
    # Cold neighbour caches: every send replays the ARP exchange, so each run starts alike.
    in_ns a ip neigh flush all
    in_ns b ip neigh flush all
    in_ns b timeout -k 1 "$limit" "$python" "$here/traffic.py" sink --proto "$proto" --port "$port" \
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
        die "the sink in B did not start"
    fi
    local sent=0
    in_ns a timeout -k 1 "$limit" "$python" "$here/traffic.py" send --proto "$proto" --source "$source" \
        --target "$target" --port "$port" --count "$count" --rate "$rate" --scenario "$scenario" \
        ${each:+--new-flow-each} || sent=$?
    # UDP's sink stops at COUNT and TCP's at the end of the stream; a lost datagram must not hold us.
    for _ in $(seq 40); do
        kill -0 "$sink" 2>/dev/null || break
        sleep 0.05
    done
    kill -TERM "$sink" 2>/dev/null || true
    wait "$sink" || true
    grep -v '^ready' "$tmp/sink" || true
    rm -rf "$tmp"
    [ "$sent" -eq 0 ] || die "the sender in A failed (status $sent)"
}

arp() {
    local host=$1 iface=$2 target=$3 source
    source=$(address "$host" "$iface")
    [ -n "$source" ] || die "unknown interface '$iface' on host '$host'"
    in_ns "$host" timeout -k 1 5 "$python" "$here/traffic.py" arp --interface "$iface" --source "$source" \
        --target "$target"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
-h | --help | help) usage ;;
check) check ;;
up) [ $# -eq 1 ] || die "usage: up PROFILE"; up "$1" ;;
down) down ;;
exec)
    [ $# -ge 2 ] || die "usage: exec HOST CMD..."
    ns=$(namespace "$1")
    shift
    # exec keeps the caller's pid for the command, so signals sent to it reach the command.
    exec ip netns exec "$ns" "$@"
    ;;
send) [ $# -eq 3 ] || [ $# -eq 4 ] || die "usage: send SCENARIO PROTO COUNT [each]"; send "$@" ;;
unlink) [ $# -eq 2 ] || die "usage: unlink HOST IFACE"; unlink_interface "$@" ;;
link) [ $# -eq 2 ] || die "usage: link HOST IFACE"; link_interface "$@" ;;
counters) [ $# -eq 1 ] || die "usage: counters HOST"; counters "$(namespace "$1")" ;;
arp) [ $# -eq 3 ] || die "usage: arp HOST IFACE TARGET"; arp "$@" ;;
*) usage >&2; exit 64 ;;
esac
