import Foundation

/// Dates as Russian readers write them: «21 ноября 2026, 14:05», in the municipality's local time.
public enum RussianDate {
    static let months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                         "октября", "ноября", "декабря"]
    static let weekdays = ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"]

    /// «21 ноября 2026, 14:05».
    public static func dateTime(_ date: Date, in zone: TimeZone) -> String {
        let c = parts(date, zone)
        return "\(c.day) \(months[c.month - 1]) \(c.year), \(two(c.hour)):\(two(c.minute))"
    }

    /// «21 ноября 2026».
    public static func day(_ date: Date, in zone: TimeZone) -> String {
        let c = parts(date, zone)
        return "\(c.day) \(months[c.month - 1]) \(c.year)"
    }

    /// «16.11.2026»: tables and chart axes.
    public static func shortDate(_ date: Date, in zone: TimeZone) -> String {
        let c = parts(date, zone)
        return "\(two(c.day)).\(two(c.month)).\(c.year)"
    }

    /// «2026-11-16»: the value of a date field and of a `from`/`to` query parameter.
    public static func isoDate(_ date: Date, in zone: TimeZone) -> String {
        let c = parts(date, zone)
        return "\(c.year)-\(two(c.month))-\(two(c.day))"
    }

    /// «сегодня, 14:05», «вчера, 09:00», «завтра, 17:00», else the full form: short for lists.
    public static func relative(_ date: Date, now: Date, in zone: TimeZone) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let days = cal.dateComponents([.day], from: cal.startOfDay(for: now), to: cal.startOfDay(for: date)).day ?? 99
        let c = parts(date, zone)
        let time = "\(two(c.hour)):\(two(c.minute))"
        switch days {
        case 0: return "сегодня, \(time)"
        case -1: return "вчера, \(time)"
        case 1: return "завтра, \(time)"
        default: return dateTime(date, in: zone)
        }
    }

    /// «суббота» — the weekday of a date in the zone.
    public static func weekday(_ date: Date, in zone: TimeZone) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return weekdays[cal.component(.weekday, from: date) - 1]
    }

    /// «ноябрь»: the nominative month name, for calendar headers.
    public static func monthName(_ month: Int) -> String {
        ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
         "декабрь"][month - 1]
    }

    private static func parts(_ date: Date, _ zone: TimeZone) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return (c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
