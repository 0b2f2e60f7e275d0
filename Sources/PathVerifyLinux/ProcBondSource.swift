import Glibc
import PathVerifyCore

/// Reads the host's bonds from `/proc/net/bonding`, one file per bond.
///
/// The directory exists only while the bonding driver is loaded, and shows the bonds of the
/// network namespace the process runs in. Without it the host has no bonds.
public struct ProcBondSource: BondStatusSource {
    /// The directory holding one file per bond; a test may point it at fixtures.
    public var root: String

    /// - Parameter root: `/proc/self/net/bonding`, the same directory as `/proc/net/bonding`
    ///   (a link to it), but one that `ProcSubset=pid` would leave visible.
    public init(root: String = "/proc/self/net/bonding") {
        self.root = root
    }

    /// Every bond, by name. A bond deleted while it is being read is left out.
    ///
    /// - Throws: `SysfsReadError` when the directory or a file cannot be read (other than
    ///   because it is absent), `BondStatusError` when a file is not in the kernel's format.
    public func bonds() throws -> [BondStatus] {
        let names: [String]
        do {
            names = try SysfsHostInterfaceSource.entries(of: root)
        } catch {
            // ENOENT: the bonding driver is not loaded (or was never); not an error.
            if case .systemCall(let call) = error.reason, call.errno == ENOENT || call.errno == ENOTDIR { return [] }
            throw error
        }
        return try names.filter(SysfsFile.isInterfaceName).sorted().compactMap { name in
            let path = root + "/" + name
            guard let text = try SysfsFile.read(path) else { return nil }
            return try BondStatusParser.parse(text, name: name, file: path)
        }
    }
}
