/// The IP protocol names a config may use instead of numbers (IANA "Assigned Internet Protocol Numbers").
enum IPProtocolName {
    static let known: [(name: String, number: UInt8)] = [
        ("tcp", 6), ("udp", 17), ("icmp", 1), ("icmpv6", 58), ("sctp", 132), ("gre", 47), ("esp", 50), ("ah", 51),
    ]

    /// Protocols whose headers carry ports, so that a `ports` selector can match them (DCCP is 33,
    /// UDP-Lite 136); the decoder reads ports for each of them.
    static let withPorts: Set<UInt8> = [6, 17, 33, 132, 136]

    /// The number for a name, case-insensitive; IANA's `ipv6-icmp` is accepted for `icmpv6`.
    static func number(_ name: String) -> UInt8? {
        let lowered = name.lowercased()
        if lowered == "ipv6-icmp" { return 58 }
        return known.first { $0.name == lowered }?.number
    }

    /// `tcp`, or `protocol 99` for a number without a name here.
    static func name(_ number: UInt8) -> String {
        known.first { $0.number == number }?.name ?? "protocol \(number)"
    }
}
