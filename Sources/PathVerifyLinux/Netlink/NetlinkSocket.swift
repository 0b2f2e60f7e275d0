import Glibc

/// A `NETLINK_ROUTE` socket for requests and their answers: dumps (every route, rule or link)
/// and single requests such as a route lookup.
///
/// Each request gets the next sequence number; messages carrying another one, left over from a
/// request that failed midway, are skipped. A receive timeout keeps a kernel that does not
/// answer from hanging the caller. One request at a time: the socket is not for sharing
/// between threads.
final class NetlinkSocket {
    let descriptor: Int32
    let receiveTimeout: Duration
    private var lastSequence: UInt32 = 0
    /// Holds one datagram. Dump parts are at most 32 KiB (the kernel's largest dump buffer);
    /// the buffer grows if a datagram is larger, so none is cut.
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// How often a dump that changes keep interrupting is taken before giving up. Each try
    /// lasts microseconds, so only a table changing constantly fails them all.
    static let dumpAttempts = 4

    /// Opens the socket and sets its receive timeout.
    /// - Parameter receiveTimeout: how long one receive waits for the kernel before the request fails.
    /// - Throws: `SystemCallError` of `socket` or `setsockopt`.
    init(receiveTimeout: Duration = .seconds(2)) throws(SystemCallError) {
        let descriptor = try Self.openSocket(nonBlocking: false)
        do {
            try Self.setReceiveTimeout(descriptor, receiveTimeout)
        } catch {
            close(descriptor)
            throw error
        }
        // Best effort: without these (kernels before 4.12) errors carry only their number.
        try? Self.setOption(descriptor, Netlink.optionExtendedAcknowledgement, "NETLINK_EXT_ACK")
        try? Self.setOption(descriptor, Netlink.optionCapAcknowledgement, "NETLINK_CAP_ACK")
        self.descriptor = descriptor
        self.receiveTimeout = receiveTimeout
    }

    deinit { close(descriptor) }

    /// Every object of a kind: sends `type` with `NLM_F_DUMP` and collects the parts up to
    /// `NLMSG_DONE`. A dump the kernel marks inconsistent (`NLM_F_DUMP_INTR`: the objects changed
    /// while it ran) is taken again, up to `dumpAttempts` times.
    /// - Throws: `NetlinkError` naming `type`.
    func dump(_ type: NetlinkMessageType, payload: [UInt8]) throws(NetlinkError) -> [NetlinkMessage] {
        for _ in 1...Self.dumpAttempts {
            let answer = try exchange(type, flags: Netlink.flagDump, payload: payload)
            if !answer.isInterrupted { return answer.messages }
        }
        throw NetlinkError(request: "\(type)", reason: .dumpInterrupted(attempts: Self.dumpAttempts))
    }

    /// Sends one request and returns the message that answers it.
    /// - Throws: `NetlinkError` naming `type`; `.refused` carries the kernel's `errno`.
    func request(_ type: NetlinkMessageType, payload: [UInt8]) throws(NetlinkError) -> NetlinkMessage {
        guard let answer = try exchange(type, flags: 0, payload: payload).messages.first else {
            throw NetlinkError(
                request: "\(type)",
                reason: .malformed(NetlinkDecodeError(field: "answer", reason: .invalid("no message before the end"))))
        }
        return answer
    }

    /// Sends a request and collects its answer (see `NetlinkAnswer`).
    private func exchange(_ type: NetlinkMessageType, flags: UInt16, payload: [UInt8]) throws(NetlinkError)
        -> NetlinkAnswer
    {
        lastSequence &+= 1
        let request = NetlinkMessage(
            type: type, flags: Netlink.flagRequest | flags, sequence: lastSequence, payload: payload)
        do {
            try send(request.encoded())
        } catch {
            throw NetlinkError(request: "\(type)", reason: .systemCall(error))
        }
        var answer = NetlinkAnswer(request: type, sequence: lastSequence)
        while try !answer.consume(receive(for: type)) {}
        return answer
    }

    /// One datagram from the kernel, whole.
    ///
    /// The corresponding C functions are `recv`, with `MSG_PEEK | MSG_TRUNC` so that it gives the
    /// datagram's full size and the buffer can grow first, and `recvfrom`.
    private func receive(for type: NetlinkMessageType) throws(NetlinkError) -> [UInt8] {
        while true {
            let size = try systemCall("recv", for: type) {
                buffer.withUnsafeMutableBytes {
                    recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_PEEK | MSG_TRUNC))
                }
            }
            if size > buffer.count { buffer = [UInt8](repeating: 0, count: size) }
            var sender = sockaddr_storage()
            var senderLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = try systemCall("recvfrom", for: type) {
                buffer.withUnsafeMutableBytes { raw in
                    withUnsafeMutablePointer(to: &sender) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            recvfrom(descriptor, raw.baseAddress, raw.count, Int32(MSG_TRUNC), $0, &senderLength)
                        }
                    }
                }
            }
            guard count <= buffer.count else {
                // Only if the datagram peeked at was not the one read: never with one reader.
                let error = NetlinkDecodeError(
                    field: "datagram", reason: .truncated(needed: count, available: buffer.count))
                throw NetlinkError(request: "\(type)", reason: .malformed(error))
            }
            // Only the kernel (port 0) answers requests; a datagram from another port is not ours.
            guard Self.port(of: sender) == 0 else { continue }
            return Array(buffer[0..<count])
        }
    }

    /// Runs a receive call, repeating it on `EINTR`; its failure becomes the request's error,
    /// and `EAGAIN` (what `SO_RCVTIMEO` gives) is `.noAnswer`.
    private func systemCall(
        _ call: String, for type: NetlinkMessageType, _ body: () -> Int
    ) throws(NetlinkError) -> Int {
        do {
            return try SystemCallError.retryingOnInterrupt(call, body)
        } catch {
            if error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                throw NetlinkError(request: "\(type)", reason: .noAnswer(timeout: receiveTimeout))
            }
            throw NetlinkError(request: "\(type)", reason: .systemCall(error))
        }
    }
}
