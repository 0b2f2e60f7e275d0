import Foundation
import Glibc
import PathVerifyCore
import Testing

@testable import PathVerifyLinux

/// `WatchedHostInterfaceSource` reads its base again only after a change: with a scripted change
/// signal, and with the real rtnetlink monitor in a namespace made for the test.
@Suite struct WatchedHostInterfaceSourceTests {
    /// Counts reads; fails when told to.
    final class CountingSource: HostInterfaceSource, @unchecked Sendable {
        var reads = 0
        var failNext = false
        func interfaces() throws -> [HostInterface] {
            reads += 1
            if failNext {
                failNext = false
                throw SysfsReadError(path: "/sys/class/net", reason: .unexpectedContent("test"))
            }
            return [HostInterface(name: "eth\(reads)", ifindex: 2, operationalState: .up, isUp: true)]
        }
        func interface(named name: String) throws -> HostInterface? { nil }
    }

    @Test func readsAgainOnlyAfterAChange() throws {
        let base = CountingSource()
        var changes: [Bool] = [false, false, true, false]
        let watched = WatchedHostInterfaceSource(base, changed: { changes.removeFirst() })
        #expect(try watched.interfaces().map(\.name) == ["eth1"], "the first call reads, changed or not")
        #expect(try watched.interfaces().map(\.name) == ["eth1"])
        #expect(base.reads == 1)
        #expect(try watched.interfaces().map(\.name) == ["eth2"], "a change: read again")
        #expect(try watched.interfaces().map(\.name) == ["eth2"])
        #expect(base.reads == 2)
        #expect(changes.isEmpty, "asked at every call")
    }

    @Test func aFailedReadIsTriedAgainAtTheNextCall() throws {
        let base = CountingSource()
        let watched = WatchedHostInterfaceSource(base, changed: { false })
        base.failNext = true
        #expect(throws: SysfsReadError.self) { try watched.interfaces() }
        #expect(try watched.interfaces().map(\.name) == ["eth2"], "nothing to answer from: read, though nothing changed")
        #expect(try watched.interfaces().map(\.name) == ["eth2"])
        #expect(base.reads == 2)
    }

    @Test func withoutNotificationsEveryCallReads() throws {
        let base = CountingSource()
        let watched = WatchedHostInterfaceSource(base, changed: nil)
        for _ in 0..<3 { _ = try watched.interfaces() }
        #expect(base.reads == 3)
    }

    @Test func aLinkGoingDownInTheNamespaceMakesItReadAgain() throws {
        let lab = try NetlinkRouteSourceTests.makeLab(tag: 3)
        defer { lab.remove() }
        let namespace = lab.namespace
        let (settled, quiet, afterChange) = try lab.run { () throws -> (Bool, Bool, Bool) in
            let base = CountingSource()
            // Made here, so that its rtnetlink socket watches the lab's namespace.
            let watched = WatchedHostInterfaceSource(base)
            // The lab may still be announcing its set-up (IPv6 addresses, routes): wait for quiet.
            var settled = false
            for _ in 0..<50 where !settled {
                _ = try watched.interfaces()
                let reads = base.reads
                usleep(100_000)
                _ = try watched.interfaces()
                settled = base.reads == reads
            }
            let reads = base.reads
            usleep(200_000)
            _ = try watched.interfaces()
            let quiet = base.reads == reads
            _ = try NetlinkLab.ip(namespace: namespace, ["link", "set", "x2", "down"])
            var afterChange = false
            for _ in 0..<20 where !afterChange {
                usleep(100_000)
                _ = try watched.interfaces()
                afterChange = base.reads > reads
            }
            return (settled, quiet, afterChange)
        }
        #expect(settled, "the lab's namespace went quiet")
        #expect(quiet, "no change, no read")
        #expect(afterChange, "a link going down is read within 2 s")
    }
}
