import CPcap
import Glibc
import PathVerifyCore

/// How live handles capture.
public struct LiveCaptureOptions: Sendable, Equatable {
    /// Bytes kept of each packet. The default holds Ethernet, two VLAN tags, IPv6 with a few
    /// extension headers and TCP with options: every header the verifier reads, no payload.
    public var snapshotLength: Int
    /// The kernel ring per handle, in bytes; `nil` keeps libpcap's default (2 MiB on Linux).
    public var bufferBytes: Int?
    /// A tcpdump-style filter expression (pcap-filter(7)), run in the kernel where it can be.
    public var filter: String?

    public static let headerSnapshotLength = 256

    public init(snapshotLength: Int = Self.headerSnapshotLength, bufferBytes: Int? = nil, filter: String? = nil) {
        self.snapshotLength = snapshotLength
        self.bufferBytes = bufferBytes
        self.filter = filter
    }
}

/// A live capture that could not start or failed: which interface, which step, libpcap's words.
public struct LiveCaptureError: Error, Sendable, CustomStringConvertible {
    public var interface: String
    /// The libpcap call that failed, e.g. `pcap_activate`.
    public var step: String
    public var message: String
    /// The failure is a missing privilege (not root, no CAP_NET_RAW).
    public var isPermission: Bool

    public var description: String {
        "\(interface): \(step): \(message)"
            + (isPermission ? " (capturing needs root or CAP_NET_RAW)" : "")
    }
}

/// One libpcap handle on one interface, seeing one direction only.
///
/// A per-interface handle keeps the whole Ethernet header (a cooked `any` capture loses the
/// destination MAC), so each interface gets two handles, one per direction. The direction is
/// chosen in the kernel, by the packet type, with a program (`inbound` or `outbound`, and the
/// user's filter) that this handle attaches to libpcap's socket itself: the other direction's
/// frames are then neither copied into this ring nor walked in userland (with
/// `pcap_setdirection` alone, both rings got every frame, and the second ring cost about a third
/// of libpcap's time). The program is not given to `pcap_setfilter`: libpcap filters the ring
/// block that was open when a filter is set again in userland, where `inbound` and `outbound`
/// match nothing on Ethernet, and a burst at the start of a capture would be lost (seen in the
/// namespace lab: 70 of 2,000 packets, with no drop counted). `pcap_setdirection` stays, for the
/// frames that reached the ring before the program was attached; the user's filter is also set
/// with `pcap_setfilter` first, for the same frames. Cooked link types are the exception (see
/// `start`). The handle is non-blocking: the caller polls `descriptor`.
///
/// The corresponding C functions are `pcap_create`, `pcap_set_*`, `pcap_activate`,
/// `pcap_compile`, `pcap_setfilter`, `pcap_setdirection`, `pcap_setnonblock`, `pcap_dispatch`
/// and `pcap_stats`, and `setsockopt(SO_ATTACH_FILTER)`.
final class LiveHandle {
    let interface: String
    let direction: Direction
    let linkType: LinkType
    let descriptor: Int32
    private let handle: OpaquePointer
    /// libpcap's counts when last read, from when the direction program was set (see `statistics`).
    private var last: pcap_stat
    /// What they grew by since then, in 64 bits.
    private var totals: (received: UInt64, dropped: UInt64) = (0, 0)

    init(interface: String, direction: Direction, options: LiveCaptureOptions) throws(LiveCaptureError) {
        self.interface = interface
        self.direction = direction
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw LiveCaptureError(
                interface: interface, step: "pcap_create", message: Self.text(errorBuffer), isPermission: false)
        }
        self.handle = handle
        do {
            (linkType, descriptor, last) = try Self.start(
                handle, interface: interface, direction: direction, options: options)
        } catch {
            pcap_close(handle)
            throw error
        }
    }

    /// Sets the handle up and activates it; the caller closes it when this throws.
    private static func start(
        _ handle: OpaquePointer, interface: String, direction: Direction, options: LiveCaptureOptions
    ) throws(LiveCaptureError) -> (LinkType, descriptor: Int32, baseline: pcap_stat) {
        func fail(_ step: String, _ status: Int32 = PCAP_ERROR) -> LiveCaptureError {
            let text = String(cString: pcap_geterr(handle))
            let message = text.isEmpty ? String(cString: pcap_statustostr(status)) : text
            return LiveCaptureError(
                interface: interface, step: step, message: message, isPermission: status == PCAP_ERROR_PERM_DENIED)
        }
        func compile(_ expression: String) throws(LiveCaptureError) -> bpf_program {
            var program = bpf_program()
            guard pcap_compile(handle, &program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                throw fail("filter '\(expression)'")
            }
            return program
        }
        // The host's own traffic is what is verified: promiscuous mode would add frames for
        // other hosts that a bridge floods, and count them as arriving here.
        pcap_set_promisc(handle, 0)
        pcap_set_snaplen(handle, Int32(clamping: options.snapshotLength))
        // Packets reach the analysis within the block timeout of arriving (see LiveCapture.finish).
        pcap_set_timeout(handle, Int32(LiveCapture.blockTimeoutNanoseconds / 1_000_000))
        pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO))
        if let bytes = options.bufferBytes { pcap_set_buffer_size(handle, Int32(clamping: bytes)) }
        let status = pcap_activate(handle)
        guard status >= 0 else { throw fail("pcap_activate", status) }
        guard pcap_setdirection(handle, direction == .outbound ? PCAP_D_OUT : PCAP_D_IN) == 0 else {
            throw fail("pcap_setdirection")
        }
        let linkType = LinkType(rawValue: UInt32(bitPattern: pcap_datalink(handle)))
        let side = direction == .outbound ? "outbound" : "inbound"
        var program = try compile(options.filter.map { "\(side) and (\($0))" } ?? side)
        defer { pcap_freecode(&program) }
        if linkType == .linuxSLL || linkType == .linuxSLL2 {
            // Cooked (PPP, IPoIB, tunnels): the packet type is a field of the header libpcap
            // builds, which its userland filter reads, and the kernel's copy of the program needs
            // libpcap's rewriting of header offsets. So libpcap sets it, for both.
            guard pcap_setfilter(handle, &program) == 0 else { throw fail("pcap_setfilter") }
        } else {
            if let filter = options.filter {
                var userProgram = try compile(filter)
                defer { pcap_freecode(&userProgram) }
                guard pcap_setfilter(handle, &userProgram) == 0 else { throw fail("pcap_setfilter") }
            }
            let step = "attaching the \(side) filter (SO_ATTACH_FILTER)"
            guard let length = UInt16(exactly: program.bf_len) else {
                throw LiveCaptureError(
                    interface: interface, step: step, message: "\(program.bf_len) instructions, over the kernel's 65,535",
                    isPermission: false)
            }
            var kernelProgram = sock_fprog(
                len: length, filter: UnsafeMutableRawPointer(program.bf_insns)?.assumingMemoryBound(to: sock_filter.self))
            guard setsockopt(
                pcap_fileno(handle), SOL_SOCKET, SO_ATTACH_FILTER, &kernelProgram,
                socklen_t(MemoryLayout<sock_fprog>.size)) == 0
            else {
                throw LiveCaptureError(
                    interface: interface, step: step, message: String(cString: strerror(errno)), isPermission: false)
            }
        }
        var baseline = pcap_stat()
        _ = pcap_stats(handle, &baseline)
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard pcap_setnonblock(handle, 1, &errorBuffer) == 0 else { throw fail("pcap_setnonblock") }
        return (linkType, pcap_get_selectable_fd(handle), baseline)
    }

    deinit { pcap_close(handle) }

    /// libpcap's NUL-terminated error buffer as text.
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Hands the packets waiting in the kernel ring to `body`, at most `limit` (`nil`: all),
    /// without blocking. A record's bytes are valid only during its call.
    /// - Returns: how many packets were handed over.
    func dispatch(interfaceID: Int, limit: Int?, _ body: (CaptureRecord) -> Void) throws(LiveCaptureError) -> Int {
        let count = withoutActuallyEscaping(body) { escapable in
            let context = DispatchContext(
                body: escapable, linkType: linkType, direction: direction, interfaceID: interfaceID)
            return withExtendedLifetime(context) {
                pcap_dispatch(
                    handle, limit.map { Int32(clamping: $0) } ?? -1, dispatchCallback,
                    Unmanaged.passUnretained(context).toOpaque().assumingMemoryBound(to: UInt8.self))
            }
        }
        if count == PCAP_ERROR {
            throw LiveCaptureError(
                interface: interface, step: "pcap_dispatch", message: String(cString: pcap_geterr(handle)),
                isPermission: false)
        }
        return max(0, Int(count))
    }

    /// libpcap's counts since the direction program was set: packets of this handle's direction
    /// that passed the filter, and those the kernel dropped because the ring was full. Frames
    /// that reached the ring before, in the moment the handle opened, belong to both directions,
    /// so they are left out rather than counted twice. libpcap's counts are 32-bit and wrap:
    /// read them more often than every 2^32 packets (`LiveCapture.run` does, at each tick).
    func statistics() -> (received: UInt64, dropped: UInt64)? {
        var stats = pcap_stat()
        guard pcap_stats(handle, &stats) == 0 else { return nil }
        totals.received &+= UInt64(stats.ps_recv &- last.ps_recv)
        totals.dropped &+= UInt64(stats.ps_drop &- last.ps_drop)
        last = stats
        return totals
    }
}

/// What the callback needs, in an object the callback borrows: a closure loaded from a struct
/// behind a pointer costs a retain and a release a packet (11% of the live benchmark's profile),
/// one read from a borrowed object's `let` does not; and the object, not a closure around
/// `body`, carries the record's fixed fields, so that nothing is retained per packet.
private final class DispatchContext {
    let body: (CaptureRecord) -> Void
    let linkType: LinkType
    let direction: Direction
    let interfaceID: Int

    init(body: @escaping (CaptureRecord) -> Void, linkType: LinkType, direction: Direction, interfaceID: Int) {
        self.body = body
        self.linkType = linkType
        self.direction = direction
        self.interfaceID = interfaceID
    }
}

private let dispatchCallback: pcap_handler = { user, header, bytes in
    guard let user, let header, let bytes else { return }
    let head = header.pointee
    // With nanosecond precision requested, tv_usec holds nanoseconds.
    let nanoseconds = Int64(head.ts.tv_sec) &* 1_000_000_000 &+ Int64(head.ts.tv_usec)
    Unmanaged<DispatchContext>.fromOpaque(UnsafeRawPointer(user))._withUnsafeGuaranteedRef { context in
        context.body(
            CaptureRecord(
                timestamp: Timestamp(nanoseconds: nanoseconds), linkType: context.linkType,
                interfaceID: context.interfaceID, originalLength: Int(head.len), direction: context.direction,
                data: UnsafeRawBufferPointer(start: bytes, count: Int(head.caplen))))
    }
}
