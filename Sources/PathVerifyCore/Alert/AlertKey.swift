/// What names an alert: its kind, intent, direction, address and interfaces, not its flows,
/// so that a storm of mismatching flows on one path is one alert with counts.
public struct AlertKey: Hashable, Sendable {
    public var kind: FindingKind
    public var intent: String?
    public var team: String?
    public var direction: String?
    public var address: String?
    public var expected: String?
    public var actual: String?

    public init(_ finding: Finding) {
        kind = finding.kind
        intent = finding.intent
        team = finding.team
        direction = finding.direction
        address = finding.address
        expected = finding.expected?.name
        actual = finding.actual?.name
    }
}
