/// One problem in a config file, with where it is and what to do about it.
///
/// Rendered the way compilers and `tcpdump -F` users expect, one line per error:
/// `/etc/pathverify/pathverify.toml:14: intent[2].egress: unknown interface 'vmk9' (known: eth1/vmk1, eth2/vmk2)`.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the operator named it.
    public var file: String
    /// The value the error is about; `.root` for the file as a whole (unreadable, TOML syntax).
    public var keyPath: ConfigKeyPath
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known (TOML syntax errors).
    public var column: Int?
    /// What is wrong, in a network engineer's words.
    public var message: String

    public init(file: String, keyPath: ConfigKeyPath, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COLUMN: KEYPATH: MESSAGE`, leaving out the parts that are not known.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if !keyPath.isRoot { text += "\(keyPath): " }
        return text + message
    }
}
