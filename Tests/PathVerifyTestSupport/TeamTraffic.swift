import PathVerifyCore

/// A host whose `vmk` rides on a team of two uplinks, as per-uplink captures see its traffic
/// (the topology of `TeamLab`): vmk 10.98.0.11 sends UDP to a peer's 10.98.0.21-.24.
public enum TeamTraffic {
    public static let vmkAddress = "10.98.0.11"
    public static let vmkMAC = "02:00:00:00:0c:01"
    public static let peerMAC = "02:00:00:00:0d:01"
    public static let peers = ["10.98.0.21", "10.98.0.22", "10.98.0.23", "10.98.0.24"]
    public static let uplinks = ["up1", "up2"]
    /// Payload bytes per datagram, on the wire only.
    public static let payload = 100
    static let start = Timestamp(seconds: 1_790_000_000)

    /// One flow: `count` datagrams from vmk to `peer`, one every `interval`, from `at` seconds
    /// after the start, leaving by `uplink`.
    public struct Flow: Sendable {
        public var peer: String
        public var sourcePort: UInt16
        public var uplink: String
        public var at: Double
        public var count: Int
        public var interval: Double

        public init(peer: String, sourcePort: UInt16 = 40000, uplink: String, at: Double = 0, count: Int = 100, interval: Double = 0.01) {
            self.peer = peer
            self.sourcePort = sourcePort
            self.uplink = uplink
            self.at = at
            self.count = count
            self.interval = interval
        }
    }

    /// The packets of `flows`, in time order.
    public static func packets(_ flows: [Flow]) -> [LabTraffic.Packet] {
        var result: [LabTraffic.Packet] = []
        for flow in flows {
            for index in 0..<flow.count {
                let frame = Frame.udpFrame(
                    sourceMAC: vmkMAC, destinationMAC: peerMAC, source: vmkAddress, destination: flow.peer,
                    sourcePort: flow.sourcePort, destinationPort: 9999, payloadLength: payload)
                let offset = Int64(((flow.at + Double(index) * flow.interval) * 1e9).rounded())
                result.append(
                    LabTraffic.Packet(
                        interface: flow.uplink, direction: .outbound,
                        timestamp: Timestamp(nanoseconds: start.nanoseconds + offset), frame: frame,
                        wireLength: frame.count + payload))
            }
        }
        return result.sorted { $0.timestamp < $1.timestamp }
    }

    /// The uplinks as `LabCaptures.perInterface` names them.
    public static let host = uplinks.enumerated().map { index, name in
        LabTraffic.Interface(
            name: name, alias: name, role: "uplink", address: "", mac: "02:00:00:00:0e:0\(index + 1)", ifindex: index + 10)
    }

    /// A config: vmk with its address, and one team of up1 and up2 carrying it.
    /// - Parameter team: the `[[team]]` body after `name`, `uplinks` and `interfaces`.
    public static func configText(team: String) -> String {
        """
        [[interface]]
        name = "vmk"
        alias = "vmk3"
        role = "FT-logging"
        addresses = ["\(vmkAddress)/24"]
        mac = "\(vmkMAC)"

        [[team]]
        name = "ft"
        uplinks = ["up1", "up2"]
        interfaces = ["vmk3"]
        \(team)

        """
    }

    /// The same as a `Config`.
    public static func config(_ team: Team) -> Config {
        Config(
            interfaces: [
                InterfaceConfig(
                    name: "vmk", alias: "vmk3", role: "FT-logging", addresses: [IPPrefix("\(vmkAddress)/24")!],
                    mac: MACAddress(vmkMAC))
            ], teams: [team])
    }
}
