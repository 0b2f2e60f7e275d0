/// How a packet's direction was learned, from the most to the least direct evidence.
public enum DirectionSource: String, CaseIterable, Sendable, Codable {
    /// The input recorded it: pcapng `epb_flags`, or, live, the handle that captured it
    /// (each handle keeps one direction, by the kernel's packet type).
    case file = "file"
    /// A Linux cooked header's packet type (outgoing, or one of the received kinds).
    case cookedHeader = "cooked-header"
    /// The frame's source or destination MAC is the capturing interface's own.
    case interfaceMAC = "interface-mac"
    /// The source or the destination address is one of the host's own (from the config).
    case addressOwnership = "address-ownership"
    /// Nothing told.
    case unknown = "unknown"
}
