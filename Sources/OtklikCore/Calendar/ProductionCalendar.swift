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

/// What an administrator can make of one day of the calendar.
public enum CalendarDayChoice: String, CaseIterable, Sendable {
    case working, dayOff = "day_off", shortened

    public var title: String {
        switch self {
        case .working: "рабочий день"
        case .dayOff: "нерабочий день"
        case .shortened: "сокращённый рабочий день"
        }
    }
}

extension ProductionCalendar {
    /// A year as the xmlcalendar list of exceptions to the week (month, day, kind, nil), read back from
    /// what the calendar says: the form in which a tenant's year is stored.
    public func exceptions(year: Int) -> [(Int, Int, Int, String?)] {
        guard let first = CivilDate.epochDay(year: year, month: 1, day: 1),
              let next = CivilDate.epochDay(year: year + 1, month: 1, day: 1) else { return [] }
        var out: [(Int, Int, Int, String?)] = []
        for epoch in first..<next {
            let weekend = Self.weekday(epoch) >= 5
            let (_, m, d) = CivilDate.civil(fromEpochDay: epoch)
            switch day(epoch).day {
            case .off where !weekend: out.append((m, d, DayKind.dayOff.rawValue, nil))
            case .working(shortened: true): out.append((m, d, DayKind.shortened.rawValue, nil))
            case .working(shortened: false) where weekend: out.append((m, d, DayKind.workingWeekend.rawValue, nil))
            default: break
            }
        }
        return out
    }

    /// The year's exceptions with one day made `choice`; a day that becomes what the week says drops out.
    public static func editing(_ exceptions: [(Int, Int, Int, String?)], year: Int, month: Int, day: Int,
                               to choice: CalendarDayChoice) -> [(Int, Int, Int, String?)] {
        guard let epoch = CivilDate.epochDay(year: year, month: month, day: day) else { return exceptions }
        var out = exceptions.filter { !($0.0 == month && $0.1 == day) }
        let weekend = weekday(epoch) >= 5
        let kind: DayKind? = switch choice {
        case .working: weekend ? .workingWeekend : nil
        case .dayOff: weekend ? nil : .dayOff
        case .shortened: .shortened
        }
        if let kind { out.append((month, day, kind.rawValue, nil)) }
        return out.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
