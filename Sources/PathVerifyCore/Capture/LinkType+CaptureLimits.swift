extension LinkType {
    /// The largest captured length a record of this link type may have, in bytes.
    ///
    /// The same limits as libpcap's `max_snaplen_for_dlt` (pcap-common.c): 256 KiB (`MAXIMUM_SNAPLEN`) for most
    /// types, more for the few whose frames are larger by design. A record above the limit means the file is
    /// corrupt, and reading on would mean trusting a length that could ask for gigabytes.
    public var maximumCapturedLength: Int {
        switch rawValue {
        case 231: 128 * 1024 * 1024  // DBUS: messages up to 128 MiB
        case 249: 1024 * 1024  // USBPCAP: USB transfers up to 1 MiB
        case 279: 8 * 1024 * 1024  // EBHSCR
        default: 262_144
        }
    }
}
