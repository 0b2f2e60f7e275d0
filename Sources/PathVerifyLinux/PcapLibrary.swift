import CPcap

/// Facts about the libpcap this binary is linked with.
public enum PcapLibrary {
    /// The corresponding C function is `pcap_lib_version`.
    public static var version: String { String(cString: pcap_lib_version()) }
}
