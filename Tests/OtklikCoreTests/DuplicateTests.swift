import Foundation
@testable import OtklikCore
import Testing

@Suite("Дубликаты: MinHash по тексту, место и время")
struct DuplicateTests {
    static let pothole = "Огромная яма на дороге у дома 12 по улице Лесной, машины бьют колёса, просим срочно заделать"

    static func side(_ text: String, day: Double = 0, address: String? = nil, lat: Double? = nil, lon: Double? = nil) -> DuplicateRule.Side {
        DuplicateRule.Side(signature: MinHashSignature(text: text)!, receivedAt: Date(timeIntervalSince1970: 1_800_000_000 + day * 86_400),
                           address: address, latitude: lat, longitude: lon)
    }

    @Test("Подпись: тот же текст — 1, перефраз с тем же смыслом выше чужого текста; пустой текст подписи не имеет")
    func signature() throws {
        let a = try #require(MinHashSignature(text: Self.pothole))
        #expect(a.similarity(MinHashSignature(text: "<p>" + Self.pothole.uppercased() + "</p>")!) == 1, "разметка и регистр не важны")
        let retold = try #require(MinHashSignature(text: "Огромная яма на дороге у дома 12 по улице Лесной, машины бьют колёса! Заделайте уже"))
        let other = try #require(MinHashSignature(text: "В школе № 3 не работает отопление, дети сидят в куртках"))
        #expect(a.similarity(retold) > 0.5 && a.similarity(other) < 0.1, "\(a.similarity(retold)) \(a.similarity(other))")
        #expect(MinHashSignature(text: "  ") == nil && MinHashSignature(text: "123 456") == nil)
        #expect(MinHashSignature(hex: a.hex) == a && a.hex.count == 512)
        #expect(Set(a.bandKeys).intersection(retold.bandKeys).count > 0, "похожие встречаются хотя бы в одной полосе")
    }

    @Test("Решение: текст + место + время", arguments: [
        // same text, same coordinates ±100 m, next day → one problem
        (0.0, 52.900, 87.900, 52.9009, 87.900, true),
        // same text, 2 km apart → different problems (two pits)
        (0.0, 52.900, 87.900, 52.918, 87.900, false),
        // same text and place, 20 days later → a new problem
        (20.0, 52.900, 87.900, 52.900, 87.900, false),
    ])
    func verdict(day: Double, lat1: Double, lon1: Double, lat2: Double, lon2: Double, same: Bool) {
        let v = DuplicateRule().judge(Self.side(Self.pothole, lat: lat1, lon: lon1), Self.side(Self.pothole, day: day, lat: lat2, lon: lon2))
        #expect((v != nil) == same)
    }

    @Test("Адрес сравнивается без сокращений; без места текст должен почти совпасть")
    func addressAndUnknownPlace() {
        let rule = DuplicateRule()
        let a = Self.side(Self.pothole, address: "ул. Лесная, д. 12")
        let b = Self.side("Яма на дороге у дома 12 по улице Лесной, бьют колёса, заделать просим", day: 1, address: "улица Лесная 12")
        let v = rule.judge(a, b)
        #expect(v?.place == .sameAddress && v?.explanation.contains("тот же адрес") == true, "\(String(describing: v))")
        #expect(rule.judge(a, Self.side(Self.pothole, address: "ул. Лесная, д. 14")) == nil, "другой дом")
        let noPlace = Self.side(Self.pothole, day: 2)
        #expect(rule.judge(Self.side(Self.pothole), noPlace)?.explanation == "совпадение текста 100 %, через 2 дн.")
        #expect(rule.judge(Self.side("Яма на дороге, заделайте"), Self.side("Яма во дворе, засыпьте")) == nil)
    }

    @Test("Ключи поиска: точка в 300 м находится по соседним ячейкам на любой широте России", arguments: [44.0, 56.0, 64.0, 69.5])
    func gridCoversRadius(latitude: Double) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let lat = latitude + Double.random(in: 0..<0.05, using: &generator), lon = 37 + Double.random(in: 0..<0.1, using: &generator)
            let bearing = Double.random(in: 0..<(2 * .pi), using: &generator), meters = 295.0
            let lat2 = lat + meters * cos(bearing) / 111_320
            let lon2 = lon + meters * sin(bearing) / (111_320 * cos(lat * .pi / 180))
            let a = Self.side(Self.pothole, lat: lat, lon: lon), b = Self.side(Self.pothole, lat: lat2, lon: lon2)
            #expect(!Set(DuplicateKeys.lookup(b)).isDisjoint(with: DuplicateKeys.stored(a)), "\(lat),\(lon) → \(lat2),\(lon2)")
        }
    }

    @Test("Ключи поиска: адрес без сокращений; по тексту ищутся только те, с кем нельзя сравнить координаты")
    func addressAndBandKeys() {
        let a = Self.side(Self.pothole, address: "ул. Лесная, д. 12")
        let b = Self.side("Другие слова совсем про иное", address: "улица Лесная 12")
        #expect(!Set(DuplicateKeys.lookup(b)).isDisjoint(with: DuplicateKeys.stored(a)), "тот же адрес")
        let here = Self.side(Self.pothole, lat: 56.0, lon: 93.0), far = Self.side(Self.pothole, lat: 57.0, lon: 93.0)
        #expect(Set(DuplicateKeys.lookup(far)).isDisjoint(with: DuplicateKeys.stored(here)),
                "с координатами у обоих решает место: 100 км — не найдено и по тексту")
        let nowhere = Self.side(Self.pothole)
        #expect(!Set(DuplicateKeys.lookup(nowhere)).isDisjoint(with: DuplicateKeys.stored(here)), "без места находит по тексту")
        #expect(!Set(DuplicateKeys.lookup(here)).isDisjoint(with: DuplicateKeys.stored(nowhere)), "и наоборот")
        let byAddress = Self.side(Self.pothole, address: "ул. Садовая, 3")
        #expect(!Set(DuplicateKeys.lookup(byAddress)).isDisjoint(with: DuplicateKeys.stored(here)), "адрес и координаты не сравнить — по тексту")
        #expect(Set(DuplicateKeys.lookup(byAddress)).isDisjoint(with: DuplicateKeys.stored(a)), "два адреса — решает адрес, не текст")
    }

    @Test("Подпись не учитывает формулы обращения и слова адреса: улица одна — проблемы разные")
    func formulasAndPlaceLeftOut() throws {
        let place = "Промышленный район, ул. Промышленная, 26"
        let marking = try #require(MinHashSignature(text: "Доброе утро. Стёрлась разметка на пешеходном переходе у дома № 26 на улице Промышленная, дети переходят наугад. Прошу принять меры.", place: place))
        let grader = try #require(MinHashSignature(text: "Доброе утро. Грейдер прошёл у дома № 11 на улице Промышленная и завалил снегом выезды из дворов. Прошу принять меры.", place: "ул. Промышленная, 11"))
        #expect(marking.similarity(grader) < 0.15, "\(marking.similarity(grader))")
        let again = try #require(MinHashSignature(text: "Здравствуйте! На улице Промышленная стёрлась разметка на пешеходном переходе, дети переходят наугад. Сколько можно ждать?", place: "ул. Промышленная"))
        #expect(marking.similarity(again) > 0.6, "\(marking.similarity(again))")
        #expect(MinHashSignature(text: "Здравствуйте! Прошу принять меры, улица Лесная, дом 5.", place: "ул. Лесная, 5") == nil, "о проблеме ни слова")
    }
}
