# Shared by lab.sh and team-lab.sh (sourced): namespace helpers. The sourcing script defines
# die() and namespace(HOST) -> full namespace name.

exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

in_ns() { ip netns exec "$(namespace "$1")" "${@:2}"; }

# remove_namespaces HOST...: deletes each host's namespace, killing what runs in it first (a
# process left inside would keep the namespace and its veths alive after del); idempotent.
remove_namespaces() {
    local host ns pids
    for host in "$@"; do
        ns=$(namespace "$host")
        exists "$ns" || continue
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        if [ -n "$pids" ]; then
            kill -TERM $pids 2>/dev/null || true
            sleep 0.2
            kill -KILL $(ip netns pids "$ns" 2>/dev/null || true) 2>/dev/null || true
        fi
        ip netns del "$ns" || true
    done
    for host in "$@"; do
        if exists "$(namespace "$host")"; then die "could not remove namespace $(namespace "$host")"; fi
    done
}
