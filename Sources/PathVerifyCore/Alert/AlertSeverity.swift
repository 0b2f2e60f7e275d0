/// How urgent an alert line is; the shell maps it to a syslog priority.
///
/// A raised mismatch is a warning, its clear a notice, a capture failure an error, and the
/// daemon's own start, stop and reload lines are info.
public enum AlertSeverity: String, Sendable, CaseIterable {
    case error = "err"
    case warning
    case notice
    case info
}
