import Foundation

/// A calendar day without a time (campaign dates, a page's last post): typed as 2026-12-10 or 10.12.2026,
/// stored as ISO text so that it sorts.
public struct LocalDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (2000...2100).contains(year), (1...12).contains(month), day >= 1, day <= Self.length(year, month) else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// Reads «2026-12-10» or «10.12.2026».
    public init?(_ text: String) {
        let t = text.trimmed
        let iso = t.split(separator: "-", omittingEmptySubsequences: false)
        let ru = t.split(separator: ".", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]) { self.init(year: y, month: m, day: d) }
        else if ru.count == 3, ru[2].count == 4, let d = Int(ru[0]), let m = Int(ru[1]), let y = Int(ru[2]) { self.init(year: y, month: m, day: d) }
        else { return nil }
    }

    /// The local day of `date` in `zone`.
    public init(_ date: Date, in zone: TimeZone) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day], from: date)
        (year, month, day) = (c.year!, c.month!, c.day!)
    }

    /// The first instant of this day in `zone` (local midnight).
    public func start(in zone: TimeZone) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return cal.date(from: DateComponents(year: year, month: month, day: day))!
    }

    public static func length(_ y: Int, _ m: Int) -> Int {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    public var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }
    public var russian: String { String(format: "%02d.%02d.%04d", day, month, year) }
    public var description: String { iso }
    /// Days since 1970-01-01 (proleptic Gregorian).
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year, m = month <= 2 ? month + 12 : month
        return 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + day - 719_469
    }
    public func adding(days: Int) -> LocalDay {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .gmt
        let d = cal.date(byAdding: .day, value: days, to: cal.date(from: DateComponents(year: year, month: month, day: day))!)!
        return LocalDay(d, in: .gmt)
    }
    /// Monday = 0 … Sunday = 6.
    public var weekdayFromMonday: Int { ((ordinal % 7) + 10) % 7 }
    public static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}
