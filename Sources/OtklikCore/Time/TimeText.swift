import Foundation

/// Strict timestamp parsing. Hand-written because imports parse hundreds of thousands of dates and
/// because a date without an explicit offset must be refused (it would silently mean server time).
public enum TimeText {
    public enum ParseError: Error, Equatable, Sendable {
        case empty, malformed, missingTimeZone, outOfRange

        public var russian: String {
            switch self {
            case .empty: "дата не указана"
            case .malformed: "дата не в формате RFC 3339 (пример: 2026-11-21T14:05:00+03:00)"
            case .missingTimeZone: "у даты нет часового пояса: добавьте Z или смещение, например +03:00"
            case .outOfRange: "дата вне допустимого диапазона (месяц, день, час или минута)"
            }
        }
    }

    /// RFC 3339 date-time with a mandatory `Z` or `±HH:MM` offset; `T` or a space between date and time;
    /// optional fractional seconds (kept to the microsecond).
    public static func parseRFC3339(_ text: String) throws(ParseError) -> Date {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { throw .empty }
        var i = 0
        func digits(_ n: Int) throws(ParseError) -> Int {
            guard i + n <= bytes.count else { throw .malformed }
            var v = 0
            for k in 0..<n {
                let b = bytes[i + k]
                guard b >= 48 && b <= 57 else { throw .malformed }
                v = v * 10 + Int(b - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) throws(ParseError) {
            guard i < bytes.count, bytes[i] == c else { throw .malformed }
            i += 1
        }
        let year = try digits(4); try expect(45) // -
        let month = try digits(2); try expect(45)
        let day = try digits(2)
        guard i < bytes.count, bytes[i] == 84 || bytes[i] == 116 || bytes[i] == 32 else {
            throw i == bytes.count ? .missingTimeZone : .malformed
        }
        i += 1
        let hour = try digits(2); try expect(58) // :
        let minute = try digits(2)
        var second = 0
        if i < bytes.count, bytes[i] == 58 { i += 1; second = try digits(2) }
        var fraction = 0.0
        if i < bytes.count, bytes[i] == 46 || bytes[i] == 44 {
            i += 1
            var scale = 0.1
            let start = i
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                fraction += Double(bytes[i] - 48) * scale
                scale /= 10
                i += 1
            }
            if i == start { throw .malformed }
        }
        guard i < bytes.count else { throw .missingTimeZone }
        var offsetSeconds = 0
        switch bytes[i] {
        case 90, 122: i += 1 // Z
        case 43, 45:
            let sign = bytes[i] == 45 ? -1 : 1
            i += 1
            let oh = try digits(2)
            if i < bytes.count, bytes[i] == 58 { i += 1 }
            let om = try digits(2)
            guard oh <= 18, om < 60 else { throw .outOfRange }
            offsetSeconds = sign * (oh * 3600 + om * 60)
        default: throw .malformed
        }
        guard i == bytes.count else { throw .malformed }
        guard let epochDay = CivilDate.epochDay(year: year, month: month, day: day),
              hour < 24, minute < 60, second < 61 else { throw .outOfRange }
        let seconds = epochDay * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + (fraction * 1e6).rounded() / 1e6)
    }

    /// A Russian export's local time: `ДД.ММ.ГГГГ`, `ДД.ММ.ГГГГ ЧЧ:ММ` or `ДД.ММ.ГГГГ ЧЧ:ММ:СС`,
    /// read in the municipality's time zone. Returns nil when the text is not in that shape.
    public static func parseRussianLocal(_ text: String, in zone: TimeZone) throws(ParseError) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard let datePart = parts.first, parts.count <= 2 else { return nil }
        let dmy = datePart.split(separator: ".")
        guard dmy.count == 3, dmy[0].count <= 2, dmy[1].count <= 2, dmy[2].count == 4,
              let d = Int(dmy[0]), let m = Int(dmy[1]), let y = Int(dmy[2]) else { return nil }
        var h = 0, mi = 0, s = 0
        if parts.count == 2 {
            let hms = parts[1].split(separator: ":")
            guard (2...3).contains(hms.count), let hh = Int(hms[0]), let mm = Int(hms[1]) else { return nil }
            h = hh; mi = mm
            if hms.count == 3 { guard let ss = Int(hms[2]) else { return nil }; s = ss }
        }
        guard CivilDate.epochDay(year: y, month: m, day: d) != nil, h < 24, mi < 60, s < 60 else {
            throw .outOfRange
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: y, month: m, day: d, hour: h, minute: mi, second: s)
        guard let date = calendar.date(from: components) else { throw .outOfRange }
        return date
    }

    /// Local date and time as Russian users write it: «20.11.2026 17:00».
    public static func formatLocal(_ date: Date, in zone: TimeZone) -> String {
        let f = fields(Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date))
        return "\(two(f.day)).\(two(f.month)).\(f.year) \(two(f.hour)):\(two(f.minute))"
    }

    /// RFC 3339 in UTC with whole seconds, the API's output form.
    public static func formatRFC3339(_ date: Date) -> String {
        let f = fields(Int(date.timeIntervalSince1970.rounded(.down)))
        return "\(f.year)-\(two(f.month))-\(two(f.day))T\(two(f.hour)):\(two(f.minute)):\(two(f.second))Z"
    }

    /// RFC 3339 in a zone's own offset («2026-11-21T14:05:00+07:00»), as GeoReport v2 examples write dates.
    public static func formatRFC3339(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let f = fields(Int(date.timeIntervalSince1970.rounded(.down)) + offset)
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset) / 60
        return "\(f.year)-\(two(f.month))-\(two(f.day))T\(two(f.hour)):\(two(f.minute)):\(two(f.second))\(sign)\(two(a / 60)):\(two(a % 60))"
    }

    /// Calendar fields of a count of seconds since 1970 (already shifted to the wanted zone).
    private static func fields(_ total: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let day = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let rest = total - day * 86_400
        let (y, m, d) = CivilDate.civil(fromEpochDay: day)
        return (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

/// Proleptic Gregorian day arithmetic (Howard Hinnant's algorithms), free of Foundation calendars.
public enum CivilDate {
    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01, or nil for an impossible date such as 31.02.
    public static func epochDay(year y0: Int, month m: Int, day d: Int) -> Int? {
        guard (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y0), (1...9999).contains(y0) else {
            return nil
        }
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(fromEpochDay z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
