import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

/// A week with six hotline cases whose figures are computed by hand next to each expectation.
@Suite("Панель показателей: KPI на рассчитанном вручную примере, на SQLite и PostgreSQL")
struct DashboardTests {
    static let week = "from=2026-11-16T00:00:00%2B07:00&to=2026-11-23T00:00:00%2B07:00"

    @Test("неделя из шести обращений: объём и его изменение, взятие в работу, время, оценки, повторные, решено; переход к обращениям",
          arguments: TestDB.all)
    func handComputedWeek(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-16T03:00:00Z"))   // Mon 10:00 local (+07)
            var cases: [CaseDriver] = []
            for i in 1...6 {
                cases.append(try await CaseDriver.register(app, f, channel: "hotline", external: "W-\(i)", receivedAt: "2026-11-16T10:00:00+07:00"))
            }
            for i in 1...2 { _ = try await CaseDriver.register(app, f, channel: "hotline", external: "P-\(i)", receivedAt: "2026-11-10T10:00:00+07:00") }
            for i in 1...3 { _ = try await CaseDriver.register(app, f, channel: "hotline", external: "Y-\(i)", receivedAt: "2025-11-17T10:00:00+07:00") }

            // Taken in work after 60 and 150 minutes (same working day: met) and after 24 h (missed); 4–6 never.
            let op = try await app.signIn("a.operator")
            for (i, time) in [(0, "2026-11-16T04:00:00Z"), (1, "2026-11-16T05:30:00Z"), (2, "2026-11-17T03:00:00Z")] {
                app.clock.set(at(time))
                _ = try await cases[i].act("take_in_work", as: op)
            }
            // Outcomes written straight into the fixture rows: ratings 5, 4, 2 and one silence; c3 reopened;
            // results resolved, resolved, explained, explained; first responses after 120 and 1 590 minutes.
            let received = at("2026-11-16T03:00:00Z")
            let outcomes: [(rating: Int?, silence: Bool, result: String, reopen: Int, first: Double?)] = [
                (5, false, "resolved", 0, 120), (4, false, "resolved", 0, 1_590), (2, false, "explained", 1, nil), (nil, true, "explained", 0, nil),
            ]
            for (i, o) in outcomes.enumerated() {
                let r = try #require(try await CaseRecord.find(UUID(uuidString: cases[i].caseID), on: app.db))
                r.status = "closed"; r.result = o.result; r.feedbackRating = o.rating; r.acceptedBySilence = o.silence
                r.reopenCount = o.reopen; r.firstResponseAt = o.first.map { received.addingTimeInterval($0 * 60) }; r.nextDueAt = nil
                try await r.update(on: app.db)
            }

            app.clock.set(at("2026-11-24T04:00:00Z"))
            _ = try await CaseDriver.register(app, f, channel: "hotline", external: "NEXT", receivedAt: "2026-11-24T10:00:00+07:00")
            try await CaseRecord.query(on: app.db).filter(\.$externalID == "NEXT").set(\.$nextDueAt, to: nil).update()
            app.clock.set(at("2026-11-20T03:00:00Z"))   // Fri 10:00
            let admin = try await app.signIn("a.admin")
            let res = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/kpis?\(Self.week)", as: admin)
            #expect(res.status == .ok, "\(res.body.string)")
            let figures = Dictionary(uniqueKeysWithValues: (res.json["figures"]?.array ?? []).compactMap { f in f["key"]?.string.map { ($0, f) } })
            func value(_ k: String) -> Double? { figures[k]?["value"]?.double }
            func text(_ k: String) -> String? { figures[k]?["text"]?.string }

            #expect(value("volume") == 6, "6 обращений недели; «NEXT» — после периода")
            #expect(figures["volume"]?["change_previous"]?.double == 2.0, "(6 − 2) ÷ 2 = +200 %")
            #expect(figures["volume"]?["change_last_year"]?.double == 1.0, "(6 − 3) ÷ 3 = +100 %")
            #expect(text("taken_on_time") == "33,3 %", "в срок 2 ÷ (2 + 1 нарушено + 3 не взяты с истёкшим сроком) = 2/6")
            #expect(figures["taken_on_time"]?["numerator"]?.int == 2 && figures["taken_on_time"]?["denominator"]?.int == 6)
            #expect(text("take_median") == "2 ч 30 мин", "[60, 150, 1440]: ранг ⌈0,5·3⌉ = 2 → 150 мин")
            #expect(text("take_p90") == "1 дн", "ранг ⌈0,9·3⌉ = 3 → 1440 мин")
            #expect(text("first_response_median") == "2 ч", "[120, 1590]: ранг ⌈0,5·2⌉ = 1 → 120 мин")
            #expect(text("first_response_p90") == "1 дн 2 ч", "ранг ⌈0,9·2⌉ = 2 → 1590 мин = 26 ч 30 мин")
            #expect(text("on_time_final_answer") == "нет данных", "ни один окончательный срок ещё не наступил: делить не на что")
            #expect(value("overdue_now") == 7, "4 и 5 недели + 2 прошлой недели + 3 прошлого года, без учёта периода")
            #expect(text("satisfaction") == "66,7 %" && figures["satisfaction"]?["meets_target"]?.bool == true, "оценки 5, 4, 2: 2 ÷ 3 ≥ 60 %")
            #expect(text("accepted_by_silence") == "25 %", "1 ÷ (3 оценки + 1 молчание)")
            #expect(text("reopen_rate") == "25 %", "1 повторное ÷ 4 с ответом")
            #expect(text("resolved_share") == "50 %", "2 решено ÷ (2 + 2 разъяснено)")
            #expect(figures["satisfaction"]?["formula"]?.string?.contains("не менее 60 %") == true)

            // The cases behind «взяты в работу в срок»: the late ones — 3, 4, 5, 6.
            let query = try #require(figures["taken_on_time"]?["cases_query"]?.string)
            let list = try await app.call(.GET, "/api/v1/municipalities/alpha/cases?\(query)", as: admin)
            #expect(Set(list.json["items"]?.array.compactMap { $0["external_id"]?.string } ?? []) == ["W-3", "W-4", "W-5", "W-6"], "\(query)")
            let overdue = try #require(figures["overdue_now"]?["cases_query"]?.string)
            #expect(try await app.call(.GET, "/api/v1/municipalities/alpha/cases?\(overdue)&limit=50", as: admin).json["items"]?.array.count == 7)

            // The page: the same figures, the formula one click away, the charts drawn as SVG with their numbers.
            let web = try await WebVisitor.signIn(app, "a.admin")
            let page = try await web.get("/m/alpha/dashboard?from=2026-11-16&to=2026-11-22")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("16.11.2026 — 22.11.2026"))
            #expect(html.contains("33,3 %") && html.contains("2 ч 30 мин") && html.contains("66,7 %") && html.contains("2 из 6"))
            #expect(html.contains("к предыдущему периоду: <strong>+200 %</strong>") && html.contains("к прошлому году: <strong>+100 %</strong>"))
            #expect(html.contains("цель — не менее 60 % — <strong>выполнена</strong>"))
            #expect(html.contains("<summary>Формула</summary>"))
            #expect(html.contains("<svg") && html.contains("Поступление по неделям") && html.contains("6 (было 2)"), "столбцы и полосы подписаны числами")
            let drill = try #require(html.components(separatedBy: "href=\"").first { $0.hasPrefix("/m/alpha/cases?") && $0.contains("late_clock=take_in_work") }?
                .components(separatedBy: "\"").first)
            let listed = try await web.get(drill.replacingOccurrences(of: "&amp;", with: "&")).body.string.lowercased()
            #expect(cases[2...].allSatisfy { listed.contains("/cases/" + $0.caseID.lowercased()) }
                    && cases[..<2].allSatisfy { !listed.contains("/cases/" + $0.caseID.lowercased()) },
                    "переход к нарушениям: обращения 3–6, без 1 и 2")
            let bad = try await web.get("/m/alpha/dashboard?from=2016-01-01&to=2026-01-01").body.string
            #expect(bad.contains("Фильтр не применён") && bad.contains("не более трёх лет"))

            // The memo of the same week: a Word package whose text carries the same figures and the rules' advice.
            let memo = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/memo.docx?\(Self.week)", as: admin)
            #expect(memo.status == .ok && memo.headers.contentType?.description.contains("wordprocessingml") == true)
            let package = try XLSXPackage(data: Data(buffer: memo.body))
            let document = String(decoding: try #require(try package.part("word/document.xml")), as: UTF8.self)
            #expect(document.contains("33,3 %") && document.contains("66,7 %") && document.contains("2 из 6"))
            #expect(document.contains("10. Рекомендации") && document.contains("В работу в срок взято 33,3 %"), "правило «ниже 90 %» сработало")
            #expect(!document.contains("Доля оценок 4–5 — 66,7 % при цели"), "цель по оценкам выполнена — такой рекомендации нет")
            let printable = try await web.get("/m/alpha/memo?from=2026-11-16&to=2026-11-22").body.string
            #expect(printable.contains("Еженедельная аналитическая записка") && printable.contains("1. Основные показатели"))

            // Lists and tables download as CSV (Excel's Russian dialect) and XLSX; contacts only for roles that see them.
            let csv = try await web.get("/m/alpha/cases/export?format=csv&late_clock=take_in_work&from=2026-11-16&to=2026-11-22")
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let csvBytes = Array(csv.body.readableBytesView)
            #expect(Array(csvBytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "BOM: Excel узнаёт UTF-8")
            let lines = String(decoding: csvBytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n")
            #expect(lines.count == 5 && lines[0].hasPrefix("№;Номер в источнике;Поступило;Канал"), "заголовок и 4 нарушения")
            #expect(!lines[0].contains("Телефон"), "администратор не видит контакты жителей")
            #expect(lines.dropFirst().allSatisfy { $0.contains("Горячая линия") && $0.contains("16.11.2026 10:00:00") })
            let operatorCSV = try await WebVisitor.signIn(app, "a.operator").get("/m/alpha/cases/export?format=csv").body.string
            #expect(operatorCSV.contains("Автор;Телефон;Эл. почта"), "ответственный за канал видит контакты")
            let xlsx = try await web.get("/m/alpha/cases/export?format=xlsx&from=2026-11-16&to=2026-11-22")
            let book = try XLSXPackage(data: Data(buffer: xlsx.body))
            #expect(try book.part("xl/worksheets/sheet1.xml") != nil)
            #expect(try await web.get("/m/alpha/cases/export?format=pdf").status == .unprocessableEntity)
            let memoTables = try XLSXPackage(data: Data(buffer: try await web.get("/m/alpha/memo.xlsx?from=2026-11-16&to=2026-11-22").body))
            let workbook = String(decoding: try #require(try memoTables.part("xl/workbook.xml")), as: UTF8.self)
            #expect(workbook.contains("name=\"Основные показатели\""), "лист на каждую таблицу записки")

            let figuresCSV = try await web.get("/m/alpha/dashboard/export?format=csv&from=2026-11-16&to=2026-11-22").body.string
            #expect(figuresCSV.contains("Взяты в работу в срок;33,3 %;0,3333;2;6"), "\(figuresCSV.prefix(600))")
            let figuresBook = try XLSXPackage(data: Data(buffer: try await web.get("/m/alpha/dashboard/export?format=xlsx&from=2026-11-16&to=2026-11-22").body))
            #expect(String(decoding: try #require(try figuresBook.part("xl/workbook.xml")), as: UTF8.self).contains("name=\"Каналы\""))

            // A slice that matches nothing: zeros and «нет данных», never a division by zero.
            let none = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/kpis?\(Self.week)&channel=pos", as: admin).json
            #expect(none["figures"]?.array.first { $0["key"]?.string == "volume" }?["value"]?.double == 0)
            #expect(none["figures"]?.array.filter { $0["unit"]?.string == "share" }.allSatisfy { $0["text"]?.string == "нет данных" } == true)
            // An executor sees only their organisation's cases: none of these is routed.
            let exec = try await app.signIn("a.exec.zhkh")
            let own = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/kpis?\(Self.week)", as: exec).json
            #expect(own["figures"]?.array.first?["value"]?.double == 0)
        }
    }

    @Test("плохие периоды и фильтры — понятные ошибки", arguments: TestDB.all)
    func badInput(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            let admin = try await app.signIn("a.admin")
            let long = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/kpis?from=2016-01-01&to=2026-01-01", as: admin)
            #expect(long.status == .unprocessableEntity && long.body.string.contains("не более трёх лет"))
            let reversed = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/kpis?from=2026-02-01&to=2026-01-01", as: admin)
            #expect(reversed.status == .unprocessableEntity && reversed.body.string.contains("конец периода раньше"))
            let ghost = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/kpis?organisation=\(UUID().uuidString)", as: admin)
            #expect(ghost.status == .unprocessableEntity && ghost.body.string.contains("организация не найдена"))
            let wrong = try await app.call(.GET, "/api/v1/municipalities/alpha/analytics/kpis?from=вчера", as: admin)
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("ожидалась дата"))
            // A municipality with no cases at all: the default week, zeros.
            let empty = try await app.call(.GET, "/api/v1/municipalities/beta/analytics/kpis", as: try await app.signIn("b.admin"))
            #expect(empty.status == .ok && empty.json["figures"]?.array.first?["value"]?.double == 0)
        }
    }

    @Test("тепловая карта: факт «Нет воды» и микрорайон сворачиваются в «ЖКХ» × «Центр»; клетка ведёт к своим обращениям", arguments: TestDB.all)
    func heatMap(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-16T03:00:00Z"))
            let c1 = try await CaseDriver.register(app, f, channel: "hotline", external: "H1", receivedAt: "2026-11-16T10:00:00+07:00",
                                                   extra: #""category":"no-water","location":{"territory":"Микрорайон Первый"}"#)
            let c2 = try await CaseDriver.register(app, f, channel: "hotline", external: "H2", receivedAt: "2026-11-16T10:00:00+07:00",
                                                   extra: #""category":"zhkh","location":{"territory":"centre"}"#)
            _ = try await CaseDriver.register(app, f, channel: "hotline", external: "H3", receivedAt: "2026-11-16T10:00:00+07:00",
                                              extra: #""category":"roads""#)
            for (c, rating) in [(c1, 2), (c2, 5)] {
                try await CaseRecord.query(on: app.db).filter(\.$id == UUID(uuidString: c.caseID)!).set(\.$feedbackRating, to: rating).update()
            }
            app.clock.set(at("2026-11-20T03:00:00Z"))
            let web = try await WebVisitor.signIn(app, "a.admin")
            let volume = try await web.get("/m/alpha/heatmap?from=2026-11-16&to=2026-11-22").body.string
            #expect(volume.contains(">ЖКХ</text>") && volume.contains(">Центр</text>") && volume.contains(">без территории</text>"))
            #expect(volume.contains(">2</text>") && volume.contains(">1</text>"), "ЖКХ × Центр = 2, Дороги × без территории = 1")
            let zhkh = f.alpha.rubrics["zhkh"]!.uuidString, centre = f.alpha.territories["centre"]!.uuidString
            #expect(volume.contains("category=\(zhkh)") && volume.contains("territory=\(centre)"), "клетка ведёт к обращениям темы и территории")
            let unhappy = try await web.get("/m/alpha/heatmap?from=2026-11-16&to=2026-11-22&measure=dissatisfaction").body.string
            #expect(unhappy.contains(">50 %</text>"), "оценки 2 и 5: одна из двух — 1–3")
            let overdue = try await web.get("/m/alpha/heatmap?from=2026-11-16&to=2026-11-22&measure=overdue").body.string
            #expect(overdue.contains(">100 %</text>"), "ни одно не взято в работу: все просрочены")
            let matrix = try await web.get("/m/alpha/heatmap?from=2026-11-16&to=2026-11-22&format=csv").body.string
            #expect(matrix.contains("ЖКХ;2") && matrix.hasPrefix("\u{FEFF}Тема (число обращений);Центр"), "\(matrix.prefix(200))")
            let weeks = try await web.get("/m/alpha/heatmap?from=2026-11-16&to=2026-11-22&by=week").body.string
            #expect(weeks.contains(">16.11.2026</text>") && weeks.contains(">2</text>"), "неделя 16.11 в столбцах")
            let empty = try await WebVisitor.signIn(app, "b.admin").get("/m/beta/heatmap").body.string
            #expect(empty.contains("нет данных за период"))
        }
    }
}
