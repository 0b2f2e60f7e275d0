/// Where a value sits in a config document: `intent[2].egress`, `interface[0].addresses[1]`.
///
/// Indices count from 0 in the order the tables or elements appear in the file, as in jq
/// (`.intent[2]` is the third `[[intent]]`).
public struct ConfigKeyPath: Hashable, Sendable, CustomStringConvertible {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    /// The path of the document itself (an error about the whole file).
    public static let root = ConfigKeyPath()

    /// A path of keys only: `ConfigKeyPath(keys: "intent")`.
    public init(keys: String...) {
        self.init(keys.map { .key($0) })
    }

    public var isRoot: Bool { components.isEmpty }

    public func appending(_ key: String) -> ConfigKeyPath {
        ConfigKeyPath(components + [.key(key)])
    }

    public func appending(index: Int) -> ConfigKeyPath {
        ConfigKeyPath(components + [.index(index)])
    }

    /// Whether `self` is `other` or lies inside it.
    public func hasPrefix(_ other: ConfigKeyPath) -> Bool {
        other.components.count <= components.count
            && Array(components.prefix(other.components.count)) == other.components
    }

    /// `intent[2].egress`; a key that is not a TOML bare key is quoted: `intent[0]."my key"`.
    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += ConfigKeyPath.isBareKey(key) ? key : "\"" + key + "\""
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// TOML v1.0.0 bare keys: `A-Za-z0-9_-`, at least one.
    static func isBareKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy(isBareKeyByte)
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }
}
