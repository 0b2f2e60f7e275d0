import Glibc
import PathVerifyCore
import TOMLKit

/// Reads pathverify's TOML config file into a `Config`.
///
/// ```swift
/// do {
///     let config = try ConfigLoader.load(path: "/etc/pathverify/pathverify.toml")
/// } catch {
///     print(error)  // one line per problem: FILE:LINE: intent[2].egress: unknown interface 'vmk9' (…)
/// }
/// ```
/// Every problem in the file is reported, not only the first; see `ConfigDecoder` for the checks.
public enum ConfigLoader {
    /// The file a packaged pathverify reads by default.
    public static let defaultPath = "/etc/pathverify/pathverify.toml"

    /// Reads, parses and checks the config file at `path`.
    /// - Throws: `ConfigLoadError` with one `ConfigError` per problem: the file cannot be read
    ///   (`cannot read: No such file or directory`), a TOML syntax error (with line and column),
    ///   or any number of errors in the values.
    public static func load(path: String) throws(ConfigLoadError) -> Config {
        let text: String
        do {
            text = try readText(path: path)
        } catch {
            throw ConfigLoadError(errors: [ConfigError(file: path, keyPath: .root, message: error.message)])
        }
        return try load(text: text, file: path)
    }

    /// Parses and checks config text that was read elsewhere (standard input, a test).
    /// - Parameter file: The name to report errors under.
    public static func load(text: String, file: String) throws(ConfigLoadError) -> Config {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigLoadError(errors: [
                ConfigError(
                    file: file, keyPath: .root, line: error.source.begin.line, column: error.source.begin.column,
                    message: "TOML syntax error: \(error.description)")
            ])
        } catch {
            throw ConfigLoadError(errors: [
                ConfigError(file: file, keyPath: .root, message: "TOML syntax error: \(error)")
            ])
        }
        return try ConfigDecoder.decode(tableValues(table), file: file, text: text)
    }

    // MARK: TOML to plain values

    static func tableValues(_ table: TOMLTable) -> [String: ConfigValue] {
        var result: [String: ConfigValue] = [:]
        for (key, value) in table { result[key] = configValue(value) }
        return result
    }

    static func configValue(_ value: TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .string: value.string.map(ConfigValue.string) ?? .other("a string")
        case .int: value.int.map(ConfigValue.integer) ?? .other("an integer")
        case .double: value.double.map(ConfigValue.float) ?? .other("a floating-point number")
        case .bool: value.bool.map(ConfigValue.boolean) ?? .other("a boolean")
        case .array: .array(value.array.map { $0.map(configValue) } ?? [])
        case .table: .table(value.table.map(tableValues) ?? [:])
        case .date: .other("a date")
        case .time: .other("a time")
        case .dateTime: .other("a date-time")
        }
    }

    // MARK: Reading the file

    struct ReadError: Error {
        var message: String
    }

    /// The file's text, which TOML requires to be UTF-8.
    ///
    /// The corresponding C functions are `open` and `read`; their `errno` becomes the message.
    static func readText(path: String) throws(ReadError) -> String {
        let descriptor = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw ReadError(message: "cannot read: \(errnoText())") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                retryingOnInterrupt { read(descriptor, buffer.baseAddress, buffer.count) }
            }
            if count < 0 { throw ReadError(message: "cannot read: \(errnoText())") }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReadError(message: "cannot read: not UTF-8 text (is this the config file?)")
        }
        return text
    }

    /// Repeats a C call that failed with `EINTR`.
    private static func retryingOnInterrupt<Result: BinaryInteger>(_ call: () -> Result) -> Result {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }

    /// `strerror(errno)`: "No such file or directory".
    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
