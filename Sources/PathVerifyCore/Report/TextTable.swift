/// Left-aligned text columns with two spaces between them; numbers are right-aligned.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Columns (by position) whose cells are right-aligned.
    var numeric: Set<Int> = []

    func render() -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return numeric.contains(column) ? padding + cell : cell + padding
            }
            .joined(separator: "  ")
            .trimmingTrailingSpaces()
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// A share as a whole percentage: `percentText(0.62)` is `62%`, 1.3 is `130%`.
func percentText(_ share: Double) -> String {
    share.isFinite ? fixed(share * 100, 0) + "%" : "-"
}

/// Fixed-point text without Foundation: `fixed(600.0, 2)` is `600.00`.
func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9.0e18 else { return String(value) }
    let whole = UInt64(scaled)
    let integer = whole / UInt64(scale)
    let fraction = whole % UInt64(scale)
    var text = (value < 0 && whole > 0 ? "-" : "") + String(integer)
    if digits > 0 {
        let fractionText = String(fraction)
        text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }
    return text
}
