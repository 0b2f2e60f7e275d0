/// Reads an interface's counters.
///
/// Implementers read only what a sample needs (reading counters can cost a full statistics
/// dump per value), stamp each sample with a monotonic time taken at the reading, and return
/// `nil` for an interface that is not there (any more) rather than throwing.
public protocol InterfaceCounterSource {
    /// The named interface's counters now, or `nil` if it is gone.
    func sample(_ name: String) throws -> CounterSample?
}
