import Foundation

extension WorkSchedule {
    /// Working seconds between two instants (negative when `end` precedes `start`): what a user reads as
    /// «осталось 3 рабочих часа» or «просрочено на 2 рабочих часа».
    public func workingSeconds(from start: Date, to end: Date) -> Int {
        let a = Int(start.timeIntervalSince1970.rounded(.down)), b = Int(end.timeIntervalSince1970.rounded(.down))
        if b < a { return -workingSeconds(from: end, to: start) }
        var total = 0
        var day = localDay(of: a)
        let last = localDay(of: b)
        // Guard against absurd spans (a broken import): at most ten years are counted.
        while day <= last && day - localDay(of: a) < Self.horizonDays {
            if let p = period(day: day) {
                let from = max(a, p.start), to = min(b, p.end)
                if to > from { total += to - from }
            }
            day += 1
        }
        return total
    }

    /// The instant `minutes` of working time before `instant` (for reminders «за 1 рабочий час»).
    /// Working time that is not there before the instant (far in the past) yields the instant itself.
    public func instant(_ minutes: Int, workingMinutesBefore instant: Date) -> Date {
        let s = Int(instant.timeIntervalSince1970.rounded(.down))
        var remaining = max(0, minutes) * 60
        var day = localDay(of: s)
        for _ in 0..<Self.horizonDays {
            if let p = period(day: day) {
                let to = min(s, p.end)
                if to > p.start {
                    if remaining <= to - p.start { return Date(timeIntervalSince1970: Double(to - remaining)) }
                    remaining -= to - p.start
                }
            }
            day -= 1
        }
        return instant
    }

    /// When to remind about a deadline: working time before it for working-time clocks, plain time for
    /// the clocks where every hour counts.
    public func reminder(for rule: ClockRule, due: Date, minutesBefore: Int) -> Date {
        switch rule {
        case .daily, .byLocalTime: due.addingTimeInterval(-Double(minutesBefore * 60))
        default: instant(minutesBefore, workingMinutesBefore: due)
        }
    }
}

/// Russian reading of a span of time: «2 рабочих часа 15 минут», or «2 часа 15 минут» for clocks where
/// every hour counts.
public enum WorkingSpan {
    public static func russian(seconds: Int, working: Bool = true) -> String {
        let minutes = abs(seconds) / 60
        let h = minutes / 60, m = minutes % 60
        var parts: [String] = []
        if h > 0 {
            parts.append(working ? RussianPlural.count(h, one: "рабочий час", few: "рабочих часа", many: "рабочих часов")
                                 : RussianPlural.count(h, one: "час", few: "часа", many: "часов"))
        }
        if m > 0 || h == 0 { parts.append(RussianPlural.count(m, one: "минута", few: "минуты", many: "минут")) }
        return parts.joined(separator: " ")
    }
}
