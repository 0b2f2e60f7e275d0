import Testing

@testable import PathVerifyCore

@Suite struct CounterCSVTests {
    static let time = Timestamp(seconds: 1_795_000_000, nanoseconds: 250_000_000)

    static func rates(tx: UInt64, rxBytes: UInt64) -> CounterInterval {
        guard
            let rates = CounterRates(
                growth: InterfaceCounters(rxPackets: 10, txPackets: tx, rxBytes: rxBytes, txDropped: 1),
                intervalNanoseconds: 2_000_000_000)
        else { return .noElapsedTime }
        return .rates(rates)
    }

    /// Splits one CSV line as RFC 4180 reads it (the test's own reader, to check the writer).
    static func fields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var characters = line.unicodeScalars.makeIterator()
        while let scalar = characters.next() {
            if quoted {
                if scalar == "\"" {
                    guard let following = characters.next() else {
                        quoted = false
                        continue
                    }
                    if following == "\"" {
                        current.unicodeScalars.append(scalar)
                    } else {
                        quoted = false
                        if following == "," {
                            fields.append(current)
                            current = ""
                        } else {
                            current.unicodeScalars.append(following)
                        }
                    }
                } else {
                    current.unicodeScalars.append(scalar)
                }
            } else if scalar == "\"" {
                quoted = true
            } else if scalar == "," {
                fields.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        fields.append(current)
        return fields
    }

    @Test func headerHasTheTimeThenNineColumnsPerInterface() {
        let csv = CounterCSV(interfaces: ["eth1", "eth2"])
        #expect(
            csv.header
                == "timestamp,eth1:STATE,eth1:PKTTX/s,eth1:MbTX/s,eth1:PKTRX/s,eth1:MbRX/s,eth1:%DRPTX,eth1:%DRPRX,"
                + "eth1:VERDICT,eth1:TEAM-PNIC,eth2:STATE,eth2:PKTTX/s,eth2:MbTX/s,eth2:PKTRX/s,eth2:MbRX/s,eth2:%DRPTX,"
                + "eth2:%DRPRX,eth2:VERDICT,eth2:TEAM-PNIC\n")
    }

    @Test func rowsMatchTheHeaderAndUnknownValuesAreEmpty() {
        let csv = CounterCSV(interfaces: ["eth1", "eth2"])
        let first = csv.row(
            at: Self.time,
            [
                CounterRow(name: "eth1", state: .up, interval: .first, verdict: "ok"),
                CounterRow(name: "eth2", state: .down, interval: .first),
            ])
        #expect(first == "2026-11-18T11:06:40.250000Z,up,,,,,,,,,down,,,,,,,,\n")
        let later = csv.row(
            at: Self.time,
            [
                // Out of order and one missing: cells still land under their own header.
                CounterRow(
                    name: "eth2", state: .up, interval: Self.rates(tx: 30, rxBytes: 262_144), verdict: "ok",
                    teamUplink: "up1")
            ])
        #expect(later == "2026-11-18T11:06:40.250000Z,,,,,,,,,,up,15.00,0.000,5.00,1.000,3.23,0.00,ok,up1\n")
        let headerCount = Self.fields(csv.header.dropLast()).count
        #expect(Self.fields(first.dropLast()).count == headerCount)
        #expect(Self.fields(later.dropLast()).count == headerCount)
    }

    @Test func goneAndResetRowsHaveAStateAndNoRates() {
        let csv = CounterCSV(interfaces: ["eth1", "eth2"])
        let row = csv.row(
            at: Self.time,
            [
                CounterRow(name: "eth1", state: nil, interval: .gone, verdict: "x"),
                CounterRow(name: "eth2", state: .up, interval: .reset, verdict: "ok"),
            ])
        #expect(row == "2026-11-18T11:06:40.250000Z,gone,,,,,,,,,up,,,,,,,ok,\n")
    }

    @Test(arguments: [
        ("plain", "plain"), ("", ""), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""), ("crlf\r\nend", "\"crlf\r\nend\""), ("cr\rend", "\"cr\rend\""),
    ])
    func fieldsAreQuotedOnlyWhenRFC4180NeedsIt(text: String, written: String) {
        #expect(CounterCSV.field(text) == written)
        #expect(Self.fields(Substring(written)) == [text])
    }

    @Test func aVerdictWithACommaStaysOneField() {
        let csv = CounterCSV(interfaces: ["eth1"])
        let row = csv.row(
            at: Self.time,
            [
                CounterRow(
                    name: "eth1", state: .up, interval: Self.rates(tx: 2, rxBytes: 0),
                    verdict: "mismatch: \"vmk1\", 3 flows")
            ])
        let fields = Self.fields(row.dropLast())
        #expect(fields.count == 10)
        #expect(fields[8] == "mismatch: \"vmk1\", 3 flows")
    }
}
