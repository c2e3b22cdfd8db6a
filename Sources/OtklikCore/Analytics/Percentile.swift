/// Percentiles by the nearest-rank method: the value below which `p` of the sorted sample lies. The same
/// rule on every database, and a figure that is always one of the real observations.
public enum Percentile {
    /// `sorted` ascending; nil for an empty sample.
    public static func nearestRank(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The 1-based rank of the `p` percentile among `count` observations (for an ORDER BY … OFFSET query).
    public static func rank(count: Int, _ p: Double) -> Int? {
        guard count > 0 else { return nil }
        return min(max(Int((p * Double(count)).rounded(.up)), 1), count)
    }
}
