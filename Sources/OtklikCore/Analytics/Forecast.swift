import Foundation

/// Forecast of weekly case counts for the next 1–4 weeks, with its error measured on the series' own past
/// (rolling origin: the model is refitted at each of the last weeks and its forecasts compared with what
/// came). Models suited to weekly counts: Holt's damped trend when there is less than two years of
/// history; with two years or more, the same with a multiplicative week-of-year factor taken from the
/// years before (so the New Year dip and the spring flood are expected, not surprises).
public enum Forecast {
    public static let minimumWeeks = 8
    public static let season = 52

    public struct Result: Sendable, Equatable {
        public var model: String
        /// Forecasts for the next weeks, never negative.
        public var values: [Double]
        /// Mean absolute error of the same-horizon forecasts on the back-test, in cases per week.
        public var mae: Double?
        /// Mean absolute percentage error (weeks with zero actual skipped).
        public var mape: Double?
        public var backtestWeeks: Int
    }

    public enum Problem: Error, Equatable, Sendable {
        case tooShort(weeks: Int)
        public var russian: String {
            switch self {
            case .tooShort(let w): "мало данных для прогноза: \(RussianPlural.count(w, one: "неделя", few: "недели", many: "недель")) истории, нужно не меньше \(Forecast.minimumWeeks)"
            }
        }
    }

    struct Params: Equatable { var alpha: Double; var beta: Double; var phi: Double }

    public static func forecast(_ series: [Double], horizon: Int) throws(Problem) -> Result {
        guard series.count >= minimumWeeks else { throw .tooShort(weeks: series.count) }
        let h = max(1, min(horizon, 4))
        let seasonal = series.count >= 2 * season
        let params = fit(series, seasonal: seasonal)
        let values = predict(series, params: params, seasonal: seasonal, horizon: h)
        // Back-test: refit at each origin over the last weeks, compare the h-step forecasts with the actuals.
        let origins = max(0, min(12, series.count - minimumWeeks - h + 1))
        var errors: [Double] = [], percents: [Double] = []
        for k in 0..<origins {
            let end = series.count - h - k
            guard end >= minimumWeeks else { break }
            let past = Array(series[..<end])
            let s = past.count >= 2 * season
            let p = predict(past, params: fit(past, seasonal: s), seasonal: s, horizon: h)
            for step in 0..<h {
                let actual = series[end + step]
                errors.append(abs(p[step] - actual))
                if actual > 0 { percents.append(abs(p[step] - actual) / actual) }
            }
        }
        return Result(model: seasonal ? "Холт с затухающим трендом и сезонностью по неделям года" : "Холт с затухающим трендом",
                      values: values, mae: errors.isEmpty ? nil : errors.reduce(0, +) / Double(errors.count),
                      mape: percents.isEmpty ? nil : percents.reduce(0, +) / Double(percents.count), backtestWeeks: origins)
    }

    /// Grid search of the smoothing constants by one-step squared error.
    static func fit(_ series: [Double], seasonal: Bool) -> Params {
        var best = Params(alpha: 0.3, beta: 0.1, phi: 0.9)
        var bestError = Double.infinity
        // The week factors do not depend on the constants: computed once, not once per grid point.
        let factors = seasonal ? weekFactors(series, count: series.count) : nil
        for alpha in stride(from: 0.1, through: 0.9, by: 0.1) {
            for beta in [0.0, 0.05, 0.1, 0.2, 0.3] {
                for phi in [0.8, 0.9, 0.98] {
                    let p = Params(alpha: alpha, beta: beta, phi: phi)
                    let e = oneStepError(series, params: p, factors: factors)
                    if e < bestError { bestError = e; best = p }
                }
            }
        }
        return best
    }

    /// Week-of-year factors: each week's count over the mean of its year, averaged over the past years.
    static func factor(_ series: [Double], at index: Int) -> Double {
        var ratios: [Double] = []
        var i = index - season
        while i >= season / 2 {
            let lo = max(0, i - season / 2), hi = min(series.count, i + season / 2)
            let mean = series[lo..<hi].reduce(0, +) / Double(hi - lo)
            if mean > 0 { ratios.append(series[i] / mean) }
            i -= season
        }
        guard !ratios.isEmpty else { return 1 }
        return max(0.2, min(5, ratios.reduce(0, +) / Double(ratios.count)))
    }

    /// `factor(series, at:)` for indices 0..<count.
    static func weekFactors(_ series: [Double], count: Int) -> [Double] {
        (0..<count).map { factor(series, at: $0) }
    }

    static func run(_ series: [Double], params p: Params, factors: [Double]?, onStep: (Int, Double) -> Void) -> (level: Double, trend: Double) {
        var level = series[0], trend = series.count > 1 ? series[1] - series[0] : 0
        for t in 1..<series.count {
            let f = factors?[t] ?? 1
            let predicted = (level + p.phi * trend) * f
            onStep(t, predicted)
            let deseasoned = series[t] / f
            let newLevel = p.alpha * deseasoned + (1 - p.alpha) * (level + p.phi * trend)
            trend = p.beta * (newLevel - level) + (1 - p.beta) * p.phi * trend
            level = newLevel
        }
        return (level, trend)
    }

    static func oneStepError(_ series: [Double], params: Params, factors: [Double]?) -> Double {
        var sum = 0.0
        _ = run(series, params: params, factors: factors) { t, predicted in
            if t >= 2 { sum += (series[t] - predicted) * (series[t] - predicted) }
        }
        return sum
    }

    static func predict(_ series: [Double], params p: Params, seasonal: Bool, horizon: Int) -> [Double] {
        let factors = seasonal ? weekFactors(series, count: series.count + horizon) : nil
        let (level, trend) = run(series, params: p, factors: factors) { _, _ in }
        var out: [Double] = []
        var damp = 0.0, phiPower = 1.0
        for step in 1...horizon {
            phiPower *= p.phi
            damp += phiPower
            let f = factors?[series.count + step - 1] ?? 1
            out.append(max(0, (level + damp * trend) * f))
        }
        return out
    }
}
