import Foundation
import PathVerifyCore

/// Prints a report as text or as one JSON document on standard output.
enum ReportPrinter {
    static func print(_ report: Report, json: Bool) throws {
        guard json else { return Swift.print(TextReport.render(report), terminator: "") }
        try printJSON(report)
    }

    static func print(_ report: CheckReport, json: Bool) throws {
        guard json else { return Swift.print(TextReport.render(report), terminator: "") }
        try printJSON(report)
    }

    private static func printJSON(_ report: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(report)
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}
