import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import SQLKit
import Testing
import Vapor

@Suite("Контроль сроков: напоминания, просрочка, эскалация")
struct DeadlineMonitorTests {
    @Test("Напоминание за рабочий час, затем эскалация: руководитель организации → руководитель блока → руководитель МЦУ", arguments: TestDB.all)
    func escalationChain(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T02:30:00Z"))   // Fri 09:30 local
            // «ЖКХ» brings the housing block and the ЖКХ department.
            let c = try await CaseDriver.register(app, f, channel: "hotline", external: "H-9", extra: #""category":"zhkh""#)
            let op = try await app.signIn("a.operator")
            let execID = try await User.query(on: app.db).filter(\.$login == "a.exec.zhkh").first()!.id!
            try await c.act("take_in_work", as: op)
            try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)","executor_id":"\#(execID.uuidString)","deadline":"2026-11-23T05:00:00Z""#)
            let monitor = DeadlineMonitor(db: app.db)

            // Due Mon 12:00 local; one working hour before is Mon 11:00 (04:00Z), not Friday.
            #expect(try await monitor.tick(now: at("2026-11-23T03:59:00Z")).reminders == 0)
            #expect(try await monitor.tick(now: at("2026-11-23T04:00:00Z")).reminders == 1)
            #expect(try await monitor.tick(now: at("2026-11-23T04:30:00Z")).reminders == 0, "одно напоминание")
            let exec = try await app.signIn("a.exec.zhkh")
            let inbox = try await app.call(.GET, "/api/v1/municipalities/alpha/notifications", as: exec).json
            #expect(inbox["items"]?.array.map { $0["kind"]?.string ?? "" } == ["reminder", "assigned"])

            // Overdue at the deadline: level 1, the head of the organisation.
            var report = try await monitor.tick(now: at("2026-11-23T05:00:01Z"))
            #expect(report.overdue == 1 && report.escalations == 0)
            #expect(try await titles(app, "a.orghead.zhkh") == ["Нарушен срок «Срок исполнителя» по обращению №1"])
            #expect(try await titles(app, "a.blocklead").isEmpty)
            // One working day (9 working hours) later: the block lead; another: the МЦУ head; then the chain ends.
            #expect(try await monitor.tick(now: at("2026-11-24T05:00:00Z")).escalations == 0)
            report = try await monitor.tick(now: at("2026-11-24T05:00:02Z"))
            #expect(report.escalations == 1)
            #expect(try await titles(app, "a.blocklead").count == 1)
            report = try await monitor.tick(now: at("2026-11-25T05:00:03Z"))
            #expect(report.escalations == 1)
            #expect(try await titles(app, "a.head").count == 1)
            report = try await monitor.tick(now: at("2026-11-30T05:00:00Z"))
            #expect(report == .init(), "после руководителя МЦУ эскалаций нет: \(report)")

            app.clock.set(at("2026-11-25T06:00:00Z"))
            var card = try await c.card(op)
            #expect(card.clock("executor")?["escalation_level"]?.int == 3)
            #expect(card.clock("executor")?["overdue"]?.bool == true)
            #expect(card.clock("executor")?["remaining_text"]?.string == "просрочено на 19 рабочих часов", "Пн 12:00 → Ср 13:00: 5 + 9 + 5")
            card = try await c.act("submit_answer", as: exec, #""text":"Сделано с опозданием.""#)
            #expect(card.clock("executor")?["outcome"]?.string == "missed")
            let kinds = card["history"]?.array.compactMap { $0["kind"]?.string } ?? []
            #expect(kinds.filter { $0 == "escalated" }.count == 2 && kinds.contains("overdue") && kinds.contains("reminded"))
        }
    }

    @Test("Давно прошедшие сроки (исторический импорт) отмечаются без рассылки", arguments: TestDB.all)
    func staleDeadlinesAreQuiet(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T02:30:00Z"))
            _ = try await CaseDriver.register(app, f, channel: "hotline", external: "OLD-1", receivedAt: "2026-10-01T10:00:00+07:00")
            let report = try await DeadlineMonitor(db: app.db).tick(now: app.clock.now)
            #expect(report.overdue == 2)
            #expect(try await NotificationRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("Два планировщика на одной PostgreSQL: каждое напоминание и каждая просрочка — ровно один раз")
    func twoSchedulers() async throws {
        guard TestDB.all.contains(.postgres) else { return }   // SQLite runs one instance by design
        try await withOtklik(.postgres) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T02:30:00Z"))
            let items = (1...150).map { caseJSON("MANY-\($0)", channel: "hotline", receivedAt: "2026-11-20T09:15:00+07:00") }
            let res = try await app.call(.POST, "/api/v1/municipalities/alpha/cases/batch", as: .token(f.alpha.token),
                                         json: #"{"cases":[\#(items.joined(separator: ","))]}"#)
            #expect(res.json["created"]?.int == 150)

            // A second instance of the application on the same database.
            let second = try await Application.make(.testing)
            second.logger.logLevel = .warning
            try await configure(second, LaunchOptions(config: app.otklikConfig))
            do {
                for now in [at("2026-11-20T09:30:00Z"), at("2026-11-20T10:00:01Z")] {   // 16:30 reminders, 17:00 overdue
                    async let a = DeadlineMonitor(db: app.db).tick(now: now)
                    async let b = DeadlineMonitor(db: second.db).tick(now: now)
                    let (ra, rb) = try await (a, b)
                    #expect(ra.reminders + rb.reminders + ra.overdue + rb.overdue == 150, "\(ra) \(rb)")
                }
            } catch {
                try? await second.asyncShutdown()
                throw error
            }
            try await second.asyncShutdown()
            let sql = app.db as! any SQLDatabase
            struct Count: Decodable { var kind: String; var n: Int; var distinct_cases: Int }
            let counts = try await sql.raw("SELECT kind, COUNT(*)::int AS n, COUNT(DISTINCT case_id)::int AS distinct_cases FROM case_events WHERE kind IN ('reminded', 'overdue') GROUP BY kind ORDER BY kind")
                .all(decoding: Count.self)
            #expect(counts.map { "\($0.kind) \($0.n) \($0.distinct_cases)" } == ["overdue 150 150", "reminded 150 150"])
            // Reminders went to the channel operator, overdues (no organisation yet) to the МЦУ head: 150 each.
            #expect(try await NotificationRecord.query(on: app.db).count() == 300)
        }
    }

    private func titles(_ app: Application, _ login: String) async throws -> [String] {
        let caller = try await app.signIn(login)
        let inbox = try await app.call(.GET, "/api/v1/municipalities/alpha/notifications?unread=true", as: caller).json
        return inbox["items"]?.array.compactMap { $0["title"]?.string } ?? []
    }
}

@Suite("Производственный календарь муниципального образования")
struct CalendarAPITests {
    static let xml2028 = """
    <?xml version="1.0" encoding="UTF-8"?>
    <calendar year="2028" lang="ru" date="2027.09.01">
      <days>
        <day d="01.01" t="1"/><day d="01.02" t="1"/><day d="01.03" t="1"/><day d="01.04" t="1"/>
        <day d="01.05" t="1"/><day d="01.06" t="1"/><day d="01.07" t="1"/>
        <day d="03.15" t="1"/>
      </days>
    </calendar>
    """

    @Test("Администратор загружает год в формате xmlcalendar; сроки новых обращений считаются по нему", arguments: TestDB.all)
    func importYear(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let admin = try await app.signIn("a.admin"), op = try await app.signIn("a.operator")
            let url = "/api/v1/municipalities/alpha/calendar/2028"
            let xml: HTTPHeaders = ["Content-Type": "application/xml"]
            #expect(try await app.call(.GET, url, as: op).json["source"]?.string == "fallback")
            #expect(try await app.call(.PUT, url, as: op, headers: xml, body: Self.xml2028).status == .forbidden)
            let broken = try await app.call(.PUT, url, as: admin, headers: xml, body: "<html>не календарь</html>")
            #expect(broken.status == .unprocessableEntity)
            #expect(broken.json["errors"]?[0]?["reason"]?.string?.contains("не файл производственного календаря") == true)
            let wrongYear = try await app.call(.PUT, "/api/v1/municipalities/alpha/calendar/2029", as: admin, headers: xml, body: Self.xml2028)
            #expect(wrongYear.status == .unprocessableEntity)
            let ok = try await app.call(.PUT, url, as: admin, headers: xml, body: Self.xml2028)
            #expect(ok.status == .ok, "\(ok.body.string)")
            #expect(ok.json["source"]?.string == "imported")
            #expect(ok.json["days"]?.array.contains { $0["date"]?.string == "2028-03-15" && $0["kind"]?.string == "day_off" } == true)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "calendar.import").count() == 1)

            // Tue 14 Mar 2028: 8 working days skip the imported 15 Mar → Mon 27 Mar 17:00 local.
            app.clock.set(at("2028-03-14T04:00:00Z"))
            let c = try await CaseDriver.register(app, f, channel: "hotline", external: "Y-1", receivedAt: "2028-03-14T10:00:00+07:00")
            let card = try await c.card(op)
            #expect(card.clock("final_answer")?["due_at"]?.string == "2028-03-27T10:00:00Z")
            #expect(card.clock("final_answer")?["used_fallback"]?.bool == false)

            #expect(try await app.call(.DELETE, url, as: admin).status == .noContent)
            #expect(try await app.call(.GET, url, as: op).json["source"]?.string == "fallback")
        }
    }
}
