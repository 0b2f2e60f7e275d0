/// One input of an analysis, as the report lists it.
public struct InputSummary: Sendable, Codable, Equatable {
    public var path: String
    /// `pcap`, `pcapng`, or `unreadable`.
    public var format: String
    public var linkTypes: [String]
    public var packets: UInt64
    /// The interfaces the input named or was given (`IFACE=FILE`).
    public var interfaces: [String]
    /// How the input's packets got their interface.
    public var attribution: String
    /// A problem that stopped reading part-way (the packets before it are counted).
    public var error: String?

    public init(
        path: String, format: String, linkTypes: [String], packets: UInt64, interfaces: [String], attribution: String,
        error: String? = nil
    ) {
        self.path = path
        self.format = format
        self.linkTypes = linkTypes
        self.packets = packets
        self.interfaces = interfaces
        self.attribution = attribution
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case path, format
        case linkTypes = "link_types"
        case packets, interfaces, attribution, error
    }
}
