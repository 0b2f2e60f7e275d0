/// One event as one line: the event word first, then stable `key=value` pairs.
///
/// The daemon's syslog and stdout lines and the one-shot commands' finding lines are all
/// rendered here, so scripts parse one format. ASCII only, no control characters, values with
/// spaces quoted, and never longer than `maxBytes`: whole pairs are dropped from the end, and
/// `truncated=yes` says so.
public struct AlertLine: Sendable, Equatable, CustomStringConvertible {
    public var event: String
    public var severity: AlertSeverity
    public var fields: [Field]

    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: String

        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Below syslog's 1 KiB (RFC 3164) with room for its header (`<28>Nov 21 ... pathverify[pid]: `).
    public static let maxBytes = 960

    public init(_ event: String, severity: AlertSeverity, _ fields: [Field]) {
        self.event = event
        self.severity = severity
        self.fields = fields
    }

    /// The value of `key`, if the line has it.
    public subscript(key: String) -> String? { fields.first { $0.key == key }?.value }

    public var description: String {
        var line = Self.clean(event)
        let marker = " truncated=yes"
        for (index, field) in fields.enumerated() {
            let pair = " " + Self.clean(field.key) + "=" + Self.quoted(field.value)
            let room = Self.maxBytes - (index == fields.count - 1 ? 0 : marker.utf8.count)
            guard line.utf8.count + pair.utf8.count <= room else { return line + marker }
            line += pair
        }
        return line
    }

    /// Printable ASCII; anything else becomes `?`.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { (0x20..<0x7F).contains($0.value) ? $0 : "?" }))
    }

    /// The value as it goes in a line: quoted when it is empty or holds a space, a quote or `=`.
    static func quoted(_ value: String) -> String {
        let ascii = clean(value)
        guard ascii.isEmpty || ascii.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return ascii }
        return "\"" + ascii.replacing("\"", with: "'") + "\""
    }
}

extension AlertLine {
    /// A finding of a one-shot command (`analyze`, `capture`): `FINDING kind=... first=... last=...`.
    public static func finding(_ finding: Finding) -> AlertLine {
        AlertLine(
            "FINDING", severity: .warning,
            evidence(of: finding) + [Field("first", finding.firstSeen.description), Field("last", finding.lastSeen.description)])
    }

    /// What identifies a finding and what it counts, in the order every line uses; the counts
    /// are the finding's own unless given (a reminder counts since its previous line).
    static func evidence(of finding: Finding, packets: UInt64? = nil, bytes: UInt64? = nil, rate: Double?? = nil) -> [Field] {
        var fields = [Field("kind", finding.kind.rawValue)] + identity(of: finding)
        if let flow = finding.flow { fields.append(Field("flow", flow)) }
        if finding.kind.isPrediction {
            if let destination = finding.destination { fields.append(Field("destination", destination)) }
            if let route = finding.route { fields.append(Field("route", route)) }
            return fields
        }
        // An interface that is down, or a config that disagrees with the kernel, has nothing to count.
        guard finding.kind != .interfaceDown, finding.kind != .teamConfigDrift else { return fields }
        if let utilization = finding.utilization, let projected = finding.projectedBitsPerSecond,
            let capacity = finding.capacityBitsPerSecond
        {
            fields += [
                Field("utilization", percentText(utilization)), Field("projected_bps", fixed(projected, 0)),
                Field("capacity_bps", fixed(capacity, 0)),
            ]
        }
        if let shares = finding.shares {
            fields.append(
                Field("shares", shares.sorted { $0.key < $1.key }.map { "\($0.key):\(percentText($0.value))" }
                    .joined(separator: ",")))
        }
        fields += counts(
            packets: packets ?? finding.packets, bytes: bytes ?? finding.bytes, flows: finding.flows,
            // A rate of a few ARP replies over the microseconds between them means nothing.
            rate: finding.kind.countsTraffic ? rate ?? finding.packetsPerSecond : nil)
        return fields
    }

    /// The fields that name an alert (`AlertKey`), without its kind.
    static func identity(of finding: Finding) -> [Field] {
        var fields: [Field] = []
        if let intent = finding.intent { fields.append(Field("intent", intent)) }
        if let team = finding.team { fields.append(Field("team", team)) }
        if let direction = finding.direction { fields.append(Field("direction", direction)) }
        if let address = finding.address { fields.append(Field("address", address)) }
        if let expected = finding.expected { fields.append(Field("expected", expected.description)) }
        if let actual = finding.actual { fields.append(Field("actual", actual.description)) }
        if let macs = finding.macs { fields.append(Field("macs", macs.joined(separator: ","))) }
        // Its detail is the reason in a few words: "disappeared", "went down", libpcap's error.
        if finding.kind == .interfaceDown || finding.kind == .teamConfigDrift {
            fields.append(Field("reason", finding.detail))
        }
        return fields
    }

    static func counts(packets: UInt64, bytes: UInt64, flows: Int, rate: Double?) -> [Field] {
        var fields = [Field("flows", String(flows)), Field("packets", String(packets))]
        if bytes > 0 { fields.append(Field("bytes", String(bytes))) }
        if let rate { fields.append(Field("rate", fixed(rate, 1) + "pps")) }
        return fields
    }
}
