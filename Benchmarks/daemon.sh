#!/usr/bin/env bash
# Daemon benchmark: does `pathverify run` keep a flat CPU use and resident memory over time, idle and
# under steady load?
#
#   [netns pvdb-tx] pvdb-tx0 ==veth== pvdb-rx0 [netns pvdb-rx]
#   trafgen at a fixed rate  ------------->  pathverify run -i pvdb-rx0 --window 10s --log stdout
#
# Starts the daemon once (its stdout to a file) and samples /proc/PID/stat (utime + stime) and
# /proc/PID/status (VmRSS, Threads), the number of its open descriptors and the receiving veth's
# rx_packets every --interval seconds through two phases:
#   1. idle: no traffic at all, for --idle-minutes;
#   2. load: trafgen sends --rate packets/s of --flows UDP flows (IPv4, 60-byte frames, one frame
#      per flow per round), for --load-minutes.
# Then SIGTERM, and its STOPPED line. Prints per phase a table (minute, CPU % over that minute and
# over its last interval, RSS MiB at its end) and a summary: CPU % in the first vs the last minute,
# RSS at the start vs the end, and the slope of RSS (least squares, KiB/min) over the second half.
# CPU % is of one CPU (100 = one core busy), from clock ticks (10 ms): the daemon's own threads only;
# the kernel's delivery of each frame into the capture ring (softirq, on the sender's CPU on a veth pair)
# is not counted.
#
# Verdicts (exit status 1 when one does not hold):
#   RSS flat:  the second half's RSS slope is at most --max-rss-slope KiB/min (default 64);
#   CPU flat:  the median CPU % of the second half's intervals is at most 1.2 x the first half's
#              median + 0.5 percentage points (the machine is noisy).
# The daemon's stdout is checked too: any line but STARTED and STOPPED is listed (with --findings,
# RAISED/ONGOING/CLEARED of the bench's own intent are expected and counted).
#
# Usage: Benchmarks/daemon.sh [options]
#   -m, --minutes N         both phases (default 10); decimals allowed (0.5 = 30 s)
#       --idle-minutes N    the idle phase only (0 skips it)
#       --load-minutes N    the load phase only (0 skips it)
#   -i, --interval S        seconds between samples (default 10)
#   -r, --rate PPS          packets/s in the load phase (default 20000)
#   -f, --flows N           distinct UDP flows, sent round-robin (default 10000)
#   -w, --window TIME       the daemon's --window (default 10s)
#       --findings          also watch an idle second interface (pvdb-rx1) with a config whose intent
#                           expects UDP port 9999 on it: a sixth of the flows make an ingress-mismatch
#                           alert (RAISED once, ONGOING every 5 min), so the alert path runs too
#   -b, --binary PATH       pathverify (default .build/release/pathverify in the repo; or PATHVERIFY=)
#   -k, --keep DIR          keep the daemon's stdout/stderr, the samples (TSV) and trafgen's output
#       --max-rss-slope K   the RSS verdict's bound, KiB/min (default 64)
#   -h, --help
# Environment (options win): PVDB_MINUTES, PVDB_IDLE_MINUTES, PVDB_LOAD_MINUTES, PVDB_INTERVAL,
#   PVDB_RATE, PVDB_FLOWS, PATHVERIFY.
# Quick check: Benchmarks/daemon.sh --minutes 1     (about 2.5 minutes)
#
# Needs root (network namespaces, packet sockets), iproute2 (ip), netsniff-ng (trafgen), python3,
# coreutils (timeout) and util-linux (flock); it says which are missing and stops. It does not build:
# `swift build -c release` first (or pass --binary). Traffic stays between the two namespaces it
# creates (addresses 198.18.0.0/15, configured nowhere; the receiving stack drops the frames after the
# capture tap); they, the daemon and the sender are removed on every exit; every step is bounded in
# time; a lock keeps two runs apart.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
minutes="${PVDB_MINUTES:-10}"
idle_minutes="${PVDB_IDLE_MINUTES:-}"
load_minutes="${PVDB_LOAD_MINUTES:-}"
interval="${PVDB_INTERVAL:-10}"
rate="${PVDB_RATE:-20000}"
flows="${PVDB_FLOWS:-10000}"
window="10s"
findings=0
pv="${PATHVERIFY:-$root/.build/release/pathverify}"
keep=""
max_rss_slope=64
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "daemon.sh: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        -m|--minutes) minutes="${2:?}"; shift 2 ;;
        --idle-minutes) idle_minutes="${2:?}"; shift 2 ;;
        --load-minutes) load_minutes="${2:?}"; shift 2 ;;
        -i|--interval) interval="${2:?}"; shift 2 ;;
        -r|--rate) rate="${2:?}"; shift 2 ;;
        -f|--flows) flows="${2:?}"; shift 2 ;;
        -w|--window) window="${2:?}"; shift 2 ;;
        --findings) findings=1; shift ;;
        -b|--binary) pv="${2:?}"; shift 2 ;;
        -k|--keep) keep="${2:?}"; shift 2 ;;
        --max-rss-slope) max_rss_slope="${2:?}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
idle_minutes="${idle_minutes:-$minutes}"
load_minutes="${load_minutes:-$minutes}"
number() { [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "$1 takes a number, got '$2'"; }
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 takes a positive integer, got '$2'"; }
number --minutes "$minutes"; number --idle-minutes "$idle_minutes"; number --load-minutes "$load_minutes"
positive --interval "$interval"; positive --rate "$rate"; positive --flows "$flows"
positive --max-rss-slope "$max_rss_slope"
(( flows <= 65536 )) || die "--flows takes at most 65536"
[[ "$window" =~ ^[0-9]+(\.[0-9]+)?(ms|s|m|h)$ ]] || die "--window takes a time such as 10s or 1m, got '$window'"
# Whole intervals per phase, at least one.
idle_s=$(awk -v m="$idle_minutes" -v i="$interval" 'BEGIN { s = m * 60; if (s > 0 && s < i) s = i; print int(s / i + 0.5) * i }')
load_s=$(awk -v m="$load_minutes" -v i="$interval" 'BEGIN { s = m * 60; if (s > 0 && s < i) s = i; print int(s / i + 0.5) * i }')
(( idle_s + load_s > 0 )) || die "both phases are empty"
[[ $EUID -eq 0 ]] || die "needs root (network namespaces, packet sockets)"

missing=()
for tool in ip:iproute2 trafgen:netsniff-ng python3:python3 timeout:coreutils flock:util-linux awk:gawk/mawk; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool%%:*} (Debian package ${tool#*:})")
done
[[ ${#missing[@]} -eq 0 ]] || die "missing: ${missing[*]}; e.g. apt-get install iproute2 netsniff-ng python3"
[[ -x "$pv" ]] || die "no pathverify binary at $pv: build it (swift build -c release) or pass --binary PATH"
[[ -z "$keep" ]] || mkdir -p "$keep"

exec 9> /tmp/pvdb-daemon.lock
flock -n 9 || die "another Benchmarks/daemon.sh is running (lock /tmp/pvdb-daemon.lock)"

NS_TX=pvdb-tx NS_RX=pvdb-rx
IF_TX=pvdb-tx0 IF_RX=pvdb-rx0
MAC_TX=02:00:00:00:db:01 MAC_RX=02:00:00:00:db:02
work="$(mktemp -d /tmp/pvdb-daemon.XXXXXX)"
cleanup() {
    local status=$? pid f
    trap - EXIT INT TERM
    if [[ -n "$sampler_pid" ]]; then   # timeout passes TERM on to the sampler
        kill -TERM "$sampler_pid" 2>/dev/null || true
        { wait "$sampler_pid"; } 2>/dev/null || true
    fi
    for f in "$work/daemon.pid" "$work/sender.pid"; do
        if [[ -s "$f" ]]; then
            pid=$(cat "$f")
            [[ "$pid" =~ ^[0-9]+$ ]] && kill -KILL -- "-$pid" 2>/dev/null || true
        fi
    done
    for pid in "${wrappers[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for pid in "${guards[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    ip netns del "$NS_TX" 2>/dev/null || true
    ip netns del "$NS_RX" 2>/dev/null || true
    if [[ -n "$keep" ]]; then cp "$work"/*.txt "$work"/*.tsv "$keep"/ 2>/dev/null || true; fi
    rm -rf "$work"
    exit "$status"
}
wrappers=() guards=() sampler_pid=""
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- namespaces ---------------------------------------------------------------------------------
ip netns del "$NS_TX" 2>/dev/null || true   # left by a run that was killed (the lock says none runs)
ip netns del "$NS_RX" 2>/dev/null || true
ip netns add "$NS_TX"
ip netns add "$NS_RX"
ip link add "$IF_TX" netns "$NS_TX" type veth peer name "$IF_RX" netns "$NS_RX"
if [[ "$findings" == 1 ]]; then
    ip link add pvdb-tx1 netns "$NS_TX" type veth peer name pvdb-rx1 netns "$NS_RX"
fi
for ns in "$NS_TX" "$NS_RX"; do
    # No IPv6 (no router or neighbour solicitations): the idle phase is really idle.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
        net.ipv4.ip_forward=0
    ip -n "$ns" link set lo up
done
ip -n "$NS_TX" link set "$IF_TX" address "$MAC_TX" up
ip -n "$NS_RX" link set "$IF_RX" address "$MAC_RX" up
if [[ "$findings" == 1 ]]; then
    ip -n "$NS_TX" link set pvdb-tx1 up
    ip -n "$NS_RX" link set pvdb-rx1 up
fi
for _ in $(seq 50); do
    [[ "$(ip netns exec "$NS_RX" cat "/sys/class/net/$IF_RX/operstate")" == up ]] && break; sleep 0.1
done

# --- traffic: one 60-byte IPv4/UDP frame per flow, sent round-robin -------------------------------
timeout 120 python3 - "$work/flows.trafgen" "$flows" "$MAC_TX" "$MAC_RX" <<'EOF'
import struct, sys
out, flows, mac_tx, mac_rx = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
smac = bytes.fromhex(mac_tx.replace(":", "")); dmac = bytes.fromhex(mac_rx.replace(":", ""))
ports = [53, 123, 443, 4789, 5001, 9999]          # a sixth of the flows go to port 9999 (--findings)
def checksum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
with open(out, "w") as f:
    for i in range(flows):
        src = bytes([198, 18, (i >> 8) & 0xFF, i & 0xFF])          # 198.18.0.0/16: one source per flow
        dst = bytes([198, 19, 0, 1 + i % 64])
        sport, dport = 1024 + (i * 7919) % 60000, ports[i % len(ports)]
        payload = bytes(18)
        udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload   # checksum 0: none
        ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0, src, dst))
        struct.pack_into("!H", ip, 10, checksum(bytes(ip)))
        frame = dmac + smac + b"\x08\x00" + bytes(ip) + udp
        f.write("{ " + ", ".join("0x%02x" % b for b in frame) + " }\n")
EOF

# --- helpers ------------------------------------------------------------------------------------
# sample.py PID PHASE SECONDS INTERVAL IFACE OUT: one TSV line per sample, at 0, INTERVAL, ... SECONDS
# (monotonic deadlines): phase, t_s, cpu_ticks (utime + stime), rss_kib, threads, fds, rx_packets.
cat > "$work/sample.py" <<'EOF'
import os, sys, time
pid, phase, seconds, interval, iface, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
def sample():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])          # utime, stime (fields 14 and 15 of stat)
    rss = threads = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"): rss = int(line.split()[1])
            elif line.startswith("Threads:"): threads = int(line.split()[1])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    with open(f"/sys/class/net/{iface}/statistics/rx_packets") as f:
        rx = int(f.read())
    return ticks, rss, threads, fds, rx
start = time.monotonic()
with open(out, "a", buffering=1) as f:
    n = 0
    while True:
        try:
            s = sample()
        except (FileNotFoundError, ProcessLookupError):
            sys.exit(f"the daemon (pid {pid}) is gone")
        f.write("\t".join(map(str, (phase, f"{time.monotonic() - start:.3f}") + s)) + "\n")
        n += 1
        if n * interval > seconds + 1e-6: break
        time.sleep(max(0.0, start + n * interval - time.monotonic()))
EOF
# spawn PIDFILE LIMIT CMD...: runs CMD in the background as the leader of a session and process group of
# its own (its pid, after exec, in PIDFILE), killed after LIMIT seconds whatever happens.
spawn() {
    local pidfile="$1" limit="$2"; shift 2
    timeout -s KILL "$limit" setsid sh -c 'echo $$ > "$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$pidfile" "$@" 9>&- &
    wrappers+=("$!")
    disown "$!"
    # timeout's KILL reaches only its child: end the whole group too (trafgen forks its workers).
    setsid bash -c 'sleep "$1"; [[ -s "$2" ]] && kill -KILL -- "-$(cat "$2")"' guard "$limit" "$pidfile" \
        9>&- < /dev/null > /dev/null 2>&1 &
    guards+=("$!")
    disown "$!"
}
wait_pidfile() { for _ in $(seq 100); do [[ -s "$1" ]] && return 0; sleep 0.1; done; return 1; }

# --- the daemon ---------------------------------------------------------------------------------
total_s=$(( idle_s + load_s ))
run_args=(run -i "$IF_RX" --window "$window" --log stdout)
if [[ "$findings" == 1 ]]; then
    cat > "$work/pathverify.toml" <<EOF
[[interface]]
name = "$IF_RX"
[[interface]]
name = "pvdb-rx1"
[[intent]]
name = "bench"
protocol = "udp"
ports = [9999]
ingress = "pvdb-rx1"
EOF
    run_args=(run -i "$IF_RX,pvdb-rx1" --config "$work/pathverify.toml" --window "$window" --log stdout)
fi
echo "pathverify: $pv" >&2
echo "daemon: pathverify ${run_args[*]}" >&2
echo "phases: idle ${idle_s}s, load ${load_s}s at ${rate} packets/s over ${flows} flows; a sample every ${interval}s" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Not systemd's child: no NOTIFY_SOCKET, and no syslog.
spawn "$work/daemon.pid" $(( total_s + 300 )) ip netns exec "$NS_RX" \
    env -u NOTIFY_SOCKET -u WATCHDOG_USEC -u WATCHDOG_PID "$pv" "${run_args[@]}" \
    < /dev/null > "$work/daemon-stdout.txt" 2> "$work/daemon-stderr.txt"
wait_pidfile "$work/daemon.pid" || die "the daemon did not start"
daemon_pid=$(cat "$work/daemon.pid")
for _ in $(seq 150); do
    grep -q '^STARTED ' "$work/daemon-stdout.txt" && break
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
done
grep -q '^STARTED ' "$work/daemon-stdout.txt" || { cat "$work/daemon-stderr.txt" >&2; die "no STARTED line within 15 s"; }
echo "daemon pid $daemon_pid: $(head -1 "$work/daemon-stdout.txt")" >&2
sleep 2   # past start-up

sampler() {   # PHASE SECONDS
    echo "phase $1: ${2}s from $(date -u +%H:%M:%S) UTC" >&2
    # In the background, so that a signal to this script is handled at once, not after the phase.
    ip netns exec "$NS_RX" timeout $(( $2 + 60 )) python3 "$work/sample.py" "$daemon_pid" "$1" "$2" "$interval" \
        "$IF_RX" "$work/samples.tsv" 9>&- &
    sampler_pid=$!
    wait "$sampler_pid" || die "sampling the $1 phase failed"
    sampler_pid=""
}
: > "$work/samples.tsv"
(( idle_s == 0 )) || sampler idle "$idle_s"

sent=0 send_s=0
if (( load_s > 0 )); then
    # trafgen paces itself (-b); --num bounds it even if it is never stopped; -Q leaves IRQ affinity and
    # --no-sock-mem the host's net.core socket memory sysctls alone.
    spawn "$work/sender.pid" $(( load_s + 120 )) ip netns exec "$NS_TX" \
        trafgen --dev "$IF_TX" --conf "$work/flows.trafgen" --cpus 1 -Q --no-sock-mem -b "${rate}pps" --num $(( rate * (load_s + 60) )) \
        < /dev/null > "$work/trafgen.txt" 2>&1
    wait_pidfile "$work/sender.pid" || die "trafgen did not start"
    sender_pid=$(cat "$work/sender.pid")
    # trafgen reads its configuration first: wait until frames arrive.
    rx0=$(ip netns exec "$NS_RX" cat "/sys/class/net/$IF_RX/statistics/rx_packets")
    for _ in $(seq 300); do
        (( $(ip netns exec "$NS_RX" cat "/sys/class/net/$IF_RX/statistics/rx_packets") > rx0 )) && break
        kill -0 "$sender_pid" 2>/dev/null || { cat "$work/trafgen.txt" >&2; die "trafgen ended early"; }
        sleep 0.1
    done
    sleep 2   # past the first burst
    sampler load "$load_s"
    kill -INT -- "-$sender_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$sender_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$sender_pid" 2>/dev/null || true
    rm -f "$work/sender.pid"
    sent=$(tr -d '\r' < "$work/trafgen.txt" | awk '/packets outgoing/ {print $1; exit}')
    send_s=$(tr -d '\r' < "$work/trafgen.txt" | awk '/usec on CPU/ {t = $1 + $3 / 1e6; if (t > m) m = t} END {print m + 0}')
fi

# --- stop ---------------------------------------------------------------------------------------
kill -TERM "$daemon_pid" 2>/dev/null || true
for _ in $(seq 150); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$daemon_pid" 2>/dev/null; then
    echo "daemon.sh: the daemon did not stop within 15 s of SIGTERM; killed" >&2
    kill -KILL "$daemon_pid" 2>/dev/null || true
fi
rm -f "$work/daemon.pid"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report -------------------------------------------------------------------------------------
python3 - "$work/samples.tsv" "$work/daemon-stdout.txt" "$work/daemon-stderr.txt" "$interval" "$max_rss_slope" \
    "$rate" "$flows" "${sent:-0}" "${send_s:-0}" "$findings" "$load_before" "$load_after" "$(getconf CLK_TCK)" <<'EOF'
import statistics, sys
(path, stdout_path, stderr_path, interval, max_slope, rate, flows, sent, send_s, findings, load_before,
 load_after, hz) = sys.argv[1:14]
interval, max_slope, hz, findings = float(interval), float(max_slope), float(hz), findings == "1"
rows = {}
for line in open(path):
    f = line.rstrip("\n").split("\t")
    rows.setdefault(f[0], []).append(dict(t=float(f[1]), ticks=int(f[2]), rss=int(f[3]), threads=int(f[4]),
                                          fds=int(f[5]), rx=int(f[6])))
def cpu(a, b):
    return 100.0 * (b["ticks"] - a["ticks"]) / hz / (b["t"] - a["t"]) if b["t"] > a["t"] else float("nan")
def slope(points):   # least squares, KiB per minute
    if len(points) < 2: return float("nan")
    xs = [p["t"] / 60 for p in points]; ys = [p["rss"] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else float("nan")
def at(samples, t):   # the sample nearest to t seconds
    return min(samples, key=lambda s: abs(s["t"] - t))
mib = lambda kib: kib / 1024
held = True
verdicts = []
for phase in ("idle", "load"):
    s = rows.get(phase)
    if not s or len(s) < 2: continue
    end = s[-1]["t"]
    print(f"\n{phase} phase: {end / 60:.1f} min, a sample every {interval:.0f} s")
    print(f"{'minute':>6} | {'CPU % (minute)':>14} | {'CPU % (last interval)':>21} | {'RSS MiB':>8} | {'threads':>7} | {'fds':>4} | {'rx pkt/s':>8}")
    marks = [m * 60 for m in range(1, int(end // 60 + 1e-6) + 1)]
    if not marks or end - marks[-1] > interval / 2: marks.append(end)
    prev = s[0]
    for mark in marks:
        b = at(s, mark)
        last = s[max(0, s.index(b) - 1)]
        pps = (b["rx"] - prev["rx"]) / (b["t"] - prev["t"]) if b["t"] > prev["t"] else 0
        print(f"{b['t'] / 60:>6.1f} | {cpu(prev, b):>14.2f} | {cpu(last, b):>21.2f} | {mib(b['rss']):>8.2f} | {b['threads']:>7} | {b['fds']:>4} | {pps:>8.0f}")
        prev = b
    intervals = [cpu(a, b) for a, b in zip(s, s[1:])]
    first_min, last_min = cpu(s[0], at(s, min(60, end))), cpu(at(s, max(0, end - 60)), s[-1])
    half = len(intervals) // 2
    first_half, second_half = intervals[:half] or intervals, intervals[half:]
    m1, m2 = statistics.median(first_half), statistics.median(second_half)
    second = [p for p in s if p["t"] >= end / 2]
    sl = slope(second)
    judged = len(second) >= 3 and len(intervals) >= 2
    rss_ok = sl <= max_slope if judged else True
    cpu_ok = m2 <= 1.2 * m1 + 0.5
    held &= rss_ok and cpu_ok
    print(f"summary ({phase}): CPU % first minute {first_min:.2f}, last minute {last_min:.2f}; median of the "
          f"{len(intervals)} intervals {statistics.median(intervals):.2f} (first half {m1:.2f}, second half {m2:.2f})")
    print(f"summary ({phase}): RSS start {mib(s[0]['rss']):.2f} MiB, end {mib(s[-1]['rss']):.2f} MiB "
          f"(min {mib(min(p['rss'] for p in s)):.2f}, max {mib(max(p['rss'] for p in s)):.2f}); slope over the "
          f"second half {sl:+.1f} KiB/min ({len(second)} samples); threads {s[0]['threads']} -> {s[-1]['threads']}, "
          f"fds {s[0]['fds']} -> {s[-1]['fds']}")
    if phase == "load":
        rx = s[-1]["rx"] - s[0]["rx"]
        print(f"summary (load): received {rx / end:.0f} packets/s on the veth over the phase (target {rate}); "
              f"trafgen sent {sent} in {float(send_s):.0f} s")
    if not judged:
        verdicts.append(f"{phase}: too short to judge (fewer than 3 samples in its second half)")
        continue
    verdicts.append(f"{phase}: RSS {'flat' if rss_ok else 'GROWS'} (slope {sl:+.1f} <= {max_slope:.0f} KiB/min: "
                    f"{'yes' if rss_ok else 'no'}); CPU {'flat' if cpu_ok else 'GROWS'} (second-half median {m2:.2f} <= "
                    f"1.2 x {m1:.2f} + 0.5: {'yes' if cpu_ok else 'no'})")
# The daemon's own lines.
lines = [l for l in open(stdout_path).read().splitlines() if l]
events = {}
for l in lines: events[l.split(" ", 1)[0]] = events.get(l.split(" ", 1)[0], 0) + 1
expected = {"STARTED", "STOPPED"} | ({"RAISED", "ONGOING", "CLEARED"} if findings else set())
unexpected = [l for l in lines if l.split(" ", 1)[0] not in expected
              or (findings and l.split(" ", 1)[0] in ("RAISED", "ONGOING", "CLEARED") and "intent=bench" not in l)]
stopped = next((l for l in lines if l.startswith("STOPPED ")), None)
print(f"\ndaemon stdout: {len(lines)} lines: " + ", ".join(f"{k} {v}" for k, v in sorted(events.items())))
print("stopped: " + (stopped or "NO STOPPED LINE"))
for l in unexpected[:10]: print("unexpected: " + l)
if len(unexpected) > 10: print(f"unexpected: ... and {len(unexpected) - 10} more")
err = open(stderr_path).read().strip()
if err: print("daemon stderr: " + err[:2000])
print(f"load average before {load_before}, after {load_after}")
for v in verdicts: print("verdict " + v)
if stopped is None: held = False
judged_any = any("too short" not in v for v in verdicts)
print("goal: " + ("NOT held" if not held else "held (flat CPU and RSS)" if judged_any else "not judged (phases too short)"))
sys.exit(0 if held else 1)
EOF
