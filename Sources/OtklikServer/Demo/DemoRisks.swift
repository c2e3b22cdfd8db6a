import Fluent
import Foundation
import OtklikCore
import Vapor

/// The demo's information risks at every stage of отработка, preventive campaigns, official pages with
/// a correct and broken ПОС widgets, and a content plan. Everything is fictional, made through the same
/// services as a person would (the risk officer «demo.risk»), at moments before the demo's «now».
struct DemoRisks {
    let app: Application
    let tenantID: UUID
    let now: Date

    func load() async throws {
        let db = app.db
        guard let officer = try await User.query(on: db).filter(\.$login == "demo.risk").first(),
              let municipality = try await Municipality.find(tenantID, on: db) else { return }
        let access = TenantAccess.acting(in: municipality, roles: [.riskOfficer], label: officer.fullName, userID: officer.id)
        let orgs = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$tenantID == tenantID).all().map { ($0.name, $0.id!) })
        func org(_ name: String) -> JSONValue { orgs[name].map { .string($0.uuidString) } ?? .null }
        let candidates = try await CaseRecord.query(on: db).filter(\.$tenantID == tenantID).filter(\.$riskCandidate == true)
            .sort(\.$receivedAt, .descending).limit(3).all()
        func service(_ hoursAgo: Double) -> RiskService {
            RiskService(db: db, access: access, now: now.addingTimeInterval(-hoursAgo * 3600), publicURL: nil)
        }
        func step(_ risk: RiskRecord, _ action: RiskAction, hoursAgo: Double, _ body: [String: JSONValue]) async throws -> RiskRecord {
            var b = body
            b["version"] = .number(Double(risk.version))
            return try await service(hoursAgo).act(risk.id!, action, b)
        }
        func source(_ url: String, _ community: String, _ reach: Int) -> JSONValue {
            .array([.object(["url": .string(url), "community": .string(community), "reach": .number(Double(reach))])])
        }

        // 1. Worked off a week ago: the whole cycle.
        var water = try await service(216).create([
            "title": "Слух: воду в Заречном отключат на две недели", "criticality": "high",
            "description": "В районном чате пишут, что из-за ремонта водовода воды не будет две недели (демо).",
            "organisation_id": org("МУП «Светлоярский водоканал»"),
            "sources": source("https://vk.com/wall-100000001_501", "Подслушано Светлоярск (демо)", 18_400)])
        water = try await step(water, .startVerification, hoursAgo: 215.5, ["note": "Запрос в водоканал о сроках работ"])
        water = try await step(water, .prepareResponse, hoursAgo: 215.2, [
            "verification_note": "Работы плановые, отключение на 8 часов, 12-го числа",
            "response_text": "Подача воды в мкр. Заречный будет приостановлена только 12-го числа с 9:00 до 17:00 на время плановой замены задвижки. Подвоз питьевой воды организован.",
            "platforms": "официальная страница администрации ВКонтакте\nгазета «Светлоярские вести» (демо)"])
        water = try await step(water, .publish, hoursAgo: 215, ["links": .array([.string("https://vk.com/wall-100000002_77 Официальная страница администрации"),
                                                                                  .string("https://svetloyarsk-vesti.example/news/voda Светлоярские вести")])])
        water = try await step(water, .addSnapshot, hoursAgo: 212, ["publications": 4, "comments": 96, "negative_percent": 55])
        water = try await step(water, .addSnapshot, hoursAgo: 190, ["publications": 5, "comments": 120, "negative_percent": 40])
        water = try await step(water, .addSnapshot, hoursAgo: 170, ["publications": 5, "comments": 122, "negative_percent": 30])
        _ = try await step(water, .close, hoursAgo: 168, ["summary": "Новых публикаций нет, жители благодарят за разъяснение (демо)."])

        // 2. Published, reaction still growing.
        var rubbish = try await service(50).create([
            "title": "Видео с горой мусора у школы № 2", "criticality": "medium",
            "description": "Ролик набрал тысячи просмотров; пишут, что мусор не вывозят месяц (демо).",
            "organisation_id": org("МКУ «Служба благоустройства»"),
            "sources": source("https://t.me/svetloyarsk_chat_demo/4412", "Чат «Светлоярск онлайн» (демо)", 7_200)])
        rubbish = try await step(rubbish, .startVerification, hoursAgo: 49, [:])
        rubbish = try await step(rubbish, .prepareResponse, hoursAgo: 48, [
            "response_text": "Площадка у школы № 2 очищена, график вывоза увеличен до ежедневного до конца месяца.",
            "platforms": .array([.string("официальная страница администрации ВКонтакте")])])
        rubbish = try await step(rubbish, .publish, hoursAgo: 47.5, ["links": .array([.string("https://vk.com/wall-100000002_91 Официальная страница администрации")])])
        rubbish = try await step(rubbish, .addSnapshot, hoursAgo: 30, ["publications": 3, "comments": 64, "negative_percent": 60])
        _ = try await step(rubbish, .addSnapshot, hoursAgo: 6, ["publications": 4, "comments": 80, "negative_percent": 55, "note": "Репост в региональном паблике"])

        // 3. Under verification, from a case.
        var bridgeBody: [String: JSONValue] = [
            "title": "Пишут, что мост через Светлую закроют на всё лето", "criticality": "high",
            "organisation_id": org("Отдел дорожного хозяйства и благоустройства"),
            "sources": source("https://ok.ru/group/70000000001/topic/15", "Светлоярск и район (демо)", 3_100)]
        if let c = candidates.first { bridgeBody["from_case"] = .number(Double(c.number)) }
        let bridge = try await service(3).create(bridgeBody)
        _ = try await step(bridge, .startVerification, hoursAgo: 2.5, ["note": "Запрос в ОДХБ о графике ремонта"])

        // 4. Critical, just detected, the first reaction already late.
        _ = try await service(0.8).create([
            "title": "Паника: «запах газа» в доме на Садовой, жильцы выходят на улицу", "criticality": "critical",
            "description": "Сообщения в районном чате; аварийная служба газа выехала (демо).",
            "sources": source("https://t.me/svetloyarsk_chat_demo/4501", "Чат «Светлоярск онлайн» (демо)", 2_300)])

        // 5. Escalated to the curator.
        let hearing = try await service(30).create([
            "title": "Конфликт вокруг публичных слушаний по застройке сквера", "criticality": "medium",
            "sources": source("https://vk.com/wall-100000003_12", "Сквер наш (демо)", 5_600)])
        _ = try await step(hearing, .escalate, hoursAgo: 26, ["to": "curator", "reason": "Нужна позиция главы округа, ответ на уровне отдела не снимет вопрос (демо)"])

        // Campaigns, pages and posts.
        let today = LocalDay(now, in: access.zone)
        let campaigns = Campaigns(db: db, access: access, now: now, publicURL: nil)
        let threats = try await SeasonalThreats(db: db, access: access, now: now).list()
        _ = try await campaigns.save([
            "title": "Осторожно, гололёд (демо)", "goal": "Меньше травм и жалоб на нечищеные тротуары", "audience": "пожилые жители, родители школьников",
            "channels": "официальная страница администрации ВКонтакте\nшкольные чаты", "materials": "памятка, карта посыпанных маршрутов",
            "starts_on": .string(today.adding(days: -5).iso), "ends_on": .string(today.adding(days: 25).iso), "status": "running",
            "threat_id": threats.first { $0.title.hasPrefix("Гололёд") }.map { .string($0.id!.uuidString) } ?? .null], existing: nil)
        _ = try await campaigns.save([
            "title": "Вывоз ТКО в праздники (демо)", "goal": "Заранее объяснить график вывоза мусора в новогодние дни",
            "starts_on": .string(today.adding(days: 14).iso), "ends_on": .string(today.adding(days: 40).iso), "risks": .array([.number(2)]),
            "threat_id": threats.first { $0.startMonth == 1 }.map { .string($0.id!.uuidString) } ?? .null], existing: nil)
        let pages = PublicPages(db: db, access: access, now: now)
        let admin = try await pages.save(["title": "Администрация Светлоярского округа ВКонтакте (демо)", "url": "https://vk.com/svetloyarsk_adm_demo",
                                          "responsible": "Пресс-служба администрации", "widget_placed": true,
                                          "widget_url": "https://pos.gosuslugi.ru/form/?opaId=900001&utm_source=vk&utm_medium=demo",
                                          "last_post_on": .string(today.iso)], existing: nil)
        _ = try await pages.save(["title": "Администрация в Одноклассниках (демо)", "url": "https://ok.ru/svetloyarsk_adm_demo",
                                  "responsible": "Пресс-служба администрации", "widget_placed": true,
                                  "widget_url": "http://gosuslugi.ru/form/?opaid=900001", "last_post_on": .string(today.adding(days: -3).iso)], existing: nil)
        _ = try await pages.save(["title": "Управление образования в Telegram (демо)", "url": "https://t.me/svetloyarsk_edu_demo",
                                  "responsible": "Специалист УО", "organisation_id": org("Управление образования"),
                                  "last_post_on": .string(today.adding(days: -2).iso)], existing: nil)
        _ = try await pages.save(["title": "Дом культуры «Светлый» (демо)", "url": "https://vk.com/dk_svetly_demo", "responsible": "Методист ДК",
                                  "widget_placed": true, "widget_url": "https://pos.gosuslugi.ru/form/?utm_source=vk",
                                  "last_post_on": .string(today.adding(days: -34).iso)], existing: nil)
        let plan = ContentPlan(db: db, access: access, now: now)
        _ = try await plan.save(["title": "Памятка: как не упасть на льду", "planned_at": .string(TimeText.formatRFC3339(now.addingTimeInterval(20 * 3600))),
                                 "page_id": .string(admin.id!.uuidString)], existing: nil)
        _ = try await plan.save(["title": "График вывоза мусора на праздники", "planned_at": .string(TimeText.formatRFC3339(now.addingTimeInterval(15 * 86_400))),
                                 "page_id": .string(admin.id!.uuidString)], existing: nil)
    }
}
