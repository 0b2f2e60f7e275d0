import PathVerifyCore

/// `pathverify check` against the running kernel: the host's interfaces, its IPv4 settings and
/// its routing, read now, put through `PathCheck`. The daemon runs the same.
public struct KernelPathCheck {
    public var hostSource: any HostInterfaceSource
    public var confSource: any IPv4ConfSource
    public var routeSource: any RouteSource

    public init(
        hostSource: any HostInterfaceSource = SysfsHostInterfaceSource(),
        confSource: any IPv4ConfSource = ProcSysIPv4ConfSource(), routeSource: any RouteSource
    ) {
        self.hostSource = hostSource
        self.confSource = confSource
        self.routeSource = routeSource
    }

    /// - Parameter config: the operator's; its interfaces give aliases, its intents questions.
    /// - Throws: what reading sysfs, `/proc/sys` or rtnetlink throws.
    public func run(config: Config) throws -> CheckReport {
        let host = try hostSource.interfaces().filter { !$0.isLoopback }
        let conf = try confSource.read(interfaces: host.map(\.name))
        return try PathCheck.run(
            config: config.merged(withHost: host), host: host, conf: conf, kernel: routeSource, at: SystemClock.now())
    }
}
