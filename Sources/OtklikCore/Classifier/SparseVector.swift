/// A document as the model sees it: feature buckets in increasing order with their weights.
public struct SparseVector: Sendable, Equatable {
    public var indices: [Int32]
    public var values: [Float]

    public init(indices: [Int32] = [], values: [Float] = []) {
        self.indices = indices
        self.values = values
    }

    public var isEmpty: Bool { indices.isEmpty }
    public var count: Int { indices.count }

    /// Scales to unit length so that long and short texts weigh the same.
    mutating func normalize() {
        var sum: Float = 0
        for v in values { sum += v * v }
        guard sum > 0 else { return }
        let inverse = 1 / sum.squareRoot()
        for i in values.indices { values[i] *= inverse }
    }
}
