import Foundation
@testable import OtklikCore
import Testing

@Suite("Рабочее место: входящие, даты по-русски, шаблоны ответов")
struct WorkspaceTests {
    static let inboxCases: [(roles: [Role], statuses: [CaseStatus])] = [
        ([.channelOperator], [.new, .inWork, .onReview, .approved, .published, .reopened]),
        ([.executor], [.assigned, .returned]),
        ([.organisationHead], [.assigned, .returned]),
        ([.blockLead], [.onReview]),
        ([.editor], [.approved]),
        ([.executor, .editor], [.assigned, .returned, .approved]),
    ]

    @Test("Входящие каждой роли — статусы, в которых обращение ждёт именно её")
    func inbox() {
        for c in Self.inboxCases {
            #expect(Inbox.statuses(for: Set(c.roles)) == c.statuses, "\(c.roles)")
        }
    }

    @Test("У аналитика и главы нет своих входящих: им показываются открытые обращения")
    func noInbox() {
        #expect(Inbox.statuses(for: [.analyst]) == nil)
        #expect(Inbox.statuses(for: [.head, .regionalCentre]) == nil)
        #expect(!Inbox.open.contains(.closed) && Inbox.open.count == CaseStatus.allCases.count - 1)
    }

    @Test("Даты по-русски в поясе муниципалитета", arguments: [
        ("2026-11-21T11:05:00Z", "Europe/Moscow", "21 ноября 2026, 14:05"),
        ("2026-11-21T22:30:00Z", "Asia/Novokuznetsk", "22 ноября 2026, 05:30"),
        ("2026-12-31T20:59:00Z", "Europe/Moscow", "31 декабря 2026, 23:59"),
        ("2027-01-01T00:00:00Z", "Asia/Anadyr", "1 января 2027, 12:00"),
        ("2026-03-08T07:00:00Z", "Europe/Kaliningrad", "8 марта 2026, 09:00"),
    ])
    func dates(instant: String, zone: String, expected: String) throws {
        let date = try TimeText.parseRFC3339(instant)
        #expect(RussianDate.dateTime(date, in: TimeZone(identifier: zone)!) == expected)
    }

    @Test("«Сегодня», «вчера», «завтра» считаются по местным суткам")
    func relative() throws {
        let zone = TimeZone(identifier: "Asia/Novokuznetsk")!   // UTC+7
        let now = try TimeText.parseRFC3339("2026-11-21T16:30:00Z")    // Saturday 21 Nov, 23:30 local
        #expect(RussianDate.relative(try TimeText.parseRFC3339("2026-11-21T17:30:00Z"), now: now, in: zone) == "завтра, 00:30")
        #expect(RussianDate.relative(try TimeText.parseRFC3339("2026-11-21T02:00:00Z"), now: now, in: zone) == "сегодня, 09:00")
        #expect(RussianDate.relative(try TimeText.parseRFC3339("2026-11-20T10:00:00Z"), now: now, in: zone) == "вчера, 17:00")
        #expect(RussianDate.relative(try TimeText.parseRFC3339("2026-11-10T10:00:00Z"), now: now, in: zone) == "10 ноября 2026, 17:00")
        #expect(RussianDate.weekday(now, in: zone) == "суббота")
    }

    @Test("Шаблон: известные подстановки заполняются, пустые видны, неизвестные называются")
    func templates() {
        let body = "Уважаемый(ая) {{имя}}! По обращению №{{ номер }} от {{дата}} по адресу {{адрес}} ответ будет дан до {{срок}}."
        let text = AnswerTemplate.render(body, values: ["имя": "Пётр Иванович", "номер": "42", "дата": "21 ноября 2026",
                                                        "срок": "24 ноября 2026, 12:00"])
        #expect(text == "Уважаемый(ая) Пётр Иванович! По обращению №42 от 21 ноября 2026 по адресу [не указано: адрес] ответ будет дан до 24 ноября 2026, 12:00.")
        #expect(AnswerTemplate.unknownPlaceholders(in: body).isEmpty)
        #expect(AnswerTemplate.unknownPlaceholders(in: "{{ФИО}} и {{имя}} и {{фио}}") == ["фио"])
        #expect(AnswerTemplate.render("без закрытия {{имя", values: ["имя": "x"]) == "без закрытия {{имя")
    }
}

@Suite("Правка дня производственного календаря")
struct CalendarEditTests {
    @Test("Список исключений года читается из календаря и правится по одному дню")
    func editDay() {
        let year2026 = ProductionCalendar.shipped.exceptions(year: 2026)
        #expect(year2026.contains { $0.0 == 1 && $0.1 == 9 && $0.2 == 1 }, "9 января 2026 — перенесённый выходной")
        var calendar = ProductionCalendar()
        calendar.load(year: 2026, days: year2026)
        let days = CivilDate.epochDay(year: 2026, month: 1, day: 1)!..<CivilDate.epochDay(year: 2027, month: 1, day: 1)!
        #expect(days.allSatisfy { calendar.day($0).day == ProductionCalendar.shipped.day($0).day }, "список воспроизводит каждый день года")

        // A regional holiday on Wednesday 2 December 2026, then undone.
        let holiday = ProductionCalendar.editing(year2026, year: 2026, month: 12, day: 2, to: .dayOff)
        calendar.load(year: 2026, days: holiday)
        #expect(calendar.day(CivilDate.epochDay(year: 2026, month: 12, day: 2)!).day == .off)
        let undone = ProductionCalendar.editing(holiday, year: 2026, month: 12, day: 2, to: .working)
        #expect(undone.count == year2026.count)
        // A Saturday made a working day is listed as a working weekend; a shortened day is kept as such.
        let saturday = ProductionCalendar.editing(year2026, year: 2026, month: 12, day: 5, to: .working)
        #expect(saturday.contains { $0.0 == 12 && $0.1 == 5 && $0.2 == 3 })
        let short = ProductionCalendar.editing(year2026, year: 2026, month: 12, day: 30, to: .shortened)
        #expect(short.contains { $0.0 == 12 && $0.1 == 30 && $0.2 == 2 })
    }
}
