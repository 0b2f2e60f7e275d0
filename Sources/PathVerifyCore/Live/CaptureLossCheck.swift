/// A `capture-loss` finding for each interface whose capture dropped packets: the verdict did
/// not see them, and says so rather than passing blind.
enum CaptureLossCheck {
    static func findings(
        _ stats: [LiveInterfaceStats], reference: (String) -> InterfaceRef, span: (first: Timestamp, last: Timestamp)?
    ) -> [Finding] {
        stats.filter { $0.captureDropped > 0 }.map { interface in
            // libpcap's received count includes the packets it then dropped.
            let total = max(interface.captureReceived, interface.captureDropped)
            let percent = total > 0 ? Double(interface.captureDropped) / Double(total) * 100 : 0
            return Finding(
                kind: .captureLoss, intent: nil, direction: nil, expected: nil, actual: reference(interface.name),
                address: nil, macs: nil, packets: interface.captureDropped, bytes: 0, flows: 0,
                packetsPerSecond: nil, bitsPerSecond: nil, firstSeen: span?.first ?? Timestamp(nanoseconds: 0),
                lastSeen: span?.last ?? Timestamp(nanoseconds: 0), sampleFlows: [],
                detail: "the capture on \(reference(interface.name)) dropped \(interface.captureDropped) of \(total) "
                    + "packets (\(fixed(percent, 2))%) because its kernel buffer was full; the verdict did "
                    + "not see them (raise -B, narrow the filter, or capture fewer interfaces)")
        }
    }
}

/// An `interface-down` finding for each interface that went down or away, or whose capture
/// failed: its traffic went unseen, which a verdict must not pass over.
enum InterfaceDownCheck {
    static func findings(_ stats: [LiveInterfaceStats], reference: (String) -> InterfaceRef, at time: Timestamp?) -> [Finding] {
        stats.compactMap { interface in
            interface.down.map { reason in
                Finding(
                    kind: .interfaceDown, intent: nil, direction: nil, expected: nil, actual: reference(interface.name),
                    address: nil, macs: nil, packets: 0, bytes: 0, flows: 0, packetsPerSecond: nil, bitsPerSecond: nil,
                    firstSeen: time ?? Timestamp(nanoseconds: 0), lastSeen: time ?? Timestamp(nanoseconds: 0),
                    sampleFlows: [], detail: reason)
            }
        }
    }
}
