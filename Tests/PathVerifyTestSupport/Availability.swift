/// Whether a test fixture that needs the machine's help (root, namespaces, a daemon) can run
/// here, and if not why; tests gate on `isAvailable` and skip with the description.
public struct Availability: Sendable, CustomStringConvertible {
    /// What is probed, as the skip message names it: "the namespace lab".
    public let subject: String
    /// Why it cannot run; `nil` when it can.
    public let reason: String?

    public init(_ subject: String, unavailableBecause reason: String? = nil) {
        self.subject = subject
        self.reason = reason
    }

    public var isAvailable: Bool { reason == nil }

    public var description: String {
        reason.map { "\(subject) cannot run here: \($0); skipping" } ?? "\(subject) can run here"
    }
}
