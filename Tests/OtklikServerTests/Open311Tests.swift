import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Open311 GeoReport v2")
struct Open311Tests {
    private func form(_ fields: [String: String]) -> String {
        fields.sorted { $0.key < $1.key }.map { "\(WebVisitor.encode($0.key))=\(WebVisitor.encode($0.value))" }.joined(separator: "&")
    }

    @Test("обнаружение, услуги = рубрикатор, создание заявки по ключу, выборка с фильтрами, заявка по номеру — JSON и XML",
          arguments: TestDB.all)
    func roundTrip(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(try TimeText.parseRFC3339("2026-01-12T03:00:00Z"))
            let discovery = try await app.call(.GET, "/open311/discovery.json")
            #expect(discovery.status == .ok)
            #expect(discovery.json["endpoints"]?[0]?["specification"]?.string == "http://wiki.open311.org/GeoReport_v2")

            let services = try await app.call(.GET, "/open311/v2/services.json?jurisdiction_id=alpha").json.array
            #expect(services.compactMap { $0["service_name"]?.string }.sorted() == ["Водоснабжение", "Дороги", "Нет воды", "ЖКХ"].sorted())
            let noWater = try #require(services.first { $0["service_name"]?.string == "Нет воды" })
            #expect(noWater["service_code"]?.string == "no-water" && noWater["group"]?.string == "ЖКХ")
            #expect(noWater["description"]?.string == "ЖКХ / Водоснабжение / Нет воды")
            let xml = try await app.call(.GET, "/open311/v2/services.xml?jurisdiction_id=alpha")
            #expect(xml.headers.contentType?.subType == "xml")
            #expect(xml.body.string.contains("<services><service><service_code>"))
            let definition = try await app.call(.GET, "/open311/v2/services/no-water.json?jurisdiction_id=alpha").json
            #expect(definition["service_code"]?.string == "no-water" && definition["attributes"]?.array.isEmpty == true)

            // Creating needs the municipality's key; a key of another municipality is refused.
            let body = form(["service_code": "no-water", "lat": "52.9", "long": "87.9", "description": "Нет воды в доме 5 (Open311, вымышленно)",
                             "first_name": "Иван", "last_name": "Открытов (тест)", "email": "ivan@example.org"])
            let headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]
            let noKey = try await app.call(.POST, "/open311/v2/requests.json?jurisdiction_id=alpha", headers: headers, body: body)
            #expect(noKey.status == .forbidden)
            #expect(noKey.json[0]?["description"]?.string?.contains("api_key") == true)
            let foreign = try await app.call(.POST, "/open311/v2/requests.json?jurisdiction_id=alpha&api_key=\(f.beta.token)", headers: headers, body: body)
            #expect(foreign.status == .forbidden)
            let created = try await app.call(.POST, "/open311/v2/requests.json?jurisdiction_id=alpha&api_key=\(f.alpha.token)", headers: headers, body: body)
            #expect(created.status == .created, "\(created.body.string)")
            let number = try #require(created.json[0]?["service_request_id"]?.string)
            #expect(created.json[0]?["service_notice"]?.string?.contains("ответ до") == true)
            let record = try #require(try await CaseRecord.query(on: app.db).filter(\CaseRecord.$number == Int(number)!).first())
            #expect(record.channel == "open311" && record.categoryID == f.alpha.rubrics["no-water"] && record.authorName == "Иван Открытов (тест)")

            // Bad input: a clear Russian description in the standard's error format, nothing written.
            let count = try await CaseRecord.query(on: app.db).count()
            let noPlace = try await app.call(.POST, "/open311/v2/requests.xml?jurisdiction_id=alpha&api_key=\(f.alpha.token)", headers: headers,
                                             body: form(["service_code": "no-water", "description": "без места"]))
            #expect(noPlace.status == .badRequest)
            #expect(noPlace.body.string.contains("<errors><error><code>400</code><description>Укажите место"))
            let unknown = try await app.call(.POST, "/open311/v2/requests.json?jurisdiction_id=alpha&api_key=\(f.alpha.token)", headers: headers,
                                             body: form(["service_code": "нет-такой", "lat": "1", "long": "2"]))
            #expect(unknown.status == .notFound)
            #expect(try await CaseRecord.query(on: app.db).count() == count)

            // Reading: by number, with filters, open/closed with our status in the notes.
            let one = try await app.call(.GET, "/open311/v2/requests/\(number).json?jurisdiction_id=alpha&api_key=\(f.alpha.token)").json
            let r = try #require(one[0])
            #expect(r["status"]?.string == "open" && r["status_notes"]?.string == "Новое")
            #expect(r["service_code"]?.string == "no-water" && r["agency_responsible"]?.string != nil)
            #expect(r["requested_datetime"]?.string == "2026-01-12T10:00:00+07:00", "время — со смещением муниципального образования")
            #expect(r["expected_datetime"]?.string?.hasPrefix("2026-") == true, "срок ответа виден")
            #expect(r["lat"] == .number(52.9) && r["description"]?.string == "Нет воды в доме 5 (Open311, вымышленно)")
            #expect(r["email"] == nil && r["first_name"] == nil, "личные данные заявителя не выдаются")
            let list = try await app.call(.GET, "/open311/v2/requests.json?jurisdiction_id=alpha&api_key=\(f.alpha.token)&service_code=no-water&status=open").json.array
            #expect(list.map { $0["service_request_id"]?.string } == [number])
            let closed = try await app.call(.GET, "/open311/v2/requests.json?jurisdiction_id=alpha&api_key=\(f.alpha.token)&status=closed").json.array
            #expect(closed.isEmpty)
            let old = try await app.call(.GET, "/open311/v2/requests.json?jurisdiction_id=alpha&api_key=\(f.alpha.token)&end_date=2025-12-01T00:00:00Z").json.array
            #expect(old.isEmpty, "период по умолчанию — 90 дней до конца")
            let badDate = try await app.call(.GET, "/open311/v2/requests.json?jurisdiction_id=alpha&api_key=\(f.alpha.token)&start_date=вчера")
            #expect(badDate.status == .badRequest && badDate.json[0]?["description"]?.string?.contains("start_date") == true)
            let rxml = try await app.call(.GET, "/open311/v2/requests/\(number).xml?jurisdiction_id=alpha&api_key=\(f.alpha.token)").body.string
            #expect(rxml.contains("<service_requests><request><service_request_id>\(number)</service_request_id><status>open</status>"))
            // Another municipality's key does not read these requests.
            #expect(try await app.call(.GET, "/open311/v2/requests/\(number).json?jurisdiction_id=alpha&api_key=\(f.beta.token)").status == .forbidden)
            #expect(try await app.call(.GET, "/open311/v2/requests/\(number).json?jurisdiction_id=beta&api_key=\(f.beta.token)").status == .notFound)
            #expect(try await app.call(.GET, "/open311/v2/services.csv?jurisdiction_id=alpha").status == .badRequest)
        }
    }
}

@Suite("Open311: ответы и фильтры")
struct Open311CoreTests {
    @Test("один ответ — два формата")
    func jsonAndXML() {
        let node = Open311Node.list(item: "request", [.object([.init("id", .text("1")), .init("lat", .number(56.5)), .init("note", .text(nil)),
                                                               .init("tags", .list(item: "tag", [.text("a<b")]))])])
        #expect(node.json() == #"[{"id":"1","lat":56.5,"note":null,"tags":["a<b"]}]"#)
        #expect(node.xml(root: "service_requests") == #"<?xml version="1.0" encoding="utf-8"?><service_requests><request><id>1</id><lat>56.5</lat><note/><tags><tag>a&lt;b</tag></tags></request></service_requests>"#)
    }

    @Test("фильтры: номера, статус, даты, окно 90 дней")
    func filters() throws {
        let now = try TimeText.parseRFC3339("2026-03-01T00:00:00Z")
        let (f, issues) = Open311.RequestFilter.parse(["service_request_id": "3, 5", "status": "closed"], now: now)
        #expect(issues.isEmpty && f?.numbers == [3, 5] && f?.status == "closed" && f?.start == nil)
        let (d, _) = Open311.RequestFilter.parse([:], now: now)
        #expect(d?.start == now.addingTimeInterval(-90 * 86_400))
        let (_, bad) = Open311.RequestFilter.parse(["status": "done", "start_date": "01.02.2026", "service_request_id": "x"], now: now)
        #expect(Set(bad.map(\.field)) == ["status", "start_date", "service_request_id"])
        #expect(Open311.status(.published) == "open" && Open311.status(.closed) == "closed")
    }
}
