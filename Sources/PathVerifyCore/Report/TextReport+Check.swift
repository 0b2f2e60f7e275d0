extension TextReport {
    /// `pathverify check` for a terminal: the kernel's answer for each question beside the
    /// expected interface, each shared subnet's state, the ARP settings, and the findings with
    /// their remedies.
    public static func render(_ report: CheckReport) -> String {
        let count = report.findings.count
        var lines = [
            "pathverify check: \(report.verdict.rawValue.uppercased())" + (count > 0 ? " (\(count) finding\(count == 1 ? "" : "s"))" : "")
        ]
        if !report.predictions.isEmpty {
            lines.append("")
            var paths = TextTable(header: ["SOURCE", "DESTINATION", "INTENT", "EXPECTED", "KERNEL PICKS", "ROUTE", "RULE", "VERDICT"])
            for prediction in report.predictions {
                paths.rows.append([
                    prediction.source.description, prediction.destination.description, prediction.intent ?? "-",
                    prediction.expected.description, prediction.actual?.description ?? "-",
                    prediction.route.map(routeText) ?? "no route", prediction.rules.last.map { String($0.priority) } ?? "-",
                    prediction.verdict.rawValue.uppercased(),
                ])
            }
            lines += paths.render()
        }
        if !report.subnets.isEmpty {
            lines.append("")
            var subnets = TextTable(header: ["SHARED SUBNET", "INTERFACES", "ROUTING", "ARP", "STATUS"])
            for subnet in report.subnets {
                subnets.rows.append([
                    subnet.subnet, subnet.interfaces.map(\.description).joined(separator: ","), subnet.routing, subnet.arp,
                    subnet.statusText,
                ])
            }
            lines += subnets.render()
        }
        if !report.interfaces.isEmpty {
            lines.append("")
            var settings = TextTable(
                header: ["INTERFACE", "SUBNET", "LINK", "ARP_IGNORE", "ARP_ANNOUNCE", "ARP_FILTER", "RP_FILTER", "IGNORE_LINKDOWN", "ANSWERS ARP FOR"],
                numeric: Set(3...7))
            for row in report.interfaces {
                settings.rows.append(
                    [row.interface.description, row.subnet, row.link]
                        + IPv4ConfValues.keys.map { String(row.effective[keyPath: $0.path]) }
                        + [row.answersFor.isEmpty ? "-" : row.answersFor.joined(separator: ",")])
            }
            lines += settings.render()
            let scopes = report.sysctl.sorted { $0.key < $1.key }.map { scope, values in
                "\(scope): " + IPv4ConfValues.keys.map { "\($0.name)=\(values[keyPath: $0.path])" }.joined(separator: " ")
            }
            lines.append("(the values the kernel acts on: the larger of all and the interface's own, or either set for arp_filter and ignore_routes_with_linkdown; " + scopes.joined(separator: "; ") + ")")
        }
        lines.append("")
        lines += findingsSection(report.findings)
        for note in report.notes { lines.append("Note: \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A route in a table cell: `10.99.0.0/24 dev eth1 table main metric 0`, without `src`.
    static func routeText(_ route: Route) -> String {
        var trimmed = route
        trimmed.preferredSource = nil
        return trimmed.description
    }
}
