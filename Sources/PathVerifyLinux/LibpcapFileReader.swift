import CPcap
import Glibc

/// Reads a capture file with libpcap, to cross-check `CaptureFileReader` (tests, and `--verify-reader` style checks).
///
/// It only counts: libpcap's `pcap_pkthdr` carries no interface or direction for pcapng, so there is nothing else to
/// compare.
public enum LibpcapFileReader {
    /// How far libpcap got.
    public struct Count: Sendable {
        /// Records `pcap_next_ex` returned.
        public var records: Int
        /// The `pcap_datalink` of the file (the first interface's link type for pcapng).
        public var linkType: Int32
        /// libpcap's message if `pcap_next_ex` failed before the end of the file.
        public var error: String?
    }

    /// Counts the records libpcap reads from the file at `path`.
    /// - Throws: `LibpcapError` if `pcap_open_offline` rejects the file.
    public static func countRecords(path: String) throws(LibpcapError) -> Count {
        let handle = try openOffline(path: path)
        defer { closeHandle(handle) }
        var count = Count(records: 0, linkType: dataLink(handle), error: nil)
        while true {
            switch nextRecord(handle) {
            case .record: count.records += 1
            case .end: return count
            case .error(let message):
                count.error = message
                return count
            }
        }
    }

    /// The corresponding C function is `pcap_open_offline`.
    static func openOffline(path: String) throws(LibpcapError) -> OpaquePointer {
        var message = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_open_offline(path, &message) else {
            let text = message.withUnsafeBufferPointer { $0.baseAddress.map { String(cString: $0) } ?? "" }
            throw LibpcapError(path: path, call: "pcap_open_offline", message: text)
        }
        return handle
    }

    enum NextResult {
        case record
        case end
        case error(String)
    }

    /// The corresponding C function is `pcap_next_ex`; on failure the message comes from `pcap_geterr`.
    static func nextRecord(_ handle: OpaquePointer) -> NextResult {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(handle, &header, &data) {
        case 1: return .record
        case PCAP_ERROR_BREAK: return .end
        default: return .error(String(cString: pcap_geterr(handle)))
        }
    }

    /// The corresponding C function is `pcap_datalink`.
    static func dataLink(_ handle: OpaquePointer) -> Int32 {
        pcap_datalink(handle)
    }

    /// The corresponding C function is `pcap_close`.
    static func closeHandle(_ handle: OpaquePointer) {
        pcap_close(handle)
    }
}

/// A libpcap call that failed, with libpcap's own message.
public struct LibpcapError: Error, Sendable, CustomStringConvertible {
    public var path: String
    /// The C function that failed, e.g. `pcap_open_offline`.
    public var call: String
    public var message: String

    public var description: String { "\(path): \(call): \(message)" }
}
