/// Finds the line of a key path in TOML text, because TOML libraries report no positions for values.
///
/// It scans the text once, the way a TOML reader would (table headers, `key = value`, strings,
/// multi-line arrays, inline tables, comments), and remembers the first line of every path it
/// meets: `intent[2]` is the line of the third `[[intent]]` header, `intent[2].egress` the line of
/// `egress =` in that table, `interface[0].addresses[1]` the line of the second element.
/// Asked for a path it has not seen, it answers with the nearest enclosing one (a missing key
/// gets its table's header line). It expects text that a TOML parser accepted, but any text
/// gives some answer and never a crash.
public struct ConfigLineLocator: Sendable {
    private var lines: [ConfigKeyPath: Int] = [:]

    public init(text: String) {
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.scanDocument()
        lines = scanner.lines
    }

    /// The 1-based line of `path`, or of the nearest enclosing path found in the text.
    public func line(of path: ConfigKeyPath) -> Int? {
        var components = path.components
        while !components.isEmpty {
            if let line = lines[ConfigKeyPath(components)] { return line }
            components.removeLast()
        }
        return nil
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        var line = 1
        var lines: [ConfigKeyPath: Int] = [:]
        /// How many `[[name]]` headers each array-of-tables path has had so far.
        var arrayCounts: [ConfigKeyPath: Int] = [:]

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        func byte(at offset: Int) -> UInt8? {
            position + offset < bytes.count ? bytes[position + offset] : nil
        }

        mutating func record(_ path: ConfigKeyPath) {
            if lines[path] == nil { lines[path] = line }
        }

        mutating func advance() {
            if current == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }

        mutating func skipSpaces() {
            while let byte = current, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { advance() }
        }

        /// Skips blanks, newlines and comments.
        mutating func skipTrivia() {
            while let byte = current {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): advance()
                case UInt8(ascii: "#"): skipLine()
                default: return
                }
            }
        }

        /// Skips to the newline that ends the current line (not past it).
        mutating func skipLine() {
            while let byte = current, byte != UInt8(ascii: "\n") { advance() }
        }

        mutating func scanDocument() {
            var table = ConfigKeyPath.root
            while true {
                skipTrivia()
                guard let byte = current else { return }
                let start = position
                if byte == UInt8(ascii: "[") {
                    table = scanHeader()
                } else {
                    scanKeyValue(in: table)
                }
                skipSpaces()
                if current == UInt8(ascii: "#") || position == start { skipLine() }
                // Anything else left on the line is not TOML; skip it rather than misread it.
                if let rest = current, rest != UInt8(ascii: "\n") { skipLine() }
            }
        }

        /// `[a.b]` or `[[a.b]]`; returns the concrete path of the table it opens: `intent[2]`.
        mutating func scanHeader() -> ConfigKeyPath {
            advance()
            let isArray = current == UInt8(ascii: "[")
            if isArray { advance() }
            let keys = scanKey()
            skipSpaces()
            if current == UInt8(ascii: "]") { advance() }
            if isArray, current == UInt8(ascii: "]") { advance() }
            var path = ConfigKeyPath.root
            for (offset, key) in keys.enumerated() {
                path = path.appending(key)
                record(path)
                let isLast = offset == keys.count - 1
                if isLast && isArray {
                    let count = arrayCounts[path, default: 0]
                    arrayCounts[path] = count + 1
                    path = path.appending(index: count)
                    record(path)
                } else if !isLast, let count = arrayCounts[path] {
                    // `[intent.match]` after `[[intent]]` belongs to the latest intent.
                    path = path.appending(index: count - 1)
                }
            }
            return path
        }

        mutating func scanKeyValue(in table: ConfigKeyPath) {
            let keys = scanKey()
            guard !keys.isEmpty else { return }
            var path = table
            for key in keys {
                path = path.appending(key)
                record(path)
            }
            skipSpaces()
            guard current == UInt8(ascii: "=") else { return }
            advance()
            skipSpaces()
            scanValue(at: path)
        }

        /// A dotted key of bare and quoted parts: `a."b c".d`. Empty when there is none.
        mutating func scanKey() -> [String] {
            var keys: [String] = []
            while true {
                skipSpaces()
                guard let byte = current else { break }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    let start = position + 1
                    scanSingleLineString(quote: byte)
                    let end = max(start, position - 1)
                    keys.append(String(decoding: bytes[start..<end], as: UTF8.self))
                } else {
                    let start = position
                    while let part = current, ConfigKeyPath.isBareKeyByte(part) { advance() }
                    guard position > start else { break }
                    keys.append(String(decoding: bytes[start..<position], as: UTF8.self))
                }
                skipSpaces()
                guard current == UInt8(ascii: ".") else { break }
                advance()
            }
            return keys
        }

        mutating func scanValue(at path: ConfigKeyPath) {
            record(path)
            guard let first = current else { return }
            switch first {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if byte(at: 1) == first && byte(at: 2) == first {
                    scanMultiLineString(quote: first)
                } else {
                    scanSingleLineString(quote: first)
                }
            case UInt8(ascii: "["):
                advance()
                var index = 0
                while true {
                    skipTrivia()
                    guard let next = current else { return }
                    if next == UInt8(ascii: "]") {
                        advance()
                        return
                    }
                    let start = position
                    scanValue(at: path.appending(index: index))
                    index += 1
                    skipTrivia()
                    if current == UInt8(ascii: ",") {
                        advance()
                    } else if position == start {
                        advance()
                    }
                }
            case UInt8(ascii: "{"):
                advance()
                while true {
                    skipTrivia()
                    guard let next = current else { return }
                    if next == UInt8(ascii: "}") {
                        advance()
                        return
                    }
                    let start = position
                    var inner = path
                    for key in scanKey() {
                        inner = inner.appending(key)
                        record(inner)
                    }
                    skipSpaces()
                    if current == UInt8(ascii: "=") {
                        advance()
                        skipSpaces()
                        scanValue(at: inner)
                    }
                    skipTrivia()
                    if current == UInt8(ascii: ",") {
                        advance()
                    } else if position == start {
                        advance()
                    }
                }
            default:
                // Numbers, booleans, dates: up to the next delimiter.
                while let next = current,
                    ![UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "\n"), UInt8(ascii: "#")]
                        .contains(next)
                {
                    advance()
                }
            }
        }

        /// `"…"` (with backslash escapes) or `'…'`, ending at the closing quote or the line's end.
        mutating func scanSingleLineString(quote: UInt8) {
            advance()
            while let byte = current, byte != UInt8(ascii: "\n") {
                advance()
                if byte == quote { return }
                if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "\""), current != UInt8(ascii: "\n") { advance() }
            }
        }

        /// `"""…"""` or `'''…'''`, which may span lines and end with up to two extra quotes.
        mutating func scanMultiLineString(quote: UInt8) {
            advance()
            advance()
            advance()
            while let byte = current {
                if byte == quote && self.byte(at: 1) == quote && self.byte(at: 2) == quote {
                    advance()
                    advance()
                    advance()
                    while current == quote { advance() }
                    return
                }
                advance()
                if byte == UInt8(ascii: "\\"), quote == UInt8(ascii: "\""), current != nil { advance() }
            }
        }
    }
}
