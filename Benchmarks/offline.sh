#!/usr/bin/env bash
# Offline benchmark: CPU per packet and memory of `pathverify analyze` against the libpcap floor.
#
# Runs, alternating within each round (A B C D, A B C D, ...):
#   pcap_noop -x FILE                      the floor: libpcap pcap_next_ex, empty loop
#   pathverify analyze --json FILE         the program under test (stdout to /dev/null)
#   pcap_flows -m FILE, pcap_flows FILE    plain C flow counters, for context
# each timed by wait4(2) (user+sys CPU in microseconds, max RSS), and prints medians, the paired
# ratio to the floor (computed per round, then the median), peak RSS and pathverify's memory per flow.
# pathverify is built as README installs it (release, --static-swift-stdlib).
#
# Usage: Benchmarks/offline.sh [--rounds N] [--file PCAP] [--no-build]
# Environment:
#   PATHVERIFY=path   use this binary instead of building .build-bench (release)
#   PV_SHARED=dir     the shared/ folder (default: ../shared beside the repo root); its bench/
#                     holds gen_pcap.py, build_ref.sh and ref/
#   ROUNDS=N          same as --rounds (default 5)
# Inputs and helpers go to Benchmarks/data and Benchmarks/bin (both gitignored).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
rounds="${ROUNDS:-5}"
file=""
build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --file) file="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "--rounds takes a positive integer" >&2; exit 2; }

shared="${PV_SHARED:-$root/../shared}"
if [[ -x "$shared/bench/build_ref.sh" ]]; then bench="$shared/bench"
elif [[ -x "$shared/build_ref.sh" ]]; then bench="$shared"   # PV_SHARED pointing at bench/ itself
else echo "cannot find bench/build_ref.sh under $shared (set PV_SHARED)" >&2; exit 2; fi
bench="$(cd "$bench" && pwd)"

data="$here/data"
bin="$here/bin"
mkdir -p "$data" "$bin"

# --- 1. programs and data --------------------------------------------------------------------
if [[ -n "${PATHVERIFY:-}" ]]; then
    pv="$PATHVERIFY"
else
    if [[ "$build" == 1 ]]; then
        echo "building pathverify (release, .build-bench)" >&2
        (cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-bench --product pathverify >&2)
    fi
    pv="$(cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-bench --show-bin-path)/pathverify"
fi
[[ -x "$pv" ]] || { echo "no pathverify binary at $pv" >&2; exit 2; }

if [[ "$build" == 1 || ! -x "$bin/pcap_noop" || ! -x "$bin/pcap_flows" ]]; then
    PV_BENCH_BIN="$bin" "$bench/build_ref.sh" >&2
fi
if [[ ! -x "$bin/rusage" || "$here/rusage.c" -nt "$bin/rusage" ]]; then
    cc -O2 -Wall -o "$bin/rusage" "$here/rusage.c"
fi

gen() {  # gen NAME ARGS... : as bench/make_data.sh does, only if missing
    local out="$data/$1"; shift
    if [[ -s "$out" && -s "$out.truth.json" ]]; then return 0; fi
    echo "generating $out" >&2
    python3 "$bench/gen_pcap.py" -q -o "$out.tmp" "$@"
    mv "$out.tmp.truth.json" "$out.truth.json"
    mv "$out.tmp" "$out"
}
if [[ -z "$file" ]]; then
    gen medium.pcap -n 2000000 -f 100000 --seed 2   # make_data.sh "medium"
    file="$data/medium.pcap"
fi
gen tiny.pcap -n 100 -f 10 --seed 1                  # pathverify's baseline RSS
[[ -s "$file.truth.json" ]] || { echo "no truth file $file.truth.json" >&2; exit 2; }

truth_packets="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["packets"])' "$file.truth.json")"
truth_keys="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["flow_keys"])' "$file.truth.json")"

# --- 2. correctness, once, untimed ---------------------------------------------------------
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

rc=0; "$pv" analyze --json "$file" > "$work/report.json" || rc=$?
[[ $rc -le 1 ]] || { echo "pathverify analyze failed with exit status $rc" >&2; exit 1; }
read -r pv_packets pv_flows < <(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["capture"]
print(c["packets"], c["flows"])' "$work/report.json")
noop_packets="$("$bin/pcap_noop" -x "$file" | awk '{print $2}')"
flows_line="$("$bin/pcap_flows" -m "$file" | head -1)"

# --- 3. timed rounds, alternating ------------------------------------------------------------
# One line per run: round program user sys maxrss_kib
results="$work/runs.tsv"
: > "$results"
timed() {  # timed ROUND NAME CMD... : stdout to /dev/null; exit status 0 or 1 accepted
    local round="$1" name="$2"; shift 2
    local status=0 figures
    figures="$("$bin/rusage" "$@" 2> "$work/stderr")" || status=$?
    if [[ $status -gt 1 ]]; then
        echo "$name failed (exit status $status):" >&2; cat "$work/stderr" >&2; exit 1
    fi
    echo "$round $name $figures" >> "$results"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for _ in 1 2 3; do timed 0 baseline "$pv" analyze --json "$data/tiny.pcap"; done
for ((r = 1; r <= rounds; r++)); do
    echo "round $r/$rounds" >&2
    timed "$r" pcap_noop "$bin/pcap_noop" -x "$file"
    timed "$r" pathverify "$pv" analyze --json "$file"
    timed "$r" pcap_flows_m "$bin/pcap_flows" -m "$file"
    timed "$r" pcap_flows "$bin/pcap_flows" "$file"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# --- 4. table ------------------------------------------------------------------------------
python3 - "$results" "$truth_packets" "$pv_flows" <<'EOF'
import statistics as st, sys
path, packets, flows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runs = {}
for line in open(path):
    r, name, user, system, rss = line.split()
    runs.setdefault(name, {})[int(r)] = (float(user) + float(system), int(rss))
floor = runs["pcap_noop"]
base_rss = st.median(rss for _, rss in runs["baseline"].values())
labels = {"pcap_noop": "pcap_noop -x (floor)", "pathverify": "pathverify analyze --json",
          "pcap_flows_m": "pcap_flows -m (RSS: mmap)", "pcap_flows": "pcap_flows"}
print(f"{'program':27} {'ns/pkt':>7} {'min-max':>11} {'x floor':>8} {'min-max':>11} {'peak RSS':>10}")
for name, label in labels.items():
    rounds = runs[name]
    ns = [cpu * 1e9 / packets for cpu, _ in rounds.values()]
    ratios = [rounds[r][0] / floor[r][0] for r in rounds if floor[r][0] > 0]
    peak = max(rss for _, rss in rounds.values())
    print(f"{label:27} {st.median(ns):7.0f} {min(ns):5.0f}-{max(ns):<5.0f} {st.median(ratios):8.2f} "
          f"{min(ratios):5.2f}-{max(ratios):<5.2f} {peak / 1024:7.1f} MiB")
pv_peak = max(rss for _, rss in runs["pathverify"].values())
print(f"pathverify baseline RSS (100-packet file): {base_rss / 1024:.1f} MiB; "
      f"memory per flow: ({pv_peak} - {base_rss:.0f}) KiB / {flows} flows = "
      f"{(pv_peak - base_rss) * 1024 / flows:.0f} bytes")
print(f"target: pathverify <= 1.50 x floor -> "
      f"{'met' if st.median(runs['pathverify'][r][0] / floor[r][0] for r in runs['pathverify']) <= 1.5 else 'NOT met'}")
print("(CPU = user+sys from wait4, microseconds; ratio = per-round pathverify/floor, median)")
EOF

echo "file: $file ($truth_packets packets, $truth_keys flow keys in truth file), $rounds rounds"
echo "pathverify: $pv"
ok=1
check() {  # check WHAT GOT WANT
    if [[ "$2" == "$3" ]]; then echo "check: $1 $2 = truth $3: ok"
    else echo "check: $1 $2 != truth $3: MISMATCH"; ok=0; fi
}
check "pathverify capture.packets" "$pv_packets" "$truth_packets"
check "pcap_noop packets" "$noop_packets" "$truth_packets"
echo "info:  pathverify capture.flows $pv_flows (one-way, per interface and direction); pcap_flows -m: $flows_line"
[[ $ok == 1 ]] || exit 1
