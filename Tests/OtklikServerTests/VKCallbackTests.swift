import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Приёмник VK Callback API и настройки подключений")
struct VKConnectorTests {
    @Test("настройка сообщества (секрет не возвращается), подтверждение, комментарий → обращение, повтор не дублирует, подделка отклонена",
          arguments: TestDB.all)
    func vkFlow(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            app.clock.set(try TimeText.parseRFC3339("2026-01-12T03:00:00Z"))
            let admin = try await app.signIn("a.admin")
            let op = try await app.signIn("a.operator")
            let body = #"{"kind":"vk","name":"Администрация в VK","group_id":7700,"confirmation":"a1b2c3","secret":"очень-секретный-ключ-42"}"#
            #expect(try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: op, json: body).status == .forbidden)
            let bad = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin, json: #"{"kind":"vk","name":"x","group_id":"club","confirmation":"c"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.json["errors"]?.array.compactMap { $0["field"]?.string } ?? []) == ["group_id", "secret"])
            let created = try await app.call(.POST, "/api/v1/municipalities/alpha/connectors", as: admin, json: body)
            #expect(created.status == .created, "\(created.body.string)")
            #expect(!created.body.string.contains("очень-секретный"), "секрет не возвращается")
            #expect(created.json["secret_hint"]?.string == "••••ч-42")
            let path = try #require(created.json["callback_path"]?.string)
            let id = try #require(created.json["id"]?.string)

            // The handshake, then a resident's comment; VK repeats it; a forged one is refused.
            let confirm = try await app.call(.POST, path, json: #"{"type":"confirmation","group_id":7700}"#)
            #expect(confirm.status == .ok && confirm.body.string == "a1b2c3")
            let comment = #"{"type":"wall_reply_new","group_id":7700,"secret":"очень-секретный-ключ-42","event_id":"e1","object":{"id":501,"from_id":9001,"date":1768186800,"text":"Во дворе на Вымышленной, 3 не горит фонарь","post_id":42,"owner_id":-7700}}"#
            for _ in 0..<2 {
                let ok = try await app.call(.POST, path, json: comment)
                #expect(ok.status == .ok && ok.body.string == "ok")
            }
            let cases = try await CaseRecord.query(on: app.db).filter(\CaseRecord.$channel == "official_pages").all()
            #expect(cases.count == 1, "повтор события не создаёт второе обращение")
            #expect(cases.first?.sourceURL == "https://vk.com/wall-7700_42?reply=501" && cases.first?.platform == "vk")
            let forged = try await app.call(.POST, path, json: comment.replacingOccurrences(of: "очень-секретный-ключ-42", with: "угадал"))
            #expect(forged.status == .forbidden && forged.body.string.contains("секретный ключ не совпадает"))
            let audit = try await AuditEntry.query(on: app.db).filter(\AuditEntry.$entity == "connector").all()
            #expect(!audit.isEmpty && audit.allSatisfy { !($0.afterJSON ?? "").contains("очень-секретный") }, "в журнале нет секрета")

            // An update without a secret keeps it; a stale version is refused.
            let patched = try await app.call(.PATCH, "/api/v1/municipalities/alpha/connectors/\(id)", as: admin,
                                             json: #"{"name":"Администрация ВКонтакте","secret":"","version":1}"#)
            #expect(patched.status == .ok && patched.json["secret_hint"]?.string == "••••ч-42")
            #expect(try await app.call(.PATCH, "/api/v1/municipalities/alpha/connectors/\(id)", as: admin, json: #"{"name":"x","version":1}"#).status == .conflict)
            #expect(try await app.call(.POST, path, json: comment.replacingOccurrences(of: "\"id\":501", with: "\"id\":502")).body.string == "ok")
            #expect(try await CaseRecord.query(on: app.db).filter(\CaseRecord.$channel == "official_pages").count() == 2)

            // The page shows the address and the hint, never the secret.
            let web = try await WebVisitor.signIn(app, "a.admin")
            let page = try await web.get("/m/alpha/admin/connectors").body.string
            #expect(page.contains(path) && page.contains("••••ч-42") && !page.contains("очень-секретный"))
            let refused = try await web.submit("/m/alpha/admin/connectors", ["name": "Ещё", "group_id": "7700", "confirmation": "x", "secret": "другой-ключ-99", "enabled": "1"],
                                               csrfFrom: "/m/alpha/admin/connectors")
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("уже подключено"))
            #expect(!refused.body.string.contains("другой-ключ-99"), "введённый секрет не возвращается в страницу")

            // Another municipality's page does not list it; a disabled connector answers 404.
            let beta = try await app.signIn("b.admin")
            #expect(try await app.call(.GET, "/api/v1/municipalities/beta/connectors", as: beta).json.array.isEmpty)
            _ = try await app.call(.PATCH, "/api/v1/municipalities/alpha/connectors/\(id)", as: admin, json: #"{"enabled":false,"version":2}"#)
            #expect(try await app.call(.POST, path, json: comment).status == .notFound)
        }
    }
}
