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
/// destination MAC), and `pcap_setdirection` keeps the packets of one direction, by the
/// kernel's packet type, so each interface gets two handles. The direction is not filtered
/// with the `inbound` / `outbound` primitives, though they run in the kernel: packets that
/// reach the ring block that was open when the filter was set are filtered again by libpcap in
/// userland, where those primitives match nothing, and a burst at the start of a capture is
/// lost (seen in the namespace lab: 70 of 2,000 packets, with no drop counted). The user's
/// filter still runs in the kernel. The handle is non-blocking: the caller polls `descriptor`.
///
/// The corresponding C functions are `pcap_create`, `pcap_set_*`, `pcap_activate`,
/// `pcap_compile`, `pcap_setfilter`, `pcap_setdirection`, `pcap_setnonblock`, `pcap_dispatch`
/// and `pcap_stats`.
final class LiveHandle {
    let interface: String
    let direction: Direction
    let linkType: LinkType
    let descriptor: Int32
    private let handle: OpaquePointer

    init(interface: String, direction: Direction, options: LiveCaptureOptions) throws(LiveCaptureError) {
        self.interface = interface
        self.direction = direction
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(interface, &errorBuffer) else {
            throw LiveCaptureError(
                interface: interface, step: "pcap_create", message: Self.text(errorBuffer), isPermission: false)
        }
        self.handle = handle
        func fail(_ step: String, _ status: Int32 = PCAP_ERROR) -> LiveCaptureError {
            let text = String(cString: pcap_geterr(handle))
            let message = text.isEmpty ? String(cString: pcap_statustostr(status)) : text
            return LiveCaptureError(
                interface: interface, step: step, message: message, isPermission: status == PCAP_ERROR_PERM_DENIED)
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
        if status < 0 {
            let error = fail("pcap_activate", status)
            pcap_close(handle)
            throw error
        }
        linkType = LinkType(rawValue: UInt32(bitPattern: pcap_datalink(handle)))
        guard pcap_setdirection(handle, direction == .outbound ? PCAP_D_OUT : PCAP_D_IN) == 0 else {
            let error = fail("pcap_setdirection")
            pcap_close(handle)
            throw error
        }
        if let filter = options.filter {
            var program = bpf_program()
            guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                let error = fail("filter '\(filter)'")
                pcap_close(handle)
                throw error
            }
            defer { pcap_freecode(&program) }
            guard pcap_setfilter(handle, &program) == 0 else {
                let error = fail("pcap_setfilter")
                pcap_close(handle)
                throw error
            }
        }
        guard pcap_setnonblock(handle, 1, &errorBuffer) == 0 else {
            let error = fail("pcap_setnonblock")
            pcap_close(handle)
            throw error
        }
        descriptor = pcap_get_selectable_fd(handle)
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

    /// libpcap's counts since the handle opened: packets that passed the filter, and those the
    /// kernel dropped because the ring was full.
    func statistics() -> (received: UInt64, dropped: UInt64)? {
        var stats = pcap_stat()
        guard pcap_stats(handle, &stats) == 0 else { return nil }
        return (UInt64(stats.ps_recv), UInt64(stats.ps_drop))
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
