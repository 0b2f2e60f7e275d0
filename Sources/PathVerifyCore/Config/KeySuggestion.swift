/// Did-you-mean suggestions for misspelt keys and names.
public enum KeySuggestion {
    /// Words operators write for a key under another name (tcpdump and iptables habits).
    static let synonyms: [String: String] = [
        "src": "source", "dst": "destination", "proto": "protocol", "sport": "ports", "dport": "ports",
        "port": "ports", "filter": "bpf", "ip": "addresses", "ips": "addresses", "hwaddr": "mac",
    ]

    /// The candidate closest to `word`, if one is close enough to be a likely typo.
    ///
    /// Close enough: an edit distance of at most a third of the candidate's length (at least 1), a
    /// known synonym, or one word a prefix of the other with 3 or more letters (`proto`, `macaddr`).
    /// Case is ignored. Ties go to the earlier candidate.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        if let synonym = synonyms[lowered], candidates.contains(synonym) { return synonym }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            guard distance <= max(1, candidate.count / 3) else { continue }
            if best == nil || distance < best?.distance ?? Int.max { best = (candidate, distance) }
        }
        if let best { return best.candidate }
        return candidates.first { candidate in
            let other = candidate.lowercased()
            return min(lowered.count, other.count) >= 3 && (other.hasPrefix(lowered) || lowered.hasPrefix(other))
        }
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
    /// characters as 1 each (optimal string alignment), so that `tpc` is 1 away from `tcp`.
    public static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        // distances[i][j]: distance between the first i characters of left and the first j of right.
        var distances = [[Int]](repeating: [Int](repeating: 0, count: right.count + 1), count: left.count + 1)
        for i in 0...left.count { distances[i][0] = i }
        for j in 0...right.count { distances[0][j] = j }
        for i in 1...left.count {
            for j in 1...right.count {
                let cost = left[i - 1] == right[j - 1] ? 0 : 1
                var best = min(distances[i - 1][j] + 1, distances[i][j - 1] + 1, distances[i - 1][j - 1] + cost)
                if i > 1, j > 1, left[i - 1] == right[j - 2], left[i - 2] == right[j - 1] {
                    best = min(best, distances[i - 2][j - 2] + 1)
                }
                distances[i][j] = best
            }
        }
        return distances[left.count][right.count]
    }
}
