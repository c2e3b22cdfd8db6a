import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Страницы инфорисков: доска, регистрация формой, карточка с этапами, ошибки без потери введённого")
struct RiskPagesTests {
    @Test("Форма риска и карточка: ошибка сохраняет текст, этапы формами, доска по этапам, исполнитель не видит чужих", arguments: TestDB.all)
    func pages(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            try await RiskPeople.add(app, f)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let web = try await WebVisitor.signIn(app, "a.risk")
            let board = try await web.get("/m/alpha/risks")
            #expect(board.status == .ok && board.body.string.contains("Информационные риски") && board.body.string.contains("id=\"risk-board\""))

            let bad = try await web.submit("/m/alpha/risks/new", ["title": "Слух о <b>закрытии</b> больницы", "criticality": "high",
                                                                   "source_url": "vk.com/wall-1", "description": "Пишут в чате дома"],
                                           csrfFrom: "/m/alpha/risks/new")
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("не похоже на ссылку"))
            #expect(bad.body.string.contains("Слух о &lt;b&gt;закрытии&lt;/b&gt; больницы") && bad.body.string.contains("Пишут в чате дома"), "введённое не потеряно и экранировано")
            #expect(try await RiskRecord.query(on: app.db).count() == 0)

            let made = try await web.submit("/m/alpha/risks/new", ["title": "Слух о <b>закрытии</b> больницы", "criticality": "high",
                                                                    "source_url": "https://vk.com/wall-3_4", "source_reach": "4 500",
                                                                    "organisation_id": f.alpha.orgs["zhkh"]!.uuidString], csrfFrom: "/m/alpha/risks/new")
            #expect(made.status == .seeOther, "\(made.body.string.prefix(400))")
            let cardPath = made.headers.first(name: .location) ?? ""
            let card = try await web.get(cardPath)
            #expect(card.body.string.contains("Риск №1") && card.body.string.contains("Алерт-чат не настроен"), "сообщение о чате во flash")
            #expect(card.body.string.contains("&lt;b&gt;закрытии") && !card.body.string.contains("<b>закрытии"))
            #expect(card.body.string.contains("id=\"f-verify\"") && !card.body.string.contains("id=\"f-publish\""))
            let version = { (html: String) -> String in
                html.components(separatedBy: "name=\"version\" value=\"").dropFirst().first.map { String($0.prefix { $0 != "\"" }) } ?? ""
            }
            _ = try await web.submit(cardPath + "/actions/start_verification", ["version": version(card.body.string), "note": "Запрос в ЖКХ"], csrfFrom: cardPath)
            let verifying = try await web.get(cardPath)
            #expect(verifying.body.string.contains("id=\"f-prepare\""))
            let long = "Больница не закрывается: в здании ремонт кровли до 20 декабря, приём ведётся во втором корпусе."
            let noPlatforms = try await web.submit(cardPath + "/actions/prepare_response", ["version": version(verifying.body.string), "response_text": long, "platforms": ""],
                                                   csrfFrom: cardPath)
            #expect(noPlatforms.status == .unprocessableEntity && noPlatforms.body.string.contains("укажите площадки") && noPlatforms.body.string.contains(long))
            _ = try await web.submit(cardPath + "/actions/prepare_response", ["version": version(verifying.body.string), "response_text": long,
                                                                               "platforms": "официальная страница администрации ВКонтакте"], csrfFrom: cardPath)
            let prepared = try await web.get(cardPath)
            let published = try await web.submit(cardPath + "/actions/publish", ["version": version(prepared.body.string),
                                                                                  "links": "https://vk.com/wall-9_9 Официальная страница\nhttps://alpha-vesti.ru/1"],
                                                 csrfFrom: cardPath)
            #expect(published.status == .seeOther)
            let after = try await web.get(cardPath)
            #expect(after.body.string.contains("id=\"risk-placements\"") && after.body.string.contains("alpha-vesti.ru/1") && after.body.string.contains("id=\"f-snapshot\""))
            let stale = try await web.submit(cardPath + "/actions/add_snapshot", ["version": "1", "publications": "3", "comments": "10", "negative_percent": "20"], csrfFrom: cardPath)
            #expect(stale.status == .conflict && stale.body.string.contains("изменили, пока вы с ним работали"))
            for (i, nums) in [("3", "10", "20"), ("3", "10", "20")].enumerated() {
                app.clock.set(at("2026-12-07T0\(4 + i):00:00Z"))
                let page = try await web.get(cardPath)
                _ = try await web.submit(cardPath + "/actions/add_snapshot", ["version": version(page.body.string), "publications": nums.0, "comments": nums.1,
                                                                               "negative_percent": nums.2], csrfFrom: cardPath)
            }
            let monitoring = try await web.get(cardPath)
            #expect(monitoring.body.string.contains("id=\"risk-snapshots\"") && monitoring.body.string.contains("<svg"), "таблица и график реакции")
            _ = try await web.submit(cardPath + "/actions/close", ["version": version(monitoring.body.string), "summary": "Слух не подтвердился, вопросов нет"], csrfFrom: cardPath)
            let closed = try await web.get(cardPath)
            #expect(closed.body.string.contains("id=\"risk-status\">отработан") && closed.body.string.contains("id=\"f-reopen\""))
            let listed = try await web.get("/m/alpha/risks")
            #expect(listed.body.string.contains("id=\"closed-risks\""))
            // An executor of another organisation does not see it; the organisation's own people do.
            #expect(try await WebVisitor.signIn(app, "a.exec.roads").get(cardPath).status == .notFound)
            let own = try await WebVisitor.signIn(app, "a.exec.zhkh").get(cardPath)
            #expect(own.status == .ok && !own.body.string.contains("id=\"h-stage\""), "видит, но этапы не ведёт")
        }
    }

    @Test("Календарь кампаний, сезонные угрозы и реестр госпабликов в браузерных формах", arguments: TestDB.all)
    func outreachPages(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            try await RiskPeople.add(app, f)
            app.clock.set(at("2026-12-07T03:00:00Z"))
            let web = try await WebVisitor.signIn(app, "a.risk")
            let empty = try await web.get("/m/alpha/campaigns")
            #expect(empty.status == .ok && empty.body.string.contains("Декабрь 2026") && empty.body.string.contains("id=\"threat-list\""))
            #expect(empty.body.string.contains("Вывоз ТКО после новогодних праздников"))
            let bad = try await web.submit("/m/alpha/campaigns", ["title": "Тонкий лёд", "goal": "Дети на льду", "starts_on": "20.12.2026", "ends_on": "10.12.2026"],
                                           csrfFrom: "/m/alpha/campaigns")
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("не может закончиться раньше") && bad.body.string.contains("Тонкий лёд"))
            let ok = try await web.submit("/m/alpha/campaigns", ["title": "Тонкий лёд", "goal": "Дети на льду", "starts_on": "10.12.2026", "ends_on": "20.12.2026",
                                                                  "channels": "школьные чаты"], csrfFrom: "/m/alpha/campaigns")
            #expect(ok.status == .seeOther)
            let calendar = try await web.get("/m/alpha/campaigns?month=2026-12")
            #expect(calendar.body.string.components(separatedBy: "class=\"ev campaign\"").count - 1 == 11, "кампания в каждом из 11 дней")
            let threatID = try #require(try await SeasonalThreatRecord.query(on: app.db).filter(\.$tenantID == f.alpha.id).filter(\.$title == "Паводок").first()?.id)
            let wrong = try await web.submit("/m/alpha/seasonal-threats/\(threatID)", ["title": "Паводок", "start": "40.03", "end": "15.05", "lead_days": "21", "active": "1"],
                                             csrfFrom: "/m/alpha/campaigns")
            #expect(wrong.status == .seeOther)
            #expect(try await web.get("/m/alpha/campaigns").body.string.contains("Угроза не сохранена: начало сезона"))

            let editor = try await WebVisitor.signIn(app, "a.editor")
            let registry = try await editor.get("/m/alpha/public-pages")
            #expect(registry.status == .ok && registry.body.string.contains("Страниц в реестре пока нет"))
            let page = try await editor.submit("/m/alpha/public-pages", ["title": "Администрация в ОК", "url": "https://ok.ru/alpha", "platform": "ok",
                                                                          "responsible": "Петрова", "widget_placed": "1",
                                                                          "widget_url": "https://pos.gosuslugi.ru/form?opaid=5"], csrfFrom: "/m/alpha/public-pages")
            #expect(page.status == .seeOther)
            let listed = try await editor.get("/m/alpha/public-pages")
            #expect(listed.body.string.contains("Ссылка виджета ПОС с ошибкой") && listed.body.string.contains("widget-bad"))
            let post = try await editor.submit("/m/alpha/content-posts", ["title": "Как не провалиться под лёд", "planned_at": "завтра"], csrfFrom: "/m/alpha/public-pages")
            #expect(post.status == .unprocessableEntity && post.body.string.contains("10.12.2026 10:00") && post.body.string.contains("Как не провалиться под лёд"))
            let planned = try await editor.submit("/m/alpha/content-posts", ["title": "Как не провалиться под лёд", "planned_at": "12.12.2026 10:00"], csrfFrom: "/m/alpha/public-pages")
            #expect(planned.status == .seeOther)
            #expect(try await editor.get("/m/alpha/public-pages").body.string.contains("12 декабря 2026, 10:00"))
            #expect(try await WebVisitor.signIn(app, "a.exec.zhkh").get("/m/alpha/public-pages").status == .forbidden)
        }
    }
}
