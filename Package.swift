// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pathverify",
    products: [
        .executable(name: "pathverify", targets: ["pathverify"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // libpcap from Debian's libpcap-dev, found with pkg-config.
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        // sd_notify and sd_watchdog_enabled from Debian's libsystemd-dev, for the daemon under systemd.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // CPU hints (prefetch) that Swift cannot spell; header-only, no I/O.
        .target(name: "CPathVerifyHints"),
        // Bytes, values and decisions: no I/O, no clock, no Glibc or Foundation.
        .target(name: "PathVerifyCore", dependencies: ["CPathVerifyHints"]),
        // The Linux shell: libpcap, files, TOML loading, systemd notifications.
        .target(
            name: "PathVerifyLinux",
            dependencies: [
                "PathVerifyCore", "CPcap", "CSystemd",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // Commands only: parse arguments, wire parts together, map errors to exit codes.
        .executableTarget(
            name: "pathverify",
            dependencies: [
                "PathVerifyCore", "PathVerifyLinux",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Frames and lab traffic built byte by byte, shared by the test targets.
        .target(name: "PathVerifyTestSupport", dependencies: ["PathVerifyCore"], path: "Tests/PathVerifyTestSupport"),
        .testTarget(
            name: "PathVerifyCoreTests", dependencies: ["PathVerifyCore", "PathVerifyTestSupport"],
            // Computes the team hash tests' vectors from the kernel's formulas; not compiled.
            exclude: ["Team/bond_hash_vectors.py"]
        ),
        .testTarget(
            name: "PathVerifyLinuxTests",
            dependencies: ["PathVerifyLinux", "PathVerifyCore", "PathVerifyTestSupport", "CPcap"]
        ),
        // Runs the built `pathverify` binary, as a user would.
        .testTarget(name: "pathverifyTests", dependencies: ["pathverify", "PathVerifyCore", "PathVerifyTestSupport"]),
    ]
)
