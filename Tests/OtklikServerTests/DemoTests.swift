import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Демо-муниципалитет")
struct DemoTests {
    @Test("Демо загружается один раз: не меньше 5000 обращений из всех каналов, пользователи всех ролей", arguments: TestDB.all)
    func demo(db: TestDB) async throws {
        let printed = Printed()
        try await withOtklik(db, printer: { printed.append($0) }) { app in
            // The newest 300 cases walk through the lifecycle here; `serve --demo` walks all of them.
            var loader = DemoLoader(app: app)
            loader.walk = .newest(300)
            // A weekday afternoon: loaded early on a Monday, the newest 300 cases are the weekend's, still
            // untouched (their working minutes start at 09:00), and no story has reached a reopening yet.
            loader.now = at("2026-11-19T08:00:00Z")   // Thu 15:00 in Krasnoyarsk
            let report = try await loader.loadIfAbsent()
            #expect(report.created && report.cases >= 5_000)
            let m = try #require(try await Municipality.query(on: app.db).filter(\.$slug == DemoData.slug).first())
            #expect(m.isDemo && m.name.contains("демо"))
            let channels = Set(try await CaseRecord.query(on: app.db).all(\.$channel))
            #expect(channels == Set(CaseChannel.allCases.map(\.rawValue)))
            let earliest = try #require(try await CaseRecord.query(on: app.db).sort(\.$receivedAt).first()?.receivedAt)
            #expect(Date().timeIntervalSince(earliest) > 85 * 86_400, "обращения распределены по 90 дням")
            let roles = Set(try await RoleAssignment.query(on: app.db).all(\.$role))
            let expected = Set(Role.allCases.filter { $0 != .platformAdmin }.map(\.rawValue))
            #expect(roles == expected)
            #expect(try await Territory.query(on: app.db).filter(\.$latitude != nil).count() >= 5)
            // Every case has its «received» event; the demo's people then moved them through the real lifecycle.
            #expect(try await CaseEvent.query(on: app.db).filter(\.$kind == "received").count() == report.cases)
            let statuses = try await CaseRecord.query(on: app.db).all(\.$status)
            let byStatus = Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count)
            #expect((byStatus["closed"] ?? 0) > 20, "\(byStatus)")
            for status in ["new", "assigned", "on_review", "awaiting_feedback", "reopened"] {
                #expect((byStatus[status] ?? 0) > 0, "нет обращений в статусе \(status): \(byStatus)")
            }
            #expect(try await CaseRecord.query(on: app.db).filter(\.$acceptedBySilence == true).count() > 0)
            #expect(try await CaseRecord.query(on: app.db).filter(\.$returnCount > 0).count() > 0)
            let outcomes = try await CaseClock.query(on: app.db).filter(\.$outcome != nil).all(\.$outcome)
            #expect(outcomes.contains("met") && outcomes.contains("missed"))
            // Information risks at every stage, campaigns, official pages with a broken widget.
            let risks = Dictionary(grouping: try await RiskRecord.query(on: app.db).all(\.$status), by: { $0 }).mapValues(\.count)
            #expect(risks == ["closed": 1, "monitoring": 1, "verification": 1, "detected": 1, "escalated": 1], "\(risks)")
            #expect(try await CampaignRecord.query(on: app.db).count() == 2)
            let pages = try await PublicPageRecord.query(on: app.db).all()
            #expect(pages.count == 4 && pages.filter { $0.widgetCheck?.isWellFormed == false }.count == 2)
            let centre = try await CentreMemberRecord.query(on: app.db).all()
            #expect(centre.count == DemoCentre.composition.count && centre.first { $0.role == "curator" }?.substituteID != nil)
            #expect(try await MeetingRecord.query(on: app.db).filter(\.$status == "signed").count() == 1)
            #expect(try await RoadmapStepRecord.query(on: app.db).filter(\.$doneOn != nil).count() == 1)
            #expect(try await PracticeRecord.query(on: app.db).count() == 1)
            #expect(Set(try await AssignmentRecord.query(on: app.db).all(\.$status)) == ["on_control", "reported"])
            // Printed credentials let a person sign in.
            let password = try #require(report.password)
            #expect(printed.all.contains(password))
            let mcu = try await app.signIn("demo.mcu", password)
            let page = try await app.call(.GET, "/api/v1/municipalities/\(DemoData.slug)/cases?limit=5", as: mcu)
            #expect(page.json["items"]!.array.count == 5)
            let token = try #require(report.token)
            #expect(try await app.call(.GET, "/api/v1/municipalities/\(DemoData.slug)/cases", as: .token(token)).status == .ok)

            let again = try await DemoLoader(app: app).loadIfAbsent()
            #expect(!again.created)
            #expect(try await CaseRecord.query(on: app.db).count() == report.cases)
        }
    }
}
