/// The answer to one request, collected from the datagrams that arrive: the messages carrying
/// the request's sequence number, up to the one that ends it.
///
/// A dump ends with `NLMSG_DONE`; a single request with its one message (no `NLM_F_MULTI`);
/// either with `NLMSG_ERROR`, which is an error unless its code is 0. Messages of other
/// sequence numbers, left over from an earlier request that failed midway, are skipped.
struct NetlinkAnswer {
    let request: NetlinkMessageType
    let sequence: UInt32
    private(set) var messages: [NetlinkMessage] = []
    /// Whether a part carried `NLM_F_DUMP_INTR`: the objects changed while the dump ran.
    private(set) var isInterrupted = false
    private(set) var isComplete = false

    init(request: NetlinkMessageType, sequence: UInt32) {
        self.request = request
        self.sequence = sequence
    }

    /// Takes the messages of one datagram.
    /// - Returns: whether the answer is complete; messages after its end are ignored.
    /// - Throws: `NetlinkError` naming the request: `.refused` with the kernel's `errno`, or
    ///   `.malformed` for a datagram that cannot be read.
    mutating func consume(_ datagram: [UInt8]) throws(NetlinkError) -> Bool {
        let parsed: [NetlinkMessage]
        do {
            parsed = try NetlinkMessage.parseAll(datagram)
        } catch {
            throw failure(.malformed(error))
        }
        for message in parsed where message.sequence == sequence && !isComplete {
            if message.flags & Netlink.flagDumpInterrupted != 0 { isInterrupted = true }
            switch message.type {
            case .noop:
                continue
            case .error, .done:
                // Kernels before 2.6.24 could end a dump with an empty NLMSG_DONE.
                if message.type == .done, message.payload.isEmpty {
                    isComplete = true
                    continue
                }
                let acknowledgement: NetlinkAcknowledgement
                do {
                    acknowledgement = try NetlinkAcknowledgement(decoding: message)
                } catch {
                    throw failure(.malformed(error))
                }
                guard acknowledgement.errno == 0 else {
                    throw failure(.refused(errno: acknowledgement.errno, message: acknowledgement.message))
                }
                isComplete = true
            case .overrun:
                let error = NetlinkDecodeError(
                    field: "NLMSG_OVERRUN", reason: .invalid("the kernel lost part of the answer"))
                throw failure(.malformed(error))
            default:
                messages.append(message)
                if message.flags & Netlink.flagMulti == 0 { isComplete = true }
            }
        }
        return isComplete
    }

    private func failure(_ reason: NetlinkError.Reason) -> NetlinkError {
        NetlinkError(request: "\(request)", reason: reason)
    }
}
