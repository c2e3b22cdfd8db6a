import Foundation

/// Abnormal growth (факторы роста): a topic, territory or organisation whose volume in the period is far
/// above what its own history predicts. The expectation is the mean of the preceding periods of the same
/// length; when the municipality has history a year back, it is scaled by how the same weeks last year
/// stood against the weeks before them (a seasonal factor), so the first snow or the heating season do
/// not raise an alarm every year. A count is flagged only when it is large, well above expectation and
/// outside the baseline's own noise.
public enum GrowthDetector {
    /// One item's counts: the period, the preceding periods (oldest first) and, when history reaches, the
    /// same period a year earlier with the periods before it.
    public struct Series: Sendable, Equatable {
        public var key: String
        public var name: String
        public var current: Int
        public var baseline: [Int]
        public var lastYear: Int?
        public var lastYearBaseline: [Int]?
        public init(key: String, name: String, current: Int, baseline: [Int], lastYear: Int? = nil, lastYearBaseline: [Int]? = nil) {
            self.key = key; self.name = name; self.current = current; self.baseline = baseline
            self.lastYear = lastYear; self.lastYearBaseline = lastYearBaseline
        }
    }

    public struct Factor: Sendable, Equatable {
        public var key: String
        public var name: String
        public var current: Int
        /// What the history predicts for the period.
        public var expected: Double
        public var baselineMean: Double
        /// Last year's same period against its own baseline; nil without a year of history.
        public var seasonal: Double?
        /// How many baseline standard deviations above the expectation.
        public var score: Double
        /// current ÷ expected (nil when nothing was expected).
        public var ratio: Double?
    }

    /// Periods of own history the baseline uses.
    public static let baselinePeriods = 8
    /// Fewer than this many baseline periods: too little history to call anything abnormal.
    public static let minimumHistory = 3
    public static let minimumCount = 5
    public static let minimumRatio = 1.5
    public static let minimumScore = 3.0
    /// A seasonal factor is kept within these bounds: one odd week last year must not mute or inflate a signal.
    public static let seasonalBounds = 0.5...3.0

    public static func expectation(_ s: Series) -> (expected: Double, mean: Double, seasonal: Double?, dispersion: Double) {
        let mean = s.baseline.isEmpty ? 0 : Double(s.baseline.reduce(0, +)) / Double(s.baseline.count)
        var seasonal: Double?
        if let ly = s.lastYear, let lyBase = s.lastYearBaseline, !lyBase.isEmpty {
            let lyMean = Double(lyBase.reduce(0, +)) / Double(lyBase.count)
            // +1 on both sides: a quiet topic last year (0 against 0) is neutral, not a division by zero.
            seasonal = min(max((Double(ly) + 1) / (lyMean + 1), seasonalBounds.lowerBound), seasonalBounds.upperBound)
        }
        let expected = mean * (seasonal ?? 1)
        let variance = s.baseline.isEmpty ? 0
            : s.baseline.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(s.baseline.count)
        // Counts are at least Poisson-noisy: the variance is never taken below the expectation (nor below 1).
        return (expected, mean, seasonal, max(variance, expected, 1))
    }

    /// The abnormal items, strongest first.
    public static func detect(_ series: [Series]) -> [Factor] {
        series.compactMap { s -> Factor? in
            guard s.baseline.count >= minimumHistory, s.current >= minimumCount else { return nil }
            let e = expectation(s)
            let score = (Double(s.current) - e.expected) / e.dispersion.squareRoot()
            guard Double(s.current) >= minimumRatio * e.expected, score >= minimumScore else { return nil }
            return Factor(key: s.key, name: s.name, current: s.current, expected: e.expected, baselineMean: e.mean,
                          seasonal: e.seasonal, score: score, ratio: e.expected > 0 ? Double(s.current) / e.expected : nil)
        }
        .sorted { ($0.score, $0.current, $1.name) > ($1.score, $1.current, $0.name) }
    }

    /// «24 обращения при ожидаемых 9,6: в среднем 8,0 за 8 предыдущих периодов × сезонный коэффициент 1,20 …».
    public static func explanation(_ f: Factor, baselineCount: Int) -> String {
        var text = "\(RussianPlural.count(f.current, one: "обращение", few: "обращения", many: "обращений")) при ожидаемых \(decimal(f.expected)): "
            + "в среднем \(decimal(f.baselineMean)) за \(baselineCount) предыдущих \(RussianPlural.form(baselineCount, one: "период", few: "периода", many: "периодов")) той же длины"
        if let s = f.seasonal {
            text += " × сезонный коэффициент \(decimal(s, digits: 2)) (те же даты прошлого года к периодам перед ними)"
        } else {
            text += " (истории за прошлый год нет — без учёта сезонности)"
        }
        if let r = f.ratio { text += "; рост в \(decimal(r)) раза" } else { text += "; раньше таких обращений не было" }
        return text + ", отклонение \(decimal(f.score)) σ"
    }

    static func decimal(_ v: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f", v).replacingOccurrences(of: ".", with: ",")
    }
}
