import Glibc
import Synchronization

/// SIGINT and SIGTERM (and for the daemon SIGHUP) turned into something a loop can wait for.
///
/// The handler only writes the signal's number to a pipe (`write` is async-signal-safe), and
/// `wait` polls the pipe, so the wait ends at once whichever thread the signal interrupted.
/// Make one per process: the handler finds the pipe through a process-wide value.
public final class TerminationSignals {
    /// The pipe's write end, for the handler; -1 when no instance is installed.
    private static let writeDescriptor = Atomic<Int32>(-1)
    private let readDescriptor: Int32
    private let writeDescriptor: Int32
    private let signals: [Int32]

    /// Creates the pipe and installs the handlers for `signals`.
    ///
    /// The corresponding C functions are `pipe`, `fcntl`, `sigaction` and `pthread_sigmask`.
    public init(_ signals: [Int32] = [SIGINT, SIGTERM]) throws(SystemCallError) {
        self.signals = signals
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { throw SystemCallError(call: "pipe", errno: errno) }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
        // Non-blocking: the handler must never block, nor `wait` when the pipe is empty.
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
        }
        Self.writeDescriptor.store(writeDescriptor, ordering: .sequentiallyConsistent)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            let saved = errno
            var byte = UInt8(truncatingIfNeeded: signal)
            _ = write(TerminationSignals.writeDescriptor.load(ordering: .sequentiallyConsistent), &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        for signal in signals where sigaction(signal, &action, nil) != 0 {
            throw SystemCallError(call: "sigaction", errno: errno)
        }
        // A parent may have started us with these signals blocked (Foundation's Process does):
        // a handler for a blocked signal never runs, and the signal would wait forever.
        var handled = sigset_t()
        sigemptyset(&handled)
        for signal in signals { sigaddset(&handled, signal) }
        let code = pthread_sigmask(SIG_UNBLOCK, &handled, nil)
        guard code == 0 else { throw SystemCallError(call: "pthread_sigmask", errno: code) }
    }

    /// The pipe's read end: readable once a signal arrived, for callers that poll other
    /// descriptors too (the live capture polls its handles).
    public var descriptor: Int32 { readDescriptor }

    /// The signal that arrived, if one did, without waiting.
    public func received() -> Int32? {
        var byte: UInt8 = 0
        return read(readDescriptor, &byte, 1) == 1 ? Int32(byte) : nil
    }

    /// Waits until one of the signals arrives or `nanoseconds` pass.
    ///
    /// The corresponding C function is `poll`.
    /// - Returns: the signal's number, or `nil` when the time passed without one.
    public func wait(nanoseconds: UInt64) -> Int32? {
        let deadline = SystemClock.monotonicNanoseconds() + nanoseconds
        while true {
            var byte: UInt8 = 0
            if read(readDescriptor, &byte, 1) == 1 { return Int32(byte) }
            let now = SystemClock.monotonicNanoseconds()
            guard now < deadline else { return nil }
            let remaining = deadline - now
            // Whole milliseconds, rounded up so that the wait never ends early.
            let milliseconds = Int32(clamping: (remaining + 999_999) / 1_000_000)
            var descriptor = pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0)
            // A timeout, a signal (EINTR) or a byte in the pipe: the loop sorts them out.
            _ = poll(&descriptor, 1, milliseconds)
        }
    }

    deinit {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        for signal in signals { sigaction(signal, &action, nil) }
        Self.writeDescriptor.store(-1, ordering: .sequentiallyConsistent)
        close(readDescriptor)
        close(writeDescriptor)
    }
}
