/// A sysfs file that could not be read, or that held something unexpected.
public struct SysfsReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        case systemCall(SystemCallError)
        /// The file's text, which was not in the kernel's format for it.
        case unexpectedContent(String)
    }

    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .systemCall(let error): "\(path): cannot read: \(error)"
        case .unexpectedContent(let text): "\(path): unexpected content '\(text)'"
        }
    }
}
