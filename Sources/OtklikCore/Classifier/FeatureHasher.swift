/// Turns a text into hashed features (the «hashing trick»): stems, pairs of neighbouring stems and
/// character 3–5-grams of each word, each hashed into one of 2^bits buckets with a sign, so that no
/// vocabulary has to be kept and words never seen in training still share n-grams with known ones
/// (typos, rare inflections). The hash (FNV-1a over Unicode scalar values, then a 64-bit finaliser)
/// is fixed: it is part of the model file format.
public struct FeatureHasher: Sendable, Equatable {
    public let bits: Int
    let mask: UInt64

    public static let defaultBits = 18
    public static let allowedBits = 12...22
    static let shortestGram = 3
    static let longestGram = 5
    /// Longer texts are read up to this many tokens: a 100 000-character letter says what it is about
    /// in its first pages, and the time per text stays bounded.
    public static let tokenLimit = 4_000

    public init(bits: Int = FeatureHasher.defaultBits) {
        self.bits = bits
        self.mask = (UInt64(1) << UInt64(bits)) - 1
    }

    /// Raw term frequencies per (bucket, sign), before IDF weighting: `(bucket << 1 | negative, count)`.
    public func counts(_ text: String, stems: inout [String: String]) -> [(key: UInt32, count: Float)] {
        var tokens = TextPipeline.tokens(text)
        if tokens.count > Self.tokenLimit { tokens.removeSubrange(Self.tokenLimit...) }
        let terms = TextPipeline.terms(of: tokens, stems: &stems)
        var keys: [UInt32] = []
        keys.reserveCapacity(terms.count * 2 + tokens.count * 12)
        var previous: UInt64 = 0
        for (i, term) in terms.enumerated() {
            let h = Self.hash(term, seed: 0x5157_4F52_4453)                // "WORDS"
            keys.append(key(h))
            if i > 0 { keys.append(key(Self.mix(previous &* 0x9E37_79B9_7F4A_7C15 ^ h ^ 0x4249))) }   // bigram
            previous = h
        }
        var word: [UInt32] = []
        for token in tokens where token.kind == .word && !RussianStopWords.all.contains(token.text) {
            word.removeAll(keepingCapacity: true)
            word.append(0x3C)                                             // "<" marks the word's start
            for scalar in token.text.unicodeScalars { word.append(scalar.value) }
            word.append(0x3E)                                             // ">" and its end
            guard word.count >= Self.shortestGram else { continue }
            for start in 0...(word.count - Self.shortestGram) {
                var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ 0x4752_414D             // "GRAM"
                for n in 1...Self.longestGram {
                    guard start + n <= word.count else { break }
                    h = (h ^ UInt64(word[start + n - 1])) &* 0x0000_0100_0000_01B3
                    if n >= Self.shortestGram { keys.append(key(Self.mix(h ^ UInt64(n)))) }
                }
            }
        }
        keys.sort()
        var out: [(key: UInt32, count: Float)] = []
        out.reserveCapacity(keys.count)
        for k in keys {
            if let last = out.last, last.key == k {
                out[out.count - 1].count += 1
            } else {
                out.append((k, 1))
            }
        }
        return out
    }

    @inline(__always) func key(_ h: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: ((h & mask) << 1) | (h >> 63))
    }

    static func hash(_ s: String, seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for scalar in s.unicodeScalars { h = (h ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01B3 }
        return mix(h)
    }

    /// The 64-bit finaliser of MurmurHash3: spreads FNV's weak low bits over the whole word.
    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        z = (z ^ (z >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return z ^ (z >> 33)
    }
}
