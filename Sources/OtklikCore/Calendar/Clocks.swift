import Foundation

/// The four kinds of clock of REGULATIONS.md. Each is a pure function of (start, amount, schedule).
public enum ClockRule: Sendable, Equatable, Codable {
    /// Counts only working time; a clock started outside working time starts at the next working period.
    case workingHours(minutes: Int)
    /// Whole working days starting with the day after the start; ends at the end of the last one.
    /// 0: the end of the start day if it is working and not yet over, else of the next working day.
    case workingDays(Int)
    /// Whole days starting with the day after the start; ends at the end of the working day of the last
    /// day, or of the next working day when the last day is not a working day (59-ФЗ practice).
    case calendarDays(Int)
    /// Every day and hour count (urgent channels).
    case daily(minutes: Int)
    /// The first HH:MM local time after the start («в течение суток до 18.00»).
    case byLocalTime(hour: Int, minute: Int)
}

/// A computed deadline. `usedFallback` is true when a day outside the loaded calendar years was
/// counted as Monday–Friday, so the user can be warned that the date may move.
public struct Deadline: Sendable, Equatable {
    public var due: Date
    public var usedFallback: Bool
}

extension WorkSchedule {
    /// No deadline is looked for further than this many days ahead (a guard against a broken calendar).
    static let horizonDays = 3_660

    public func deadline(_ rule: ClockRule, from start: Date) -> Deadline {
        let s = Int(start.timeIntervalSince1970.rounded(.down))
        var fallback = false
        func finish(_ seconds: Int) -> Deadline { Deadline(due: Date(timeIntervalSince1970: Double(seconds)), usedFallback: fallback) }

        switch rule {
        case .daily(let minutes):
            return finish(s + max(0, minutes) * 60)

        case .byLocalTime(let hour, let minute):
            let today = localDay(of: s)
            let candidate = instant(day: today, minute: hour * 60 + minute)
            return finish(candidate > s ? candidate : instant(day: today + 1, minute: hour * 60 + minute))

        case .workingHours(let minutes):
            var remaining = max(0, minutes) * 60
            var day = localDay(of: s)
            for _ in 0..<Self.horizonDays {
                if let p = period(day: day) {
                    if !p.known { fallback = true }
                    let from = max(s, p.start)
                    if from < p.end {
                        if remaining <= p.end - from { return finish(from + remaining) }
                        remaining -= p.end - from
                    }
                }
                day += 1
            }
            return finish(s + Self.horizonDays * 86_400)

        case .workingDays(let n):
            let startDay = localDay(of: s)
            if n <= 0, let p = period(day: startDay), s < p.end {
                if !p.known { fallback = true }
                return finish(p.end)
            }
            var counted = 0
            var day = startDay + 1
            for _ in 0..<Self.horizonDays {
                if let p = period(day: day) {
                    if !p.known { fallback = true }
                    counted += 1
                    if counted >= max(n, 1) { return finish(p.end) }
                }
                day += 1
            }
            return finish(s + Self.horizonDays * 86_400)

        case .calendarDays(let n):
            var day = localDay(of: s) + max(0, n)
            for _ in 0..<Self.horizonDays {
                if let p = period(day: day), p.end > s {
                    if !p.known { fallback = true }
                    return finish(p.end)
                }
                if !calendar.day(day).known { fallback = true }
                day += 1
            }
            return finish(s + Self.horizonDays * 86_400)
        }
    }
}
