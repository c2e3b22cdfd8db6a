import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Справочники, пользователи и токены")
struct AdministrationTests {
    @Test("Администратор ведёт справочники; каждое изменение в журнале аудита", arguments: TestDB.all)
    func referenceBooks(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let admin = try await app.signIn("a.admin")
            let base = "/api/v1/municipalities/alpha"

            let org = try await app.call(.POST, "\(base)/organisations", as: admin,
                                         json: #"{"name":"МКУ «Служба заказчика»","kind":"institution","parent_id":"\#(f.alpha.orgs["zhkh"]!)"}"#)
            #expect(org.status == .created, "\(org.body.string)")
            let orgID = org.json["id"]!.string!
            let dup = try await app.call(.POST, "\(base)/organisations", as: admin, json: #"{"name":"МКУ «Служба заказчика»"}"#)
            #expect(dup.json["errors"]?[0]?["reason"]?.string == "организация с таким названием уже есть")
            // A parent cannot become its own descendant's child.
            let cycle = try await app.call(.PATCH, "\(base)/organisations/\(f.alpha.orgs["zhkh"]!)", as: admin, json: #"{"parent_id":"\#(orgID)"}"#)
            #expect(cycle.status == .unprocessableEntity)
            let renamed = try await app.call(.PATCH, "\(base)/organisations/\(orgID)", as: admin, json: #"{"short_name":"Служба заказчика"}"#)
            #expect(renamed.json["short_name"]?.string == "Служба заказчика")
            #expect(try await app.call(.DELETE, "\(base)/organisations/\(orgID)", as: admin).status == .noContent)
            let listed = try await app.call(.GET, "\(base)/organisations", as: admin)
            #expect(!listed.json.array.contains { $0["id"]?.string == orgID }, "архивная организация не в списке")

            // Rubric levels follow the parent; a fact cannot have children.
            let cat = try await app.call(.POST, "\(base)/rubrics", as: admin, json: #"{"name":"Транспорт","default_block_id":null}"#)
            #expect(cat.json["level"]?.string == "category")
            let sub = try await app.call(.POST, "\(base)/rubrics", as: admin, json: #"{"name":"Автобусы","parent_id":"\#(cat.json["id"]!.string!)"}"#)
            #expect(sub.json["level"]?.string == "subcategory")
            let fact = try await app.call(.POST, "\(base)/rubrics", as: admin, json: #"{"name":"Опоздания","parent_id":"\#(sub.json["id"]!.string!)"}"#)
            #expect(fact.json["level"]?.string == "fact")
            let tooDeep = try await app.call(.POST, "\(base)/rubrics", as: admin, json: #"{"name":"Глубже","parent_id":"\#(fact.json["id"]!.string!)"}"#)
            #expect(tooDeep.json["errors"]?[0]?["reason"]?.string == "у факта не может быть дочерних рубрик")
            let foreignDefault = try await app.call(.POST, "\(base)/rubrics", as: admin,
                                                    json: #"{"name":"Чужое","default_organisation_id":"\#(f.beta.orgs["zhkh"]!)"}"#)
            #expect(foreignDefault.status == .unprocessableEntity)

            let territory = try await app.call(.POST, "\(base)/territories", as: admin,
                                               json: #"{"name":"Посёлок Тестовый","kind":"settlement","latitude":53.1,"longitude":88.2,"boundary_geojson":"{\"type\":\"Polygon\",\"coordinates\":[[[88,53],[88.5,53],[88.5,53.5],[88,53]]]}"}"#)
            #expect(territory.status == .created)
            #expect(territory.json["has_boundary"]?.bool == true)
            let badTerritory = try await app.call(.POST, "\(base)/territories", as: admin,
                                                  json: #"{"name":"X","kind":"city","latitude":95,"boundary_geojson":"не json"}"#)
            let fields = Set(badTerritory.json["errors"]!.array.compactMap { $0["field"]?.string })
            #expect(fields == ["kind", "latitude", "boundary_geojson"])

            let block = try await app.call(.POST, "\(base)/blocks", as: admin, json: #"{"code":"housing","name":"Дубль"}"#)
            #expect(block.json["errors"]?[0]?["field"]?.string == "code")

            let audit = try await AuditEntry.query(on: app.db).filter(\.$tenantID == f.alpha.id).all().map(\.action)
            for action in ["organisation.create", "organisation.update", "organisation.archive", "rubric.create", "territory.create"] {
                #expect(audit.contains(action), "в аудите нет \(action)")
            }
            let update = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "organisation.update").first())
            #expect(update.beforeJSON?.contains(#""short_name":null"#) == true || update.beforeJSON?.contains("short_name") == false)
            #expect(update.afterJSON?.contains("Служба заказчика") == true)
        }
    }

    @Test("Изменять справочники может только администратор", arguments: TestDB.all)
    func onlyAdministrators(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            for login in ["a.operator", "a.analyst", "a.exec.zhkh"] {
                let caller = try await app.signIn(login)
                for (method, path) in [(HTTPMethod.POST, "organisations"), (.POST, "rubrics"), (.POST, "territories"), (.POST, "blocks"),
                                       (.PATCH, "organisations/\(f.alpha.orgs["zhkh"]!)"), (.DELETE, "organisations/\(f.alpha.orgs["zhkh"]!)"),
                                       (.POST, "users"), (.GET, "users"), (.POST, "api-tokens"), (.PATCH, "")] {
                    let res = try await app.call(method, "/api/v1/municipalities/alpha/\(path)", as: caller, json: #"{"name":"Попытка"}"#)
                    #expect(res.status == .forbidden, "\(login) \(method) \(path) → \(res.status)")
                }
            }
            #expect(try await Organisation.query(on: app.db).filter(\.$name == "Попытка").count() == 0)
        }
    }

    @Test("Пользователь создаётся с одноразовым паролем и ролями, исполнителю нужна организация", arguments: TestDB.all)
    func users(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let admin = try await app.signIn("a.admin")
            let base = "/api/v1/municipalities/alpha/users"
            let bad = try await app.call(.POST, base, as: admin,
                                         json: #"{"login":"a.admin","full_name":"","roles":[{"role":"executor"},{"role":"regional_centre"},{"role":"wizard"}]}"#)
            #expect(bad.status == .unprocessableEntity)
            let fields = Set(bad.json["errors"]!.array.compactMap { $0["field"]?.string })
            #expect(fields == ["login", "full_name", "roles[0].organisation_id", "roles[1].role", "roles[2].role"])

            let created = try await app.call(.POST, base, as: admin,
                                             json: #"{"login":"Ivanova","full_name":"Иванова Мария","roles":[{"role":"executor","organisation_id":"\#(f.alpha.orgs["roads"]!)"}]}"#)
            #expect(created.status == .created, "\(created.body.string)")
            let password = try #require(created.json["one_time_password"]?.string)
            #expect(created.json["must_change_password"]?.bool == true)
            #expect(created.json["roles"]?[0]?["role"]?.string == "executor")
            let stored = try #require(try await User.query(on: app.db).filter(\.$login == "ivanova").first())
            #expect(stored.passwordHash != password && stored.passwordHash.hasPrefix("$2"), "пароль хранится только как bcrypt-хеш")
            let me = try await app.signIn("ivanova", password)
            #expect(try await app.call(.GET, "/api/v1/session", as: me).json["must_change_password"]?.bool == true)
            // Listing never shows a password again.
            let list = try await app.call(.GET, base, as: admin)
            #expect(!list.body.string.contains(password))
            let userID = created.json["id"]!.string!
            let role = try await app.call(.POST, "\(base)/\(userID)/roles", as: admin, json: #"{"role":"analyst"}"#)
            #expect(role.status == .created)
            let again = try await app.call(.POST, "\(base)/\(userID)/roles", as: admin, json: #"{"role":"analyst"}"#)
            #expect(again.status == .conflict)
            let blocked = try await app.call(.PATCH, "\(base)/\(userID)", as: admin, json: #"{"is_active":false}"#)
            #expect(blocked.json["is_active"]?.bool == false)
            let denied = try await app.call(.POST, "/api/v1/session", json: #"{"login":"ivanova","password":"\#(password)"}"#)
            #expect(denied.status == .unauthorized)
        }
    }

    @Test("API-токен хранится хешем, работает до отзыва", arguments: TestDB.all)
    func tokens(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            let admin = try await app.signIn("a.admin")
            let created = try await app.call(.POST, "/api/v1/municipalities/alpha/api-tokens", as: admin, json: #"{"name":"Выгрузка ПОС"}"#)
            #expect(created.status == .created)
            let token = try #require(created.json["token"]?.string)
            #expect(try await ApiToken.query(on: app.db).filter(\.$tokenHash == token).count() == 0, "токен не хранится открытым текстом")
            #expect(try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(token), json: caseJSON("T-1")).status == .created)
            let list = try await app.call(.GET, "/api/v1/municipalities/alpha/api-tokens", as: admin)
            #expect(!list.body.string.contains(token))
            #expect(try await app.call(.DELETE, "/api/v1/municipalities/alpha/api-tokens/\(created.json["id"]!.string!)", as: admin).status == .noContent)
            let revoked = try await app.call(.GET, "/api/v1/municipalities/alpha/cases", as: .token(token))
            #expect(revoked.status == .unauthorized)
            #expect(revoked.json["title"]?.string == "Неверный API-токен")
        }
    }

    @Test("Муниципалитеты создаёт администратор платформы; настройки проверяются", arguments: TestDB.all)
    func municipalities(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let platform = try await app.signIn("platform")
            let bad = try await app.call(.POST, "/api/v1/municipalities", as: platform,
                                         json: #"{"name":"Новый","slug":"Новый округ","time_zone":"Europe/Atlantis","oktmo":"12"}"#)
            let fields = Set(bad.json["errors"]!.array.compactMap { $0["field"]?.string })
            #expect(fields == ["slug", "time_zone", "oktmo"])
            let created = try await app.call(.POST, "/api/v1/municipalities", as: platform,
                                             json: #"{"name":"Чукотский район (тест)","slug":"chukotka-test","time_zone":"Asia/Anadyr","region_id":"\#(f.regionID)","work_start":"09:00","work_end":"18:00"}"#)
            #expect(created.status == .created, "\(created.body.string)")
            #expect(created.json["work_start"]?.string == "09:00")
            let blocks = try await app.call(.GET, "/api/v1/municipalities/chukotka-test/blocks", as: platform)
            #expect(blocks.json.array.count == 7, "семь направлений постановления 004 создаются сразу")
            let admin = try await app.signIn("a.admin")
            #expect(try await app.call(.POST, "/api/v1/municipalities", as: admin, json: #"{"name":"X","slug":"x-x","time_zone":"Europe/Moscow"}"#).status == .forbidden)
            let hours = try await app.call(.PATCH, "/api/v1/municipalities/alpha", as: admin, json: #"{"work_start":"17:00","work_end":"08:00"}"#)
            #expect(hours.json["errors"]?[0]?["field"]?.string == "work_end")
        }
    }
}
