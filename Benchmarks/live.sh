#!/usr/bin/env bash
# Live-capture benchmark: `pathverify capture` beside `tcpdump -w /dev/null` on a veth pair.
#
#   [netns pvbench-tx] pvbench-tx0 ==veth== pvbench-rx0 [netns pvbench-rx]
#   trafgen / tcpreplay  ------------------------>  capturer (tcpdump, or pathverify capture)
#
# For each rate and round it sends the same synthetic traffic twice, once captured by
#   tcpdump -p -n -w /dev/null -B BUF -s 256 -i pvbench-rx0
# and once by
#   pathverify capture -i pvbench-rx0 -B BUF -s 256 --json -d LIMIT   (full verification on)
# (same kernel buffer in KiB, same snaplen, neither promiscuous), alternating which one goes first from
# one run to the next, and reports per run: packets sent (the sender's count), packets the receiving
# veth counted, the capturer's captured and dropped counts (tcpdump's closing statistics; pathverify's
# JSON: capture.packets and interfaces[].capture.dropped), and its CPU time (user+sys) per received
# packet. The capturer is stopped with SIGINT one second after the sender finished (its -d is only a
# safety bound). Per rate, over the rounds: each capturer's median CPU per packet and the median (and
# range) of the paired ratios pathverify / tcpdump, each pair from adjacent runs. Goal (per rate):
# pathverify drops nothing wherever tcpdump dropped nothing, in every round, and the median paired
# ratio of CPU per packet is at most 1.5.
#
# CPU is the process's whole CPU clock (all threads, ns resolution) from the moment it announced it was
# capturing ("listening on" / "capturing on") to its exit, so its start-up (loading, opening handles) is
# left out and its closing work (the last drain, pathverify's end-of-run verification and report) is in.
# GNU time is not used: its 10 ms steps are 40 ns/packet on a 5 s run at 50k packets/s.
#
# The machine is noisy: 2 shared vCPUs, and the sender, the capturer and the kernel's delivery of each
# frame into the capture ring(s) (charged to the sender, softirq) compete for them, with whatever else
# runs on the host. Compare the two capturers within one rate (same run, adjacent in time), not across
# runs; use more rounds if the load is high. The achieved send rate is shown per run: when a capturer
# takes more CPU (or more kernel work: pathverify opens two handles per interface, one per direction,
# so the kernel runs two socket filters per frame, though it copies each frame into one ring), the
# sender at top speed gets less.
#
# Usage: Benchmarks/live.sh [options]
#   -r, --rates "LIST"    packets/s, and/or "top" (default "50000 100000 200000 400000 top")
#   -t, --seconds N       seconds of traffic per fixed-rate run (default 5); packets = rate * N
#   -R, --rounds N        runs of each capturer per rate, the rates in turn (default 3)
#   -n, --top-count N     packets sent by a "top" run (default 3000000)
#   -B, --buffer KiB      capture buffer, both capturers (default 65536; pathverify allows 64..4194304)
#   -g, --sender NAME     trafgen (default; fixed rates use one CPU, "top" uses --top-cpus)
#                         or tcpreplay (one CPU, one send() per packet)
#       --top-cpus N      trafgen processes for "top" (default 2)
#   -o, --tsv FILE        also write one line per run as TSV (default: none)
#   -k, --keep DIR        keep each run's output there: pathverify's JSON report, tcpdump's and
#                         the sender's messages (N-RATE-CAPTURER.*, N: the pair's position)
#       --no-build        use the existing .build-bench binary
#   -h, --help
# Environment:
#   PATHVERIFY=path       use this binary instead of building .build-bench (release, static Swift
#                         stdlib, as README installs it)
#   PV_SHARED=dir         the shared/ folder (default ../shared beside the repo); bench/gen_pcap.py in it
# Needs root (network namespaces). Installs tcpdump, netsniff-ng (trafgen), tcpreplay and iproute2
# from Debian if missing. Data goes to Benchmarks/data (gitignored): live-short.pcap (gen_pcap.py,
# 20,000 headers-only frames of 60..96 bytes, 2,000 flows), rewritten for the veth pair.
# Traffic stays between the two namespaces this script creates; they are removed on every exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
rates="50000 100000 200000 400000 top"
seconds=5
rounds=3
top_count=3000000
buffer=65536
sender=trafgen
top_cpus=2
tsv=""
keep=""
build=1
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        -r|--rates) rates="$2"; shift 2 ;;
        -t|--seconds) seconds="$2"; shift 2 ;;
        -R|--rounds) rounds="$2"; shift 2 ;;
        -n|--top-count) top_count="$2"; shift 2 ;;
        -B|--buffer) buffer="$2"; shift 2 ;;
        -g|--sender) sender="$2"; shift 2 ;;
        --top-cpus) top_cpus="$2"; shift 2 ;;
        -o|--tsv) tsv="$2"; shift 2 ;;
        -k|--keep) keep="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
die() { echo "live.sh: $*" >&2; exit 2; }
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 takes a positive integer, got '$2'"; }
positive --seconds "$seconds"; positive --top-count "$top_count"; positive --buffer "$buffer"
positive --top-cpus "$top_cpus"; positive --rounds "$rounds"
(( buffer >= 64 && buffer <= 4194304 )) || die "--buffer takes 64..4194304 KiB (pathverify's range)"
[[ "$sender" == trafgen || "$sender" == tcpreplay ]] || die "--sender takes trafgen or tcpreplay"
for rate in $rates; do [[ "$rate" == top || "$rate" =~ ^[1-9][0-9]*$ ]] || die "bad rate '$rate'"; done
[[ -n "${rates// /}" ]] || die "--rates is empty"
[[ -z "$keep" ]] || mkdir -p "$keep"
[[ $EUID -eq 0 ]] || die "needs root (network namespaces, packet sockets)"

# --- 1. tools, binary, data ------------------------------------------------------------------
need=()
command -v tcpdump >/dev/null || need+=(tcpdump)
command -v trafgen >/dev/null && command -v netsniff-ng >/dev/null || need+=(netsniff-ng)
command -v tcpreplay >/dev/null || need+=(tcpreplay)
command -v ip >/dev/null || need+=(iproute2)
command -v python3 >/dev/null || need+=(python3)
if [[ ${#need[@]} -gt 0 ]]; then
    echo "installing ${need[*]}" >&2
    timeout 300 apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

if [[ -n "${PATHVERIFY:-}" ]]; then
    pv="$PATHVERIFY"
else
    if [[ "$build" == 1 ]]; then
        echo "building pathverify (release, .build-bench)" >&2
        (cd "$root" && timeout 1800 swift build -c release --static-swift-stdlib --scratch-path .build-bench --product pathverify >&2)
    fi
    pv="$(cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-bench --show-bin-path)/pathverify"
fi
[[ -x "$pv" ]] || die "no pathverify binary at $pv"

shared="${PV_SHARED:-$root/../shared}"
if [[ -f "$shared/bench/gen_pcap.py" ]]; then genpy="$shared/bench/gen_pcap.py"
elif [[ -f "$shared/gen_pcap.py" ]]; then genpy="$shared/gen_pcap.py"
else die "cannot find bench/gen_pcap.py under $shared (set PV_SHARED)"; fi

# Only one run at a time: the namespaces have fixed names, and two runs would measure each other.
exec 9> /tmp/pvbench-live.lock
flock -n 9 || die "another Benchmarks/live.sh is running (lock /tmp/pvbench-live.lock)"

NS_TX=pvbench-tx NS_RX=pvbench-rx
IF_TX=pvbench-tx0 IF_RX=pvbench-rx0
MAC_TX=02:00:00:00:b0:01 MAC_RX=02:00:00:00:b0:02
work="$(mktemp -d /tmp/pvbench-live.XXXXXX)"
cap_pid="" snd_pid="" wrap_pids=()
cleanup() {
    local status=$? pid f
    trap - EXIT INT TERM
    # The capturer and the sender lead process groups of their own (trafgen forks a worker per CPU):
    # end each group, then the wrappers that started them.
    for f in "$work/cap.pid" "$work/snd.pid"; do
        [[ -s "$f" ]] && pid=$(cat "$f") && [[ "$pid" =~ ^[0-9]+$ ]] && kill -KILL -- "-$pid" 2>/dev/null || true
    done
    for pid in "$cap_pid" "$snd_pid" "${wrap_pids[@]}"; do
        [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
    done
    ip netns del "$NS_TX" 2>/dev/null || true
    ip netns del "$NS_RX" 2>/dev/null || true
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

data="$here/data"
mkdir -p "$data"
short="$data/live-short.pcap"
replay="$data/live-short.veth.pcap"
tgcfg="$data/live-short.veth.trafgen"
if [[ ! -s "$short" || ! -s "$short.truth.json" ]]; then
    echo "generating $short" >&2
    # Headers-only frames (cut at 96 bytes: Ethernet, 802.1Q, IPv4/IPv6, TCP with options) are the
    # shortest realistic frames, so the highest packet rates.
    timeout 300 python3 "$genpy" -q -o "$short.tmp" -n 20000 -f 2000 --seed 4 --snaplen 96
    mv "$short.tmp.truth.json" "$short.truth.json"
    mv "$short.tmp" "$short"
fi
if [[ ! -s "$replay" || "$replay" -ot "$short" ]]; then
    # MACs: destination = the receiving veth, so the receiver takes every frame as PACKET_HOST;
    # source = the sending veth. Lengths: the frames are sent as cut, so the IPv4 total length (and
    # header checksum), IPv6 payload length and UDP length are set to what is left. (tcprewrite
    # --enet-dmac/--enet-smac is not used: it gives IPv6 frames 33:33:... MACs, multicast at the
    # receiver, and --fixlen leaves UDP lengths.) L4 checksums are left as they are.
    timeout 300 python3 - "$short" "$replay.tmp" "$MAC_TX" "$MAC_RX" <<'EOF'
import struct, sys
src, dst, mac_tx, mac_rx = sys.argv[1:5]
smac = bytes.fromhex(mac_tx.replace(":", "")); dmac = bytes.fromhex(mac_rx.replace(":", ""))
data = open(src, "rb").read()
assert struct.unpack_from("<I", data, 0)[0] == 0xA1B2C3D4, "little-endian microsecond pcap expected"
out = bytearray(data[:24]); off = 24
def checksum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
while off < len(data):
    sec, usec, cap, _ = struct.unpack_from("<IIII", data, off); off += 16
    f = bytearray(data[off:off + cap]); off += cap
    f[0:6] = dmac; f[6:12] = smac
    l2 = 12; et, = struct.unpack_from("!H", f, l2)
    while et in (0x8100, 0x88A8) and len(f) >= l2 + 6:
        l2 += 4; et, = struct.unpack_from("!H", f, l2)
    l3 = l2 + 2
    if et == 0x0800 and len(f) >= l3 + 20:
        ihl = (f[l3] & 15) * 4; total = len(f) - l3
        struct.pack_into("!HH", f, l3 + 2, total, f[l3 + 4] << 8 | f[l3 + 5])
        struct.pack_into("!H", f, l3 + 10, 0)
        struct.pack_into("!H", f, l3 + 10, checksum(bytes(f[l3:l3 + ihl])))
        if f[l3 + 9] == 17 and len(f) >= l3 + ihl + 8:
            struct.pack_into("!H", f, l3 + ihl + 4, total - ihl)
    elif et == 0x86DD and len(f) >= l3 + 40:
        struct.pack_into("!H", f, l3 + 4, len(f) - l3 - 40)
        if f[l3 + 6] == 17 and len(f) >= l3 + 48:
            struct.pack_into("!H", f, l3 + 44, len(f) - l3 - 40)
    out += struct.pack("<IIII", sec, usec, len(f), len(f)) + f
open(dst, "wb").write(out)
EOF
    mv "$replay.tmp" "$replay"
    rm -f "$tgcfg"
fi
if [[ "$sender" == trafgen && ! -s "$tgcfg" ]]; then
    # trafgen sends the first 4,000 frames (about 1,250 flows) round-robin.
    timeout 120 netsniff-ng --in "$replay" --out "$tgcfg.tmp" -n 4000 -s >/dev/null 2>&1
    mv "$tgcfg.tmp" "$tgcfg"
fi

# --- 2. helpers ------------------------------------------------------------------------------
# run.py PIDFILE OUTFILE LIMIT CMD...: runs CMD (default signal dispositions, its own process group),
# writes its pid, waits for it, kills its group after LIMIT seconds, and writes "status user_s sys_s"
# (status: exit code, or -signal, or "timeout") from wait4. SIGINT / SIGTERM to the wrapper are passed on.
cat > "$work/run.py" <<'EOF'
import os, signal, sys
pidfile, outfile, limit, cmd = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:]
pid = os.fork()
if pid == 0:
    try:
        os.setpgid(0, 0)
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
with open(pidfile + ".tmp", "w") as f: f.write(f"{pid}\n")
os.rename(pidfile + ".tmp", pidfile)
timed_out = False
def expire(*_):
    global timed_out
    timed_out = True
    os.killpg(pid, signal.SIGKILL)
signal.signal(signal.SIGALRM, expire)
signal.signal(signal.SIGINT, lambda *_: os.kill(pid, signal.SIGINT))
signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGTERM))
signal.setitimer(signal.ITIMER_REAL, limit)
_, status, usage = os.wait4(pid, 0)
signal.setitimer(signal.ITIMER_REAL, 0)
code = "timeout" if timed_out else (os.waitstatus_to_exitcode(status))
with open(outfile, "w") as f: f.write(f"{code} {usage.ru_utime:.6f} {usage.ru_stime:.6f}\n")
EOF
# CPU clock of a running process (all its threads), ns
cat > "$work/cpuclock.py" <<'EOF'
import sys, time
pid = int(sys.argv[1])
print(time.clock_gettime_ns((~pid << 3) | 2))   # CPUCLOCK_SCHED of the whole process
EOF
# counts.py REPORT: pathverify's captured, libpcap received and dropped from its JSON report
cat > "$work/counts.py" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
i = d["interfaces"][0]["capture"]
print(d["capture"]["packets"], i["received"], i["dropped"])
EOF
link_stat() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }

# --- 3. namespaces and veth ------------------------------------------------------------------
ip netns del "$NS_TX" 2>/dev/null || true   # left by a run that was killed (the lock says none runs)
ip netns del "$NS_RX" 2>/dev/null || true
ip netns add "$NS_TX"
ip netns add "$NS_RX"
ip link add "$IF_TX" netns "$NS_TX" type veth peer name "$IF_RX" netns "$NS_RX"
for ns in "$NS_TX" "$NS_RX"; do
    # No IPv6 (no router or neighbour solicitations), no addresses, no forwarding: the frames'
    # addresses (198.18.0.0/15, 2001:db8::/32) are nowhere, and the receiving stack drops them after
    # the capture tap.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
        net.ipv4.ip_forward=0
    ip -n "$ns" link set lo up
done
ip -n "$NS_TX" link set "$IF_TX" address "$MAC_TX" up
ip -n "$NS_RX" link set "$IF_RX" address "$MAC_RX" up
for _ in $(seq 50); do
    [[ "$(ip netns exec "$NS_RX" cat "/sys/class/net/$IF_RX/operstate")" == up ]] && break; sleep 0.1
done

# --- 4. one run ------------------------------------------------------------------------------
# run_one CAPTURER RATE: sends and captures; appends a line to $work/runs.tsv:
#   capturer rate sent send_s sender_cpu_s received rx_dropped captured pcap_received dropped cpu_s status
#   user_s sys_s   (cpu_s: from "capturing" to exit; user_s / sys_s: the whole process, start-up included)
run_one() {
    local who="$1" rate="$2" count send_limit cap_limit
    if [[ "$rate" == top ]]; then count="$top_count"; send_limit=$(( top_count / 100000 + 60 ))
    else count=$(( rate * seconds )); send_limit=$(( seconds * 3 + 30 )); fi
    cap_limit=$(( send_limit + 60 ))
    local cmd
    if [[ "$who" == tcpdump ]]; then
        cmd=(tcpdump -p -n -w /dev/null -B "$buffer" -s 256 -i "$IF_RX")
    else
        cmd=("$pv" capture -i "$IF_RX" -B "$buffer" -s 256 --json -d "${cap_limit}s")
    fi
    rm -f "$work/cap.pid" "$work/cap.res" "$work/snd.pid" "$work/snd.res"
    : > "$work/cap.err"
    local rx0 rxd0 rx1 rxd1
    rx0=$(link_stat "$NS_RX" "$IF_RX" rx_packets); rxd0=$(link_stat "$NS_RX" "$IF_RX" rx_dropped)
    ip netns exec "$NS_RX" python3 "$work/run.py" "$work/cap.pid" "$work/cap.res" "$cap_limit" "${cmd[@]}" \
        < /dev/null > "$work/cap.out" 2> "$work/cap.err" 9>&- &
    local wrap=$!; wrap_pids+=("$wrap")
    local ready=0
    for _ in $(seq 200); do   # 20 s at most
        if [[ -s "$work/cap.pid" ]] && grep -qE "listening on|capturing on" "$work/cap.err"; then ready=1; break; fi
        kill -0 "$wrap" 2>/dev/null || break
        sleep 0.1
    done
    if [[ $ready != 1 ]]; then
        echo "$who did not start:" >&2; cat "$work/cap.err" >&2; exit 1
    fi
    cap_pid=$(cat "$work/cap.pid")
    sleep 0.3
    local cpu0; cpu0=$(python3 "$work/cpuclock.py" "$cap_pid")
    local snd
    if [[ "$sender" == trafgen ]]; then
        snd=(trafgen --dev "$IF_TX" --conf "$tgcfg" --num "$count")
        if [[ "$rate" == top ]]; then snd+=(--cpus "$top_cpus"); else snd+=(--cpus 1 -b "${rate}pps"); fi
    else
        snd=(tcpreplay -i "$IF_TX" -K --loop=0 --limit="$count")
        if [[ "$rate" == top ]]; then snd+=(--topspeed); else snd+=(--pps="$rate"); fi
        snd+=("$replay")
    fi
    local t0 t1
    t0=$(date +%s.%N)
    ip netns exec "$NS_TX" python3 "$work/run.py" "$work/snd.pid" "$work/snd.res" "$send_limit" "${snd[@]}" \
        < /dev/null > "$work/snd.out" 2>&1 9>&- &
    snd_pid=$!
    wait "$snd_pid" || true
    snd_pid=""; rm -f "$work/snd.pid"
    t1=$(date +%s.%N)
    sleep 1
    kill -INT "$cap_pid" 2>/dev/null || true
    wait "$wrap" || true
    cap_pid=""; rm -f "$work/cap.pid"
    rx1=$(link_stat "$NS_RX" "$IF_RX" rx_packets); rxd1=$(link_stat "$NS_RX" "$IF_RX" rx_dropped)
    [[ -s "$work/cap.res" ]] || { echo "$who: no result" >&2; cat "$work/cap.err" >&2; exit 1; }
    local status user sys
    read -r status user sys < "$work/cap.res"
    local cpu; cpu=$(awk -v u="$user" -v s="$sys" -v c0="$cpu0" 'BEGIN {printf "%.6f", u + s - c0 / 1e9}')

    local sent send_s snd_cpu=0 su ss sst
    if [[ -s "$work/snd.res" ]]; then read -r sst su ss < "$work/snd.res"; snd_cpu=$(awk -v u="$su" -v s="$ss" 'BEGIN {print u + s}'); fi
    if [[ "$sender" == trafgen ]]; then
        sent=$(tr -d '\r' < "$work/snd.out" | awk '/packets outgoing/ {print $1; exit}')
        # "N sec, M usec on CPUk (...)": the slowest CPU's sending time
        send_s=$(tr -d '\r' < "$work/snd.out" | awk '/usec on CPU/ {t = $1 + $3 / 1e6; if (t > m) m = t} END {print m + 0}')
    else
        sent=$(awk '/Successful packets:/ {print $3; exit}' "$work/snd.out")
        send_s=$(awk '/Actual:/ {for (i = 1; i <= NF; i++) if ($i == "seconds") print $(i - 1); exit}' "$work/snd.out")
    fi
    sent=${sent:-0}
    [[ -n "$send_s" && "$send_s" != 0 ]] || send_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
    if [[ "$sent" == 0 ]]; then echo "sender sent nothing:" >&2; cat "$work/snd.out" >&2; exit 1; fi

    local captured precv dropped
    if [[ "$who" == tcpdump ]]; then
        captured=$(awk '/packets captured/ {print $1}' "$work/cap.err")
        precv=$(awk '/packets received by filter/ {print $1}' "$work/cap.err")
        dropped=$(awk '/packets dropped by kernel/ {print $1}' "$work/cap.err")
    else
        read -r captured precv dropped < <(python3 "$work/counts.py" "$work/cap.out" 2>/dev/null || echo "- - -")
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$who" "$rate" "$sent" "$send_s" "$snd_cpu" \
        "$((rx1 - rx0))" "$((rxd1 - rxd0))" "${captured:--}" "${precv:--}" "${dropped:--}" "$cpu" "$status" \
        "$user" "$sys" >> "$work/runs.tsv"
    if [[ -n "$keep" ]]; then
        local stem="$keep/$((i + 1))-$rate-$who"
        [[ "$who" == pathverify ]] && cp "$work/cap.out" "$stem.json"
        cp "$work/cap.err" "$stem.stderr"
        cp "$work/snd.out" "$stem.sender"
    fi
    local cap_line; cap_line=$(tail -1 "$work/runs.tsv")
    echo "  $cap_line" | tr '\t' ' ' >&2
    # pathverify exits 1 when its verdict is a mismatch: a report all the same
    if [[ "$status" != 0 ]] && ! [[ "$who" == pathverify && "$status" == 1 ]]; then
        echo "  $who ended with status $status:" >&2; tail -5 "$work/cap.err" >&2
    fi
}

# --- 5. the runs -----------------------------------------------------------------------------
echo "pathverify: $pv" >&2
echo "sender: $sender; buffer: $buffer KiB; snaplen 256; ${seconds}s per fixed rate; top: $top_count packets" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load before: $load_before" >&2
: > "$work/runs.tsv"
i=0
for ((round = 1; round <= rounds; round++)); do
    j=0
    for rate in $rates; do
        # Alternate which capturer goes first, from one rate to the next and for each rate from one
        # round to the next, so that a drift in the machine's load does not favour one.
        if (( (j + round) % 2 == 1 )); then order=(tcpdump pathverify); else order=(pathverify tcpdump); fi
        echo "round $round, rate $rate: ${order[*]}" >&2
        for who in "${order[@]}"; do run_one "$who" "$rate"; done
        i=$((i + 1)); j=$((j + 1))
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load after: $load_after" >&2
if [[ -n "$tsv" ]]; then
    { printf 'capturer\trate\tsent\tsend_s\tsender_cpu_s\tveth_rx\tveth_rx_dropped\tcaptured\tpcap_received\tpcap_dropped\tcapturer_cpu_s\texit_status\tcapturer_user_s\tcapturer_sys_s\n'
      cat "$work/runs.tsv"; } > "$tsv"
fi

# --- 6. table --------------------------------------------------------------------------------
python3 - "$work/runs.tsv" "$rates" "$load_before" "$load_after" "$buffer" "$sender" <<'EOF'
import os, statistics, sys
path, rates, load_before, load_after, buffer, sender = sys.argv[1:7]
runs = {}   # (capturer, rate) -> its runs in order; the i-th of each capturer at a rate make a pair
for line in open(path):
    f = line.rstrip("\n").split("\t")
    runs.setdefault((f[0], f[1]), []).append(dict(
        sent=int(f[2]), send_s=float(f[3]), snd_cpu=float(f[4]), rx=int(f[5]), rxd=int(f[6]), cap=f[7],
        precv=f[8], drop=f[9], cpu=float(f[10]), status=f[11]))
def num(x):
    return int(x) if x.lstrip("-").isdigit() else None
def ns(r):
    return r["cpu"] * 1e9 / r["rx"] if r["rx"] else float("nan")
def ratio(t, p):
    return ns(p) / ns(t) if ns(t) > 0 else float("nan")
def median(values):
    values = [v for v in values if v == v]   # without NaN (a run with nothing received)
    return statistics.median(values) if values else float("nan")
hdr = (f"{'rate':>7} | {'sent':>8} {'pps':>7} {'recv':>8} {'capt':>8} {'drop':>6} {'ns/pk':>5} |"
       f" {'sent':>8} {'pps':>7} {'recv':>8} {'capt':>8} {'drop':>6} {'ns/pk':>5} | {'pv/td':>5}")
print(f"{'':7} | {'tcpdump -w /dev/null':<48} | {'pathverify capture --json':<48} |")
print(hdr)
print("-" * len(hdr))
summary, notes, info = [], [], []
for rate in dict.fromkeys(rates.split()):
    pairs = list(zip(runs.get(("tcpdump", rate), []), runs.get(("pathverify", rate), [])))
    if not pairs:
        continue
    why = []
    for t, p in pairs:
        cells = []
        for r in (t, p):
            pps = r["sent"] / r["send_s"] if r["send_s"] > 0 else 0
            cells.append(f"{r['sent']:>8} {pps / 1000:>6.0f}k {r['rx']:>8} {r['cap']:>8} {r['drop']:>6} {ns(r):>5.0f}")
        print(f"{rate:>7} | {cells[0]} | {cells[1]} | {ratio(t, p):>5.2f}")
        td, pd, pcap = num(t["drop"]), num(p["drop"]), num(p["cap"])
        if pd is None:
            why.append("no pathverify report")
        elif pd > 0 and td == 0:
            why.append("drops where tcpdump has none")
        if pcap is not None and pd == 0 and pcap != p["rx"]:
            why.append(f"pathverify captured {pcap} of {p['rx']} received with no drop counted")
        if p["status"] not in ("0", "1"):
            why.append(f"pathverify exit status {p['status']}")
        if pd and pcap is not None:
            info.append(f"{rate}: pathverify reports {pd} dropped; frames missing (recv - capt): {p['rx'] - pcap}")
    ratios = [ratio(t, p) for t, p in pairs]
    middle = median(ratios)
    if not middle <= 1.5:
        why.append(f"CPU {middle:.2f}x > 1.5x (median of the paired ratios)")
    known = [r for r in ratios if r == r] or [float("nan")]
    summary.append((rate, len(pairs), median(ns(t) for t, _ in pairs), median(ns(p) for _, p in pairs),
                    middle, min(known), max(known), not why))
    if why:
        notes.append(f"{rate}: " + "; ".join(dict.fromkeys(why)))
print()
print(f"{'rate':>7} | {'runs':>4} | {'tcpdump ns/pk':>13} | {'pathverify ns/pk':>16} | {'pv/td median (min-max)':>22} | goal")
for rate, n, t, p, ratio, low, high, held in summary:
    print(f"{rate:>7} | {n:>4} | {t:>13.0f} | {p:>16.0f} | {ratio:>9.2f} ({low:.2f}-{high:.2f}) | {'yes' if held else 'NO'}")
print()
print("sent = the sender's count; pps = sent / the sender's own sending time; recv = the receiving veth's")
print("rx_packets over the run; capt / drop = the capturer's captured and kernel-dropped counts (tcpdump's")
print("closing statistics; pathverify's capture.packets and interfaces[0].capture.dropped); ns/pk = capturer")
print("CPU (user+sys, from 'capturing' to exit) / recv; pv/td: of the two adjacent runs. Per rate: medians")
print("over the rounds. goal: pathverify drops nothing where tcpdump drops nothing and captures every")
print("received frame, in every round, and the median pv/td <= 1.5.")
print(f"buffer {buffer} KiB each (pathverify: per handle, one per direction); sender {sender}; "
      f"load average before {load_before}, after {load_after}; {os.cpu_count()} CPUs")
for n in info:
    print("drops at " + n)
for n in notes:
    print("goal not met at " + n)
print("goal: " + ("held at every rate" if summary and all(s[-1] for s in summary) else "NOT held at every rate"))
EOF
