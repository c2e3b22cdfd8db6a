import Foundation
@testable import OtklikCore
import Testing

@Suite("Разбор и вывод дат")
struct TimeTextTests {
    @Test("RFC 3339 с часовым поясом", arguments: [
        // (input, expected UTC output) — the offset is subtracted to get UTC.
        ("2026-11-21T14:05:00+03:00", "2026-11-21T11:05:00Z"),
        ("2026-11-21T14:05:00Z", "2026-11-21T14:05:00Z"),
        ("2026-11-21 14:05:00+07:00", "2026-11-21T07:05:00Z"),       // space instead of T
        ("2026-11-21T14:05+12:00", "2026-11-21T02:05:00Z"),          // no seconds; Anadyr is UTC+12
        ("2026-01-01T01:00:00+03:00", "2025-12-31T22:00:00Z"),       // crosses the year backwards
        ("2024-02-29T23:59:59-01:00", "2024-03-01T00:59:59Z"),       // leap day, negative offset
        ("2026-11-21T14:05:00.123456Z", "2026-11-21T14:05:00Z"),     // fraction kept, printed whole
        ("2026-11-21T14:05:00+0530", "2026-11-21T08:35:00Z"),        // offset without colon
    ])
    func parses(input: String, expected: String) throws {
        #expect(TimeText.formatRFC3339(try TimeText.parseRFC3339(input)) == expected)
    }

    @Test("Неверные даты называют причину", arguments: [
        ("", TimeText.ParseError.empty),
        ("2026-11-21T14:05:00", .missingTimeZone),
        ("2026-11-21", .missingTimeZone),
        ("21.11.2026 14:05", .malformed),
        ("2026-13-01T00:00:00Z", .outOfRange),
        ("2025-02-29T00:00:00Z", .outOfRange),                       // 2025 is not a leap year
        ("2026-11-21T24:00:00Z", .outOfRange),
        ("2026-11-21T14:05:00+03:00 лишнее", .malformed),
        ("2026-11-21T14:05:00.Z", .malformed),
    ])
    func refuses(input: String, error: TimeText.ParseError) {
        #expect(throws: error) { try TimeText.parseRFC3339(input) }
    }

    @Test("Местное время российских выгрузок в часовом поясе округа")
    func russianLocal() throws {
        let krasnoyarsk = TimeZone(identifier: "Asia/Krasnoyarsk")!   // UTC+7, no DST
        let kaliningrad = TimeZone(identifier: "Europe/Kaliningrad")! // UTC+2
        #expect(TimeText.formatRFC3339(try #require(try TimeText.parseRussianLocal("06.01.2026 14:05", in: krasnoyarsk))) == "2026-01-06T07:05:00Z")
        #expect(TimeText.formatRFC3339(try #require(try TimeText.parseRussianLocal("6.1.2026", in: kaliningrad))) == "2026-01-05T22:00:00Z")
        #expect(TimeText.formatRFC3339(try #require(try TimeText.parseRussianLocal("31.12.2025 23:59:59", in: kaliningrad))) == "2025-12-31T21:59:59Z")
        #expect(try TimeText.parseRussianLocal("2026-01-06", in: krasnoyarsk) == nil, "не тот формат — не наш случай")
        #expect(throws: TimeText.ParseError.outOfRange) { try TimeText.parseRussianLocal("31.02.2026", in: krasnoyarsk) }
    }

    @Test("Календарная арифметика совпадает с Foundation на всём диапазоне 1900–2100")
    func civilDate() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for day in stride(from: CivilDate.epochDay(year: 1900, month: 1, day: 1)!, through: CivilDate.epochDay(year: 2100, month: 12, day: 31)!, by: 37) {
            let (y, m, d) = CivilDate.civil(fromEpochDay: day)
            let date = Date(timeIntervalSince1970: Double(day) * 86_400)
            let c = calendar.dateComponents([.year, .month, .day], from: date)
            #expect(c.year == y && c.month == m && c.day == d)
            #expect(CivilDate.epochDay(year: y, month: m, day: d) == day)
        }
    }
}
