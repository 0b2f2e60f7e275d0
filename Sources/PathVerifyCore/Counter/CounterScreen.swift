/// The counter view for a terminal, like esxtop's network panel: one row per interface.
public enum CounterScreen {
    public static let header = [
        "INTERFACE", "ALIAS", "ROLE", "STATE", "SPEED", "PKTTX/s", "MbTX/s", "PKTRX/s", "MbRX/s", "%DRPTX", "%DRPRX",
        "VERDICT", "TEAM-PNIC",
    ]

    /// One screen: a title line, the table, and a note for each row without rates.
    /// - Parameters:
    ///   - time: when the sample was taken (wall clock), for the title.
    ///   - delaySeconds: the time between samples, for the title and the first-sample note.
    public static func render(_ rows: [CounterRow], at time: Timestamp, delaySeconds: Double) -> String {
        var lines = ["pathverify top: \(time), every \(fixed(delaySeconds, 2)) s", ""]
        var table = TextTable(header: header, numeric: Set(4...10))
        for row in rows {
            let rates = row.interval.rates
            func cell(_ value: (CounterRates) -> Double) -> String { rates.map { fixed(value($0), 2) } ?? "-" }
            table.rows.append([
                row.name, row.alias ?? "-", row.role ?? "-", row.stateText,
                row.speedMegabitsPerSecond.map(String.init) ?? "-",
                cell(\.txPacketsPerSecond), cell(\.txMegabitsPerSecond), cell(\.rxPacketsPerSecond),
                cell(\.rxMegabitsPerSecond), cell(\.txDroppedPercent), cell(\.rxDroppedPercent),
                row.shownVerdict ?? "-", row.shownTeamUplink ?? "-",
            ])
        }
        lines += table.render()
        if rows.contains(where: { $0.interval == .first }) {
            lines.append("")
            lines.append("Rates need two samples: the next comes in \(fixed(delaySeconds, 2)) s.")
        }
        for row in rows {
            switch row.interval {
            case .reset:
                lines.append(
                    "\(row.name): counters went backwards (interface re-created or driver reset);"
                        + " rates resume at the next sample.")
            case .gone:
                lines.append("\(row.name): gone; no interface has this name now.")
            case .first, .rates, .noElapsedTime:
                break
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
