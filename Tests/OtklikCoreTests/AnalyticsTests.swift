import Foundation
@testable import OtklikCore
import Testing

@Suite("Аналитика: периоды, процентили, формулы показателей")
struct AnalyticsTests {
    let zone = TimeZone(identifier: "Asia/Novokuznetsk")!
    func at(_ s: String) -> Date { try! TimeText.parseRFC3339(s) }

    @Test("процентиль по ближайшему рангу", arguments: [
        ([60.0, 150, 1440], 0.5, 150.0 as Double?),   // ⌈1,5⌉ = 2
        ([60.0, 150, 1440], 0.9, 1440.0),            // ⌈2,7⌉ = 3
        ([120.0, 1590], 0.5, 120.0),                 // ⌈1⌉ = 1
        ([5.0], 0.9, 5.0),
        ([Double](), 0.5, nil),
        (Array(stride(from: 1.0, through: 10, by: 1)), 0.9, 9.0),   // ⌈9⌉ = 9
    ])
    func percentile(sample: [Double], p: Double, expected: Double?) {
        #expect(Percentile.nearestRank(sample, p) == expected)
    }

    @Test("период: сравнение с предыдущим и с прошлым годом; пустой и слишком длинный отвергнуты")
    func periods() throws {
        let week = AnalyticsPeriod.week(containing: at("2026-11-20T10:00:00+07:00"), in: zone)
        #expect(week.from == at("2026-11-16T00:00:00+07:00") && week.to == at("2026-11-23T00:00:00+07:00"))
        #expect(week.previous.from == at("2026-11-09T00:00:00+07:00") && week.previous.to == week.from)
        let ly = week.lastYear(in: zone)
        #expect(ly.from == at("2025-11-16T00:00:00+07:00") && ly.to == at("2025-11-23T00:00:00+07:00"))
        #expect(throws: AnalyticsPeriod.Problem.empty) { try AnalyticsPeriod(from: week.to, to: week.from) }
        #expect(throws: AnalyticsPeriod.Problem.self) { try AnalyticsPeriod(from: at("2016-01-01T00:00:00Z"), to: at("2026-01-01T00:00:00Z")) }
        #expect(AnalyticsPeriod.Problem.tooLong(days: 3653).russian == "период в 3653 дня слишком длинный: не более трёх лет")
        // A leap day a year back falls on 28 February.
        let leap = try AnalyticsPeriod(from: at("2028-02-29T00:00:00+07:00"), to: at("2028-03-01T00:00:00+07:00")).lastYear(in: zone)
        #expect(leap.from == at("2027-02-28T00:00:00+07:00"))
    }

    @Test("показатели из счётчиков: доли, цели, «нет данных» вместо деления на ноль")
    func sheet() {
        var a = KPIAggregates()
        a.volume = 6; a.volumePrevious = 2; a.volumeLastYear = 0
        a.clocks[.takeInWork] = .init(met: 2, missed: 1, openOverdue: 3)
        a.rated = 3; a.rated45 = 2; a.acceptedBySilence = 1; a.answered = 4; a.reopened = 1; a.resolved = 2; a.explained = 2
        let f = Dictionary(uniqueKeysWithValues: KPISheet.figures(a).map { ($0.key, $0) })
        #expect(f["volume"]?.changePrevious == 2.0 && f["volume"]?.changeLastYear == nil, "в прошлом году 0: изменение не определено")
        #expect(f["taken_on_time"]?.text == "33,3 %" && f["taken_on_time"]?.denominator == 6)
        #expect(f["satisfaction"]?.meetsTarget == true && f["satisfaction"]?.text == "66,7 %")
        #expect(f["on_time_final_answer"]?.value == nil && f["on_time_final_answer"]?.text == "нет данных")
        #expect(f["take_median"]?.text == "нет данных")
        #expect(f["resolved_share"]?.text == "50 %")
        #expect(KPISheet.figures(KPIAggregates()).allSatisfy { $0.value == nil || $0.value == 0 }, "пустой МО: ни одного NaN")
    }

    @Test("числа по-русски", arguments: [
        (0.625, "62,5 %"), (0.6, "60 %"), (1.0, "100 %"), (0.0, "0 %"), (0.33333, "33,3 %"),
    ])
    func percents(value: Double, text: String) {
        #expect(KPISheet.percent(value) == text)
    }

    @Test("длительности и изменения")
    func durations() {
        #expect(KPISheet.duration(minutes: 0.4) == "меньше минуты")
        #expect(KPISheet.duration(minutes: 45) == "45 мин")
        #expect(KPISheet.duration(minutes: 150) == "2 ч 30 мин")
        #expect(KPISheet.duration(minutes: 1440) == "1 дн")
        #expect(KPISheet.duration(minutes: 1590) == "1 дн 2 ч")
        #expect(KPISheet.changeText(0.125) == "+12,5 %" && KPISheet.changeText(-0.5) == "−50 %" && KPISheet.changeText(nil) == "—")
        #expect(KPISheet.integer(1_234_567) == "1\u{202F}234\u{202F}567" && KPISheet.integer(12) == "12")
    }

    @Test("SVG: подписи экранированы, числа написаны текстом, пустой график так и говорит")
    func charts() {
        let svg = SVGChart.horizontalBars(title: "По организациям", bars: [
            .init(label: "<script>alert(1)</script> & Ко", value: 12, comparison: 6, valueText: "12 (было 6)"),
            .init(label: "МУП «Водоканал»", value: 0, comparison: nil, valueText: "0"),
        ], comparisonLabel: "предыдущий период")
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;") && svg.contains("&amp; Ко"))
        #expect(svg.contains(">12 (было 6)</text>") && svg.contains("url(#hatch)"), "сравнение заштриховано, а не только другим цветом")
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>") && svg.contains("<title>По организациям</title>"))
        #expect(SVGChart.horizontalBars(title: "Пусто", bars: []).contains("нет данных за период"))
        let columns = SVGChart.columns(title: "Недели", labels: ["01.11", "08.11"], values: [3, 0])
        #expect(columns.contains(">3</text>") && columns.contains(">0</text>") && !columns.contains("nan"))
    }

    @Test("рейтинг: составляющие без данных выпадают из балла, места и движение")
    func rating() {
        var good = RatingTally(); good.volume = 2; good.met = 1; good.openOverdue = 1; good.finished = 1; good.fast = 1
        good.submitted = 1; good.resolved = 1; good.rated = 1; good.rated45 = 1; good.answered = 1
        var empty = RatingTally(); empty.volume = 3
        let rows = RatingSheet.rows(current: ["a": good, "b": empty], previous: ["a": good, "c": good], names: ["a": "ЖКХ", "b": "Дороги"],
                                    weights: .standard)
        #expect(rows.map(\.id) == ["a", "b"])
        #expect(rows[0].composite == 75 && rows[0].rank == 1 && RatingSheet.movementText(rows[0]) == "=")
        #expect(rows[1].composite == nil && rows[1].rank == nil && RatingSheet.movementText(rows[1]) == "—", "без данных — без места")
        let onlySpeed = RatingWeights(timeliness: 0, speed: 1, completeness: 0, quality: 0, satisfaction: 0)
        #expect(RatingSheet.composite(RatingSheet.components(good), weights: onlySpeed) == 100)
        #expect(RatingWeights(timeliness: 0, speed: 0, completeness: 0, quality: 0, satisfaction: 0).problems().first?.reason.contains("сумма весов") == true)
        #expect(RatingWeights(timeliness: .nan, speed: 1, completeness: 0, quality: 0, satisfaction: 0).problems().first?.field == "timeliness")
    }

    @Test("тепловая карта: число в каждой клетке, пустые клетки с точкой, ссылки экранированы")
    func heatMap() {
        let svg = HeatMap.svg(title: "Т", rows: ["ЖКХ", "Дороги <б>"], columns: ["Центр"], cells: [
            [HeatMap.Cell(intensity: 1, text: "12", href: "/m/a/cases?category=1&territory=2", tooltip: "12 обращений")],
            [nil],
        ], legend: "число обращений")
        #expect(svg.contains(">12</text>") && svg.contains("class=\"value on-dark\""), "тёмная клетка — белые цифры")
        #expect(svg.contains("href=\"/m/a/cases?category=1&amp;territory=2\""))
        #expect(svg.contains(">·</text>") && svg.contains("Дороги &lt;б&gt;"))
        #expect(HeatMap.svg(title: "Т", rows: [], columns: [], cells: [], legend: "").contains("нет данных за период"))
    }
}
