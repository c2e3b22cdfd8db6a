import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Голосования и обсуждения: загрузка итогов, неверные файлы, рядом с обращениями, что вынести на голосование")
struct PollsTests {
    static let base = "/api/v1/municipalities/alpha"

    @Test("Итоги из CSV: отрицательные голоса и неверный итог — ничего не записано; связь с темой показывает обращения; предложения", arguments: TestDB.all)
    func polls(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let head = try await app.signIn("a.head")
            for (i, rubric) in ["zhkh", "water", "no-water", "roads"].enumerated() {
                _ = try await app.call(.POST, "\(Self.base)/cases", as: .token(f.alpha.token), json: caseJSON("PL-\(i)", text: "Обращение \(i)", receivedAt: "2026-11-1\(i)T12:00:00+07:00"))
                try await CaseRecord.query(on: app.db).filter(\.$externalID == "PL-\(i)").set(\.$categoryID, to: f.alpha.rubrics[rubric]).update()
            }
            let csv = { (body: String) in "Вопрос;Вариант;Голосов;Всего;Начало;Окончание\n" + body }
            let negative = try await app.call(.POST, "\(Self.base)/polls/import?kind=vote", as: head, headers: ["Content-Type": "text/csv"],
                                              body: csv("Как часто вывозить мусор?;Ежедневно;-3;;;\n"))
            #expect(negative.status == .unprocessableEntity && negative.body.string.contains("строка 2") && negative.body.string.contains("отрицательным"))
            let wrongTotal = try await app.call(.POST, "\(Self.base)/polls/import?kind=vote", as: head, headers: ["Content-Type": "text/csv"],
                                                body: csv("Ремонт какого двора первым?;Лесная, 5;40;100;01.11.2026;20.11.2026\nРемонт какого двора первым?;Садовая, 2;50;100;;\n"))
            #expect(wrongTotal.status == .unprocessableEntity && wrongTotal.body.string.contains("сумма голосов 90 не равна итогу 100"))
            #expect(try await PollRecord.query(on: app.db).count() == 0, "ничего не записано")
            let ok = try await app.call(.POST, "\(Self.base)/polls/import?kind=vote", as: head, headers: ["Content-Type": "text/csv"],
                                        body: csv("Что важнее в ЖКХ?;Вода;60;100;01.11.2026;20.11.2026\nЧто важнее в ЖКХ?;Отопление;40;100;;\n"))
            #expect(ok.status == .created, "\(ok.body.string)")
            let id = ok.json["items"]?[0]?["id"]?.string ?? ""
            #expect(ok.json["items"]?[0]?["options"]?.array.map { $0["percent"]?.int } == [60, 40])
            // Before the link, ЖКХ is the most complained-about topic without a vote.
            let before = try await app.call(.GET, "\(Self.base)/polls/suggestions", as: head).json["items"]?.array ?? []
            #expect(before.first?["category"]?["name"]?.string == "ЖКХ" && before.first?["cases"]?.int == 3, "\(before)")
            let linked = try await app.call(.PATCH, "\(Self.base)/polls/\(id)", as: head, json: #"{"category_id":"\#(f.alpha.rubrics["zhkh"]!)"}"#)
            #expect(linked.json["complaints"]?.int == 3, "ЖКХ с подтемами за 01–20.11: 3 обращения (дороги не считаются)")
            let after = try await app.call(.GET, "\(Self.base)/polls/suggestions", as: head).json["items"]?.array ?? []
            #expect(after.map { $0["category"]?["name"]?.string } == ["Дороги"], "по ЖКХ голосование уже было")
            let own = try await app.call(.POST, "\(Self.base)/polls", as: head, json: #"{"question":"Нужен ли новый маршрут?","options":[{"text":"Да","votes":5}]}"#)
            #expect(own.status == .unprocessableEntity && own.body.string.contains("хотя бы два варианта"))
            #expect(try await app.call(.POST, "\(Self.base)/polls/import?kind=vote", as: try await app.signIn("a.analyst"), headers: ["Content-Type": "text/csv"],
                                       body: csv("Q;A;1;;;\n")).status == .forbidden)
            // The same from an XLSX workbook.
            let sheet = XLSXWriter.Sheet(name: "Итоги", header: ["Вопрос", "Вариант", "Голосов"],
                                         rows: [[.text("Нужна ли ёлка на площади?"), .text("Да"), .number(300)], [.text("Нужна ли ёлка на площади?"), .text("Нет"), .number(20)]])
            let xlsx = try XLSXPackage.write(XLSXWriter(sheets: [sheet]).parts())
            var headers = head.headers
            headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let fromXLSX = try await app.testing().sendRequest(.POST, "\(Self.base)/polls/import?kind=discussion", headers: headers, body: ByteBuffer(data: xlsx))
            #expect(fromXLSX.status == .created, "\(fromXLSX.body.string)")
            #expect(fromXLSX.json["items"]?[0]?["kind_title"]?.string == "общественное обсуждение" && fromXLSX.json["items"]?[0]?["total"]?.int == 320)
            let web = try await WebVisitor.signIn(app, "a.head")
            let page = try await web.get("/m/alpha/polls").body.string
            #expect(page.contains("Что важнее в ЖКХ?") && page.contains("Вода: 60 (60 %)") && page.contains("тема «ЖКХ»: <strong>3</strong>"))
            let bad = try await web.submit("/m/alpha/polls", ["question": "Где поставить остановку?", "options": "У школы; 5"], csrfFrom: "/m/alpha/polls")
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("Где поставить остановку?") && bad.body.string.contains("хотя бы два варианта"))
        }
    }
}
