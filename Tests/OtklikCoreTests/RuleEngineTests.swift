import Foundation
@testable import OtklikCore
import Testing

@Suite("Автоправила: условия, порядок, «остановить», заполнение только пустого")
struct RuleEngineTests {
    static let zone = TimeZone(identifier: "Asia/Novokuznetsk")!   // UTC+7
    static let roads = UUID(), lights = UUID(), energy = UUID(), centre = UUID(), exec = UUID()

    static func subject(_ text: String, channel: String = "pos", platform: String? = nil, territory: UUID? = nil,
                        category: UUID? = nil, author: [String] = [], at: String = "2026-11-16T03:00:00Z", url: String? = nil) -> RuleSubject {
        RuleSubject(channel: channel, platform: platform, text: text, territoryID: territory, categoryID: category,
                    authorFields: author, receivedAt: try! TimeText.parseRFC3339(at), sourceURL: url)
    }

    static func rule(_ name: String, stop: Bool = false, _ conditions: (inout RuleConditions) -> Void, _ actions: (inout RuleActions) -> Void) -> AutoRule {
        var c = RuleConditions(); conditions(&c)
        var a = RuleActions(); actions(&a)
        return AutoRule(name: name, conditions: c, actions: a, stop: stop)
    }

    @Test("Слова — по основам и фразой по порядку; регулярное выражение — без учёта регистра и «ё»", arguments: [
        ("Третий день не горят фонари во дворе", true),       // «фонарь» → «фонар»: the plural matches
        ("<p>ФОНАРЕЙ нет&nbsp;совсем</p>", true),               // HTML, case
        ("Фонарный столб покосился", false),                   // another stem
        ("Темно во дворе", false),
    ])
    func words(text: String, matched: Bool) throws {
        let engine = try RuleEngine([Self.rule("Освещение", { $0.words = ["фонарь"] }, { $0.categoryID = Self.lights })], zone: Self.zone)
        var t = RuleTarget()
        #expect(!engine.run(Self.subject(text), target: &t).isEmpty == matched, "\(text)")
        #expect((t.categoryID == Self.lights) == matched)
    }

    @Test("Фраза из нескольких слов и регулярное выражение")
    func phraseAndPattern() throws {
        let engine = try RuleEngine([
            Self.rule("Фраза", { $0.words = ["не горят фонари"] }, { $0.tags = ["свет"] }),
            Self.rule("Ёлка", { $0.pattern = #"новогодн\w+ ел"# }, { $0.tags = ["праздник"] }),
        ], zone: Self.zone)
        var a = RuleTarget(), b = RuleTarget(), c = RuleTarget()
        _ = engine.run(Self.subject("У дома не горят фонари"), target: &a)
        _ = engine.run(Self.subject("Фонари не горят"), target: &b)            // order matters in a phrase
        _ = engine.run(Self.subject("Когда поставят НОВОГОДНЮЮ ЁЛКУ?"), target: &c)
        #expect(a.tags == ["свет"] && b.tags.isEmpty && c.tags == ["праздник"])
    }

    @Test("Канал, площадка, территория, категория, автор, ссылка источника — «любое из», все вместе — «и»")
    func attributes() throws {
        let engine = try RuleEngine([Self.rule("ВК центра", {
            $0.channels = ["incident_manager", "pos"]; $0.platforms = ["vk"]; $0.territoryIDs = [Self.centre]
            $0.author = "ivanov"; $0.sourceURL = "vk.com/club123"
        }, { $0.organisationID = Self.energy })], zone: Self.zone)
        func run(_ s: RuleSubject) -> Bool { var t = RuleTarget(); return !engine.run(s, target: &t).isEmpty }
        let ok = Self.subject("текст", platform: "vk", territory: Self.centre, author: ["Пётр", "IVANOV@example.org"], url: "https://vk.com/club123?w=wall-1")
        #expect(run(ok))
        #expect(!run(Self.subject("текст", channel: "hotline", platform: "vk", territory: Self.centre, author: ["ivanov"], url: "vk.com/club123")))
        #expect(!run(Self.subject("текст", platform: "ok", territory: Self.centre, author: ["ivanov"], url: "vk.com/club123")))
        #expect(!run(Self.subject("текст", platform: "vk", territory: nil, author: ["ivanov"], url: "vk.com/club123")))
        #expect(!run(Self.subject("текст", platform: "vk", territory: Self.centre, author: ["petrov"], url: "vk.com/club123")))
        #expect(!run(Self.subject("текст", platform: "vk", territory: Self.centre, author: ["ivanov"], url: nil)))
    }

    @Test("Время поступления по местному времени: дни недели и интервал через полночь", arguments: [
        ("2026-11-16T16:30:00Z", true),    // Mon 23:30 local
        ("2026-11-16T22:59:00Z", true),    // Tue 05:59 local
        ("2026-11-16T23:00:00Z", false),   // Tue 06:00 local: outside 22:00–05:59
        ("2026-11-21T16:30:00Z", false),   // Sat 23:30 local: weekend not listed
    ])
    func time(at: String, matched: Bool) throws {
        let engine = try RuleEngine([Self.rule("Ночь будней", {
            $0.weekdays = [1, 2, 3, 4, 5]; $0.minuteFrom = 22 * 60; $0.minuteTo = 5 * 60 + 59
        }, { $0.urgent = true })], zone: Self.zone)
        var t = RuleTarget()
        _ = engine.run(Self.subject("текст", at: at), target: &t)
        #expect(t.urgent == matched, "\(at)")
    }

    @Test("Порядок: раннее правило имеет приоритет, заданное не перезаписывается, «остановить» прекращает разбор")
    func orderAndStop() throws {
        let engine = try RuleEngine([
            Self.rule("Дороги", { $0.words = ["яма"] }, { $0.categoryID = Self.roads; $0.tags = ["дороги"] }),
            Self.rule("Всё в энергетику", { _ in }, { $0.categoryID = Self.lights; $0.organisationID = Self.energy }),
            Self.rule("Срочно", stop: true, { $0.words = ["авария"] }, { $0.urgent = true; $0.executorID = Self.exec }),
            Self.rule("Никогда", { _ in }, { $0.tags = ["после остановки"] }),
        ], zone: Self.zone)
        var t = RuleTarget(tags: ["из источника"])
        let applied = engine.run(Self.subject("Авария: яма на дороге"), target: &t)
        #expect(applied.map(\.name) == ["Дороги", "Всё в энергетику", "Срочно"])
        #expect(applied.map(\.changed) == [["category", "tags"], ["organisation"], ["executor", "urgent"]])
        #expect(t == RuleTarget(categoryID: Self.roads, organisationID: Self.energy, executorID: Self.exec, urgent: true,
                                tags: ["из источника", "дороги"]))
        #expect(applied.last?.stopped == true)
        // A category given by the source stays.
        var given = RuleTarget(categoryID: Self.lights)
        _ = engine.run(Self.subject("яма"), target: &given)
        #expect(given.categoryID == Self.lights)
    }

    @Test("Ошибки правил называются по-русски", arguments: [
        (#"(яма"#, nil, nil, "регулярное выражение не разбирается"),
        (nil, 1440, nil, "от 00:00 до 23:59"),
        (nil, nil, 8, "день недели 8"),
    ] as [(String?, Int?, Int?, String)])
    func problems(pattern: String?, minute: Int?, weekday: Int?, message: String) {
        let rule = Self.rule("Проверка", { $0.pattern = pattern; $0.minuteFrom = minute; $0.weekdays = weekday.map { [$0] } ?? [] }, { $0.urgent = true })
        do {
            try RuleEngine.validate(rule)
            Issue.record("правило принято")
        } catch {
            #expect(error.russian.contains(message) && error.russian.contains("«Проверка»"), "\(error.russian)")
        }
    }

    @Test("Текст в 100 000 символов и пустой текст: без сбоя, выражение смотрит первые 20 000")
    func hugeAndEmpty() throws {
        let engine = try RuleEngine([Self.rule("Хвост", { $0.pattern = "хвост$" }, { $0.urgent = true }),
                                     Self.rule("Слово", { $0.words = ["яма"] }, { $0.tags = ["x"] })], zone: Self.zone)
        var t = RuleTarget()
        _ = engine.run(Self.subject(String(repeating: "а", count: 100_000) + " хвост"), target: &t)
        #expect(!t.urgent)
        var e = RuleTarget()
        #expect(engine.run(Self.subject(""), target: &e).isEmpty)
    }
}
