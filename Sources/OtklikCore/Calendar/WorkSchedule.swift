import Foundation

/// Working time of one municipality: the production calendar, its time zone and its working hours.
/// Times go in and out as UTC instants; every rule is evaluated in local time.
public struct WorkSchedule: Sendable {
    public var calendar: ProductionCalendar
    public var zone: TimeZone
    public var hours: WorkingHours
    /// A shortened working day ends this much earlier (one hour, Labour Code art. 95).
    public static let shortening = 60

    public init(calendar: ProductionCalendar = .shipped, zone: TimeZone, hours: WorkingHours = .standard) {
        self.calendar = calendar
        self.zone = zone
        self.hours = hours
    }

    /// Seconds east of UTC at an instant.
    func offset(atUTC seconds: Int) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
    }

    /// The local calendar day (epoch day) an instant falls on.
    public func localDay(of seconds: Int) -> Int {
        let local = seconds + offset(atUTC: seconds)
        return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    }

    /// The UTC instant of a local day's minute (correct across offset changes: the offset is taken at
    /// the resulting instant).
    public func instant(day: Int, minute: Int) -> Int {
        let local = day * 86_400 + minute * 60
        let guess = local - offset(atUTC: local)
        return local - offset(atUTC: guess)
    }

    /// The working period of a local day in UTC seconds, or nil on a day off; `known` is false when the
    /// day's year is not in the calendar (Monday–Friday fallback).
    public func period(day: Int) -> (start: Int, end: Int, known: Bool)? {
        let (kind, known) = calendar.day(day)
        guard case .working(let shortened) = kind else { return nil }
        let end = hours.endMinute - (shortened ? Self.shortening : 0)
        return (instant(day: day, minute: hours.startMinute), instant(day: day, minute: max(end, hours.startMinute)), known)
    }
}
