import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Список обращений: фильтры и постраничный вывод")
struct ListTests {
    /// 25 cases: every third a road case, received one hour apart in a known order.
    private func seed(_ app: Application, _ f: Fixture) async throws {
        var items: [String] = []
        for i in 0..<25 {
            let hour = String(format: "%02d", i % 24)
            let day = i < 24 ? "19" : "20"
            let road = i % 3 == 0
            items.append(caseJSON("L-\(i)", channel: road ? "incident_manager" : "pos",
                                  text: road ? "Яма на дороге № \(i)" : "Нет воды в доме \(i)",
                                  receivedAt: "2026-11-\(day)T\(hour):00:00Z",
                                  extra: road ? #""category":"roads""# : #""category":"no-water","location":{"territory":"Микрорайон Первый"}"#))
        }
        let res = try await app.call(.POST, "/api/v1/municipalities/alpha/cases/batch", as: .token(f.alpha.token),
                                     json: #"{"cases":[\#(items.joined(separator: ","))]}"#)
        #expect(res.json["created"]?.int == 25)
    }

    @Test("Курсор проходит весь список без пропусков и повторов, новые сверху", arguments: TestDB.all)
    func pagination(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            try await seed(app, f)
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let q = cursor.map { "&cursor=\($0)" } ?? ""
                let res = try await app.call(.GET, "/api/v1/municipalities/alpha/cases?limit=7\(q)", as: .token(f.alpha.token))
                #expect(res.status == .ok)
                seen += res.json["items"]!.array.compactMap { $0["external_id"]?.string }
                cursor = res.json["next_cursor"]?.string
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 4)
            #expect(seen == (0..<25).reversed().map { "L-\($0)" })
        }
    }

    @Test("Фильтры по каналу, рубрике (с вложенными), организации, территории, периоду и тексту", arguments: TestDB.all)
    func filters(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            try await seed(app, f)
            func count(_ query: String) async throws -> Int {
                let res = try await app.call(.GET, "/api/v1/municipalities/alpha/cases?limit=200&\(query)", as: .token(f.alpha.token))
                #expect(res.status == .ok, "\(query): \(res.body.string)")
                return res.json["items"]!.array.count
            }
            #expect(try await count("channel=incident_manager") == 9)
            #expect(try await count("channel=pos,incident_manager") == 25)
            #expect(try await count("category=\(f.alpha.rubrics["zhkh"]!)") == 16, "категория включает подкатегории и факты")
            #expect(try await count("organisation=\(f.alpha.orgs["zhkh"]!)") == 16, "организация включает подведомственные")
            #expect(try await count("organisation=\(f.alpha.orgs["roads"]!)") == 9)
            #expect(try await count("territory=\(f.alpha.territories["centre"]!)") == 16, "территория включает вложенные")
            #expect(try await count("status=new") == 25)
            #expect(try await count("status=closed") == 0)
            // The municipality lives at UTC+7: its 20 November starts at 19 November 17:00 UTC.
            #expect(try await count("from=2026-11-20") == 8)
            #expect(try await count("from=2026-11-19T10:00:00Z&to=2026-11-19T12:00:00Z") == 2)
            #expect(try await count("q=\("ЯМА".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)") == 9, "поиск не зависит от регистра кириллицы")
            #expect(try await count("q=%25") == 0, "знак процента ищется буквально")
            #expect(try await count("q=\("дороге № 12".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)") == 1)
        }
    }

    @Test("Неверные параметры фильтра называются по имени", arguments: TestDB.all)
    func badFilters(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let res = try await app.call(.GET, "/api/v1/municipalities/alpha/cases?channel=fax&from=вчера&limit=0&organisation=42&cursor=***",
                                         as: .token(f.alpha.token))
            #expect(res.status == .unprocessableEntity)
            let fields = Set(res.json["errors"]!.array.compactMap { $0["field"]?.string })
            #expect(fields == ["channel", "from", "limit", "organisation", "cursor"])
            let reversed = try await app.call(.GET, "/api/v1/municipalities/alpha/cases?from=2026-11-20&to=2026-11-10", as: .token(f.alpha.token))
            #expect(reversed.json["errors"]?[0]?["reason"]?.string == "конец периода раньше его начала")
        }
    }
}
