/// One netlink message: a `struct nlmsghdr` (linux/netlink.h) and the payload it counts.
///
/// A datagram from the kernel holds one or more messages back to back, each starting on a
/// 4-byte boundary.
struct NetlinkMessage: Hashable, Sendable {
    var type: NetlinkMessageType
    /// `NLM_F_*`.
    var flags: UInt16
    var sequence: UInt32
    /// `nlmsg_pid`: the sending socket's port; 0 from the kernel.
    var portID: UInt32
    /// The bytes after the header, up to `nlmsg_len` (the padding after them left out).
    var payload: [UInt8]

    /// `struct nlmsghdr`: len u32, type u16, flags u16, seq u32, pid u32.
    static let headerLength = 16

    init(type: NetlinkMessageType, flags: UInt16, sequence: UInt32, portID: UInt32 = 0, payload: [UInt8]) {
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.portID = portID
        self.payload = payload
    }

    /// The header and payload as they go on the wire.
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.headerLength + payload.count)
        bytes.appendHostOrder(UInt32(Self.headerLength + payload.count))
        bytes.appendHostOrder(type.rawValue)
        bytes.appendHostOrder(flags)
        bytes.appendHostOrder(sequence)
        bytes.appendHostOrder(portID)
        bytes += payload
        return bytes
    }

    /// Splits a datagram into its messages.
    /// - Throws: `NetlinkDecodeError` if a header or a payload is cut short, or a length is
    ///   smaller than the header.
    static func parseAll(_ datagram: [UInt8]) throws(NetlinkDecodeError) -> [NetlinkMessage] {
        try NetlinkBytes.read(datagram) { (reader) throws(NetlinkDecodeError) in
            var messages: [NetlinkMessage] = []
            let order = NetlinkBytes.hostOrder
            while reader.remaining > 0 {
                let available = reader.remaining
                guard let length = reader.readUInt32(order), let type = reader.readUInt16(order),
                    let flags = reader.readUInt16(order), let sequence = reader.readUInt32(order),
                    let portID = reader.readUInt32(order)
                else {
                    throw NetlinkDecodeError(
                        field: "nlmsghdr", reason: .truncated(needed: headerLength, available: available))
                }
                let messageType = NetlinkMessageType(rawValue: type)
                guard length >= headerLength else {
                    throw NetlinkDecodeError(
                        field: "nlmsghdr of \(messageType)",
                        reason: .lengthBelowHeader(length: Int(length), header: headerLength))
                }
                guard let payload = reader.readBytes(Int(length) - headerLength) else {
                    throw NetlinkDecodeError(
                        field: "\(messageType) message", reason: .truncated(needed: Int(length), available: available))
                }
                messages.append(
                    NetlinkMessage(
                        type: messageType, flags: flags, sequence: sequence, portID: portID, payload: Array(payload)))
                // The last message of a datagram may come without its padding.
                let padding = NetlinkBytes.aligned(Int(length)) - Int(length)
                _ = reader.skip(min(padding, reader.remaining))
            }
            return messages
        }
    }
}
