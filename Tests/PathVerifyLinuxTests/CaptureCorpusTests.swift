import Foundation
import PathVerifyCore
import PathVerifyLinux
import PathVerifyTestSupport
import Testing

/// Reads every file of the shared capture corpus (`shared/corpus/pcap`, beside the checkout) and compares the record
/// counts with capinfos (`shared/corpus/expected/<file>.json`) and with libpcap.
@Suite("CaptureCorpus")
struct CaptureCorpusTests {
    static let corpus = SharedCorpus.directory
    static let isCI = SharedCorpus.isCI
    static let corpusPresent = SharedCorpus.isPresent

    /// Files where libpcap 1.10 and our reader legitimately disagree, and why.
    static let libpcapDisagreements: [String: String] = [
        "libpcap__linktype-reserved-field-not-zero.pcap":
            "libpcap 1.10.3 ignores the reserved bits 16-25 of the link-type field; newer libpcap (whose test file "
            + "this is) and Wireshark reject the header, and so do we. The file has no records either way."
    ]

    /// libpcap errors that mark a known libpcap limitation rather than a bad file: libpcap reads pcapng only when
    /// every IDB has the first IDB's link type and snapshot length (sf-pcapng.c; reference §6.5), and stops with this
    /// message at the first IDB that differs. capinfos reads these files, and our count matches capinfos'.
    static let libpcapLimitations = [
        "different from the type of the first interface",
        "different from the snapshot length of the first interface",
    ]

    /// Files where capinfos' verdict and ours legitimately differ, and why.
    static let oracleDisagreements: [String: String] = [:]

    static var files: [String] { SharedCorpus.files }

    struct Expected {
        var readable: Bool
        var tsharkOK: Bool
        var malformedClass: String
        var totalPackets: Int?
    }

    static func expected(_ file: String) -> Expected? {
        let url = corpus.appendingPathComponent("expected/\(file).json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return Expected(
            readable: object["readable"] as? Bool ?? false, tsharkOK: object["tshark_ok"] as? Bool ?? false,
            malformedClass: object["malformed_class"] as? String ?? "", totalPackets: object["total_packets"] as? Int)
    }

    /// Our reading of one file: the records and, if the file is damaged or unreadable, why.
    struct Reading {
        var records: Int
        var problem: String?
    }

    static func readWithOurs(_ path: String) -> Reading {
        var records = 0
        do {
            let summary = try CaptureFileReader(path: path).read { _ in records += 1 }
            #expect(summary.recordCount == records)
            return Reading(records: records, problem: summary.damage?.description)
        } catch {
            return Reading(records: records, problem: error.description)
        }
    }

    @Test(
        .enabled(
            if: corpusPresent || isCI,
            "the capture corpus is not at \(corpus.path) (it sits beside the checkout in CI); skipping"))
    func corpusIsPresent() {
        #expect(Self.corpusPresent, "CI=true but the capture corpus is missing at \(Self.corpus.path)")
        #expect(Self.files.count >= 300)
    }

    @Test(.enabled(if: corpusPresent, "the capture corpus is not at \(corpus.path); skipping"))
    func everyFileAgreesWithCapinfosAndLibpcap() throws {
        var counts = (files: 0, readable: 0, rejected: 0, libpcapCompared: 0, libpcapLimited: 0)
        for file in Self.files {
            let path = Self.corpus.appendingPathComponent("pcap/\(file)").path
            let ours = Self.readWithOurs(path)
            counts.files += 1
            guard let expected = Self.expected(file) else {
                Issue.record("\(file): no expected/\(file).json")
                continue
            }
            if Self.oracleDisagreements[file] == nil {
                if expected.malformedClass.split(separator: "+").contains("file") {
                    counts.rejected += 1
                    #expect(ours.problem != nil, "\(file): capinfos rejects it, we read \(ours.records) records")
                } else if expected.readable {
                    counts.readable += 1
                    #expect(ours.problem == nil, "\(file): \(ours.problem ?? "")")
                    #expect(
                        ours.records == expected.totalPackets, "\(file): capinfos counts \(expected.totalPackets ?? -1)"
                    )
                } else {
                    // A valid file with a link type tshark 4.0 cannot read: the framing is fine, so we read it.
                    #expect(ours.problem == nil, "\(file): \(ours.problem ?? "")")
                }
            }
            guard let libpcap = try? LibpcapFileReader.countRecords(path: path) else { continue }
            counts.libpcapCompared += 1
            if let error = libpcap.error, Self.libpcapLimitations.contains(where: { error.contains($0) }) {
                counts.libpcapLimited += 1
                #expect(libpcap.records <= ours.records && ours.problem == nil, "\(file): \(error)")
            } else if Self.libpcapDisagreements[file] == nil {
                #expect(
                    ours.records == libpcap.records && (ours.problem == nil) == (libpcap.error == nil),
                    """
                    \(file): ours \(ours.records) records (\(ours.problem ?? "no error")), \
                    libpcap \(libpcap.records) (\(libpcap.error ?? "no error"))
                    """)
            }
        }
        print(
            "capture corpus: \(counts.files) files, \(counts.readable) matched capinfos' count, \(counts.rejected) "
                + "rejected as capinfos does, \(counts.libpcapCompared) opened by libpcap, of which "
                + "\(counts.libpcapLimited) stopped at an IDB that differs from the first")
    }

    /// Cuts every file at three places (a third, half, one byte short) and feeds the prefix to the parser: no crash,
    /// the records before the cut are the file's first records, and a cut inside a record is reported as truncation.
    @Test(.enabled(if: corpusPresent, "the capture corpus is not at \(corpus.path); skipping"))
    func cutFilesKeepTheRecordsBeforeTheCut() throws {
        for file in Self.files {
            let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent("pcap/\(file)")))
            var full: [UInt64] = []
            let whole = Self.parse(bytes) { full.append($0) }
            for cut in Set([bytes.count / 3, bytes.count / 2, max(0, bytes.count - 1)]) {
                var prefix: [UInt64] = []
                let parser = Self.parse(Array(bytes[0..<cut])) { prefix.append($0) }
                #expect(prefix == Array(full.prefix(prefix.count)), "\(file) cut at \(cut)")
                guard whole.error == nil, let error = parser.error else { continue }
                if case .truncated = error.code {
                    #expect(error.recordNumber == prefix.count + 1, "\(file) cut at \(cut)")
                } else {
                    Issue.record("\(file) cut at \(cut): \(error)")
                }
            }
        }
    }

    /// Parses `bytes` in one call and reports a fingerprint (timestamp and length) of each record.
    static func parse(_ bytes: [UInt8], _ record: (UInt64) -> Void) -> CaptureStreamParser {
        var parser = CaptureStreamParser()
        _ = bytes.withUnsafeBytes { buffer in
            parser.parse(buffer, isFinal: true) {
                record(UInt64(bitPattern: $0.timestamp.nanoseconds) &* 31 &+ UInt64($0.data.count))
            }
        }
        return parser
    }
}
