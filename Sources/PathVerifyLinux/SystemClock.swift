import Glibc
import PathVerifyCore

/// The system's clocks, for the shell: the core takes time as values.
public enum SystemClock {
    /// Nanoseconds on CLOCK_MONOTONIC, which never jumps: for measuring intervals.
    ///
    /// The corresponding C function is `clock_gettime`.
    public static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    /// The wall clock (CLOCK_REALTIME): for showing when something happened.
    ///
    /// The corresponding C function is `clock_gettime`.
    public static func now() -> Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(seconds: Int64(now.tv_sec), nanoseconds: Int64(now.tv_nsec))
    }
}
