/// pcapng block type codes, draft-ietf-opsawg-pcapng §4 (General Block Structure) and §10.1 (Block Type Codes).
enum PcapngBlockType {
    static let sectionHeader: UInt32 = 0x0A0D_0D0A
    static let interfaceDescription: UInt32 = 0x0000_0001
    /// Obsolete Packet Block, draft-ietf-opsawg-pcapng Appendix A.
    static let packet: UInt32 = 0x0000_0002
    static let simplePacket: UInt32 = 0x0000_0003
    static let nameResolution: UInt32 = 0x0000_0004
    static let interfaceStatistics: UInt32 = 0x0000_0005
    static let enhancedPacket: UInt32 = 0x0000_0006
    static let decryptionSecrets: UInt32 = 0x0000_000A
    static let custom: UInt32 = 0x0000_0BAD
    static let customNoCopy: UInt32 = 0x4000_0BAD

    /// The byte-order magic of a Section Header Block, §4.1.
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D

    static func name(of type: UInt32) -> String {
        switch type {
        case sectionHeader: "Section Header Block"
        case interfaceDescription: "Interface Description Block"
        case packet: "Packet Block"
        case simplePacket: "Simple Packet Block"
        case nameResolution: "Name Resolution Block"
        case interfaceStatistics: "Interface Statistics Block"
        case enhancedPacket: "Enhanced Packet Block"
        case decryptionSecrets: "Decryption Secrets Block"
        case custom, customNoCopy: "Custom Block"
        default: "block of type 0x\(String(type, radix: 16))"
        }
    }
}
