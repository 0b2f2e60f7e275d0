/// Finds ARP flux in the ARP replies and NDP advertisements seen.
///
/// With Linux's defaults (`arp_ignore=0`) every interface answers ARP for every local address,
/// so an address is claimed by several MACs and peers send to whichever answer came first.
/// Evidence of it: one address answered by more than one MAC, or an answer for interface B's
/// address sent out of interface A (or carrying A's MAC).
struct ARPFluxCheck {
    let ownership: AddressOwnership
    let reference: (String) -> InterfaceRef

    func findings(_ observations: [ResolutionObservation], rate: (UInt64) -> Double?) -> [Finding] {
        var byAddress: [IPAddress: [ResolutionObservation]] = [:]
        for observation in observations { byAddress[observation.address, default: []].append(observation) }
        var result: [Finding] = []
        for (address, claims) in byAddress {
            let macs = Set(claims.compactMap(\.mac)).sorted()
            let owner = ownership.owners[address]
            let wrongInterfaces = Set(
                claims.compactMap { claim -> String? in
                    guard let owner else { return nil }
                    if let interface = claim.interface, claim.direction == .outbound, interface != owner {
                        return interface
                    }
                    if let mac = claim.mac, let sender = ownership.interface(withMAC: mac), sender != owner {
                        return sender
                    }
                    return nil
                }
            ).sorted()
            guard macs.count > 1 || !wrongInterfaces.isEmpty else { continue }
            let packets = claims.reduce(0) { $0 + $1.packets }
            let seenOn = Set(claims.compactMap(\.interface)).sorted().map { reference($0).description }
            var detail = "\(address) was answered for by \(macs.count) MAC\(macs.count == 1 ? "" : "s") "
                + "(\(macs.map(\.description).joined(separator: ", ")))"
            if !wrongInterfaces.isEmpty, let owner {
                detail += "; \(wrongInterfaces.map { reference($0).description }.joined(separator: ", ")) answered "
                    + "for \(reference(owner))'s address"
            }
            if !seenOn.isEmpty { detail += "; seen on \(seenOn.joined(separator: ", "))" }
            result.append(
                Finding(
                    kind: .arpFlux, intent: nil, direction: nil, expected: owner.map(reference),
                    actual: wrongInterfaces.first.map(reference), address: address.description,
                    macs: macs.map(\.description), packets: packets, bytes: 0, flows: claims.count,
                    packetsPerSecond: rate(packets), bitsPerSecond: nil,
                    firstSeen: claims.map(\.firstSeen).min()!, lastSeen: claims.map(\.lastSeen).max()!,  // claims is not empty
                    sampleFlows: [], detail: detail))
        }
        return result
    }
}
