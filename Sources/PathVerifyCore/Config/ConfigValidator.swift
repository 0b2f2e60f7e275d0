/// Checks of a whole `Config` that no single value can fail on its own: duplicates, references
/// between intents and interfaces, and intents that could never match or check anything.
///
/// Key paths in the errors count entries of the model (`config.interfaces[1]` is `interface[1]`);
/// `ConfigDecoder` maps them back to the places in the file. The errors carry no line.
public enum ConfigValidator {
    /// All problems found, in the order of the model.
    /// - Parameter file: Copied into each error.
    public static func validate(_ config: Config, file: String = "") -> [ConfigError] {
        var errors: [ConfigError] = []
        func fail(_ path: ConfigKeyPath, _ message: String) {
            errors.append(ConfigError(file: file, keyPath: path, message: message))
        }
        var interfaceByName: [String: Int] = [:]
        var interfaceByAlias: [String: Int] = [:]
        var interfaceByIndex: [Int: Int] = [:]
        var interfaceByAddress: [IPAddress: Int] = [:]
        func label(_ index: Int) -> String {
            let name = config.interfaces[index].name
            return name.isEmpty ? "interface[\(index)]" : "\(name) (interface[\(index)])"
        }
        for (index, interface) in config.interfaces.enumerated() {
            let path = ConfigKeyPath(keys: "interface").appending(index: index)
            if interface.name.isEmpty {
                fail(
                    path.appending("name"),
                    "missing or empty; give the kernel's name for it, as `ip link` shows it, like 'eth1'")
            } else if let problem = kernelNameProblem(interface.name) {
                fail(path.appending("name"), problem)
            } else if let other = interfaceByName[interface.name] {
                fail(path.appending("name"), "'\(interface.name)' is listed twice (also interface[\(other)])")
            } else {
                interfaceByName[interface.name] = index
            }
        }
        for (index, interface) in config.interfaces.enumerated() {
            let path = ConfigKeyPath(keys: "interface").appending(index: index)
            if let alias = interface.alias {
                if alias.isEmpty {
                    fail(path.appending("alias"), "is empty; leave it out or give the operator's name, like 'vmk1'")
                } else if let other = interfaceByName[alias], other != index {
                    fail(
                        path.appending("alias"),
                        "'\(alias)' is the kernel name of \(label(other)); an alias must not name another interface")
                } else if let other = interfaceByAlias[alias] {
                    fail(path.appending("alias"), "'\(alias)' is already the alias of \(label(other))")
                } else {
                    interfaceByAlias[alias] = index
                }
            }
            for (position, prefix) in interface.addresses.enumerated() {
                let addressPath = path.appending("addresses").appending(index: position)
                if let other = interfaceByAddress[prefix.address] {
                    if other == index {
                        fail(addressPath, "\(prefix.address) is listed twice on this interface")
                    } else {
                        fail(
                            addressPath,
                            "\(prefix.address) is already an address of \(label(other)); an address belongs to one interface"
                        )
                    }
                } else {
                    interfaceByAddress[prefix.address] = index
                }
            }
            if let mac = interface.mac {
                if mac.isGroup {
                    fail(path.appending("mac"), "\(mac) is a multicast address; an interface's own MAC is unicast")
                } else if mac == .zero {
                    fail(path.appending("mac"), "\(mac) is all zeros; leave mac out for an interface without one")
                }
            }
            if let ifindex = interface.ifindex {
                if ifindex < 1 {
                    fail(
                        path.appending("ifindex"), "\(ifindex) is not an ifindex; the kernel numbers interfaces from 1")
                } else if let other = interfaceByIndex[ifindex] {
                    fail(path.appending("ifindex"), "ifindex \(ifindex) is already the one of \(label(other))")
                } else {
                    interfaceByIndex[ifindex] = index
                }
            }
        }

        let known = config.interfaces.filter { !$0.name.isEmpty }.map { interface in
            interface.alias.map { "\(interface.name)/\($0)" } ?? interface.name
        }
        var intentByName: [String: Int] = [:]
        for (index, intent) in config.intents.enumerated() {
            let path = ConfigKeyPath(keys: "intent").appending(index: index)
            if intent.name.isEmpty {
                fail(path.appending("name"), "missing or empty; give the intent a name, like 'replication'")
            } else if let other = intentByName[intent.name] {
                fail(path.appending("name"), "'\(intent.name)' is already the name of intent[\(other)]")
            } else {
                intentByName[intent.name] = index
            }
            let selector = intent.selector
            if selector.protocols.isEmpty && selector.ports.isEmpty && selector.sources.isEmpty
                && selector.destinations.isEmpty && selector.bpf == nil
            {
                fail(path, "matches all traffic; give at least one of protocol, ports, source, destination, bpf")
            }
            if intent.expectedEgress == nil && intent.expectedIngress == nil {
                fail(path, "has nothing to check; give egress, ingress or both (the interface this traffic should use)")
            }
            for (key, name) in [("egress", intent.expectedEgress), ("ingress", intent.expectedIngress)] {
                guard let name, interfaceByName[name] == nil else { continue }
                if known.isEmpty {
                    fail(path.appending(key), "unknown interface '\(name)'; list it as an [[interface]] first")
                } else {
                    fail(path.appending(key), "unknown interface '\(name)' (known: \(known.joined(separator: ", ")))")
                }
            }
            if !selector.ports.isEmpty, !selector.protocols.isEmpty,
                !selector.protocols.contains(where: IPProtocolName.withPorts.contains)
            {
                let names = selector.protocols.map(IPProtocolName.name).joined(separator: " or ")
                fail(path.appending("ports"), "ports never match \(names); only tcp, udp, sctp and dccp have ports")
            }
            if let sourceFamily = family(selector.sources), let destinationFamily = family(selector.destinations),
                sourceFamily != destinationFamily
            {
                fail(
                    path.appending("destination"),
                    "source is \(sourceFamily) and destination is \(destinationFamily); this intent can never match")
            }
            if let bpf = selector.bpf, bpf.allSatisfy(\.isWhitespace) {
                fail(path.appending("bpf"), "is empty; leave it out or write a tcpdump filter, like 'udp port 9999'")
            }
        }
        validateTeams(config, fail: fail)
        return errors
    }

    /// "IPv4" or "IPv6" when every prefix is of that family; `nil` for none or a mix.
    private static func family(_ prefixes: [IPPrefix]) -> String? {
        guard let first = prefixes.first, prefixes.allSatisfy({ $0.address.isIPv6 == first.address.isIPv6 }) else {
            return nil
        }
        return first.address.isIPv6 ? "IPv6" : "IPv4"
    }

    /// Why the kernel would refuse `name` as an interface name (`dev_valid_name` in net/core/dev.c).
    static func kernelNameProblem(_ name: String) -> String? {
        // IFNAMSIZ is 16 bytes including the terminating NUL.
        if name.utf8.count > 15 {
            return "'\(name)' is longer than 15 characters, the kernel's limit for interface names"
        }
        if name == "." || name == ".." || name.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) {
            return "'\(name)' is not a Linux interface name (no '/', ':' or spaces)"
        }
        return nil
    }
}
