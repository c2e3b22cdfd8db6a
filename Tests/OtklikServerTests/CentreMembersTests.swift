import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Состав МЦУ: ведение, одна роль — один человек, замещение, DOCX состава")
struct CentreMembersTests {
    static let base = "/api/v1/municipalities/alpha/centre-members"

    @Test("Куратор, руководитель, второй куратор отвергнут, окончание полномочий, DOCX читается; права; форма", arguments: TestDB.all)
    func composition(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let head = try await app.signIn("a.head")
            let curator = try await app.call(.POST, Self.base, as: head, json: #"{"full_name":"Лебедева И. В.","position":"управляющий делами","role":"curator","from_on":"01.01.2026"}"#)
            #expect(curator.status == .created, "\(curator.body.string)")
            let chief = try await app.call(.POST, Self.base, as: head, json: #"{"full_name":"Васильев В. Н.","position":"заведующий отделом","role":"head","from_on":"2026-01-01"}"#)
            let second = try await app.call(.POST, Self.base, as: head, json: #"{"full_name":"Новикова Н. Н.","role":"curator","from_on":"2026-12-01"}"#)
            #expect(second.status == .unprocessableEntity && second.body.string.contains("куратор МЦУ в эти даты уже Лебедева И. В."), "\(second.body.string)")
            let backwards = try await app.call(.POST, Self.base, as: head, json: #"{"full_name":"Петров П. П.","role":"member","from_on":"2026-12-01","to_on":"2026-11-01"}"#)
            #expect(backwards.status == .unprocessableEntity && backwards.body.string.contains("раньше их начала"))
            let wrongDay = try await app.call(.POST, Self.base, as: head, json: #"{"full_name":"Петров П. П.","role":"member","from_on":"31.02.2026"}"#)
            #expect(wrongDay.status == .unprocessableEntity && wrongDay.json["errors"]?[0]?["field"]?.string == "from_on")
            #expect(try await CentreMemberRecord.query(on: app.db).count() == 2, "отвергнутое не записано")
            let id = curator.json["id"]?.string ?? ""
            let ended = try await app.call(.PATCH, "\(Self.base)/\(id)", as: head,
                                           json: #"{"version":1,"to_on":"30.11.2026","substitute_id":"\#(chief.json["id"]?.string ?? "")"}"#)
            #expect(ended.json["to_on"]?.string == "2026-11-30" && ended.json["serving"]?.bool == false, "\(ended.body.string)")
            #expect(try await app.call(.PATCH, "\(Self.base)/\(id)", as: head, json: #"{"version":1,"position":"x"}"#).status == .conflict)
            let newCurator = try await app.call(.POST, Self.base, as: head, json: #"{"full_name":"Новикова Н. Н.","position":"первый заместитель главы","role":"curator","from_on":"2026-12-01"}"#)
            #expect(newCurator.status == .created)
            #expect(try await app.call(.GET, "\(Self.base)?on=2026-12-07", as: try await app.signIn("a.analyst")).json["items"]?.array.count == 2)
            #expect(try await app.call(.POST, Self.base, as: try await app.signIn("a.analyst"), json: #"{"full_name":"x","role":"member"}"#).status == .forbidden)

            let doc = try await app.call(.GET, "\(Self.base)/composition.docx?on=2026-12-07", as: head)
            #expect(doc.status == .ok && doc.headers.first(name: .contentDisposition)?.contains("sostav-mcu-2026-12-07.docx") == true)
            let text = String(decoding: try #require(try XLSXPackage(data: Data(buffer: doc.body)).part("word/document.xml")), as: UTF8.self)
            #expect(text.contains("Новикова Н. Н.") && text.contains("первый заместитель главы, куратор МЦУ") && !text.contains("Лебедева"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "centre_member").count() == 4)

            let web = try await WebVisitor.signIn(app, "a.head")
            let page = try await web.get("/m/alpha/centre")
            #expect(page.status == .ok && page.body.string.contains("Новикова Н. Н. (куратор МЦУ)") && page.body.string.contains("id=\"former-members\""))
            let refused = try await web.submit("/m/alpha/centre", ["full_name": "Орлов О. О.", "role": "head", "from_on": "01.12.2026"], csrfFrom: "/m/alpha/centre")
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("руководитель МЦУ в эти даты уже Васильев") && refused.body.string.contains("Орлов О. О."))
            let added = try await web.submit("/m/alpha/centre", ["full_name": "Орлов О. О.", "position": "начальник УЖКХ", "role": "block_lead"], csrfFrom: "/m/alpha/centre")
            #expect(added.status == .seeOther)
            #expect(try await web.get("/m/alpha/centre/composition.docx?on=2026-12-07").headers.contentType?.description.contains("wordprocessingml") == true)
        }
    }
}
