import Foundation
@testable import OtklikCore
import Testing

@Suite("Информационные риски: этапы, реакция, ссылки, сезонные угрозы, сообщения в алерт-чат")
struct InformationRiskTests {
    @Test("Этапы отработки: что из какого этапа можно", arguments: [
        (RiskAction.startVerification, RiskStatus.detected, RiskStatus?.some(.verification)),
        (.startVerification, .verification, nil),
        (.prepareResponse, .detected, nil),
        (.prepareResponse, .verification, .responsePrepared),
        (.prepareResponse, .escalated, .responsePrepared),
        (.publish, .verification, nil),
        (.publish, .responsePrepared, .published),
        (.publish, .monitoring, .monitoring),
        (.publish, .escalated, .published),
        (.addSnapshot, .responsePrepared, nil),
        (.addSnapshot, .published, .monitoring),
        (.addSnapshot, .monitoring, .monitoring),
        (.close, .verification, nil),
        (.close, .monitoring, .closed),
        (.close, .closed, nil),
        (.escalate, .detected, .escalated),
        (.escalate, .escalated, nil),
        (.escalate, .closed, nil),
        (.changeCriticality, .monitoring, .monitoring),
        (.changeCriticality, .closed, nil),
        (.reopen, .closed, .monitoring),
        (.reopen, .published, nil),
    ])
    func transitions(action: RiskAction, from: RiskStatus, to: RiskStatus?) {
        #expect(action.next(from: from) == to)
        if to == nil { #expect(!action.refusal(at: from).isEmpty) }
    }

    @Test("Сроки первой реакции по умолчанию: 4 / 2 / 1 рабочих часа, критический — 30 минут в календарном времени")
    func reactionDefaults() {
        #expect(RiskCriticality.allCases.map(\.defaultReaction.spec) == ["working_hours:240", "working_hours:120", "working_hours:60", "daily:30"])
        #expect(RiskCriticality(text: "Высокая") == .high && RiskCriticality(text: "critical") == .critical && RiskCriticality(text: "жуткая") == nil)
        #expect(RiskCriticality.low < .critical)
    }

    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static func snap(_ hours: Double, _ publications: Int, _ comments: Int, _ negative: Int) -> RiskSnapshot {
        RiskSnapshot(at: t0.addingTimeInterval(hours * 3600), publications: publications, comments: comments, negativePercent: negative)
    }

    @Test("Закрыть можно, когда распространение остановилось и негатива не прибавилось")
    func reaction() {
        let published = Self.t0.addingTimeInterval(3600)
        // before publication only: nothing to judge
        #expect(RiskReaction.assess([Self.snap(0, 5, 40, 50)], publishedAt: published) == .notEnoughData)
        #expect(RiskReaction.assess([Self.snap(2, 5, 40, 50)], publishedAt: published) == .notEnoughData, "один замер")
        #expect(RiskReaction.assess([Self.snap(2, 5, 40, 50)], publishedAt: nil) == .notEnoughData)
        // baseline before publication, then the same numbers after it: calm
        #expect(RiskReaction.assess([Self.snap(0, 5, 40, 50), Self.snap(5, 5, 40, 50)], publishedAt: published) == .calm)
        // more comments but a smaller negative share, no new negative comments: calm (20 of 40 → 20 of 50)
        #expect(RiskReaction.assess([Self.snap(2, 5, 40, 50), Self.snap(5, 5, 50, 40)], publishedAt: published) == .calm)
        // a new repost and 10 more negative comments: growing
        let growing = RiskReaction.assess([Self.snap(2, 5, 40, 50), Self.snap(5, 6, 60, 50)], publishedAt: published)
        #expect(growing == .growing(newPublications: 1, newNegativeComments: 10))
        #expect(growing.closingRefusal?.contains("+1 публикация, +10 негативных комментариев") == true)
        // order of entry does not matter, the last two by time decide
        #expect(RiskReaction.assess([Self.snap(9, 6, 60, 50), Self.snap(2, 5, 40, 50), Self.snap(5, 6, 60, 50)], publishedAt: published) == .calm)
        #expect(RiskSnapshot.issues(publications: -1, comments: 0, negativePercent: 101, reach: -5).map(\.field) == ["publications", "negative_percent", "reach"])
    }

    @Test("Ссылки: http(s), адрес сайта, платформа по адресу", arguments: [
        ("https://vk.com/wall-123_456", "vk.com", Platform?.some(.vk)),
        ("https://m.vk.com/wall-1_2?reply=5", "m.vk.com", .vk),
        ("http://ok.ru/group/1/topic/2", "ok.ru", .ok),
        ("https://t.me/demyansk_chat/1234", "t.me", .telegram),
        ("https://демянск.рф/news/1", "демянск.рф", nil),
        ("https://www.vesti-demyansk.ru/2026/12/voda", "www.vesti-demyansk.ru", nil),
    ])
    func links(text: String, host: String, platform: Platform?) throws {
        let link = try WebLink.parse(text).get()
        #expect(link.host == host && link.platform == platform)
    }

    @Test("Неверные ссылки называют причину", arguments: [
        ("", "не указана"),
        ("vk.com/wall-1_2", "не похоже на ссылку"),
        ("ftp://files.example.ru/a", "https://"),
        ("https://vk com/wall", "пробел"),
        ("https://localhost/x", "нет адреса сайта"),
        ("https:///wall-1_2", "нет адреса сайта"),
    ])
    func badLinks(text: String, reason: String) {
        guard case .failure(let why) = WebLink.parse(text) else { Issue.record("«\(text)» принята"); return }
        #expect(why.text.contains(reason), "\(why.text)")
    }

    @Test("Ссылка виджета ПОС: правильная форма и типичные поломки", arguments: [
        ("https://pos.gosuslugi.ru/form/?opaId=253960&utm_source=vk&utm_medium=22&utm_campaign=1025300000000", Int?.some(253960), [String]()),
        ("https://pos.gosuslugi.ru/form?opaId=7", 7, []),
        ("http://pos.gosuslugi.ru/form/?opaId=7", 7, ["https://"]),
        ("https://gosuslugi.ru/form/?opaId=7", 7, ["pos.gosuslugi.ru"]),
        ("https://pos.gosuslugi.ru/?opaId=7", 7, ["/form/"]),
        ("https://pos.gosuslugi.ru/form/?utm_source=vk", nil, ["нет параметра opaId"]),
        ("https://pos.gosuslugi.ru/form/?opaid=7", nil, ["другими буквами"]),
        ("https://pos.gosuslugi.ru/form/?opaId=25396O", nil, ["положительным числом"]),
        ("https://pos.gosuslugi.ru/form/?opaId=&utm_source=vk", nil, ["положительным числом"]),
        ("https://pos.gosuslugi.ru/form/?opaId=1&opaId=2", nil, ["2 раза"]),
        ("pos.gosuslugi.ru/form/?opaId=1", nil, ["это не ссылка"]),
    ])
    func widget(link: String, opaID: Int?, problems: [String]) {
        let check = PosWidgetLink.check(link)
        #expect(check.opaID == opaID)
        #expect(check.problems.count == problems.count, "\(check.problems)")
        for (p, expected) in zip(check.problems, problems) { #expect(p.contains(expected), "\(p)") }
        #expect(check.isWellFormed == problems.isEmpty)
    }

    @Test("Сезонные угрозы: напоминание за N дней до начала сезона, один раз на сезон")
    func seasons() throws {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .gmt
        let flood = try #require(SeasonalThreat.defaults.first { $0.title == "Паводок" })
        func day(_ y: Int, _ m: Int, _ d: Int) -> DateComponents { DateComponents(year: y, month: m, day: d) }
        // 25.03 start, 21 days ahead: reminder from 04.03
        #expect(flood.dueReminder(today: day(2027, 3, 3), calendar: cal) == nil)
        #expect(flood.dueReminder(today: day(2027, 3, 4), calendar: cal) == day(2027, 3, 25))
        #expect(flood.dueReminder(today: day(2027, 3, 25), calendar: cal) == day(2027, 3, 25), "первый день сезона ещё напоминает")
        #expect(flood.dueReminder(today: day(2027, 3, 26), calendar: cal) == nil, "сезон начался: следующий через год")
        // a season early in January is reminded in December of the year before
        let waste = try #require(SeasonalThreat.defaults.first { $0.startMonth == 1 })
        #expect(waste.dueReminder(today: day(2026, 12, 11), calendar: cal) == day(2027, 1, 1))
        #expect(waste.dueReminder(today: day(2026, 12, 10), calendar: cal) == nil)
        #expect(SeasonalThreat.parseDay("29.02")! == (2, 29) && SeasonalThreat.parseDay("31.04") == nil && SeasonalThreat.parseDay("1-5") == nil)
        #expect(SeasonalThreat.issues(start: (4, 31), end: (5, 1), leadDays: 200).map(\.field) == ["start", "lead_days"])
        #expect(flood.seasonText == "25.03–15.05")
        #expect(SeasonalThreat.defaults.count >= 10)
    }

    static let risk = RiskAlertText.Risk(number: 3, title: "Нет воды в мкр. Заречный третьи сутки", municipality: "Демо-район",
                                         criticality: .high, reactionDue: "07.12.2026 15:30", link: "https://otklik.example/m/demo/risks/1")

    @Test("Сообщения алерт-чата: точный формат")
    func alertTexts() {
        #expect(RiskAlertText.detected(Self.risk, description: "Жители пишут, что вода не идёт с пятницы.", topic: "ЖКХ", territory: "Заречный",
                                       responsible: "МУП «Водоканал» (Иванов И. И.)",
                                       sources: [.init(platform: "ВКонтакте", community: "Подслушано Демо", reach: 12_500, url: "https://vk.com/wall-1_2"),
                                                 .init(platform: "Telegram", url: "https://t.me/demo_chat/77")]) == """
            🟠 Новый информационный риск №3 · Демо-район
            Критичность: высокая · первая реакция до 07.12.2026 15:30
            Нет воды в мкр. Заречный третьи сутки
            Жители пишут, что вода не идёт с пятницы.
            Тема: ЖКХ · Территория: Заречный
            Ответственный: МУП «Водоканал» (Иванов И. И.)
            Источники:
            1. ВКонтакте · Подслушано Демо · охват 12 500 — https://vk.com/wall-1_2
            2. Telegram — https://t.me/demo_chat/77
            Карточка риска: https://otklik.example/m/demo/risks/1
            """)
        #expect(RiskAlertText.published(Self.risk, response: "Подача воды восстановлена в 14:00.", platforms: ["официальная страница администрации ВКонтакте", "газета «Демо-вести»"],
                                        links: ["https://vk.com/wall-9_1", "https://demo-vesti.ru/1"]) == """
            ✅ Отработка информационного риска №3 · Демо-район
            «Нет воды в мкр. Заречный третьи сутки»
            Текст отработки:
            Подача воды восстановлена в 14:00.
            Площадки: официальная страница администрации ВКонтакте; газета «Демо-вести»
            Публикации:
            1. https://vk.com/wall-9_1
            2. https://demo-vesti.ru/1
            Карточка риска: https://otklik.example/m/demo/risks/1
            """)
        var quiet = Self.risk
        quiet.link = nil
        #expect(RiskAlertText.closed(quiet, summary: "Новых публикаций нет.", last: RiskSnapshot(at: Self.t0, publications: 14, comments: 1_200, negativePercent: 8),
                                     lastAt: "08.12.2026 10:00") == """
            ☑️ Риск №3 отработан · Демо-район
            «Нет воды в мкр. Заречный третьи сутки»
            Итог: Новых публикаций нет.
            Последний замер (08.12.2026 10:00): публикаций 14, комментариев 1 200, негативных 8 %.
            """)
        #expect(RiskAlertText.criticalityChanged(quiet, from: .medium, reason: "Пост перепечатал региональный паблик") == """
            🟠 Риск №3: критичность средняя → высокая · Демо-район
            «Нет воды в мкр. Заречный третьи сутки»
            Причина: Пост перепечатал региональный паблик
            Первая реакция до 07.12.2026 15:30
            """)
        #expect(RiskAlertText.escalated(quiet, to: "куратор МЦУ", reason: "Водоканал не даёт сроков") == """
            ⛔ Риск №3 эскалирован: куратор МЦУ · Демо-район
            «Нет воды в мкр. Заречный третьи сутки»
            Причина: Водоканал не даёт сроков
            """)
        #expect(RiskAlertText.seasonNear(threat: "Паводок", season: "25.03–15.05", startDate: "25.03.2027", days: 21, municipality: "Демо-район") == """
            📅 Сезонная угроза «Паводок» · Демо-район
            Сезон 25.03–15.05 начнётся через 21 день (25.03.2027).
            Подготовьте превентивную кампанию.
            """)
        let long = RiskAlertText.published(Self.risk, response: String(repeating: "а", count: 9_000), platforms: ["x"], links: (1...200).map { "https://vk.com/wall-1_\($0)" })
        #expect(long.count == RiskAlertText.limit && long.hasSuffix("…"), "Telegram не примет длиннее 4096")
    }
}

@Suite("Календарный день: ввод, порядок, день недели")
struct LocalDayTests {
    @Test("Два способа ввода, неверные даты, дни недели и сдвиг")
    func days() throws {
        #expect(LocalDay("2026-12-10") == LocalDay("10.12.2026") && LocalDay("10.12.2026")?.iso == "2026-12-10")
        #expect(LocalDay("2026-02-29") == nil && LocalDay("2028-02-29") != nil && LocalDay("31.04.2026") == nil && LocalDay("завтра") == nil)
        #expect(LocalDay("2026-12-07")?.weekdayFromMonday == 0, "понедельник")
        #expect(LocalDay("2026-12-13")?.weekdayFromMonday == 6 && LocalDay("2000-01-01")?.ordinal == 10_957)
        #expect(LocalDay("2026-12-30")?.adding(days: 3).iso == "2027-01-02")
        #expect(try #require(LocalDay("2026-12-10")) < #require(LocalDay("2027-01-01")))
    }
}

@Suite("Файл дат последних публикаций госпабликов")
struct PageActivityFileTests {
    static let today = LocalDay("2026-12-07")!

    @Test("Столбцы по названию, две формы даты, время после даты не мешает")
    func reads() throws {
        let csv = "Страница;Владелец;Дата последней публикации\nhttps://vk.com/a;Администрация;05.12.2026 18:40\n;;\nhttps://ok.ru/b;ДК;2026-11-30\n"
        let rows = try PageActivityFile.read(Array(csv.utf8), today: Self.today).get()
        #expect(rows.map(\.url) == ["https://vk.com/a", "https://ok.ru/b"] && rows.map(\.day.iso) == ["2026-12-05", "2026-11-30"])
    }

    @Test("Ошибки с номером строки; нет нужных столбцов — названы имеющиеся")
    func problems() {
        let bad = "Адрес страницы;Дата\nvk.com/a;05.12.2026\nhttps://vk.com/b;31.11.2026\nhttps://vk.com/c;08.12.2026\n"
        guard case .failure(let p) = PageActivityFile.read(Array(bad.utf8), today: Self.today) else { Issue.record("принято"); return }
        let issues = p.issues
        #expect(issues.map(\.field) == ["строка 2", "строка 3", "строка 4"])
        #expect(issues[2].reason.contains("ещё не наступила"))
        guard case .failure(let cols) = PageActivityFile.read(Array("Имя;Когда\nx;y\n".utf8), today: Self.today) else { Issue.record("принято"); return }
        #expect(cols.issues.first?.reason.contains("«Имя», «Когда»") == true)
    }
}
