/// Everything that is wrong with a config file: all errors found, not only the first.
public struct ConfigLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errors in the order of their lines; errors without a line come last.
    public var errors: [ConfigError]

    public init(errors: [ConfigError]) {
        self.errors = errors
    }

    /// One line per error, no trailing newline.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
