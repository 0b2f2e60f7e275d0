/// Where one intent's traffic actually went, beside where it was expected to go.
public struct IntentUsage: Sendable, Codable, Equatable {
    public var intent: String
    public var expectedEgress: InterfaceRef?
    public var expectedIngress: InterfaceRef?
    /// Interfaces that carried the intent's outgoing traffic, busiest first.
    public var egress: [InterfaceUse]
    /// Interfaces that carried the intent's incoming traffic, busiest first.
    public var ingress: [InterfaceUse]
    public var verdict: Verdict

    enum CodingKeys: String, CodingKey {
        case intent
        case expectedEgress = "expected_egress"
        case expectedIngress = "expected_ingress"
        case egress, ingress, verdict
    }
}

/// Packets and bytes one interface carried.
public struct InterfaceUse: Sendable, Codable, Equatable {
    public var interface: InterfaceRef
    public var packets: UInt64
    public var bytes: UInt64
}

/// The overall answer for an intent or a whole run.
public enum Verdict: String, Sendable, Codable {
    /// Traffic was seen and all of it took the expected path.
    case ok
    /// Some traffic took another path.
    case mismatch
    /// No traffic was seen, so nothing could be verified.
    case idle
}
