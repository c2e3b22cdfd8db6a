import Foundation

/// One suggested label with its calibrated confidence (0…1: of the texts given 0.8, about eight in ten
/// are right).
public struct TextSuggestion: Sendable, Equatable, Codable {
    public var label: String
    public var confidence: Double

    public init(label: String, confidence: Double) {
        self.label = label
        self.confidence = confidence
    }
}

/// A trained text classifier: hashed word and character n-gram features weighted by TF-IDF, and a
/// multinomial logistic regression over them whose probabilities are calibrated by a temperature fitted on
/// held-out examples.
public struct TextModel: Sendable {
    public struct Metadata: Sendable, Codable, Equatable {
        /// What the labels are (free text: «category», «Категория», a column name).
        public var target: String
        public var labels: [String]
        public var trainedAt: String
        public var examples: Int
        public var classCounts: [String: Int]
        public var temperature: Double
        /// Measured on the held-out part before the final fit on everything; nil when too few examples.
        public var holdoutAccuracy: Double?
        public var holdoutMacroF1: Double?
        public var pipeline: String

        public static let currentPipeline = "ru-snowball-stems+bigrams+chargrams3-5/tfidf-sublinear/fnv1a-murmur"
    }

    public var metadata: Metadata
    public let hasher: FeatureHasher
    /// Inverse document frequency per bucket; 0 for buckets no training text had (they are ignored).
    let idf: [Float]
    /// Bucket-major: the K class weights of bucket `f` are at `f*K ..< f*K + K`.
    let weights: [Float]
    let bias: [Float]

    public var labels: [String] { metadata.labels }
    public var classCount: Int { metadata.labels.count }

    init(metadata: Metadata, hasher: FeatureHasher, idf: [Float], weights: [Float], bias: [Float]) {
        self.metadata = metadata
        self.hasher = hasher
        self.idf = idf
        self.weights = weights
        self.bias = bias
    }

    /// The weighted, unit-length feature vector of raw counts (see `FeatureHasher.counts`).
    static func vector(_ counts: [(key: UInt32, count: Float)], idf: [Float]) -> SparseVector {
        var v = SparseVector()
        v.indices.reserveCapacity(counts.count)
        v.values.reserveCapacity(counts.count)
        for (key, count) in counts {
            let bucket = Int(key >> 1)
            let weight = idf[bucket]
            guard weight > 0 else { continue }
            let value = (1 + logf(count)) * weight * (key & 1 == 1 ? -1 : 1)
            if let last = v.indices.last, Int(last) == bucket {
                v.values[v.values.count - 1] += value
            } else {
                v.indices.append(Int32(bucket))
                v.values.append(value)
            }
        }
        v.normalize()
        return v
    }

    public func vector(_ text: String, stems: inout [String: String]) -> SparseVector {
        Self.vector(hasher.counts(text, stems: &stems), idf: idf)
    }

    /// Class scores before the softmax.
    func logits(_ v: SparseVector) -> [Float] {
        Self.logits(v, weights: weights, bias: bias, scale: 1)
    }

    static func logits(_ v: SparseVector, weights: [Float], bias: [Float], scale: Float) -> [Float] {
        let k = bias.count
        var scores = bias
        weights.withUnsafeBufferPointer { w in
            scores.withUnsafeMutableBufferPointer { s in
                for j in 0..<v.indices.count {
                    let base = Int(v.indices[j]) * k
                    let x = v.values[j] * scale
                    for c in 0..<k { s[c] += x * w[base + c] }
                }
            }
        }
        return scores
    }

    /// Probabilities of every class, calibrated.
    public func probabilities(_ v: SparseVector) -> [Double] {
        Self.softmax(logits(v), temperature: metadata.temperature)
    }

    static func softmax(_ logits: [Float], temperature: Double) -> [Double] {
        let z = logits.map { Double($0) / temperature }
        let top = z.max() ?? 0
        let e = z.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    /// The `top` most likely labels, best first. An empty text (nothing the model knows) gives no
    /// suggestion rather than the most frequent class.
    public func suggest(_ text: String, top: Int = 3, stems: inout [String: String]) -> [TextSuggestion] {
        let v = vector(text, stems: &stems)
        guard !v.isEmpty else { return [] }
        let p = probabilities(v)
        return p.indices.sorted { p[$0] > p[$1] }.prefix(max(1, top)).map {
            TextSuggestion(label: metadata.labels[$0], confidence: p[$0])
        }
    }

    public func suggest(_ text: String, top: Int = 3) -> [TextSuggestion] {
        var stems: [String: String] = [:]
        return suggest(text, top: top, stems: &stems)
    }
}
