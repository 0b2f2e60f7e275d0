import PathVerifyCore

/// The fault's two-host topology (reference §1.9), as the packets each host's capture sees.
///
/// Hosts A and B each have `vmk1` and `vmk2` in 10.99.0.0/24, `vmk1` added first. The
/// replication service is pinned to vmk2: A's 10.99.0.12 sends UDP to B's 10.99.0.22:9999.
/// Misrouted, the kernel sends it out of A's vmk1 and B's vmk1 wins the ARP race, so it
/// arrives on B's vmk1; both of B's interfaces answer A's ARP request (flux). Fixed (policy
/// routing plus arp_ignore=1/arp_announce=2), it leaves A's vmk2 and arrives on B's vmk2.
public enum LabTraffic {
    public struct Interface: Sendable {
        public var name: String
        public var alias: String
        public var role: String
        public var address: String
        public var mac: String
        public var ifindex: Int
    }

    /// One captured packet: where and which way it was seen, and its bytes.
    public struct Packet: Sendable {
        public var interface: String
        public var direction: Direction
        public var timestamp: Timestamp
        /// The captured bytes: headers only, as a 128-byte snapshot keeps them.
        public var frame: [UInt8]
        /// The frame's length on the wire.
        public var wireLength: Int

        public init(interface: String, direction: Direction, timestamp: Timestamp, frame: [UInt8], wireLength: Int? = nil) {
            self.interface = interface
            self.direction = direction
            self.timestamp = timestamp
            self.frame = frame
            self.wireLength = wireLength ?? frame.count
        }
    }

    public static let hostA = [
        Interface(name: "vmk1", alias: "a-vmk1", role: "vMotion-1", address: "10.99.0.11", mac: "02:00:00:00:0a:01", ifindex: 2),
        Interface(name: "vmk2", alias: "a-vmk2", role: "vMotion-2", address: "10.99.0.12", mac: "02:00:00:00:0a:02", ifindex: 3),
    ]
    public static let hostB = [
        Interface(name: "vmk1", alias: "b-vmk1", role: "vMotion-1", address: "10.99.0.21", mac: "02:00:00:00:0b:01", ifindex: 2),
        Interface(name: "vmk2", alias: "b-vmk2", role: "vMotion-2", address: "10.99.0.22", mac: "02:00:00:00:0b:02", ifindex: 3),
    ]

    /// Service packets per run.
    public static let servicePackets = 600
    static let start = Timestamp(seconds: 1_790_000_000)

    /// The captures of host A and host B for one run of the pinned service.
    public static func run(misrouted: Bool) -> (a: [Packet], b: [Packet]) {
        let (a1, a2, b1, b2) = (hostA[0], hostA[1], hostB[0], hostB[1])
        let egress = misrouted ? a1 : a2
        let ingress = misrouted ? b1 : b2
        var a: [Packet] = []
        var b: [Packet] = []
        var time = start
        func tick() -> Timestamp {
            time = Timestamp(nanoseconds: time.nanoseconds + 10_000_000)
            return time
        }
        // A asks who has .22 out of its egress interface; the bridge floods it to both of B's.
        let request = Frame.arpFrame(
            operation: 1, senderMAC: egress.mac, senderIP: a2.address, targetMAC: "00:00:00:00:00:00",
            targetIP: b2.address, destinationMAC: "ff:ff:ff:ff:ff:ff")
        let asked = tick()
        a.append(Packet(interface: egress.name, direction: .outbound, timestamp: asked, frame: request))
        b.append(Packet(interface: b1.name, direction: .inbound, timestamp: asked, frame: request))
        b.append(Packet(interface: b2.name, direction: .inbound, timestamp: asked, frame: request))
        // With ARP flux both of B's interfaces answer; fixed, only the owner (b2) does.
        for answering in misrouted ? [ingress, b2] : [b2] {
            let reply = Frame.arpFrame(
                operation: 2, senderMAC: answering.mac, senderIP: b2.address, targetMAC: egress.mac,
                targetIP: a2.address, destinationMAC: egress.mac)
            let answered = tick()
            b.append(Packet(interface: answering.name, direction: .outbound, timestamp: answered, frame: reply))
            a.append(Packet(interface: egress.name, direction: .inbound, timestamp: answered, frame: reply))
        }
        for sequence in 0..<servicePackets {
            let frame = Frame.udpFrame(
                sourceMAC: egress.mac, destinationMAC: ingress.mac, source: a2.address, destination: b2.address,
                sourcePort: 40000 + UInt16(sequence % 3), destinationPort: 9999, payloadLength: servicePayload)
            let sent = tick()
            let wire = frame.count + servicePayload
            a.append(Packet(interface: egress.name, direction: .outbound, timestamp: sent, frame: frame, wireLength: wire))
            b.append(Packet(interface: ingress.name, direction: .inbound, timestamp: sent, frame: frame, wireLength: wire))
        }
        return (a, b)
    }

    /// Payload bytes of each service datagram: on the wire, not in the header-only capture.
    public static let servicePayload = 100

    /// A config for one host: its interfaces and, optionally, the replication intent.
    public static func config(_ host: [Interface], intent: Bool) -> Config {
        let interfaces = host.map {
            InterfaceConfig(
                name: $0.name, alias: $0.alias, role: $0.role, addresses: [IPPrefix("\($0.address)/24")!],
                mac: MACAddress($0.mac), ifindex: $0.ifindex)
        }
        guard intent else { return Config(interfaces: interfaces) }
        let replication = Intent(
            name: "replication",
            selector: IntentSelector(protocols: [17], ports: [9999...9999]),
            expectedEgress: "vmk2", expectedIngress: "vmk2")
        return Config(interfaces: interfaces, intents: [replication])
    }

    /// The same config as TOML text.
    public static func configText(_ host: [Interface], intent: Bool) -> String {
        var text = ""
        for interface in host {
            text += """
                [[interface]]
                name = "\(interface.name)"
                alias = "\(interface.alias)"
                role = "\(interface.role)"
                addresses = ["\(interface.address)/24"]
                mac = "\(interface.mac)"
                ifindex = \(interface.ifindex)

                """
        }
        if intent {
            text += """
                [[intent]]
                name = "replication"
                protocol = "udp"
                ports = [9999]
                egress = "vmk2"
                ingress = "vmk2"

                """
        }
        return text
    }
}
