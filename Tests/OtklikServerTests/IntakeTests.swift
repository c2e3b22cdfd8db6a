import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Регистрация обращений через API")
struct IntakeTests {
    @Test("Обращение создаётся, получает номер и событие «Поступило»", arguments: TestDB.all)
    func createOne(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let base = "/api/v1/municipalities/alpha/cases"
            let res = try await app.call(.POST, base, as: .token(f.alpha.token),
                                         json: caseJSON("POS-1", extra: #""category":"no-water","location":{"territory":"Центр","address":"ул. Лесная, 5","latitude":52.91,"longitude":87.92},"author":{"name":"Пробный Житель","phone":"+7 900 000-00-01"},"attachments":["https://example.org/photo.jpg"],"tags":["вода"]"#))
            #expect(res.status == .created, "\(res.body.string)")
            let body = res.json
            #expect(body["number"]?.int == 1)
            #expect(body["status"]?.string == "new")
            #expect(body["received_at"]?.string == "2026-11-20T02:15:00Z", "время хранится в UTC")
            // The fact inherits the organisation of its subcategory and the block of its category.
            #expect(body["organisation_id"]?.string == f.alpha.orgs["water"]!.uuidString)
            #expect(body["category_id"]?.string == f.alpha.rubrics["no-water"]!.uuidString)
            #expect(body["location"]?["territory_id"]?.string == f.alpha.territories["centre"]!.uuidString)
            #expect(body["attachments"]?.array.count == 1)
            #expect(res.headers.first(name: .location) == "\(base)/\(body["id"]!.string!)")

            let shown = try await app.call(.GET, "\(base)/\(body["id"]!.string!)", as: .token(f.alpha.token))
            #expect(shown.status == .ok)
            let history = shown.json["history"]?.array ?? []
            #expect(history.count == 1)
            #expect(history.first?["kind"]?.string == "received")
            #expect(history.first?["actor"]?.string == "API-токен «Интеграция a»")
        }
    }

    @Test("Повторная отправка того же сообщения ничего не меняет и возвращает существующее", arguments: TestDB.all)
    func idempotent(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let base = "/api/v1/municipalities/alpha/cases"
            let first = try await app.call(.POST, base, as: .token(f.alpha.token), json: caseJSON("POS-7"))
            let again = try await app.call(.POST, base, as: .token(f.alpha.token), json: caseJSON("POS-7", text: "Другой текст"))
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(again.json["id"] == first.json["id"])
            #expect(again.json["text"] == first.json["text"], "повтор не перезаписывает текст")
            // Same external id on another channel is another message.
            let other = try await app.call(.POST, base, as: .token(f.alpha.token), json: caseJSON("POS-7", channel: "incident_manager"))
            #expect(other.status == .created)
            // And the same id in another municipality is that municipality's own case.
            let beta = try await app.call(.POST, "/api/v1/municipalities/beta/cases", as: .token(f.beta.token), json: caseJSON("POS-7"))
            #expect(beta.status == .created)
            #expect(try await CaseRecord.query(on: app.db).count() == 3)
            #expect(try await CaseEvent.query(on: app.db).count() == 3)
        }
    }

    @Test("Пакет: хорошие сохраняются, плохие перечислены с причинами, повторы узнаются", arguments: TestDB.all)
    func batch(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            _ = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token), json: caseJSON("OLD-1"))
            let items = [
                caseJSON("B-1"),
                caseJSON("B-2", channel: "telegram"),                 // unknown channel
                caseJSON("B-3", text: "  "),                          // empty text
                caseJSON("OLD-1"),                                    // already stored
                caseJSON("B-1"),                                      // repeated inside the batch
                caseJSON("B-4", receivedAt: "2026-11-20T09:15:00"),   // no time zone
                caseJSON(nil, channel: "hotline"),                    // no external id: always new
                "42",
                caseJSON("B-5", extra: #""category":"нет такой""#),
            ]
            let res = try await app.call(.POST, "/api/v1/municipalities/alpha/cases/batch", as: .token(f.alpha.token),
                                         json: #"{"cases":[\#(items.joined(separator: ","))]}"#)
            #expect(res.status == .ok, "\(res.body.string)")
            let body = res.json
            #expect(body["created"]?.int == 2)
            #expect(body["existing"]?.int == 2)
            #expect(body["rejected"]?.int == 5)
            let results = body["results"]!.array
            #expect(results.map { $0["status"]?.string ?? "" } ==
                    ["created", "rejected", "rejected", "existing", "existing", "rejected", "created", "rejected", "rejected"])
            #expect(results[4]["id"] == results[0]["id"], "повтор внутри пакета указывает на первое")
            #expect(results[1]["errors"]?[0]?["field"]?.string == "channel")
            #expect(results[2]["errors"]?[0]?["reason"]?.string == "текст обращения пустой")
            #expect(results[5]["errors"]?[0]?["reason"]?.string?.contains("часового пояса") == true)
            #expect(results[8]["errors"]?[0]?["field"]?.string == "category")
            #expect(try await CaseRecord.query(on: app.db).count() == 3)
        }
    }

    @Test("Плохой ввод получает понятный ответ на русском и ничего не записывает", arguments: TestDB.all)
    func badInput(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let base = "/api/v1/municipalities/alpha/cases"
            let token = Caller.token(f.alpha.token)

            let malformed = try await app.call(.POST, base, as: token, json: #"{"channel": "pos", "text": "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            #expect(malformed.json["title"]?.string == "Некорректный JSON")

            let notObject = try await app.call(.POST, base, as: token, json: "[1,2]")
            #expect(notObject.status == .badRequest)

            let missing = try await app.call(.POST, base, as: token, json: #"{"channel":"pos","received_at":"2026-11-20T10:00:00Z"}"#)
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.json["errors"]?[0]?["field"]?.string == "text")
            #expect(missing.json["errors"]?[0]?["reason"]?.string == "обязательное поле не заполнено")

            let wrongTypes = try await app.call(.POST, base, as: token, json: caseJSON("X", extra: #""location":{"latitude":"север","longitude":200},"attachments":"ftp://x""#))
            #expect(wrongTypes.status == .unprocessableEntity)
            let fields = Set(wrongTypes.json["errors"]!.array.compactMap { $0["field"]?.string })
            #expect(fields == ["location.latitude", "location.longitude", "attachments[0]"])

            let future = try await app.call(.POST, base, as: token, json: caseJSON("F", receivedAt: "2099-01-01T00:00:00Z"))
            #expect(future.status == .unprocessableEntity)
            #expect(future.json["errors"]?[0]?["reason"]?.string?.hasPrefix("дата в будущем") == true)

            let badDate = try await app.call(.POST, base, as: token, json: caseJSON("D", receivedAt: "2026-02-30T10:00:00Z"))
            #expect(badDate.status == .unprocessableEntity)

            let plain = try await app.call(.POST, base, as: token, json: nil, headers: ["Content-Type": "text/plain"])
            #expect(plain.status == .unsupportedMediaType)

            // 50 MB is far beyond the 32 MB limit: refused before anything is parsed.
            let huge = String(repeating: "а", count: 25 << 20)
            let tooBig = try await app.call(.POST, "\(base)/batch", as: token, json: #"{"cases":[{"text":"\#(huge)"}]}"#, live: true)
            #expect(tooBig.status == .payloadTooLarge)
            #expect(tooBig.json["title"]?.string == "Слишком большой запрос")

            let overLimit = "{\"cases\":[" + Array(repeating: "1", count: 10_001).joined(separator: ",") + "]}"
            let tooMany = try await app.call(.POST, "\(base)/batch", as: token, json: overLimit)
            #expect(tooMany.status == .payloadTooLarge)
            #expect(tooMany.json["detail"]?.string?.contains("10000") == true)

            #expect(try await CaseRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("Личные данные автора видят только роли, которые отвечают автору", arguments: TestDB.all)
    func personalData(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let created = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                             json: caseJSON("PD-1", extra: #""author":{"name":"Пробный Житель","email":"resident@example.org"}"#))
            let path = "/api/v1/municipalities/alpha/cases/\(created.json["id"]!.string!)"
            let operatorView = try await app.call(.GET, path, as: try await app.signIn("a.operator"))
            #expect(operatorView.json["author"]?["name"]?.string == "Пробный Житель")
            let analystView = try await app.call(.GET, path, as: try await app.signIn("a.analyst"))
            #expect(analystView.json["author"] == nil)
            #expect(analystView.json["author_hidden"]?.bool == true)
            #expect(!analystView.body.string.contains("resident@example.org"))
            let analystList = try await app.call(.GET, "/api/v1/municipalities/alpha/cases", as: try await app.signIn("a.analyst"))
            #expect(!analystList.body.string.contains("Пробный Житель"))
        }
    }

    @Test("Регистрировать обращения может не каждая роль", arguments: TestDB.all)
    func registrationRoles(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            let analyst = try await app.signIn("a.analyst")
            let res = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: analyst, json: caseJSON("R-1"))
            #expect(res.status == .forbidden)
            #expect(res.json["title"]?.string == "Доступ запрещён")
            let op = try await app.signIn("a.operator")
            #expect(try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: op, json: caseJSON("R-1")).status == .created)
        }
    }

    @Test("Строки, записанные пакетной вставкой, читаются моделью поле в поле", arguments: TestDB.all)
    func bulkColumnsMatchModel(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let draft = CaseDraft(channel: .incidentManager, externalID: "IM-1", receivedAt: Date(timeIntervalSince1970: 1_795_000_000),
                                  legalRegime: .appeal59FZ, title: "Заголовок", text: "Текст Ёлки", sourceURL: "https://vk.com/wall-1_2",
                                  platform: .vk, publicationKind: .comment,
                                  author: .init(name: "Имя", phone: "+7 900 000-00-02", email: "a@example.org", profileURL: "https://vk.com/id1"),
                                  location: .init(address: "Адрес", latitude: 52.5, longitude: 87.5, territoryRef: "centre"),
                                  attachments: ["https://example.org/1.jpg"], sourceCategory: "Категория ИМ",
                                  sourceDeadline: Date(timeIntervalSince1970: 1_795_086_400), categoryRef: "roads", tags: ["а", "б"])
            let service = CaseIntakeService(db: app.db, tenantID: f.alpha.id, actor: IntakeActor(userID: nil, label: "тест", source: "test"))
            guard case .created(let id, _) = try await service.intake([.valid(draft)])[0] else { Issue.record("не создано"); return }
            let c = try #require(try await CaseRecord.find(id, on: app.db))
            #expect(c.tenantID == f.alpha.id && c.channel == "incident_manager" && c.externalID == "IM-1")
            #expect(c.receivedAt == draft.receivedAt && c.legalRegime == "appeal_59fz" && c.status == "new" && c.result == nil)
            #expect(c.title == "Заголовок" && c.text == "Текст Ёлки" && c.searchText == "заголовок текст елки")
            #expect(c.sourceURL == draft.sourceURL && c.platform == "vk" && c.publicationKind == "comment")
            #expect(c.authorName == "Имя" && c.authorPhone == "+7 900 000-00-02" && c.authorEmail == "a@example.org" && c.authorProfileURL == "https://vk.com/id1")
            #expect(c.address == "Адрес" && c.latitude == 52.5 && c.longitude == 87.5 && c.territoryID == f.alpha.territories["centre"])
            #expect(JSONText.decodeArray(c.attachmentsJSON) == ["https://example.org/1.jpg"] && JSONText.decodeArray(c.tagsJSON) == ["а", "б"])
            #expect(c.sourceCategory == "Категория ИМ" && c.sourceDeadline == draft.sourceDeadline)
            #expect(c.categoryID == f.alpha.rubrics["roads"] && c.organisationID == f.alpha.orgs["roads"] && c.blockID == nil)
            #expect(c.executorID == nil && c.version == 1)
        }
    }
}
