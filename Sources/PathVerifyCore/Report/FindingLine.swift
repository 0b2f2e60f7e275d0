/// A finding as one line of `key=value` pairs: the form the terminal report, the daemon's
/// syslog alerts and scripts share. ASCII only; values with spaces are quoted.
public enum FindingLine {
    public static func render(_ finding: Finding) -> String {
        var pairs: [(String, String)] = []
        if let intent = finding.intent { pairs.append(("intent", intent)) }
        if let direction = finding.direction { pairs.append(("direction", direction)) }
        if let address = finding.address { pairs.append(("address", address)) }
        if let expected = finding.expected { pairs.append(("expected", expected.description)) }
        if let actual = finding.actual { pairs.append(("actual", actual.description)) }
        if let macs = finding.macs { pairs.append(("macs", macs.joined(separator: ","))) }
        pairs.append(("packets", String(finding.packets)))
        if finding.bytes > 0 { pairs.append(("bytes", String(finding.bytes))) }
        pairs.append(("flows", String(finding.flows)))
        if let rate = finding.packetsPerSecond { pairs.append(("rate", fixed(rate, 1) + "pps")) }
        pairs.append(("first", finding.firstSeen.description))
        pairs.append(("last", finding.lastSeen.description))
        return ([finding.kind.rawValue] + pairs.map { "\($0.0)=\(quoted($0.1))" }).joined(separator: " ")
    }

    static func quoted(_ value: String) -> String {
        let ascii = String(value.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? Character($0) : "?" })
        guard ascii.contains(" ") || ascii.contains("\"") || ascii.isEmpty else { return ascii }
        return "\"" + ascii.replacing("\"", with: "'") + "\""
    }
}
