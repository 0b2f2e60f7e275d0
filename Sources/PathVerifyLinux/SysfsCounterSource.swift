import PathVerifyCore

/// Reads interface counters from `/sys/class/net/NAME/statistics/`.
///
/// Each statistics file read makes the kernel gather all of the device's statistics, so a
/// sample reads only the six counters the view shows, plus `ifindex` and `operstate` (plain
/// attributes, no statistics dump) to notice a re-created or downed interface.
public struct SysfsCounterSource: InterfaceCounterSource {
    /// The directory holding one directory per interface; a test may point it at fixtures.
    public var root: String
    /// Stamps each sample; a test may give fixed times.
    public var monotonicNanoseconds: @Sendable () -> UInt64

    public init(
        root: String = "/sys/class/net",
        monotonicNanoseconds: @escaping @Sendable () -> UInt64 = SystemClock.monotonicNanoseconds
    ) {
        self.root = root
        self.monotonicNanoseconds = monotonicNanoseconds
    }

    /// The interface's counters now, or `nil` if it is gone (also if it vanishes part-way).
    public func sample(_ name: String) throws(SysfsReadError) -> CounterSample? {
        guard SysfsFile.isInterfaceName(name) else { return nil }
        let directory = root + "/" + name
        guard let ifindex = try SysfsFile.readInt(directory + "/ifindex") else { return nil }
        let statistics = directory + "/statistics/"
        guard let rxPackets = try SysfsFile.readUInt64(statistics + "rx_packets"),
            let txPackets = try SysfsFile.readUInt64(statistics + "tx_packets"),
            let rxBytes = try SysfsFile.readUInt64(statistics + "rx_bytes"),
            let txBytes = try SysfsFile.readUInt64(statistics + "tx_bytes"),
            let rxDropped = try SysfsFile.readUInt64(statistics + "rx_dropped"),
            let txDropped = try SysfsFile.readUInt64(statistics + "tx_dropped")
        else { return nil }
        let time = monotonicNanoseconds()
        guard let state = try SysfsFile.read(directory + "/operstate") else { return nil }
        return CounterSample(
            ifindex: ifindex, operationalState: OperationalState(kernelName: state),
            counters: InterfaceCounters(
                rxPackets: rxPackets, txPackets: txPackets, rxBytes: rxBytes, txBytes: txBytes, rxDropped: rxDropped,
                txDropped: txDropped),
            monotonicNanoseconds: time)
    }
}
