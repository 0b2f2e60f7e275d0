/// An interface's operational state (RFC 2863 ifOperStatus), as the kernel's `operstate` names it.
public enum OperationalState: String, Hashable, Sendable, CaseIterable {
    /// What `lo` and many virtual devices report: the driver does not track a state.
    case unknown
    case notPresent = "notpresent"
    case down
    /// Up itself, but a device it sits on is down (a VLAN on a down NIC, a veth whose peer is down).
    case lowerLayerDown = "lowerlayerdown"
    case testing
    case dormant
    case up

    /// The kernel's word, or `.unknown` for a word this version does not know.
    public init(kernelName: String) {
        self = OperationalState(rawValue: kernelName) ?? .unknown
    }
}
