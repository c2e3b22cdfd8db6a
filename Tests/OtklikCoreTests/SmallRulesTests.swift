import Foundation
@testable import OtklikCore
import Testing

@Suite("Мелкие правила")
struct SmallRulesTests {
    @Test("Русские формы множественного числа", arguments: [
        (0, "обращений"), (1, "обращение"), (2, "обращения"), (4, "обращения"), (5, "обращений"),
        (11, "обращений"), (12, "обращений"), (14, "обращений"), (21, "обращение"), (22, "обращения"),
        (101, "обращение"), (111, "обращений"), (1_000_000, "обращений"),
    ])
    func plural(n: Int, form: String) {
        #expect(RussianPlural.form(n, one: "обращение", few: "обращения", many: "обращений") == form)
    }

    @Test("Нормализация для поиска: регистр, ё, пробелы")
    func searchText() {
        #expect(SearchText.normalize("  ЁЛКИ\tна  Садовой\n") == "елки на садовой")
        #expect(SearchText.likePattern(containing: "50%_Ё") == "%50\\%\\_е%")
    }

    @Test("Заголовок CSV: русские и английские названия, неизвестные и обязательные столбцы")
    func csvHeader() {
        let h = CaseCSVHeader(columns: ["\u{FEFF}Текст", "Дата поступления", "Телефон", "Широта", "Мусор"], channelGiven: false)
        #expect(h.missingRequired == ["channel"])
        #expect(h.unknownColumns == ["Мусор"])
        #expect(h.record(from: ["т", "д", "+7", "56"]) == [
            "text": .string("т"), "received_at": .string("д"),
            "author": .object(["phone": .string("+7")]), "location": .object(["latitude": .string("56")]),
        ])
        #expect(CaseCSVHeader(columns: ["text", "received_at"], channelGiven: true).missingRequired.isEmpty)
    }

    @Test("Настройки муниципального образования")
    func municipalityRules() {
        #expect(MunicipalityRules.slugIssue("svetloyarsk-demo") == nil)
        #expect(MunicipalityRules.slugIssue("Светлоярск") != nil)
        #expect(MunicipalityRules.slugIssue("-bad") != nil)
        #expect(MunicipalityRules.oktmoIssue("04701000") == nil && MunicipalityRules.oktmoIssue("04701000001") == nil)
        #expect(MunicipalityRules.oktmoIssue("0470") != nil)
        for zone in ["Europe/Kaliningrad", "Europe/Moscow", "Asia/Novokuznetsk", "Asia/Krasnoyarsk", "Asia/Anadyr"] {
            #expect(MunicipalityRules.timeZoneIssue(zone) == nil, "\(zone)")
        }
        #expect(MunicipalityRules.timeZoneIssue("MSK") != nil)
        #expect(MunicipalityRules.workingHoursIssue(start: "08:00", end: "17:00") == nil)
        #expect(MunicipalityRules.workingHoursIssue(start: "8", end: "17:00")?.field == "work_start")
        #expect(MunicipalityRules.workingHoursIssue(start: "17:00", end: "08:00")?.field == "work_end")
    }

    @Test("Роли: личные данные, регистрация, ограничение организацией")
    func roles() {
        #expect(Role.executor.seesPersonalData && Role.channelOperator.seesPersonalData)
        #expect(!Role.analyst.seesPersonalData && !Role.head.seesPersonalData && !Role.regionalCentre.seesPersonalData)
        #expect(Role.channelOperator.mayRegisterCases && !Role.executor.mayRegisterCases)
        #expect(Role.executor.limitedToOwnOrganisation && !Role.mcuHead.limitedToOwnOrganisation)
        #expect(Role.regionalCentre.scope == .region && Role.platformAdmin.scope == .platform)
        #expect(Set(Role.allCases.map(\.title)).count == Role.allCases.count, "у каждой роли своё русское название")
    }

    @Test("Каналы принимаются по коду и по русскому названию")
    func channels() {
        #expect(CaseChannel(flexible: "POS") == .pos)
        #expect(CaseChannel(flexible: "Госпаблики") == .officialPages)
        #expect(CaseChannel(flexible: "telegram") == nil)
    }
}

@Suite("Нормализация для поиска")
struct SearchTextTests {
    @Test("Совпадает со стандартным lowercased() на русском, латинице и других алфавитах", arguments: [
        "ПРИВЕТ, Мир! Hello WORLD", "Ёлки-палки, ЁЖ и ёж", "ΑΒΓ Straße İstanbul", "Ђорђе Љиљана", "123 №5 «Кавычки»",
    ])
    func matchesStandardLowercasing(text: String) {
        let expected = text.lowercased().replacingOccurrences(of: "ё", with: "е")
        #expect(SearchText.normalize(text) == expected)
    }
}

@Suite("Идентификаторы")
struct TimeOrderedUUIDTests {
    @Test("UUID версии 7: версия, вариант, метка времени и порядок по времени")
    func v7() {
        let t = Date(timeIntervalSince1970: 1_795_000_000.123)
        let id = TimeOrderedUUID.make(at: t)
        let s = id.uuidString
        #expect(Array(s)[14] == "7", "версия 7")
        #expect("89AB".contains(Array(s)[19]), "вариант RFC 4122")
        let ms = s.replacingOccurrences(of: "-", with: "").prefix(12)
        #expect(UInt64(ms, radix: 16) == 1_795_000_000_123)
        let later = TimeOrderedUUID.make(at: t.addingTimeInterval(0.002))
        #expect(id.uuidString < later.uuidString, "более поздний идентификатор сортируется позже")
        let same = (0..<5000).map { _ in TimeOrderedUUID.make(at: t) }
        #expect(Set(same).count == 5000, "в одну миллисекунду — разные")
        #expect(same.map(\.uuidString) == same.map(\.uuidString).sorted(), "и в порядке создания")
        #expect(same.allSatisfy { Array($0.uuidString)[14] == "7" && "89AB".contains(Array($0.uuidString)[19]) })
        // Ids for the present in between (thousands of other milliseconds) do not reset a frozen instant's order.
        let first = TimeOrderedUUID.make(at: t)
        // (A whole test run's worth, without touching the frozen instant: a loaded run once reordered a history.)
        for k in 0..<10_000 { _ = TimeOrderedUUID.make(at: t.addingTimeInterval(Double(k + 10))) }
        #expect(first.uuidString < TimeOrderedUUID.make(at: t).uuidString)
    }
}

@Suite("Текст UUID")
struct UUIDTextTests {
    @Test("Совпадает с uuidString Foundation")
    func matchesFoundation() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(id.upperHexString == id.uuidString)
        }
        let v7 = TimeOrderedUUID.make()
        #expect(v7.upperHexString == v7.uuidString)
    }
}
