import Testing

@testable import PathVerifyCore

@Suite struct KeySuggestionTests {
    @Test(arguments: [
        ("", "abc", 3), ("egres", "egress", 1), ("tpc", "tcp", 1), ("kitten", "sitting", 3), ("same", "same", 0),
    ])
    func editDistance(lhs: String, rhs: String, distance: Int) {
        #expect(KeySuggestion.editDistance(lhs, rhs) == distance)
        #expect(KeySuggestion.editDistance(rhs, lhs) == distance)
    }

    @Test(arguments: [
        ("egres", "egress"), ("Egress", "egress"), ("adresses", "addresses"), ("address", "addresses"),
        ("destinaton", "destination"), ("proto", "protocol"), ("src", "source"), ("dst", "destination"),
        ("port", "ports"), ("filter", "bpf"),
    ])
    func suggestsIntentKeys(typo: String, key: String) {
        #expect(KeySuggestion.closest(to: typo, among: ConfigDecoder.intentKeys + ["addresses"]) == key)
    }

    @Test func tablesAndNothingForStrangers() {
        #expect(KeySuggestion.closest(to: "intents", among: ConfigDecoder.tableNames) == "intent")
        #expect(KeySuggestion.closest(to: "interfaces", among: ConfigDecoder.tableNames) == "interface")
        #expect(KeySuggestion.closest(to: "route", among: ConfigDecoder.tableNames) == nil)
        #expect(KeySuggestion.closest(to: "speed", among: ConfigDecoder.interfaceKeys) == nil)
    }
}
