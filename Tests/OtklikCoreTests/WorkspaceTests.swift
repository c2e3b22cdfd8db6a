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
