import Glibc
import PathVerifyCore

/// Keeps every packet of a live capture in a temporary pcapng file, so that once the verdict
/// is known the packets of the mismatching flows can be written out as evidence.
///
/// Which flows mismatch is known only at the end (an intent or owner check needs the whole
/// flow; ARP flux needs every answer), so the capture is spooled, headers only as captured,
/// and read back through the same reader as `analyze`. The spool is removed when done.
public final class EvidenceSpool {
    private let interfaces: [String]
    private let file: PcapngFile
    /// Per captured interface, its pcapng interface number once its first packet came.
    private var ids: [Int?]
    private(set) var failure: SystemCallError?

    /// - Parameter interfaces: the captured interfaces, in the order of `CaptureRecord.interfaceID`.
    public init(interfaces: [String], directory: String = EvidenceSpool.temporaryDirectory) throws(SystemCallError) {
        self.interfaces = interfaces
        ids = Array(repeating: nil, count: interfaces.count)
        var template = Array((directory + "/pathverify-spool-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw SystemCallError(call: "mkstemp", errno: errno) }
        Glibc.close(descriptor)
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        file = try PcapngFile(path: path, mode: 0o600)
    }

    public static var temporaryDirectory: String {
        getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    }

    deinit { unlink(file.path) }

    /// Spools one packet. A write error stops the spooling; `writeEvidence` reports it.
    public func append(_ record: CaptureRecord) {
        guard failure == nil else { return }
        do {
            let id: Int
            if let known = ids[record.interfaceID] {
                id = known
            } else {
                id = try file.addInterface(linkType: record.linkType, snapLength: 0, name: interfaces[record.interfaceID])
                ids[record.interfaceID] = id
            }
            try file.append(record, interfaceID: id)
        } catch {
            failure = error
        }
    }

    /// Writes the packets that `result`'s findings rest on to a pcapng file at `path`, one
    /// interface block per interface, each packet with its direction.
    /// - Returns: how many packets were written.
    public func writeEvidence(to path: String, for result: AnalysisResult) throws -> Int {
        if let failure { throw EvidenceError(message: "the capture could not be spooled for evidence: \(failure)") }
        try file.close()
        let selector = EvidenceSelector(result)
        let output = try PcapngFile(path: path)
        var outputIDs: [Int: Int] = [:]
        var slots: [Int: UInt16] = [:]
        var written = 0
        var writeError: (any Error)?
        _ = try CaptureFileReader(path: file.path).read(
            onInterface: { interface in
                // The analysis gave the captured interfaces slots 0, 1, ... in capture order.
                if let name = interface.name, let index = self.interfaces.firstIndex(of: name) {
                    slots[interface.index] = UInt16(index)
                }
            },
            { record in
                guard writeError == nil, let slot = slots[record.interfaceID],
                    selector.selects(record, interface: slot)
                else { return }
                do {
                    let id: Int
                    if let known = outputIDs[record.interfaceID] {
                        id = known
                    } else {
                        id = try output.addInterface(
                            linkType: record.linkType, snapLength: 0, name: self.interfaces[Int(slot)])
                        outputIDs[record.interfaceID] = id
                    }
                    try output.append(record, interfaceID: id)
                    written += 1
                } catch {
                    writeError = error
                }
            })
        if let writeError { throw writeError }
        try output.close()
        return written
    }
}

/// Evidence that could not be written.
public struct EvidenceError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
