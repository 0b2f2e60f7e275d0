/// Compares where each flow went with where it was expected to go, and gathers the evidence.
///
/// Flows are absorbed one at a time (as the flow table evicts them, and at the end), so a
/// bounded table loses flow detail but never a verdict.
public struct Verifier {
    struct FindingKey: Hashable {
        var kind: FindingKind
        var intent: Int?
        var expected: String?
        var actual: String?
    }

    struct Evidence {
        var packets: UInt64 = 0
        var bytes: UInt64 = 0
        var flows = 0
        var firstSeen = Timestamp(nanoseconds: .max)
        var lastSeen = Timestamp(nanoseconds: .min)
        var samples: [(record: FlowRecord, interface: String)] = []

        mutating func add(_ flow: FlowRecord, interface: String) {
            packets += flow.packets
            bytes += flow.bytes
            flows += 1
            firstSeen = min(firstSeen, flow.firstSeen)
            lastSeen = max(lastSeen, flow.lastSeen)
            samples.append((flow, interface))
            if samples.count > Verifier.sampleFlows {
                samples.sort(by: Evidence.busierFirst)
                samples.removeLast()
            }
        }

        /// Most packets first; among equals the earliest seen, so that samples do not depend on
        /// the order in which the flows were absorbed.
        static func busierFirst(_ a: (record: FlowRecord, interface: String), _ b: (record: FlowRecord, interface: String))
            -> Bool
        {
            (a.record.packets, b.record.firstSeen, a.interface) > (b.record.packets, a.record.firstSeen, b.interface)
        }
    }

    struct Usage {
        var egress: [String: Traffic] = [:]
        var ingress: [String: Traffic] = [:]
    }

    /// How many flows a finding lists as samples.
    static let sampleFlows = 5

    public let config: Config
    public let ownership: AddressOwnership
    private var teams: TeamChecker
    /// The interfaces captured on, so that a team's rider is not counted twice.
    private var captured: Set<String> = []
    private var evidence: [FindingKey: Evidence] = [:]
    private var usage: [Usage]
    /// Every flow that broke an expectation, for the evidence file.
    public private(set) var mismatchedFlows: Set<FlowKey> = []
    /// Packets seen on inputs that did not say which interface they were captured on.
    public private(set) var unattributedPackets: UInt64 = 0
    /// Packets whose direction neither the input nor the addresses told.
    public private(set) var unknownDirectionPackets: UInt64 = 0

    public init(config: Config) {
        self.config = config
        ownership = AddressOwnership(interfaces: config.interfaces)
        teams = TeamChecker(config: config, ownership: ownership)
        usage = Array(repeating: Usage(), count: config.intents.count)
    }

    /// Notes an interface that packets are captured on.
    public mutating func noteCaptured(_ name: String) { captured.insert(name) }

    /// Checks one flow. `interface` is the kernel name of the interface it was seen on, or
    /// `nil` when the input did not say.
    public mutating func absorb(_ flow: FlowRecord, interface: String?) {
        guard var actual = interface else {
            unattributedPackets += flow.packets
            return
        }
        if flow.key.direction == .unknown {
            unknownDirectionPackets += flow.packets
            return
        }
        if let team = teams.absorb(flow, interface: actual) {
            // The interface checks judge the interface riding on the team, not the uplink. A flow
            // that no rider claims, or whose rider is captured itself (and so counted there), is
            // the team checks' alone.
            guard let rider = TeamChecker.rider(of: flow, on: team, ownership: ownership), !captured.contains(rider)
            else { return }
            actual = rider
        }
        let intent = flow.intent.map { config.intents[$0] }
        switch flow.key.direction {
        case .outbound:
            if let index = flow.intent { usage[index].egress[actual, default: Traffic()].add(flow) }
            check(flow, .egressMismatch, intentExpects: intent?.expectedEgress, address: flow.key.source, actual: actual)
        case .inbound:
            if let index = flow.intent { usage[index].ingress[actual, default: Traffic()].add(flow) }
            check(
                flow, .ingressMismatch, intentExpects: intent?.expectedIngress, address: flow.key.destination,
                actual: actual)
        case .unknown:
            break  // counted above
        }
    }

    /// Adds the flow to a mismatch when it is not on the interface its intent expects or, with no
    /// expectation from an intent, on the interface that owns `address`.
    private mutating func check(
        _ flow: FlowRecord, _ kind: FindingKind, intentExpects: String?, address: IPAddress, actual: String
    ) {
        guard let expected = intentExpects ?? ownership.ruleOwner(of: address), expected != actual else { return }
        let key = FindingKey(kind: kind, intent: intentExpects != nil ? flow.intent : nil, expected: expected, actual: actual)
        evidence[key, default: Evidence()].add(flow, interface: actual)
        mismatchedFlows.insert(flow.key)
    }

    /// The interface as a report names it, with its alias from the config.
    public func reference(_ name: String) -> InterfaceRef {
        InterfaceRef(name: name, alias: config.interfaces.first { $0.name == name }?.alias)
    }

    /// Where each intent's traffic went.
    public var intentUsage: [IntentUsage] {
        config.intents.enumerated().map { index, intent in
            func uses(_ table: [String: Traffic]) -> [InterfaceUse] {
                table.map { InterfaceUse(interface: reference($0.key), packets: $0.value.packets, bytes: $0.value.bytes) }
                    .sorted { ($0.packets, $1.interface.name) > ($1.packets, $0.interface.name) }
            }
            let egress = uses(usage[index].egress)
            let ingress = uses(usage[index].ingress)
            let wrongEgress = intent.expectedEgress.map { name in egress.contains { $0.interface.name != name } } ?? false
            let wrongIngress = intent.expectedIngress.map { name in ingress.contains { $0.interface.name != name } } ?? false
            let verdict: Verdict =
                wrongEgress || wrongIngress ? .mismatch : (egress.isEmpty && ingress.isEmpty ? .idle : .ok)
            return IntentUsage(
                intent: intent.name, expectedEgress: intent.expectedEgress.map(reference),
                expectedIngress: intent.expectedIngress.map(reference), egress: egress, ingress: ingress,
                verdict: verdict)
        }
    }

    /// Every finding, in a stable order: by kind, then by packets (most first), with each team's
    /// usage for the report.
    /// - Parameters:
    ///   - resolutions: the ARP replies and NDP advertisements seen.
    ///   - span: the capture's first and last timestamps, for rates.
    ///   - links, activity, traffic: for the team checks (see `TeamChecker.results`).
    public func findings(
        resolutions: [ResolutionObservation], span: (first: Timestamp, last: Timestamp)?, links: LinkHistory? = nil,
        activity: [String: [TimeSpan]] = [:], traffic: [String: (out: Traffic, in: Traffic)] = [:]
    ) -> (findings: [Finding], teams: [TeamUsage]) {
        let seconds = span.map { $0.last.seconds(since: $0.first) } ?? 0
        func rate(_ value: UInt64) -> Double? { seconds > 0 ? Double(value) / seconds : nil }
        var result: [Finding] = []
        for (key, proof) in evidence {
            let intentName = key.intent.map { config.intents[$0].name }
            let direction = key.kind == .egressMismatch ? "out" : "in"
            let expected = key.expected.map(reference)
            let actual = key.actual.map(reference)
            let samples = proof.samples.sorted(by: Evidence.busierFirst)
            let rule = intentName.map { "intent \($0) expects" } ?? "the address owner is"
            let verb = key.kind == .egressMismatch ? "left via" : "arrived on"
            result.append(
                Finding(
                    kind: key.kind, intent: intentName, direction: direction, expected: expected, actual: actual,
                    address: nil, macs: nil, packets: proof.packets, bytes: proof.bytes, flows: proof.flows,
                    packetsPerSecond: rate(proof.packets), bitsPerSecond: rate(proof.bytes * 8),
                    firstSeen: proof.firstSeen, lastSeen: proof.lastSeen,
                    sampleFlows: samples.map { $0.record.summary(interface: $0.interface) }, flow: samples.first?.record.compact,
                    detail: "\(proof.packets) packets in \(proof.flows) flows \(verb) \(actual?.description ?? "?"); "
                        + "\(rule) \(expected?.description ?? "?")"))
        }
        result += idleExpectedInterfaces(rate: rate)
        result += ARPFluxCheck(ownership: ownership, reference: reference).findings(resolutions, rate: rate)
        let team = teams.results(
            links: links, activity: activity, traffic: traffic,
            span: span.map { TimeSpan(start: $0.first, end: $0.last) })
        result += team.findings
        return (result.sorted { ($0.kind, $1.packets, $0.detail) < ($1.kind, $0.packets, $1.detail) }, team.usage)
    }

    /// An intent whose traffic was seen with none of it on the expected interface.
    private func idleExpectedInterfaces(rate: (UInt64) -> Double?) -> [Finding] {
        var result: [Finding] = []
        for (index, intent) in config.intents.enumerated() {
            let sides: [(String?, [String: Traffic], String)] = [
                (intent.expectedEgress, usage[index].egress, "out"), (intent.expectedIngress, usage[index].ingress, "in"),
            ]
            for (expectedName, table, direction) in sides {
                guard let expectedName, !table.isEmpty, table[expectedName] == nil else { continue }
                let packets = table.values.reduce(0) { $0 + $1.packets }
                let bytes = table.values.reduce(0) { $0 + $1.bytes }
                let busiest = table.max { ($0.value.packets, $1.key) < ($1.value.packets, $0.key) }!.key  // table is not empty
                let carriers = table.keys.sorted().map { reference($0).description }.joined(separator: ", ")
                let proofs = evidence.filter { $0.key.intent == index && $0.key.expected == expectedName }.values
                result.append(
                    Finding(
                        kind: .idleExpectedInterface, intent: intent.name, direction: direction,
                        expected: reference(expectedName), actual: reference(busiest), address: nil, macs: nil,
                        packets: packets, bytes: bytes, flows: proofs.reduce(0) { $0 + $1.flows },
                        packetsPerSecond: rate(packets), bitsPerSecond: rate(bytes * 8),
                        firstSeen: proofs.map(\.firstSeen).min() ?? Timestamp(nanoseconds: 0),
                        lastSeen: proofs.map(\.lastSeen).max() ?? Timestamp(nanoseconds: 0), sampleFlows: [],
                        detail: "intent \(intent.name) sent \(packets) packets \(direction == "out" ? "out" : "in") "
                            + "but none on \(reference(expectedName)); they used \(carriers)"))
            }
        }
        return result
    }
}
