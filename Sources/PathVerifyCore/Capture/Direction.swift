/// Which way a packet crossed the interface it was captured on.
public enum Direction: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Received by the host on this interface.
    case inbound = 1
    /// Sent by the host out of this interface.
    case outbound = 2
    /// Neither the file nor the addresses say which.
    case unknown = 0

    public var description: String {
        switch self {
        case .inbound: "in"
        case .outbound: "out"
        case .unknown: "unknown"
        }
    }
}
