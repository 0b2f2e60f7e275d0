import CPcap
import PathVerifyCore

/// A tcpdump-style filter expression (pcap-filter(7)) compiled by libpcap for one link type.
///
/// BPF code depends on the link-layer header, so one expression is compiled once per link type
/// it meets. The expression is checked at start (`validate`), so a typo fails before any packet.
public final class BPFFilter: PacketPredicate {
    public let expression: String
    private var programs: [LinkType: BPFProgram?] = [:]

    public init(expression: String) {
        self.expression = expression
    }

    /// Compiles the expression for `linkType`, so that syntax errors surface before reading.
    /// - Throws: `BPFError` with libpcap's own message.
    public func validate(for linkType: LinkType = .ethernet) throws(BPFError) {
        let program = try BPFProgram(expression: expression, linkType: linkType)
        programs[linkType] = program
    }

    /// Whether the record matches. Link types the expression cannot be compiled for (libpcap
    /// rejects `ether host` on raw IP, say) match nothing.
    public func matches(_ record: CaptureRecord) -> Bool {
        if let cached = programs[record.linkType] {
            return cached?.matches(record) ?? false
        }
        let program = try? BPFProgram(expression: expression, linkType: record.linkType)
        programs[record.linkType] = program
        return program?.matches(record) ?? false
    }
}

/// A filter expression that libpcap could not compile.
public struct BPFError: Error, Sendable, CustomStringConvertible {
    public var expression: String
    public var linkType: LinkType
    /// libpcap's message, e.g. "syntax error".
    public var message: String

    public var description: String { "filter '\(expression)': \(message)" }
}

/// One compiled program. The corresponding C functions are `pcap_open_dead`, `pcap_compile`,
/// `pcap_offline_filter` and `pcap_freecode`.
final class BPFProgram {
    private var program = bpf_program()

    init(expression: String, linkType: LinkType) throws(BPFError) {
        guard let handle = pcap_open_dead(Int32(bitPattern: linkType.rawValue), 262_144) else {
            throw BPFError(expression: expression, linkType: linkType, message: "libpcap cannot open a handle")
        }
        defer { pcap_close(handle) }
        guard pcap_compile(handle, &program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw BPFError(expression: expression, linkType: linkType, message: String(cString: pcap_geterr(handle)))
        }
    }

    deinit { pcap_freecode(&program) }

    func matches(_ record: CaptureRecord) -> Bool {
        guard let base = record.data.baseAddress else { return false }
        var header = pcap_pkthdr()
        header.caplen = bpf_u_int32(record.data.count)
        header.len = bpf_u_int32(record.originalLength)
        return pcap_offline_filter(&program, &header, base.assumingMemoryBound(to: UInt8.self)) != 0
    }
}
