/// The daemon's own lines: what it watches when it starts, what a reload changed, what it
/// did by the time it stops. Info, except a reload that failed (an error).
public enum LifecycleLines {
    public static func started(
        interfaces: [String], config: String?, intents: Int, window: UInt64, policy: AlertPolicy
    ) -> AlertLine {
        AlertLine(
            "STARTED", severity: .info,
            [
                .init("interfaces", interfaces.joined(separator: ",")), .init("config", config ?? "none"),
                .init("intents", String(intents)), .init("window", DurationText.text(Int64(window))),
                .init("raise-after", "\(policy.minimumPackets)pkts"),
                .init("remind", DurationText.text(policy.reminderNanoseconds)),
                .init("clear-after", DurationText.text(policy.quietNanoseconds)),
            ])
    }

    public static func reloaded(
        config: String?, intents: Int, kept: [String], opened: [String], closed: [String], failed: [String]
    ) -> AlertLine {
        func list(_ names: [String]) -> String { names.isEmpty ? "-" : names.joined(separator: ",") }
        return AlertLine(
            "RELOADED", severity: .info,
            [
                .init("config", config ?? "none"), .init("intents", String(intents)), .init("kept", list(kept)),
                .init("opened", list(opened)), .init("closed", list(closed)), .init("failed", list(failed)),
            ])
    }

    /// A reload that could not be done: the running config stays.
    public static func reloadFailed(config: String?, error: String) -> AlertLine {
        AlertLine(
            "RELOAD_FAILED", severity: .error,
            [.init("config", config ?? "none"), .init("error", error), .init("kept", "running config")])
    }

    /// A path check (`pathverify check`) that could not read the host's routing or settings:
    /// its last findings stay.
    public static func checkFailed(error: String) -> AlertLine {
        AlertLine("CHECK_FAILED", severity: .error, [.init("error", error), .init("kept", "last check")])
    }

    /// A closed capture that opened again (the interface came back, or was re-created).
    public static func reopened(interface: String) -> AlertLine {
        AlertLine("REOPENED", severity: .info, [.init("interface", interface)])
    }

    public static func stopped(
        reason: String, uptimeNanoseconds: Int64, tracker: AlertTracker, packets: UInt64, dropped: UInt64, lostLines: Int
    ) -> AlertLine {
        AlertLine(
            "STOPPED", severity: .info,
            [
                .init("reason", reason), .init("uptime", DurationText.text(uptimeNanoseconds / 1_000_000_000 * 1_000_000_000)),
                .init("raised", String(tracker.raised)), .init("cleared", String(tracker.cleared)),
                .init("open", String(tracker.openAlerts.count)), .init("suppressed", String(tracker.suppressedLines)),
                .init("packets", String(packets)), .init("dropped", String(dropped)), .init("syslog-lost", String(lostLines)),
            ])
    }
}
