/// Batch output like `esxtop -b`: a CSV with a header row, then one row per sample.
///
/// The first column is the sample's time (RFC 3339, UTC); then, for each interface, its
/// state and rates under `NAME:COLUMN` headers (`eth1:PKTTX/s`; kernel names cannot contain
/// `:`). A value that is unknown (the first sample, a reset, a gone interface) is an empty cell.
/// Fields are quoted as RFC 4180 §2 says: when they hold a comma, a quote or a line break.
public struct CounterCSV: Sendable {
    public static let columns = ["STATE", "PKTTX/s", "MbTX/s", "PKTRX/s", "MbRX/s", "%DRPTX", "%DRPRX", "VERDICT", "TEAM-PNIC"]

    /// The interfaces' kernel names, in column order; fixed for the whole run so that every row
    /// matches the header.
    public var interfaces: [String]

    public init(interfaces: [String]) {
        self.interfaces = interfaces
    }

    /// The header line, with its line feed.
    public var header: String {
        line(["timestamp"] + interfaces.flatMap { name in Self.columns.map { "\(name):\($0)" } })
    }

    /// One sample's line, with its line feed. Rows are matched to columns by name; an interface
    /// without a row gets empty cells.
    public func row(at time: Timestamp, _ rows: [CounterRow]) -> String {
        var fields = [time.description]
        for name in interfaces {
            guard let row = rows.first(where: { $0.name == name }) else {
                fields += Array(repeating: "", count: Self.columns.count)
                continue
            }
            let rates = row.interval.rates
            func cell(_ value: (CounterRates) -> Double, _ digits: Int) -> String {
                rates.map { fixed(value($0), digits) } ?? ""
            }
            // Megabits get one more digit than the screen: a batch file is read by programs.
            fields += [
                row.stateText, cell(\.txPacketsPerSecond, 2), cell(\.txMegabitsPerSecond, 3),
                cell(\.rxPacketsPerSecond, 2), cell(\.rxMegabitsPerSecond, 3), cell(\.txDroppedPercent, 2),
                cell(\.rxDroppedPercent, 2), row.shownVerdict ?? "", row.shownTeamUplink ?? "",
            ]
        }
        return line(fields)
    }

    /// A field as RFC 4180 writes it: quoted, with quotes doubled, if it holds a comma, a quote,
    /// a carriage return or a line feed; as it is otherwise.
    public static func field(_ text: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else {
            return text
        }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    private func line(_ fields: [String]) -> String {
        fields.map(Self.field).joined(separator: ",") + "\n"
    }
}
