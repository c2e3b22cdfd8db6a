import Foundation
@testable import OtklikCore
import Testing

private func utc(_ s: String) -> Date { try! TimeText.parseRFC3339(s) }
private func schedule(_ zone: String) -> WorkSchedule { WorkSchedule(zone: TimeZone(identifier: zone)!) }

@Suite("Сроки: четыре вида часов по REGULATIONS.md")
struct ClockTests {
    // Europe/Moscow is UTC+3; working hours 08:00–17:00, shortened days end at 16:00.
    @Test("Рабочие часы, рабочие дни, календарные дни, сутки — ожидания посчитаны вручную", arguments: [
        // 30 min left on Friday, 30 more on Monday from 08:00.
        ("Europe/Moscow", ClockRule.workingHours(minutes: 60), "2026-11-20T16:30:00+03:00", "2026-11-23T05:30:00Z"),
        // Started on Saturday: the clock starts Monday 08:00.
        ("Europe/Moscow", .workingHours(minutes: 60), "2026-11-21T10:00:00+03:00", "2026-11-23T06:00:00Z"),
        // 2025-11-01 is a shortened working Saturday (ends 16:00): 30 min there; 2, 3, 4 Nov are off; Wed 5 Nov 08:30.
        ("Europe/Moscow", .workingHours(minutes: 60), "2025-11-01T15:30:00+03:00", "2025-11-05T05:30:00Z"),
        // 5 h on 30 Dec; 31 Dec 2026 and 1–8 Jan 2027 are off, 9–10 Jan a weekend: 4 h on Mon 11 Jan → 12:00.
        ("Europe/Moscow", .workingHours(minutes: 540), "2026-12-30T12:00:00+03:00", "2027-01-11T09:00:00Z"),
        // An ordinary Monday: within the day.
        ("Europe/Moscow", .workingHours(minutes: 60), "2026-11-02T15:30:00+03:00", "2026-11-02T13:30:00Z"),
        // 3 Nov 2026 is shortened (ends 16:00), 4 Nov a holiday: 30 min + Thu 5 Nov 08:30.
        ("Europe/Moscow", .workingHours(minutes: 60), "2026-11-03T15:30:00+03:00", "2026-11-05T05:30:00Z"),
        // 27 Apr 2024 is a working Saturday with normal hours.
        ("Europe/Moscow", .workingHours(minutes: 60), "2024-04-26T16:30:00+03:00", "2024-04-27T05:30:00Z"),
        // Zero minutes outside working time: the start of the next working period.
        ("Europe/Moscow", .workingHours(minutes: 0), "2026-11-21T10:00:00+03:00", "2026-11-23T05:00:00Z"),
        // Anadyr is UTC+12: Monday 08:30 local is Sunday 20:30 UTC.
        ("Asia/Anadyr", .workingHours(minutes: 60), "2026-11-20T16:30:00+12:00", "2026-11-22T20:30:00Z"),

        // 8 working days after Fri 20 Nov: 23, 24, 25, 26, 27, 30 Nov, 1, 2 Dec → 2 Dec 17:00.
        ("Europe/Moscow", .workingDays(8), "2026-11-20T10:00:00+03:00", "2026-12-02T14:00:00Z"),
        // 0 working days: on a Saturday → end of Monday; during Monday → its end; after its end → Tuesday's.
        ("Europe/Moscow", .workingDays(0), "2026-11-21T10:00:00+03:00", "2026-11-23T14:00:00Z"),
        ("Europe/Moscow", .workingDays(0), "2026-11-23T10:00:00+03:00", "2026-11-23T14:00:00Z"),
        ("Europe/Moscow", .workingDays(0), "2026-11-23T17:30:00+03:00", "2026-11-24T14:00:00Z"),
        // 1 working day after Mon 2 Nov 2026 is the shortened 3 Nov, which ends at 16:00.
        ("Europe/Moscow", .workingDays(1), "2026-11-02T09:00:00+03:00", "2026-11-03T13:00:00Z"),
        // Kaliningrad (UTC+2): Tuesday 17:00 local.
        ("Europe/Kaliningrad", .workingDays(1), "2026-11-23T10:00:00+02:00", "2026-11-24T15:00:00Z"),

        // 14 calendar days from Fri 20 Nov: the last day is Fri 4 Dec, a working day → 17:00.
        ("Europe/Moscow", .calendarDays(14), "2026-11-20T10:00:00+03:00", "2026-12-04T14:00:00Z"),
        // 30 calendar days from 10 Dec 2026: 9 Jan 2027 is a Saturday → Sun off → Mon 11 Jan 17:00.
        ("Europe/Moscow", .calendarDays(30), "2026-12-10T10:00:00+03:00", "2027-01-11T14:00:00Z"),
        // 14 days from Sat 6 Feb 2027 end on Sat 20 Feb 2027, a shortened working day → 16:00.
        ("Europe/Moscow", .calendarDays(14), "2027-02-06T10:00:00+03:00", "2027-02-20T13:00:00Z"),
        // Novokuznetsk (UTC+7): 14 days from 25 Dec 2025 → 8 Jan 2026 (holiday), 9 Jan (moved day off),
        // 10–11 Jan weekend → Mon 12 Jan 17:00 local.
        ("Asia/Novokuznetsk", .calendarDays(14), "2025-12-25T12:00:00+07:00", "2026-01-12T10:00:00Z"),

        // Every hour counts: 48 hours later, weekend or not.
        ("Europe/Moscow", .daily(minutes: 2880), "2026-11-21T10:00:00Z", "2026-11-23T10:00:00Z"),
        // The first 18:00 after receipt: the same evening, or the next one if it is already past 18:00.
        ("Europe/Moscow", .byLocalTime(hour: 18, minute: 0), "2026-11-21T17:00:00+03:00", "2026-11-21T15:00:00Z"),
        ("Europe/Moscow", .byLocalTime(hour: 18, minute: 0), "2026-11-21T19:00:00+03:00", "2026-11-22T15:00:00Z"),
    ])
    func table(zone: String, rule: ClockRule, start: String, expected: String) {
        let d = schedule(zone).deadline(rule, from: utc(start))
        #expect(TimeText.formatRFC3339(d.due) == expected)
        #expect(!d.usedFallback)
    }

    @Test("За пределами загруженных лет — пятидневка и отметка о запасном режиме")
    func fallback() {
        // 14 Jun 2030 is a Friday; 2030 is not loaded: Monday 17 Jun 17:00, flagged.
        let d = schedule("Europe/Moscow").deadline(.workingDays(1), from: utc("2030-06-14T10:00:00+03:00"))
        #expect(TimeText.formatRFC3339(d.due) == "2030-06-17T14:00:00Z")
        #expect(d.usedFallback)
    }

    @Test("Рабочие часы монотонны и аддитивны на случайных моментах 2025–2027")
    func properties() {
        var rng = SplitMix64(seed: 2026)
        let s = schedule("Asia/Novokuznetsk")
        let from = utc("2025-01-01T00:00:00Z").timeIntervalSince1970, to = utc("2027-12-01T00:00:00Z").timeIntervalSince1970
        for _ in 0..<400 {
            let a = Date(timeIntervalSince1970: Double.random(in: from...to, using: &rng).rounded(.down))
            let b = a.addingTimeInterval(Double(Int.random(in: 0...200_000, using: &rng)))
            let m1 = Int.random(in: 0...3_000, using: &rng), m2 = Int.random(in: 0...3_000, using: &rng)
            // Monotonic: a later start never gives an earlier deadline.
            #expect(s.deadline(.workingHours(minutes: m1), from: a).due <= s.deadline(.workingHours(minutes: m1), from: b).due)
            // Additive: m1 then m2 equals m1 + m2.
            let step = s.deadline(.workingHours(minutes: m1), from: a).due
            #expect(s.deadline(.workingHours(minutes: m2), from: step).due == s.deadline(.workingHours(minutes: m1 + m2), from: a).due)
            // More working days never end earlier.
            #expect(s.deadline(.workingDays(m1 % 20), from: a).due <= s.deadline(.workingDays(m1 % 20 + 1), from: a).due)
        }
    }
}

@Suite("Производственный календарь")
struct ProductionCalendarTests {
    let calendar = ProductionCalendar.shipped

    @Test("Поставляемый календарь: 2024–2027, праздники, переносы, сокращённые и рабочие выходные дни", arguments: [
        (2025, 11, 1, ProductionCalendar.Day.working(shortened: true)),   // Saturday, shortened working day
        (2025, 11, 3, .off),                                              // moved from 1 Nov
        (2025, 11, 4, .off),                                              // Unity Day
        (2026, 1, 9, .off),                                               // moved from 3 Jan
        (2026, 11, 3, .working(shortened: true)),
        (2026, 12, 31, .off),
        (2027, 1, 11, .working(shortened: false)),
        (2024, 12, 28, .working(shortened: false)),                       // working Saturday
        (2026, 11, 21, .off),                                             // an ordinary Saturday
        (2026, 11, 23, .working(shortened: false)),                       // an ordinary Monday
    ])
    func shipped(year: Int, month: Int, day: Int, expected: ProductionCalendar.Day) {
        #expect(calendar.years == [2024, 2025, 2026, 2027])
        let result = calendar.day(CivilDate.epochDay(year: year, month: month, day: day)!)
        #expect(result.day == expected && result.known)
    }

    @Test("Импорт года в формате xmlcalendar и понятные ошибки")
    func xmlImport() throws {
        let text = """
        <?xml version="1.0" encoding="UTF-8"?>
        <calendar year="2028" lang="ru" country="ru"><days>
          <day d="01.03" t="1" h="1"/>
          <day d="03.07" t="2"/>
          <day d="03.11" t="3" />
          <day d="05.02" t="1" f="01.01"/>
        </days></calendar>
        """
        let parsed = try XMLCalendarImport.parse(text)
        #expect(parsed.year == 2028)
        #expect(parsed.days.map { "\($0.0).\($0.1):\($0.2):\($0.3 ?? "-")" } == ["1.3:1:-", "3.7:2:-", "3.11:3:-", "5.2:1:01.01"])
        var calendar = ProductionCalendar.shipped
        calendar.load(year: parsed.year, days: parsed.days)
        #expect(calendar.day(CivilDate.epochDay(year: 2028, month: 3, day: 11)!).day == .working(shortened: false))
        #expect(calendar.years.contains(2028))

        let errors: [(String, String)] = [
            ("<html></html>", "нет элемента <calendar"),
            (#"<calendar year="2028"><day d="02.30" t="1"/></calendar>"#, "неверная дата «02.30»"),
            (#"<calendar year="2028"><day d="02.03" t="7"/></calendar>"#, "неверный тип дня"),
            (#"<calendar year="2028"><day d="02.03" t="1"/><day d="02.03" t="2"/></calendar>"#, "указан дважды"),
        ]
        for (input, message) in errors {
            do {
                _ = try XMLCalendarImport.parse(input)
                Issue.record("принято: \(input)")
            } catch {
                #expect(error.russian.contains(message), "\(error.russian)")
            }
        }
    }

    @Test("Повторная загрузка года заменяет его, а не дополняет")
    func reload() {
        var calendar = ProductionCalendar.shipped
        calendar.load(year: 2026, days: [(11, 23, 1, nil)])
        #expect(calendar.day(CivilDate.epochDay(year: 2026, month: 11, day: 23)!).day == .off)
        #expect(calendar.day(CivilDate.epochDay(year: 2026, month: 11, day: 4)!).day == .working(shortened: false), "старая запись года убрана")
    }
}
