import Foundation

/// A half-open period [from, to) of analytics, with the two it is compared to: the period of the same
/// length just before it, and the same dates a year earlier.
public struct AnalyticsPeriod: Sendable, Equatable {
    public var from: Date
    public var to: Date

    /// Longer periods are refused: the comparisons and the charts stop meaning anything, and one request
    /// must not scan a region's whole history.
    public static let maxDays = 3 * 366

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case tooLong(days: Int)

        public var russian: String {
            switch self {
            case .empty: "конец периода должен быть позже его начала"
            case .tooLong(let days): "период в \(RussianPlural.count(days, one: "день", few: "дня", many: "дней")) слишком длинный: не более трёх лет"
            }
        }
    }

    public init(from: Date, to: Date) throws(Problem) {
        guard to > from else { throw .empty }
        let days = Int(((to.timeIntervalSince(from)) / 86_400).rounded(.up))
        guard days <= Self.maxDays else { throw .tooLong(days: days) }
        self.from = from
        self.to = to
    }

    public var length: TimeInterval { to.timeIntervalSince(from) }

    public var previous: AnalyticsPeriod {
        AnalyticsPeriod(unchecked: from.addingTimeInterval(-length), to: from)
    }

    /// The same calendar dates a year earlier (29 February falls back to the 28th).
    public func lastYear(in zone: TimeZone) -> AnalyticsPeriod {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let f = calendar.date(byAdding: .year, value: -1, to: from) ?? from.addingTimeInterval(-365 * 86_400)
        let t = calendar.date(byAdding: .year, value: -1, to: to) ?? to.addingTimeInterval(-365 * 86_400)
        return AnalyticsPeriod(unchecked: f, to: t)
    }

    init(unchecked from: Date, to: Date) { self.from = from; self.to = to }

    /// The ISO week (Monday 00:00 local) that contains `date`, as the default period of the dashboard.
    public static func week(containing date: Date, in zone: TimeZone) -> AnalyticsPeriod {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        let start = calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
        return AnalyticsPeriod(unchecked: start, to: calendar.date(byAdding: .day, value: 7, to: start) ?? start.addingTimeInterval(7 * 86_400))
    }
}
