/// Bytes from a hex dump such as `tcpdump -xx` prints; spaces and newlines are ignored.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter(\.isHexDigit)
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// Decodes `bytes` as one packet of `linkType`.
func decode(_ bytes: [UInt8], as linkType: PathVerifyCore.LinkType = .ethernet) -> DecodedPacket {
    bytes.withUnsafeBytes { PacketDecoder.decode($0, linkType: linkType) }
}

import PathVerifyCore
@_exported import PathVerifyTestSupport
