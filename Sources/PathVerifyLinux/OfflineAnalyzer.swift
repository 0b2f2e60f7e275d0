import PathVerifyCore

/// One capture file to analyse, and the interface it was taken on when the file does not say.
public struct OfflineInput: Sendable, Equatable {
    public var path: String
    /// From `IFACE=FILE`: every packet of the file was captured on this interface.
    public var interface: String?

    public init(path: String, interface: String? = nil) {
        self.path = path
        self.interface = interface
    }
}

/// Reads capture files, attributes every packet to an interface, and verifies the result.
///
/// How a packet gets its interface, in order: the `IFACE=` the operator gave for the file; the
/// pcapng interface block's `if_name`; the ifindex of a Linux cooked v2 header, mapped through
/// the config's `ifindex` keys and `ifindexNames`; otherwise the packet is counted under the
/// file's name and not verified.
public struct OfflineAnalyzer {
    public var config: Config
    public var maxFlows: Int
    /// Selects the packets to analyse.
    public var filter: BPFFilter?
    /// Each intent's compiled `bpf` selector, in the config's order.
    public var intentFilters: [BPFFilter?]
    public var ifindexNames: [UInt32: String]

    /// - Throws: `BPFError` when an intent's `bpf` selector does not compile.
    public init(config: Config, maxFlows: Int, filter: BPFFilter? = nil, ifindexNames: [UInt32: String] = [:])
        throws(IntentFilterError)
    {
        self.config = config
        self.maxFlows = maxFlows
        self.filter = filter
        self.ifindexNames = ifindexNames
        intentFilters = try Self.compileIntentFilters(config)
    }

    /// Each intent's `bpf` selector, compiled, in the config's order.
    static func compileIntentFilters(_ config: Config) throws(IntentFilterError) -> [BPFFilter?] {
        var intentFilters: [BPFFilter?] = []
        for (index, intent) in config.intents.enumerated() {
            let predicate = intent.selector.bpf.map(BPFFilter.init(expression:))
            do {
                try predicate?.validate()
            } catch {
                throw IntentFilterError(intentIndex: index, intent: intent.name, error: error)
            }
            intentFilters.append(predicate)
        }
        return intentFilters
    }

    /// What an analysis produced: the result, one summary per input, and the inputs that were
    /// damaged part-way (their packets before the damage are in the result).
    public struct Outcome {
        public var result: AnalysisResult
        public var inputs: [InputSummary]
        public var damage: [String]
    }

    /// Reads every input in order into one analysis.
    /// - Throws: `CaptureFileReaderError` for an input that cannot be read at all.
    public func run(_ inputs: [OfflineInput]) throws(CaptureFileReaderError) -> Outcome {
        var analysis = TrafficAnalysis(
            config: config, maxFlows: maxFlows, intentPredicates: intentFilters, filter: filter,
            ifindexNames: ifindexNames)
        var summaries: [InputSummary] = []
        var damage: [String] = []
        for input in inputs {
            let before = analysis.stats.packets + analysis.stats.filteredOut
            var binding = InputBinding(input: input)
            let summary = try CaptureFileReader(path: input.path).read(
                onInterface: { binding.describe($0, in: &analysis) }, afterChunk: { analysis.flush() },
                { record in analysis.ingest(record, interface: binding.slot(for: record)) })
            if let problem = summary.damage {
                damage.append("\(input.path): \(problem); the \(summary.recordCount) packets before it were analysed")
            }
            if summary.recordsWithUnknownInterface > 0 {
                damage.append(
                    "\(input.path): \(summary.recordsWithUnknownInterface) packet blocks name an interface the file "
                        + "does not describe; they were skipped")
            }
            summaries.append(
                InputSummary(
                    path: input.path, format: summary.format.map(Self.formatName) ?? "unknown",
                    linkTypes: Array(Set(summary.interfaces.map(\.linkType))).sorted().map(\.name),
                    packets: analysis.stats.packets + analysis.stats.filteredOut - before,
                    interfaces: binding.interfaceNames, attribution: binding.attribution, error: summary.damage?.description))
        }
        return Outcome(result: analysis.result(), inputs: summaries, damage: damage)
    }

    static func formatName(_ format: CaptureFormat) -> String {
        switch format {
        case .pcap: "pcap"
        case .pcapModified: "pcap-modified"
        case .pcapng: "pcapng"
        }
    }
}

/// Maps one input's interface numbers to the analysis's interface slots.
struct InputBinding {
    let input: OfflineInput
    /// Per pcapng interface number: a slot, `cooked` (ask the SLL2 header), or not yet known.
    private var slots: [Int32] = []
    private(set) var interfaceNames: [String] = []
    private var attributions: Set<String> = []
    static let cooked: Int32 = -1
    static let unknown: Int32 = -2

    init(input: OfflineInput) {
        self.input = input
    }

    var attribution: String {
        attributions.isEmpty ? "no packets" : attributions.sorted().joined(separator: ", ")
    }

    mutating func describe(_ interface: CaptureInterface, in analysis: inout TrafficAnalysis) {
        while slots.count <= interface.index { slots.append(Self.unknown) }
        let slot: Int32
        if let name = input.interface {
            slot = Int32(analysis.interface(named: name))
            note(name, "interface given as \(name)=FILE")
        } else if let name = interface.name, !name.isEmpty {
            slot = Int32(analysis.interface(named: name, mac: interface.macAddress))
            note(name, "interface from pcapng if_name")
        } else if interface.linkType == .linuxSLL2 {
            slot = Self.cooked
            attributions.insert("interface from SLL2 ifindex")
        } else {
            let label = "(\(input.path)" + (interface.index > 0 ? " #\(interface.index))" : ")")
            slot = Int32(analysis.unnamedInterface(label: label))
            attributions.insert("interface not named (use IFACE=FILE)")
        }
        slots[interface.index] = slot
    }

    private mutating func note(_ name: String, _ how: String) {
        if !interfaceNames.contains(name) { interfaceNames.append(name) }
        attributions.insert(how)
    }

    func slot(for record: CaptureRecord) -> UInt16? {
        let slot = record.interfaceID < slots.count ? slots[record.interfaceID] : Self.cooked
        return slot >= 0 ? UInt16(slot) : nil
    }
}

/// An intent's `bpf` selector that libpcap could not compile.
public struct IntentFilterError: Error, Sendable, CustomStringConvertible {
    /// The intent's position in the config, from 0.
    public var intentIndex: Int
    public var intent: String
    public var error: BPFError

    public var description: String { "intent[\(intentIndex)].bpf (\(intent)): \(error)" }
}
