/// The Russian production calendar: which days are days off, shortened (pre-holiday) working days or
/// working weekend days, by year. Days not listed follow the week: Monday–Friday working, weekends off.
public struct ProductionCalendar: Sendable, Equatable {
    public enum DayKind: Int, Sendable, Equatable {
        case dayOff = 1          // holiday or a day off moved from elsewhere, even on a weekday
        case shortened = 2       // working day one hour shorter, even on a Saturday (e.g. 2025-11-01)
        case workingWeekend = 3  // a Saturday or Sunday worked with normal hours
    }

    /// How one local day is to be treated.
    public enum Day: Sendable, Equatable {
        case working(shortened: Bool)
        case off

        public var isWorking: Bool { if case .working = self { true } else { false } }
    }

    public private(set) var years: Set<Int> = []
    private var kinds: [Int: DayKind] = [:]   // epoch day → kind

    public init() {}

    /// Loads (or replaces) one year: (month, day, kind 1|2|3, moved-from "MM.DD" or nil).
    public mutating func load(year: Int, days: [(Int, Int, Int, String?)]) {
        if years.contains(year), let first = CivilDate.epochDay(year: year, month: 1, day: 1),
           let next = CivilDate.epochDay(year: year + 1, month: 1, day: 1) {
            for day in first..<next { kinds[day] = nil }
        }
        for (month, day, kind, _) in days {
            guard let epoch = CivilDate.epochDay(year: year, month: month, day: day), let k = DayKind(rawValue: kind) else { continue }
            kinds[epoch] = k
        }
        years.insert(year)
    }

    /// The day's treatment and whether the calendar knows its year (false: Monday–Friday fallback).
    public func day(_ epochDay: Int) -> (day: Day, known: Bool) {
        let weekday = Self.weekday(epochDay)
        switch kinds[epochDay] {
        case .dayOff?: return (.off, true)
        case .shortened?: return (.working(shortened: true), true)
        case .workingWeekend?: return (.working(shortened: false), true)
        case nil:
            let known = years.contains(CivilDate.civil(fromEpochDay: epochDay).year)
            return (weekday < 5 ? .working(shortened: false) : .off, known)
        }
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    public static func weekday(_ epochDay: Int) -> Int {
        ((epochDay % 7) + 7 + 3) % 7
    }

    public static func == (a: ProductionCalendar, b: ProductionCalendar) -> Bool {
        a.years == b.years && a.kinds == b.kinds
    }
}
