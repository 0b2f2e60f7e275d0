import Foundation

/// The real-world captures of `shared/corpus/`, beside the checkout (as CI lays them out).
public enum SharedCorpus {
    /// `<repo>/../shared/corpus`.
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
    /// In CI a missing corpus is a failure, not a skip.
    public static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    public static let isPresent = FileManager.default.fileExists(atPath: directory.appendingPathComponent("pcap").path)

    /// The capture files' names, sorted.
    public static var files: [String] {
        let names = try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("pcap").path)
        return (names ?? []).sorted()
    }
}
