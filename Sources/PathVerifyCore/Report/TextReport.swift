/// Renders a report for a terminal: a summary, the esxtop-like interface table, the intents
/// with the expected path beside the actual one, and the findings.
public enum TextReport {
    public static func render(_ report: Report) -> String {
        var lines: [String] = []
        let capture = report.capture
        let verdict = report.verdict.rawValue.uppercased()
        let count = report.findings.count
        lines.append(
            "pathverify \(report.command): \(verdict)" + (count > 0 ? " (\(count) finding\(count == 1 ? "" : "s"))" : ""))
        var span = "\(capture.packets) packets, \(capture.bytes) bytes"
        if let first = capture.firstSeen, let last = capture.lastSeen {
            span += " over \(fixed(capture.spanSeconds, 3)) s, \(first) to \(last)"
        }
        lines.append(span)
        for input in report.inputs {
            var line = "  \(input.path): \(input.format) \(input.linkTypes.joined(separator: ","))"
                + ", \(input.packets) packets, \(input.attribution)"
            if let error = input.error { line += "; \(error)" }
            lines.append(line)
        }
        lines.append("")
        lines += interfaceTable(report.interfaces).render()
        if !report.intents.isEmpty {
            lines.append("")
            var intents = TextTable(header: ["INTENT", "EXPECTED OUT", "ACTUAL OUT", "EXPECTED IN", "ACTUAL IN", "VERDICT"])
            for usage in report.intents {
                intents.rows.append([
                    usage.intent, usage.expectedEgress?.description ?? "-", uses(usage.egress),
                    usage.expectedIngress?.description ?? "-", uses(usage.ingress), usage.verdict.rawValue.uppercased(),
                ])
            }
            lines += intents.render()
        }
        lines += teamTables(report.teams)
        lines.append("")
        lines += findingsSection(report.findings)
        let anomalies = capture.anomalies.sorted { $0.key < $1.key }
        if !anomalies.isEmpty {
            lines.append("")
            lines.append("Decode anomalies: " + anomalies.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        for note in report.notes { lines.append("Note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "No findings." or the FINDINGS heading and each finding, as both reports print them.
    static func findingsSection(_ findings: [Finding]) -> [String] {
        findings.isEmpty ? ["No findings."] : ["FINDINGS"] + findings.flatMap(findingLines)
    }

    /// A finding: its line, its detail, its sample flows, and for a prediction the rules the
    /// lookup went through and the remedies, numbered in the order to try them.
    static func findingLines(_ finding: Finding) -> [String] {
        var lines = [AlertLine.finding(finding).description, "    \(finding.detail)"]
        for sample in finding.sampleFlows { lines.append("    flow: \(sample)") }
        if let rules = finding.rules, !rules.isEmpty { lines.append("    rules: " + rules.joined(separator: ", then ")) }
        for (index, remedy) in (finding.remedies ?? []).enumerated() {
            lines.append("    fix \(index + 1): \(remedy.what)")
            for command in remedy.commands { lines.append("        \(command)") }
        }
        return lines
    }

    /// Offline: what the capture attributed to each interface. Live: the kernel's counters as
    /// esxtop shows them, with what the capture attributed beside them (CAP columns), so that a
    /// capture that missed traffic shows at once.
    static func interfaceTable(_ rows: [Report.InterfaceRow]) -> TextTable {
        guard rows.contains(where: { $0.kernel != nil }) else {
            var table = TextTable(
                header: ["INTERFACE", "ALIAS", "ROLE", "PKTTX/s", "MbTX/s", "PKTRX/s", "MbRX/s", "DIR?"],
                numeric: [3, 4, 5, 6, 7])
            for row in rows {
                table.rows.append([
                    row.name, row.alias ?? "-", row.role ?? "-", fixed(row.txPacketsPerSecond, 2),
                    fixed(row.txMegabitsPerSecond, 2), fixed(row.rxPacketsPerSecond, 2),
                    fixed(row.rxMegabitsPerSecond, 2), String(row.unknownDirectionPackets),
                ])
            }
            return table
        }
        var table = TextTable(
            header: [
                "INTERFACE", "ALIAS", "ROLE", "STATE", "PKTTX/s", "MbTX/s", "PKTRX/s", "MbRX/s", "%DRPTX", "%DRPRX",
                "CAP PKTTX/s", "CAP PKTRX/s", "PCAP DROP",
            ], numeric: Set(4...12))
        func rate(_ value: Double?) -> String { value.map { fixed($0, 2) } ?? "-" }
        for row in rows {
            let kernel = row.kernel
            table.rows.append([
                row.name, row.alias ?? "-", row.role ?? "-", kernel?.state ?? "-", rate(kernel?.txPacketsPerSecond),
                rate(kernel?.txMegabitsPerSecond), rate(kernel?.rxPacketsPerSecond), rate(kernel?.rxMegabitsPerSecond),
                rate(kernel?.txDroppedPercent), rate(kernel?.rxDroppedPercent), fixed(row.txPacketsPerSecond, 2),
                fixed(row.rxPacketsPerSecond, 2), row.capture.map { String($0.dropped) } ?? "-",
            ])
        }
        return table
    }

    /// Each team's uplinks, then its flows with the uplink the policy predicts beside the one
    /// used (esxtop's TEAM-PNIC, per flow).
    static func teamTables(_ teams: [TeamUsage]) -> [String] {
        guard !teams.isEmpty else { return [] }
        var lines: [String] = [""]
        var uplinks = TextTable(
            header: ["TEAM", "POLICY", "UPLINK", "ROLE", "DOWN", "PKTTX", "MbTX/s", "PKTRX", "MbRX/s", "SHARE", "CAPACITY"],
            numeric: [5, 6, 7, 8, 9])
        func megabits(_ value: Double?) -> String { value.map { fixed($0 / CounterRates.bitsPerMegabit, 2) } ?? "-" }
        for team in teams {
            for (index, uplink) in team.uplinks.enumerated() {
                uplinks.rows.append([
                    index == 0 ? team.team : "", index == 0 ? team.policy : "", uplink.uplink.description, uplink.role,
                    uplink.wasDown ? (team.linkState == "inferred" ? "silent" : "yes") : "-", String(uplink.packetsOut),
                    megabits(uplink.bitsPerSecondOut), String(uplink.packetsIn), megabits(uplink.bitsPerSecondIn),
                    percentText(uplink.share),
                    uplink.capacityBitsPerSecond.map(BitRateText.text) ?? "-",
                ])
            }
        }
        lines += uplinks.render()
        let rows = teams.flatMap { team in team.flows.map { (team.team, $0) } }
        guard !rows.isEmpty else { return lines }
        lines.append("")
        var flows = TextTable(
            header: ["TEAM", "FLOW", "INTERFACE", "PREDICTED", "TEAM-PNIC", "PACKETS", "VERDICT"], numeric: [5])
        for (team, row) in rows {
            flows.rows.append([
                team, row.flow, row.interface?.description ?? "-", row.predicted?.description ?? "?",
                row.actual.description, String(row.packets), row.verdict.uppercased(),
            ])
        }
        return lines + flows.render()
    }

    /// `eth1(vmk1) 6000, eth2(vmk2) 12`, or `-` when nothing went that way.
    static func uses(_ uses: [InterfaceUse]) -> String {
        uses.isEmpty ? "-" : uses.map { "\($0.interface) \($0.packets)" }.joined(separator: ", ")
    }
}
