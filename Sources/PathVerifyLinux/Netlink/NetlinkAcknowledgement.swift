/// What ends an exchange: the payload of `NLMSG_ERROR` (`struct nlmsgerr`, linux/netlink.h), or
/// of `NLMSG_DONE` after a dump. An error number (0 for success) and, when the socket asked for
/// extended acks, the kernel's own text.
struct NetlinkAcknowledgement: Hashable, Sendable {
    /// The error as a positive `errno`; 0 for success.
    var errno: Int32
    /// `NLMSGERR_ATTR_MSG`: why the kernel refused, in its words ("Invalid prefix for given prefix length").
    var message: String?

    init(errno: Int32, message: String? = nil) {
        self.errno = errno
        self.message = message
    }

    /// Reads an `NLMSG_ERROR` or `NLMSG_DONE` message.
    /// - Throws: `NetlinkDecodeError` if the payload is too short for the error number.
    init(decoding message: NetlinkMessage) throws(NetlinkDecodeError) {
        let isError = message.type == .error
        let field = isError ? "nlmsgerr" : "error code of \(message.type)"
        let (code, extendedAck): (Int32, [UInt8]?) = try NetlinkBytes.read(message.payload) {
            (reader) throws(NetlinkDecodeError) in
            guard let raw = reader.readUInt32(NetlinkBytes.hostOrder) else {
                throw NetlinkDecodeError(field: field, reason: .truncated(needed: 4, available: message.payload.count))
            }
            let code = Int32(bitPattern: raw)
            guard message.flags & Netlink.flagAcknowledgementAttributes != 0 else { return (code, nil) }
            if isError {
                // NLMSG_ERROR echoes the request: only its header when capped, else all of it.
                let echoStart = reader.offset
                guard let echoedLength = reader.readUInt32(NetlinkBytes.hostOrder) else { return (code, nil) }
                let echoed =
                    message.flags & Netlink.flagCapped != 0
                    ? NetlinkMessage.headerLength : NetlinkBytes.aligned(Int(echoedLength))
                guard reader.skip(echoed - (reader.offset - echoStart)) else { return (code, nil) }
            }
            return (code, reader.readBytes(reader.remaining).map { Array($0) })
        }
        // The kernel sends the negated errno; `magnitude` cannot overflow where negation could.
        errno = Int32(clamping: code.magnitude)
        // The text only adds to the error number, so a malformed one is dropped, not reported.
        let attributes = extendedAck.flatMap { try? NetlinkAttribute.parseAll($0, in: field) } ?? []
        self.message = attributes.first { $0.type == Netlink.errorAttributeMessage }.map {
            String(decoding: $0.payload.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
