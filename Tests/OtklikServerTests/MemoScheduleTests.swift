import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Записка по расписанию: понедельник 08:00 по местному времени, один раз, в архиве, с уведомлением")
struct MemoScheduleTests {
    @Test("до 08:00 — нет; в 08:00 — записка за прошлую неделю, руководителю МЦУ уведомление; повтор не создаёт вторую; архив", arguments: TestDB.all)
    func weekly(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-18T03:00:00Z"))
            _ = try await CaseDriver.register(app, f, channel: "hotline", external: "M-1", receivedAt: "2026-11-18T10:00:00+07:00")

            app.clock.set(at("2026-11-23T00:59:00Z"))   // Mon 07:59 in alpha (+07)
            await MemoScheduler.tick(app)
            #expect(try await MemoRecord.query(on: app.db).count() == 0)
            app.clock.set(at("2026-11-23T01:00:00Z"))   // 08:00
            await MemoScheduler.tick(app)
            await MemoScheduler.tick(app)
            let memos = try await MemoRecord.query(on: app.db).filter(\.$tenantID == f.alpha.id).all()
            #expect(memos.count == 1, "одна записка, сколько бы проходов ни было")
            let memo = try #require(memos.first)
            #expect(memo.periodFrom == at("2026-11-16T00:00:00+07:00") && memo.periodTo == at("2026-11-23T00:00:00+07:00"))
            let document = String(decoding: try #require(try XLSXPackage(data: memo.docx).part("word/document.xml")), as: UTF8.self)
            #expect(document.contains("Период: 16.11.2026 — 22.11.2026") && document.contains("поступило 1 обращение"))

            let head = try await app.signIn("a.head")
            let inbox = try await app.call(.GET, "/api/v1/municipalities/alpha/notifications", as: head).json
            #expect(inbox["items"]?.array.first?["title"]?.string == "Аналитическая записка за 16.11.2026 — 22.11.2026 готова")

            let web = try await WebVisitor.signIn(app, "a.head")
            let archive = try await web.get("/m/alpha/memos").body.string
            #expect(archive.contains("16.11.2026 — 22.11.2026") && archive.contains("скачать DOCX"))
            let file = try await web.get("/m/alpha/memos/\(memo.id!.uuidString)")
            #expect(file.status == .ok && Array(file.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
            #expect(try await WebVisitor.signIn(app, "a.exec.zhkh").get("/m/alpha/memos").status == .forbidden)
            #expect(try await WebVisitor.signIn(app, "b.admin").get("/m/beta/memos/\(memo.id!.uuidString)").status == .notFound)
        }
    }
}
