import Foundation
@testable import OtklikCore
import Testing

@Suite("Дорожная карта: объём проблемы до и после каждого шага")
struct RoadmapEffectTests {
    static func d(_ s: String) -> LocalDay { LocalDay(s)! }

    /// Hand-computed: 3 cases a day through 30.11, 1 a day from 01.12; the step was done on 01.12.
    static var daily: [LocalDay: Int] {
        var out: [LocalDay: Int] = [:]
        var day = d("2026-10-01")
        while day < d("2026-12-29") { out[day] = day < d("2026-12-01") ? 3 : 1; day = day.adding(days: 1) }
        return out
    }

    @Test("До — 14 дней по 3 = 42, после — 14 дней по 1 = 14: −67 %; окно не закрыто — «после» не считается; невыполненный шаг")
    func rows() {
        let steps = [RoadmapEffect.Step(title: "Новый график вывоза", doneOn: Self.d("2026-12-01")),
                     RoadmapEffect.Step(title: "Контейнерная площадка", doneOn: Self.d("2026-12-20")),
                     RoadmapEffect.Step(title: "Разъяснение жителям", doneOn: nil)]
        let rows = RoadmapEffect.rows(steps, daily: Self.daily, window: 14, today: Self.d("2026-12-25"))
        #expect(rows[0].before == 42 && rows[0].after == 14 && rows[0].changePercent == -67)
        #expect(rows[0].text == "до — 42, после — 14 (-67 %)")
        #expect(rows[1].before == 14 && rows[1].after == nil && rows[1].text.contains("окно ещё не закрыто"))
        #expect(rows[2].before == nil && rows[2].text == "шаг не выполнен")
    }

    @Test("Недели с понедельника, итоги по неделе")
    func weeks() {
        let w = RoadmapEffect.weekly(Self.daily, from: Self.d("2026-11-25"), to: Self.d("2026-12-08"))
        #expect(w.map(\.week.iso) == ["2026-11-23", "2026-11-30", "2026-12-07"])
        #expect(w.map(\.count) == [21, 3 + 6, 7], "30.11 — 3, затем по 1")
    }
}
