import Foundation
import Glibc

/// A fake systemd notification socket: an `AF_UNIX` datagram socket bound at a temporary path,
/// as systemd binds one for `NOTIFY_SOCKET`; it collects what a notifier sends.
public final class NotifySocket {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let path: String
    private let descriptor: Int32
    private let directory: TemporaryDirectory

    public init() throws {
        directory = try TemporaryDirectory()
        path = directory.path + "/notify.sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw Failure(description: "path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw Failure(description: "bind \(path): errno \(errno)") }
    }

    /// Every datagram queued now, without waiting.
    public func received() -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count >= 0 else { return messages }
            messages.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
    }

    /// Collects datagrams until one satisfies `predicate` or `timeout` passes.
    /// - Returns: everything received, in order, the matching one last; `nil` if none matched.
    public func wait(timeout: Duration, for predicate: (String) -> Bool) -> [String]? {
        let deadline = ContinuousClock.now + timeout
        var messages: [String] = []
        while ContinuousClock.now < deadline {
            for message in received() {
                messages.append(message)
                if predicate(message) { return messages }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    /// Everything that arrives within `duration`.
    public func collect(for duration: Duration) -> [String] {
        let deadline = ContinuousClock.now + duration
        var messages: [String] = []
        while ContinuousClock.now < deadline {
            messages += received()
            Thread.sleep(forTimeInterval: 0.05)
        }
        return messages + received()
    }

    deinit { close(descriptor) }
}
