/// Near-duplicate detection on text: the set of a text's shingles (its stems and pairs of neighbouring
/// stems), summarised by 64 minimum hashes. Two signatures agree
/// in a share of positions that estimates the Jaccard similarity of the two shingle sets; ten bands of
/// three positions are the keys under which messages without a comparable place are looked up (a pair at
/// 0.7 shares a band with probability 0.985, at 0.3 with 0.24). Ten, not more: each band is a stored row.
public struct MinHashSignature: Sendable, Equatable {
    public static let size = 64
    public static let bands = 10
    public static let rowsPerBand = 3

    public var values: [UInt32]

    public init(values: [UInt32]) { self.values = values }

    /// nil for a text without a single word about the problem (nothing to compare). The words of `place`
    /// (the message's address) and the formulas of an appeal are left out: see `SignatureWords`.
    public init?(text: String, place: String? = nil) {
        var stems: [String: String] = [:]
        let placeWords = SignatureWords.place(place)
        let terms = TextPipeline.terms(of: TextPipeline.tokens(text), stems: &stems).filter {
            !$0.hasPrefix("‹") && !SignatureWords.formulas.contains($0) && !placeWords.contains($0)
        }
        guard !terms.isEmpty else { return nil }
        // Stems and pairs of neighbouring stems: a retelling of the same complaint keeps most of its words,
        // while longer shingles would make every rephrasing look new.
        var shingles = Set<UInt64>()
        for (i, t) in terms.enumerated() {
            shingles.insert(Self.fnv(t))
            if i + 1 < terms.count { shingles.insert(Self.fnv(t + " " + terms[i + 1])) }
        }
        var mins = [UInt32](repeating: .max, count: Self.size)
        for s in shingles {
            for k in 0..<Self.size {
                let h = UInt32(truncatingIfNeeded: Self.mix(s &+ Self.seeds[k]) >> 32)
                if h < mins[k] { mins[k] = h }
            }
        }
        values = mins
    }

    /// Estimated Jaccard similarity, 0…1.
    public func similarity(_ other: MinHashSignature) -> Double {
        guard values.count == other.values.count, !values.isEmpty else { return 0 }
        var same = 0
        for i in values.indices where values[i] == other.values[i] { same += 1 }
        return Double(same) / Double(values.count)
    }

    /// One key per band: equal keys mean four equal positions in the same band.
    public var bandKeys: [Int64] {
        (0..<Self.bands).map { b in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(b)
            for r in 0..<Self.rowsPerBand {
                h = (h ^ UInt64(values[b * Self.rowsPerBand + r])) &* 0x0000_0100_0000_01b3
            }
            return Int64(bitPattern: Self.mix(h))
        }
    }

    /// 64 values as 512 hex digits (stored with the case).
    public var hex: String {
        values.map { v in
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 8 - s.count) + s
        }.joined()
    }

    public init?(hex: String) {
        guard hex.utf8.count == Self.size * 8 else { return nil }
        var out: [UInt32] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 8)
            guard let v = UInt32(hex[i..<j], radix: 16) else { return nil }
            out.append(v)
            i = j
        }
        values = out
    }

    static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// SplitMix64's finaliser: a good spread from any input.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    static let seeds: [UInt64] = (0..<size).map { mix(UInt64($0) &* 0x2545_f491_4f6c_dd1d) }
}
