import Foundation
@testable import OtklikCore
import Testing

@Suite("Графики рядов: линии, стопки, малые множители — читаются без цвета")
struct SeriesChartTests {
    let labels = ["02.11", "09.11", "16.11"]

    @Test("линии: у второго ряда пунктир и свой маркер, у каждого — подпись с последним значением; текст жителя экранирован")
    func lines() {
        let svg = SVGChart.lines(title: "Поступление", labels: labels,
                                 series: [.init(name: "этот год", values: [4, 6, 9]), .init(name: "год <назад>", values: [3, 3, 5])])
        #expect(svg.components(separatedBy: "<polyline").count == 3)
        #expect(svg.contains(#"class="line s1" stroke-dasharray="7 4""#) && !svg.contains(#"class="line s0" stroke-dasharray"#))
        #expect(svg.contains(">этот год: 9</text>") && svg.contains(">год &lt;назад&gt;: 5</text>"))
        #expect(svg.contains("<circle") && svg.contains(#"class="mark open s1""#), "круг у первого ряда, пустой квадрат у второго")
        #expect(svg.contains("<desc>этот год: 02.11 — 4, 09.11 — 6, 16.11 — 9; год &lt;назад&gt;: 02.11 — 3, 09.11 — 3, 16.11 — 5</desc>"))
        #expect(svg.contains(">10</text>") && svg.contains(">5</text>"), "шкала 0 — 5 — 10 (округлённый верх для 9)")
        #expect(SVGChart.lines(title: "Пусто", labels: labels, series: [.init(name: "x", values: [0, 0, 0])]).contains("нет данных за период"))
    }

    @Test("стопки: итог над столбцом, сегменты разной штриховкой, число в сегменте при достаточной высоте")
    func stacked() {
        let svg = SVGChart.stackedColumns(title: "Каналы", labels: labels,
                                          series: [.init(name: "ПОС", values: [10, 20, 30]), .init(name: "Горячая линия", values: [5, 0, 10])])
        #expect(svg.contains(">15</text>") && svg.contains(">20</text>") && svg.contains(">40</text>"), "итоги 15, 20, 40")
        #expect(svg.contains(#"class="bar seg""#) && svg.contains(#"class="fill-hatch seg""#), "ПОС сплошной, горячая линия штрихом")
        #expect(svg.contains("<title>16.11: Горячая линия — 10</title>"))
        #expect(!svg.contains("09.11: Горячая линия"), "нулевой сегмент не рисуется")
        #expect(svg.contains(#"class="value seg-value">30</text>"#))
    }

    @Test("малые множители: общая шкала, итог и последняя неделя у каждой панели")
    func multiples() {
        let svg = SVGChart.smallMultiples(title: "Блоки", labels: labels,
                                          series: [.init(name: "ЖКХ", values: [1, 2, 3]), .init(name: "Дороги", values: [6, 0, 0])])
        #expect(svg.contains(">всего 6, последняя — 3</text>") && svg.contains(">всего 6, последняя — 0</text>"))
        #expect(svg.contains("Общая шкала: до 6."))
        #expect(svg.contains("недели с 02.11 по 16.11"))
    }

    @Test("округлённый верх шкалы", arguments: [(0.0, 1.0), (9, 10), (11, 20), (21, 25), (26, 50), (100, 100), (1_234, 2_000)])
    func nice(value: Double, expected: Double) {
        #expect(SVGChart.niceMax(value) == expected)
    }
}
