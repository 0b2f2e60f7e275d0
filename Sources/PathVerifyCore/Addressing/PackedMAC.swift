/// An optional hardware address in 8 bytes, for the per-packet and per-flow stores: a
/// `MACAddress?` takes 9 (16 in an array), and its tag byte made each store of a pending packet
/// a `memcpy` call. A MAC address has 48 bits, so all ones marks "none".
struct PackedMAC {
    private var raw: UInt64

    static let none = PackedMAC(nil)

    init(_ mac: MACAddress?) {
        raw = mac?.rawValue ?? .max
    }

    var value: MACAddress? { raw == .max ? nil : MACAddress(rawValue: raw) }
}
