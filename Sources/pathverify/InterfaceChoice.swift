import ArgumentParser
import PathVerifyCore
import PathVerifyLinux

/// The live commands' `-i` resolved against the host, with their errors mapped to exit codes.
enum InterfaceChoice {
    /// - Returns: every interface of the host, and the ones chosen.
    /// - Throws: `ExitCode` 64 for an unknown name, 66 when none qualifies or sysfs is unreadable.
    static func resolve(_ requested: [String], config: Config, source: some HostInterfaceSource) throws -> (
        host: [HostInterface], chosen: [HostInterface]
    ) {
        do {
            let host = try source.interfaces()
            return (host, try InterfaceSelection.resolve(requested, host: host, config: config))
        } catch let error as InterfaceSelectionError {
            printError("pathverify: \(error)")
            guard case .unknown = error else { throw ExitCode(ExitStatus.unreadableInput) }
            throw ExitCode(ExitStatus.usage)
        } catch {
            printError("pathverify: \(error)")
            throw ExitCode(ExitStatus.unreadableInput)
        }
    }
}
