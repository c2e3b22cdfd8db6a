import Foundation
@testable import OtklikCore
import Testing

@Suite("Факторы роста: аномальный рост к собственной базе с учётом сезонности")
struct GrowthDetectorTests {
    let steady = [4, 6, 5, 5, 4, 6, 5, 5]   // mean 5; deviations ±1 four times → variance 4 / 8 = 0,5

    @Test("рост втрое к ровной базе отмечен: ожидалось 5, дисперсия max(0,5; 5; 1) = 5, (15 − 5) / √5 = 4,47 σ")
    func spike() throws {
        let f = try #require(GrowthDetector.detect([.init(key: "a", name: "Ямы", current: 15, baseline: steady)]).first)
        #expect(f.expected == 5 && f.baselineMean == 5 && f.seasonal == nil && f.ratio == 3)
        #expect(abs(f.score - 10 / 5.0.squareRoot()) < 1e-9)
        #expect(GrowthDetector.explanation(f, baselineCount: 8)
            == "15 обращений при ожидаемых 5,0: в среднем 5,0 за 8 предыдущих периодов той же длины (истории за прошлый год нет — без учёта сезонности); рост в 3,0 раза, отклонение 4,5 σ")
    }

    @Test("сезонный рост не тревога: год назад те же даты дали 29 при базе 9 → коэффициент (29 + 1) / (9 + 1) = 3, ожидается 15")
    func seasonal() {
        let s = GrowthDetector.Series(key: "heat", name: "Отопление", current: 15, baseline: steady,
                                      lastYear: 29, lastYearBaseline: Array(repeating: 9, count: 8))
        let e = GrowthDetector.expectation(s)
        #expect(e.seasonal == 3 && e.expected == 15)
        #expect(GrowthDetector.detect([s]).isEmpty)
        // The same count in a season that was quiet last year is a signal again: (5 + 1) / (9 + 1) = 0,6 → 3 expected.
        var quiet = s
        quiet.lastYear = 5
        let f = GrowthDetector.detect([quiet]).first
        #expect(f.map { abs($0.expected - 3) < 1e-9 && $0.seasonal == 0.6 } == true)
    }

    @Test("коэффициент ограничен 0,5…3: одна странная неделя прошлого года не глушит сигнал")
    func clamp() {
        let e = GrowthDetector.expectation(.init(key: "x", name: "x", current: 1, baseline: [10, 10, 10], lastYear: 0, lastYearBaseline: [99]))
        #expect(e.seasonal == 0.5 && e.expected == 5)
    }

    @Test("не отмечаются: мало обращений, мало истории, шумная база; новая тема с нуля — отмечается первой")
    func thresholds() {
        let found = GrowthDetector.detect([
            .init(key: "small", name: "Мало", current: 4, baseline: [0, 0, 0, 0]),
            .init(key: "young", name: "Мало истории", current: 20, baseline: [2, 2]),
            // mean 10, variance 100: 25 is 2,5 times the mean but only 1,5 σ away.
            .init(key: "noisy", name: "Шумная", current: 25, baseline: [0, 20, 0, 20, 0, 20, 0, 20]),
            .init(key: "a", name: "Ямы", current: 15, baseline: steady),
            // Nothing expected: dispersion floor 1, (6 − 0) / 1 = 6 σ.
            .init(key: "new", name: "Новая", current: 6, baseline: [0, 0, 0]),
        ])
        #expect(found.map(\.key) == ["new", "a"])
        #expect(found.first?.ratio == nil && found.first?.score == 6)
        #expect(GrowthDetector.explanation(found[0], baselineCount: 3).contains("раньше таких обращений не было"))
    }
}
