import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Превентивные кампании, сезонные угрозы, реестр госпабликов с проверкой виджета ПОС, контент-план")
struct OutreachTests {
    static let base = "/api/v1/municipalities/alpha"

    @Test("Кампания: даты, результат, риски по номерам, сообщение в чат; права", arguments: TestDB.all)
    func campaigns(db: TestDB) async throws {
        try await FakeBotAPI.with(token: "123456789:TEST-token-abcdefghij") { fake in
            try await withOtklik(db) { app in
                let f = try await Fixture.make(app)
                try await RiskPeople.add(app, f)
                try await RiskPeople.bot(app, api: fake.base)
                app.clock.set(at("2026-12-07T03:00:00Z"))
                let officer = try await app.signIn("a.risk")
                let risk = try await app.call(.POST, "\(Self.base)/risks", as: officer,
                                              json: #"{"title":"Гололёд у школ","criticality":"low","sources":[{"url":"https://vk.com/wall-1_9"}]}"#)
                let bad = try await app.call(.POST, "\(Self.base)/campaigns", as: officer, json: """
                    {"title":"Осторожно, гололёд","goal":"Снизить число травм","starts_on":"2026-12-20","ends_on":"15.12.2026","risks":[1, 7]}
                    """)
                #expect(bad.status == .unprocessableEntity)
                #expect(Set(bad.json["errors"]?.array.compactMap { $0["field"]?.string } ?? []) == ["ends_on", "risks"], "\(bad.body.string)")
                #expect(bad.body.string.contains("нет рисков с номерами: 7"))
                let wrongDay = try await app.call(.POST, "\(Self.base)/campaigns", as: officer, json: #"{"title":"x","goal":"y","starts_on":"31.02.2026","ends_on":"2026-12-01"}"#)
                #expect(wrongDay.status == .unprocessableEntity && wrongDay.body.string.contains("дата вида"))
                #expect(try await CampaignRecord.query(on: app.db).count() == 0)
                let made = try await app.call(.POST, "\(Self.base)/campaigns", as: officer, json: """
                    {"title":"Осторожно, гололёд","goal":"Снизить число травм у школ","audience":"родители, школьники","channels":"госпаблик администрации\\nшкольные чаты",
                     "starts_on":"10.12.2026","ends_on":"2026-12-25","risks":[1]}
                    """)
                #expect(made.status == .created, "\(made.body.string)")
                #expect(made.json["risks"]?.array.map { $0["number"]?.int } == [1] && made.json["channels"]?.array.count == 2)
                await NotificationDispatcher.tick(app)
                #expect(fake.sent.last?.text == "📣 Превентивная кампания «Осторожно, гололёд» · Округ a\nЦель: Снизить число травм у школ\nСроки: 10.12.2026–25.12.2026\nКаналы: госпаблик администрации; школьные чаты")
                let id = made.json["id"]?.string ?? ""
                let riskCard = try await app.call(.GET, "\(Self.base)/risks/\(risk.json["id"]?.string ?? "")", as: officer)
                #expect(riskCard.json["campaign"]?["name"]?.string == "Осторожно, гололёд")
                let noResult = try await app.call(.PATCH, "\(Self.base)/campaigns/\(id)", as: officer, json: #"{"version":1,"status":"done"}"#)
                #expect(noResult.status == .unprocessableEntity && noResult.body.string.contains("укажите результат"))
                let done = try await app.call(.PATCH, "\(Self.base)/campaigns/\(id)", as: officer, json: #"{"version":1,"status":"done","result":"Охват 8 000, обращений о падениях вдвое меньше"}"#)
                #expect(done.json["status_title"]?.string == "проведена" && done.json["version"]?.int == 2)
                #expect(try await app.call(.PATCH, "\(Self.base)/campaigns/\(id)", as: officer, json: #"{"version":1,"title":"Старое"}"#).status == .conflict)
                let december = try await app.call(.GET, "\(Self.base)/campaigns?from=2026-12-01&to=2026-12-31", as: try await app.signIn("a.analyst"))
                #expect(december.json["items"]?.array.count == 1)
                #expect(try await app.call(.GET, "\(Self.base)/campaigns?from=2027-01-01", as: officer).json["items"]?.array.count == 0)
                #expect(try await app.call(.POST, "\(Self.base)/campaigns", as: try await app.signIn("a.analyst"),
                                           json: #"{"title":"x","goal":"y","starts_on":"2026-12-01","ends_on":"2026-12-02"}"#).status == .forbidden)
                #expect(try await app.call(.GET, "\(Self.base)/campaigns", as: try await app.signIn("a.exec.zhkh")).status == .forbidden)
                #expect(try await app.call(.GET, "/api/v1/municipalities/beta/campaigns/\(id)", as: try await app.signIn("b.head")).status == .notFound)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "campaign").count() == 2)
            }
        }
    }

    @Test("Госпаблики: неверная ссылка, виджет ПОС с поломками, повтор страницы, дата из будущего; пост контент-плана двигает дату публикации",
          arguments: TestDB.all)
    func pages(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            try await RiskPeople.add(app, f)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let editor = try await app.signIn("a.editor")
            let badURL = try await app.call(.POST, "\(Self.base)/public-pages", as: editor, json: #"{"title":"Администрация","url":"vk.com/alpha","responsible":"Иванова"}"#)
            #expect(badURL.status == .unprocessableEntity && badURL.json["errors"]?[0]?["field"]?.string == "url")
            let future = try await app.call(.POST, "\(Self.base)/public-pages", as: editor,
                                            json: #"{"title":"Администрация","url":"https://vk.com/alpha","responsible":"Иванова","last_post_on":"2026-12-31"}"#)
            #expect(future.status == .unprocessableEntity && future.body.string.contains("не может быть в будущем"))
            let good = try await app.call(.POST, "\(Self.base)/public-pages", as: editor, json: """
                {"title":"Администрация округа","url":"https://vk.com/alpha_adm","responsible":"Иванова И. И.","organisation_id":"\(f.alpha.orgs["zhkh"]!)",
                 "widget_placed":true,"widget_url":"https://pos.gosuslugi.ru/form/?opaId=253960&utm_source=vk","last_post_on":"01.12.2026"}
                """)
            #expect(good.status == .created, "\(good.body.string)")
            #expect(good.json["platform"]?.string == "vk" && good.json["widget_ok"]?.bool == true && good.json["opa_id"]?.int == 253960)
            #expect(good.json["days_silent"]?.int == 6)
            #expect(try await app.call(.POST, "\(Self.base)/public-pages/import", as: editor, headers: ["Content-Type": "text/csv"], body: "").status == .unprocessableEntity)
            let broken = try await app.call(.POST, "\(Self.base)/public-pages", as: editor, json: """
                {"title":"Школа № 1","url":"https://ok.ru/school1","responsible":"Петров","widget_placed":true,"widget_url":"http://gosuslugi.ru/form/?opaid=12"}
                """)
            #expect(broken.json["widget_ok"]?.bool == false && broken.json["widget_problems"]?.array.count == 3, "\(broken.body.string)")
            let noWidget = try await app.call(.POST, "\(Self.base)/public-pages", as: editor, json: #"{"title":"Канал","url":"https://t.me/alpha","responsible":"Сидоров"}"#)
            #expect(noWidget.json["widget_ok"] == nil || noWidget.json["widget_ok"] == .null)
            let twice = try await app.call(.POST, "\(Self.base)/public-pages", as: editor, json: #"{"title":"Копия","url":"https://vk.com/alpha_adm","responsible":"Иванова"}"#)
            #expect(twice.status == .unprocessableEntity && twice.body.string.contains("уже есть в реестре"))
            let pages = try await app.call(.GET, "\(Self.base)/public-pages", as: try await app.signIn("a.head")).json["items"]?.array ?? []
            #expect(pages.count == 3)

            let pageID = good.json["id"]?.string ?? ""

            // Last publication dates from a file: a page not in the registry stops the whole file.
            let importPath = "\(Self.base)/public-pages/import"
            let strange = try await app.call(.POST, importPath, as: editor, headers: ["Content-Type": "text/csv"],
                                             body: "Адрес страницы;Дата последней публикации\nhttps://vk.com/alpha_adm;06.12.2026\nhttps://vk.com/unknown;05.12.2026\n")
            #expect(strange.status == .unprocessableEntity && strange.body.string.contains("строка 3") && strange.body.string.contains("нет в реестре"))
            #expect(try await PublicPageRecord.find(UUID(uuidString: pageID), on: app.db)?.lastPostOn == "2026-12-01", "ничего не записано")
            let dates = try await app.call(.POST, importPath, as: editor, headers: ["Content-Type": "text/csv"],
                                           body: "Страница;Дата\nhttps://vk.com/alpha_adm/;06.12.2026 19:30\nhttps://t.me/alpha;2026-11-01\n")
            #expect(dates.status == .ok && dates.json["updated"]?.int == 2, "\(dates.body.string)")
            #expect(try await PublicPageRecord.find(UUID(uuidString: pageID), on: app.db)?.lastPostOn == "2026-12-06")
            let older = try await app.call(.POST, importPath, as: editor, headers: ["Content-Type": "text/csv"], body: "Страница;Дата\nhttps://vk.com/alpha_adm;01.11.2026\n")
            #expect(older.json["updated"]?.int == 0 && older.json["unchanged"]?.int == 1)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let post = try await app.call(.POST, "\(Self.base)/content-posts", as: editor, json: """
                {"title":"Как вызвать аварийную службу","planned_at":"2026-12-07T05:00:00Z","page_id":"\(pageID)"}
                """)
            #expect(post.status == .created, "\(post.body.string)")
            let postID = post.json["id"]?.string ?? ""
            let noLink = try await app.call(.PATCH, "\(Self.base)/content-posts/\(postID)", as: editor, json: #"{"version":1,"status":"published"}"#)
            #expect(noLink.status == .unprocessableEntity && noLink.body.string.contains("укажите ссылку на него"))
            app.clock.set(at("2026-12-07T06:00:00Z"))
            let published = try await app.call(.PATCH, "\(Self.base)/content-posts/\(postID)", as: editor,
                                               json: #"{"version":1,"status":"published","published_url":"https://vk.com/wall-1_100"}"#)
            #expect(published.json["status_title"]?.string == "опубликован")
            let page = try await app.call(.GET, "\(Self.base)/public-pages", as: editor).json["items"]?.array.first { $0["id"]?.string == pageID }
            #expect(page?["last_post_on"]?.string == "2026-12-07" && page?["days_silent"]?.int == 0)
            #expect(try await app.call(.POST, "\(Self.base)/public-pages", as: try await app.signIn("a.analyst"),
                                       json: #"{"title":"x","url":"https://vk.com/x","responsible":"y"}"#).status == .forbidden)
            #expect(try await app.call(.DELETE, "\(Self.base)/public-pages/\(pageID)", as: editor).status == .noContent)
            let orphan = try await app.call(.GET, "\(Self.base)/content-posts", as: editor).json["items"]?.array.first
            #expect(orphan?["page"] == nil || orphan?["page"] == .null, "пост остался, страница снята")
        }
    }

    @Test("Сезонные угрозы: свой список — правка, неверная дата, удаление", arguments: TestDB.all)
    func threats(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            try await RiskPeople.add(app, f)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let officer = try await app.signIn("a.risk")
            let list = try await app.call(.GET, "\(Self.base)/seasonal-threats", as: officer).json["items"]?.array ?? []
            let flood = try #require(list.first { $0["title"]?.string == "Паводок" })
            #expect(flood["next_start"]?.string == "25.03.2027" && flood["remind_on"]?.string == "04.03.2027")
            let bad = try await app.call(.PATCH, "\(Self.base)/seasonal-threats/\(flood["id"]?.string ?? "")", as: officer, json: #"{"start":"31.04","lead_days":400}"#)
            #expect(bad.status == .unprocessableEntity && Set(bad.json["errors"]?.array.compactMap { $0["field"]?.string } ?? []) == ["start", "lead_days"])
            let moved = try await app.call(.PATCH, "\(Self.base)/seasonal-threats/\(flood["id"]?.string ?? "")", as: officer, json: #"{"start":"01.04","lead_days":30}"#)
            #expect(moved.json["remind_on"]?.string == "02.03.2027", "\(moved.body.string)")
            let own = try await app.call(.POST, "\(Self.base)/seasonal-threats", as: officer,
                                         json: #"{"title":"Борщевик","topic":"Благоустройство","start":"01.06","end":"31.08","lead_days":14}"#)
            #expect(own.status == .created)
            #expect(try await app.call(.DELETE, "\(Self.base)/seasonal-threats/\(own.json["id"]?.string ?? "")", as: officer).status == .noContent)
            #expect(try await app.call(.POST, "\(Self.base)/seasonal-threats", as: try await app.signIn("a.editor"),
                                       json: #"{"title":"x","start":"01.06","end":"31.08","lead_days":14}"#).status == .forbidden)
            let again = try await app.call(.GET, "\(Self.base)/seasonal-threats", as: officer).json["items"]?.array ?? []
            #expect(again.count == SeasonalThreat.defaults.count, "список по умолчанию не добавляется повторно")
        }
    }
}
