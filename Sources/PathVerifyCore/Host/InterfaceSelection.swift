/// Which interfaces the live commands (`top`, `capture`) watch.
public enum InterfaceSelection {
    /// The interfaces watched when none are named: up (`IFF_UP`), not loopback, and holding an
    /// address other than an IPv6 link-local one. Loopback is left out because it never carries
    /// traffic between hosts; name it with `-i lo` to watch it. An interface that is up but has
    /// lost its carrier stays in: a dead link is what an operator needs to see.
    public static func defaults(from host: [HostInterface]) -> [HostInterface] {
        host.filter { $0.isUp && !$0.isLoopback && $0.holdsConfiguredAddress }
    }

    /// The interfaces the operator named, or the defaults when they named none.
    ///
    /// - Parameters:
    ///   - requested: `-i` values: each a kernel name or a config alias, or a comma-separated
    ///     list of them. Repeats are dropped; the order is kept.
    ///   - host: what the kernel reports now.
    ///   - config: gives aliases (`vmk2`) for kernel names.
    /// - Throws: `.unknown` for a name that is neither an interface nor an alias of one;
    ///   `.noDefault` when none were named and no interface qualifies by default.
    public static func resolve(
        _ requested: [String], host: [HostInterface], config: Config = Config()
    ) throws(InterfaceSelectionError) -> [HostInterface] {
        let names = names(requested)
        guard !names.isEmpty else {
            let chosen = defaults(from: host)
            guard !chosen.isEmpty else { throw .noDefault(available: host.map(\.name)) }
            return chosen
        }
        var chosen: [HostInterface] = []
        for name in names {
            let kernelName = kernelName(name, host: host, config: config)
            guard let interface = host.first(where: { $0.name == kernelName }) else {
                let candidates = host.map(\.name) + config.interfaces.compactMap(\.alias)
                throw .unknown(
                    name, suggestion: KeySuggestion.closest(to: name, among: candidates), available: host.map(\.name))
            }
            if !chosen.contains(where: { $0.name == interface.name }) { chosen.append(interface) }
        }
        return chosen
    }
}

extension InterfaceSelection {
    /// What the daemon watches: the interfaces named with `-i` (aliases resolved through the
    /// config), else those the config lists, else the defaults. Unlike `resolve`, a name the
    /// host does not have now is kept: it may appear later, and until then it is reported down.
    public static func watched(_ requested: [String], host: [HostInterface], config: Config) -> [String] {
        let names = names(requested)
        let chosen =
            !names.isEmpty
            ? names.map { kernelName($0, host: host, config: config) }
            : !config.interfaces.isEmpty ? config.interfaces.map(\.name) : defaults(from: host).map(\.name)
        var unique: [String] = []
        for name in chosen where !unique.contains(name) { unique.append(name) }
        return unique
    }
}

extension InterfaceSelection {
    /// `-i` values as names: each a name or a comma-separated list; empty ones dropped.
    static func names(_ requested: [String]) -> [String] {
        requested.flatMap { $0.split(separator: ",") }.map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// A kernel name as it is, or the kernel name behind a config alias (`vmk2` → `eth2`).
    static func kernelName(_ name: String, host: [HostInterface], config: Config) -> String {
        host.contains { $0.name == name } ? name : config.interface(named: name)?.name ?? name
    }
}

/// Why the interfaces to watch could not be chosen.
public enum InterfaceSelectionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A named interface that the host does not have, with a likely intended name.
    case unknown(String, suggestion: String?, available: [String])
    /// None were named, and no interface is up with an address.
    case noDefault(available: [String])

    public var description: String {
        switch self {
        case .unknown(let name, let suggestion, let available):
            let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            return "unknown interface '\(name)'\(hint); this host has: \(available.joined(separator: ", "))"
        case .noDefault(let available):
            return "no interface is up with an address (loopback aside); name the ones to watch with -i"
                + (available.isEmpty ? "" : " (this host has: \(available.joined(separator: ", ")))")
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
