/// Progress through a capture file that the format parsers share with `CaptureStreamParser`.
struct CaptureParseCursor: Sendable {
    /// The file offset of the first byte of the buffer being parsed.
    var offset = 0
    /// Records delivered so far.
    var recordCount = 0
    /// pcapng packet blocks skipped because they name an interface the section does not have.
    var recordsWithUnknownInterface = 0
    /// Contiguous bytes the next step needs, counted from `offset`.
    var bytesNeeded = 4
    var error: CaptureFileError?
    /// `error != nil`, kept as a plain flag because loops test it once per record.
    private(set) var failed = false

    /// Records an error at `position` bytes into the current buffer.
    mutating func fail(_ code: CaptureFileError.Code, at position: Int, severity: CaptureFileError.Severity) {
        error = CaptureFileError(code, offset: offset + position, recordNumber: recordCount + 1, severity: severity)
        failed = true
    }
}
