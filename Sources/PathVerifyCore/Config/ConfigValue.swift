/// A parsed config document as plain values, independent of the TOML library that read it.
///
/// The platform layer turns its TOML tree into this; `ConfigDecoder` turns this into a `Config`.
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([ConfigValue])
    case table([String: ConfigValue])
    /// A value pathverify never takes (TOML dates and times), named for error messages: "a date".
    case other(String)

    /// The kind of value with its article, for messages: "expected a string, found an integer".
    public var kindDescription: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a floating-point number"
        case .boolean: "a boolean"
        case .array: "a list"
        case .table: "a table"
        case .other(let name): name
        }
    }
}
