import Foundation
import PathVerifyTestSupport

/// Runs the built `pathverify` binary and collects what it printed and its exit status.
struct CommandRunner {
    typealias Outcome = ProcessOutcome

    /// The binary sits beside the test bundle in the build folder.
    static var binary: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("pathverify").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return repositoryRoot + "/.build/debug/pathverify"
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// - Parameter program: what to run instead of the binary, such as `/usr/bin/env` to run it under `unshare`.
    static func run(_ arguments: [String], program: String = binary) throws -> Outcome {
        try ProcessRun.run(program, arguments)
    }
}
