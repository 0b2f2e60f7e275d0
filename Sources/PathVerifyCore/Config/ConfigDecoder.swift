/// Turns a parsed config document into a `Config`, collecting every error with its line.
///
/// It checks the document's shape (known tables and keys, with did-you-mean suggestions, and the
/// type of each value), parses addresses, prefixes, MACs, ports and protocols, maps interface
/// aliases in `egress`/`ingress` to kernel names, then runs `ConfigValidator` and reports its
/// findings at the places in the file they came from.
public enum ConfigDecoder {
    /// The top-level tables, each an array of tables: `[[interface]]`, `[[intent]]`, `[[team]]`.
    public static let tableNames = ["interface", "intent", "team"]
    /// The keys of an `[[interface]]`.
    public static let interfaceKeys = ["name", "alias", "role", "addresses", "mac", "ifindex"]
    /// The keys of an `[[intent]]`.
    public static let intentKeys = ["name", "protocol", "ports", "source", "destination", "bpf", "egress", "ingress"]
    /// The keys of a `[[team]]`.
    public static let teamKeys = [
        "name", "policy", "hash", "uplinks", "standby", "failback", "primary", "interfaces", "capacity",
        "n1_threshold", "imbalance_threshold",
    ]

    /// Decodes `document`, whose source text is `text`.
    /// - Parameters:
    ///   - document: The file's top-level table.
    ///   - file: The file's name as the operator gave it, for the messages.
    ///   - text: The file's text, to find the line of each error.
    /// - Throws: All errors found, ordered by line.
    public static func decode(_ document: [String: ConfigValue], file: String, text: String) throws(ConfigLoadError)
        -> Config
    {
        var decoding = Decoding(file: file, locator: ConfigLineLocator(text: text))
        let config = decoding.decode(document)
        let errors = decoding.finish(config)
        guard errors.isEmpty else { throw ConfigLoadError(errors: errors) }
        return config
    }

    /// Orders errors by line, keeping the order among equal lines; errors without a line come last.
    public static func sortedByLine(_ errors: [ConfigError]) -> [ConfigError] {
        errors.enumerated().sorted { lhs, rhs in
            (lhs.element.line ?? Int.max, lhs.offset) < (rhs.element.line ?? Int.max, rhs.offset)
        }.map(\.element)
    }
}

struct Decoding {
    let file: String
    let locator: ConfigLineLocator
    var errors: [ConfigError] = []
    /// Where each entry of the model came from in the document: `interface[1]` → `interface[2]`
    /// when the document's `interface[1]` was not a table; `interface[0].addresses[0]` → `…[1]`.
    var documentPaths: [ConfigKeyPath: ConfigKeyPath] = [:]

    init(file: String, locator: ConfigLineLocator) {
        self.file = file
        self.locator = locator
    }

    mutating func fail(_ path: ConfigKeyPath, _ message: String) {
        errors.append(ConfigError(file: file, keyPath: path, line: locator.line(of: path), message: message))
    }

    mutating func typeMismatch(_ path: ConfigKeyPath, expected: String, found value: ConfigValue) {
        fail(path, "expected \(expected), found \(value.kindDescription)")
    }

    /// Adds the validator's findings, mapped to document paths, except those about a place where
    /// decoding already failed (a missing selector is no news when `ports` had an error).
    mutating func finish(_ config: Config) -> [ConfigError] {
        let decodingPaths = errors.map(\.keyPath)
        for error in ConfigValidator.validate(config, file: file) {
            let path = documentPath(error.keyPath)
            guard !decodingPaths.contains(where: { $0.hasPrefix(path) }) else { continue }
            fail(path, error.message)
        }
        return ConfigDecoder.sortedByLine(errors)
    }

    func documentPath(_ modelPath: ConfigKeyPath) -> ConfigKeyPath {
        var count = modelPath.components.count
        while count > 0 {
            if let mapped = documentPaths[ConfigKeyPath(Array(modelPath.components.prefix(count)))] {
                return ConfigKeyPath(mapped.components + modelPath.components.dropFirst(count))
            }
            count -= 1
        }
        return modelPath
    }

    mutating func decode(_ document: [String: ConfigValue]) -> Config {
        var config = Config()
        for key in document.keys.sorted() where !ConfigDecoder.tableNames.contains(key) {
            let kind: String
            switch document[key] {
            case .table: kind = "unknown table [\(key)]"
            case .array(let elements) where !elements.isEmpty && elements.allSatisfy(isTable):
                kind = "unknown table [[\(key)]]"
            default: kind = "unknown key"
            }
            if let suggestion = KeySuggestion.closest(to: key, among: ConfigDecoder.tableNames) {
                fail(ConfigKeyPath(keys: key), "\(kind); did you mean [[\(suggestion)]]?")
            } else {
                fail(ConfigKeyPath(keys: key), "\(kind); pathverify reads [[interface]], [[intent]] and [[team]] tables")
            }
        }
        for (path, table) in tables(document, "interface") {
            documentPaths[ConfigKeyPath(keys: "interface").appending(index: config.interfaces.count)] = path
            config.interfaces.append(decodeInterface(table, at: path, modelIndex: config.interfaces.count))
        }
        for (path, table) in tables(document, "intent") {
            documentPaths[ConfigKeyPath(keys: "intent").appending(index: config.intents.count)] = path
            config.intents.append(decodeIntent(table, at: path, interfaces: config.interfaces))
        }
        for (path, table) in tables(document, "team") {
            documentPaths[ConfigKeyPath(keys: "team").appending(index: config.teams.count)] = path
            config.teams.append(decodeTeam(table, at: path, interfaces: config.interfaces))
        }
        return config
    }

    private func isTable(_ value: ConfigValue) -> Bool {
        if case .table = value { return true }
        return false
    }

    /// The entries of the array of tables `[[name]]`, reporting any that is not a table.
    mutating func tables(_ document: [String: ConfigValue], _ name: String) -> [(ConfigKeyPath, [String: ConfigValue])]
    {
        let path = ConfigKeyPath(keys: name)
        switch document[name] {
        case nil:
            return []
        case .array(let elements):
            var result: [(ConfigKeyPath, [String: ConfigValue])] = []
            for (index, element) in elements.enumerated() {
                if case .table(let table) = element {
                    result.append((path.appending(index: index), table))
                } else {
                    typeMismatch(path.appending(index: index), expected: "a table (one [[\(name)]])", found: element)
                }
            }
            return result
        case .table:
            fail(path, "found a single [\(name)] table; write each \(name) as [[\(name)]]")
            return []
        case let value?:
            typeMismatch(path, expected: "[[\(name)]] tables", found: value)
            return []
        }
    }

    mutating func checkKeys(_ table: [String: ConfigValue], at path: ConfigKeyPath, known: [String]) {
        for key in table.keys.sorted() where !known.contains(key) {
            if let suggestion = KeySuggestion.closest(to: key, among: known) {
                fail(path.appending(key), "unknown key; did you mean '\(suggestion)'?")
            } else {
                fail(path.appending(key), "unknown key (known keys: \(known.joined(separator: ", ")))")
            }
        }
    }

    // MARK: Interfaces

    mutating func decodeInterface(_ table: [String: ConfigValue], at path: ConfigKeyPath, modelIndex: Int)
        -> InterfaceConfig
    {
        checkKeys(table, at: path, known: ConfigDecoder.interfaceKeys)
        var interface = InterfaceConfig(name: string(table, "name", at: path) ?? "")
        interface.alias = string(table, "alias", at: path)
        interface.role = string(table, "role", at: path)
        let modelPath = ConfigKeyPath(keys: "interface").appending(index: modelIndex).appending("addresses")
        for (text, elementPath) in strings(table, "addresses", at: path, what: "addresses") {
            guard let prefix = interfaceAddress(text, at: elementPath) else { continue }
            documentPaths[modelPath.appending(index: interface.addresses.count)] = elementPath
            interface.addresses.append(prefix)
        }
        if let text = string(table, "mac", at: path) {
            if let mac = MACAddress(text) {
                interface.mac = mac
            } else {
                fail(path.appending("mac"), "'\(text)' is not a MAC address, like '02:00:00:00:0a:01'")
            }
        }
        if let value = table["ifindex"] {
            if case .integer(let ifindex) = value {
                interface.ifindex = ifindex
            } else {
                typeMismatch(path.appending("ifindex"), expected: "an integer, like 2", found: value)
            }
        }
        return interface
    }

    /// An interface's address, which must carry its prefix length.
    mutating func interfaceAddress(_ text: String, at path: ConfigKeyPath) -> IPPrefix? {
        guard text.contains("/") else {
            if let address = IPAddress(text) {
                let example = address.isIPv6 ? "\(address)/64" : "\(address)/24"
                fail(
                    path,
                    "'\(text)' has no prefix length; interfaces need one, like '\(example)', "
                        + "so pathverify knows which interfaces share a subnet")
            } else {
                fail(path, "'\(text)' is not an IP address with prefix length, like '10.99.0.11/24'")
            }
            return nil
        }
        if let prefix = IPPrefix(text) { return prefix }
        fail(path, prefixProblem(text) ?? "'\(text)' is not an IP address with prefix length, like '10.99.0.11/24'")
        return nil
    }

    /// Says what is wrong with the length of `address/length` when the address itself is fine.
    func prefixProblem(_ text: String) -> String? {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        let family = address.isIPv6 ? "IPv6" : "IPv4"
        return "'\(text)': prefix length '\(parts[1])' is not a number from 0 to \(address.bitWidth) for \(family)"
    }

    // MARK: Intents

    mutating func decodeIntent(_ table: [String: ConfigValue], at path: ConfigKeyPath, interfaces: [InterfaceConfig])
        -> Intent
    {
        checkKeys(table, at: path, known: ConfigDecoder.intentKeys)
        var selector = IntentSelector()
        selector.protocols = protocols(table["protocol"], at: path.appending("protocol"))
        selector.ports = ports(table["ports"], at: path.appending("ports"))
        for key in ["source", "destination"] {
            var prefixes: [IPPrefix] = []
            for (text, elementPath) in strings(table, key, at: path, what: "addresses or prefixes") {
                if let prefix = IPPrefix(text) {
                    prefixes.append(prefix)
                } else {
                    fail(
                        elementPath,
                        prefixProblem(text)
                            ?? "'\(text)' is not an IP address or prefix, like '10.99.0.12' or '10.99.0.0/24'")
                }
            }
            if key == "source" { selector.sources = prefixes } else { selector.destinations = prefixes }
        }
        selector.bpf = string(table, "bpf", at: path)
        return Intent(
            name: string(table, "name", at: path) ?? "",
            selector: selector,
            expectedEgress: string(table, "egress", at: path).map { kernelName($0, interfaces) },
            expectedIngress: string(table, "ingress", at: path).map { kernelName($0, interfaces) })
    }

    /// An alias names the interface too; an unknown name stays as written for the validator to report.
    func kernelName(_ name: String, _ interfaces: [InterfaceConfig]) -> String {
        interfaces.first { $0.name == name }?.name ?? interfaces.first { $0.alias == name }?.name ?? name
    }

    /// `"udp"`, `17`, or a list of those.
    mutating func protocols(_ value: ConfigValue?, at path: ConfigKeyPath) -> [UInt8] {
        let names = IPProtocolName.known.map(\.name)
        var result: [UInt8] = []
        for (element, elementPath) in elements(value, at: path) {
            switch element {
            case .integer(let number):
                if let number = UInt8(exactly: number) {
                    result.append(number)
                } else {
                    fail(elementPath, "protocol \(number) is out of range 0-255")
                }
            case .string(let text):
                if let number = IPProtocolName.number(text) ?? UInt8(text) {
                    result.append(number)
                } else if let suggestion = KeySuggestion.closest(to: text, among: names) {
                    fail(elementPath, "unknown protocol '\(text)'; did you mean '\(suggestion)'?")
                } else {
                    fail(
                        elementPath,
                        "unknown protocol '\(text)' (use \(names.joined(separator: ", ")), or a number 0-255)")
                }
            default:
                typeMismatch(elementPath, expected: "a protocol name like 'tcp' or a number", found: element)
            }
        }
        return result
    }

    /// `9999`, `"8000-8010"`, or a list of those.
    mutating func ports(_ value: ConfigValue?, at path: ConfigKeyPath) -> [ClosedRange<UInt16>] {
        var result: [ClosedRange<UInt16>] = []
        for (element, elementPath) in elements(value, at: path) {
            switch element {
            case .integer(let number):
                if let port = UInt16(exactly: number) {
                    result.append(port...port)
                } else {
                    fail(elementPath, "port \(number) is out of range 0-65535")
                }
            case .string(let text):
                if let range = portRange(text, at: elementPath) { result.append(range) }
            default:
                typeMismatch(elementPath, expected: "a port like 9999 or a range like '8000-8010'", found: element)
            }
        }
        return result
    }

    mutating func portRange(_ text: String, at path: ConfigKeyPath) -> ClosedRange<UInt16>? {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false).map {
            $0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
        }.map { String($0) }
        guard (1...2).contains(bounds.count), bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
            let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1])
        else {
            fail(path, "'\(text)' is not a port or a port range, like '8000-8010'")
            return nil
        }
        for bound in [low, high] where UInt16(exactly: bound) == nil {
            fail(path, "port \(bound) is out of range 0-65535")
            return nil
        }
        guard low <= high else {
            fail(path, "port range '\(text)' is reversed; write '\(high)-\(low)'")
            return nil
        }
        return UInt16(low)...UInt16(high)
    }

    // MARK: Values

    /// The elements of a list, or a single value as a one-element list (its path has no index).
    func elements(_ value: ConfigValue?, at path: ConfigKeyPath) -> [(ConfigValue, ConfigKeyPath)] {
        switch value {
        case nil: return []
        case .array(let elements)?: return elements.enumerated().map { ($0.element, path.appending(index: $0.offset)) }
        case let single?: return [(single, path)]
        }
    }

    /// An optional string value.
    mutating func string(_ table: [String: ConfigValue], _ key: String, at path: ConfigKeyPath) -> String? {
        switch table[key] {
        case nil: return nil
        case .string(let text)?: return text
        case let value?:
            typeMismatch(path.appending(key), expected: "a string", found: value)
            return nil
        }
    }

    /// A string or a list of strings, with the path of each.
    mutating func strings(_ table: [String: ConfigValue], _ key: String, at path: ConfigKeyPath, what: String)
        -> [(String, ConfigKeyPath)]
    {
        let keyPath = path.appending(key)
        if let value = table[key], case .array = value {
        } else if let value = table[key] {
            guard case .string(let text) = value else {
                typeMismatch(keyPath, expected: "a list of \(what)", found: value)
                return []
            }
            return [(text, keyPath)]
        }
        var result: [(String, ConfigKeyPath)] = []
        for (element, elementPath) in elements(table[key], at: keyPath) {
            if case .string(let text) = element {
                result.append((text, elementPath))
            } else {
                typeMismatch(elementPath, expected: "a string", found: element)
            }
        }
        return result
    }
}
