import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Тепловая карта»: topics × territories (or × the last 12 weeks), shaded by volume, overdue share or
/// dissatisfaction; every cell opens its cases.
struct HeatMapPage {
    struct Option: Encodable { var title: String; var href: String; var active: Bool }
    struct Context: Encodable {
        var layout: Layout; var periodText: String; var measures: [Option]; var columns: [Option]; var svg: String; var filterError: String?
        var exportXLSX: String; var exportCSV: String
    }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        var params = ((try? req.query.decode([String: String].self)) ?? [:]).filter { !$0.value.isEmpty }
        let measure = params.removeValue(forKey: "measure").flatMap(HeatMapQuery.Measure.init(rawValue:)) ?? .volume
        let columns = params.removeValue(forKey: "by").flatMap(HeatMapQuery.Columns.init(rawValue:)) ?? .territory
        let (slice, applied, filterError) = try await AnalyticsSlice.forPage(params, access: access, now: req.now, on: req.db)
        params = applied
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let data = try await HeatMapQuery(db: req.db, now: req.now).tallies(slice, columns: columns, books: books)
        let base = "/m/\(access.slug)"

        // Rows: the 15 topics with most cases; columns: territories with cases (largest first) or the 12 weeks.
        let topicTotals = data.map { ($0.key, $0.value.values.reduce(0) { $0 + $1.count }) }.sorted { $0.1 > $1.1 }.prefix(15)
        let columnKeys: [String]
        let columnTitles: [String]
        let origin = slice.period.to.addingTimeInterval(-12 * 7 * 86_400)
        if columns == .week {
            columnKeys = (0..<12).map(String.init)
            columnTitles = (0..<12).map { RussianDate.shortDate(origin.addingTimeInterval(Double($0) * 7 * 86_400), in: zone) }
        } else {
            var totals: [String: Int] = [:]
            for row in data.values { for (k, t) in row { totals[k, default: 0] += t.count } }
            columnKeys = totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(14).map(\.key)
            columnTitles = columnKeys.map { $0.isEmpty ? "без территории" : UUID(uuidString: $0).flatMap { books.names[$0] } ?? "удалённая" }
        }
        let maxCount = max(data.values.flatMap { $0.values.map(\.count) }.max() ?? 1, 1)
        var cells: [[HeatMap.Cell?]] = []
        for (topic, _) in topicTotals {
            cells.append(columnKeys.enumerated().map { j, key -> HeatMap.Cell? in
                guard let t = data[topic]?[key], t.count > 0 else { return nil }
                var link = slice.listParameters
                link["category"] = topic?.uuidString
                if columns == .week {
                    let from = origin.addingTimeInterval(Double(j) * 7 * 86_400)
                    link["from"] = TimeText.formatRFC3339(from); link["to"] = TimeText.formatRFC3339(from.addingTimeInterval(7 * 86_400))
                } else if !key.isEmpty {
                    link["territory"] = key
                }
                let href = base + "/cases?" + QueuePage.encode(link)
                switch measure {
                case .volume:
                    return HeatMap.Cell(intensity: Double(t.count) / Double(maxCount), text: "\(t.count)", href: href,
                                        tooltip: "\(t.count) обращений")
                case .overdue:
                    let share = Double(t.overdue) / Double(t.count)
                    return HeatMap.Cell(intensity: share, text: KPISheet.percent(share), href: href,
                                        tooltip: "просрочено \(t.overdue) из \(t.count)")
                case .dissatisfaction:
                    guard t.rated > 0 else { return HeatMap.Cell(intensity: 0, text: "—", href: href, tooltip: "оценок нет (обращений \(t.count))") }
                    let share = Double(t.unhappy) / Double(t.rated)
                    return HeatMap.Cell(intensity: share, text: KPISheet.percent(share), href: href,
                                        tooltip: "оценки 1–3: \(t.unhappy) из \(t.rated)")
                }
            })
        }
        let rowTitles = topicTotals.map { pair in pair.0.flatMap { books.names[$0] } ?? (pair.0 == nil ? "без темы" : "удалённая тема") }
        if req.query[String.self, at: "format"] != nil {
            let format = try TableExport.format(req)
            let rows: [[XLSXWriter.Cell]] = zip(rowTitles, cells).map { title, row in [.text(title)] + row.map { $0.map { .text($0.text) } ?? .empty } }
            return try TableExport.response(format, fileName: "teplovaya-karta-\(measure.rawValue)",
                                            sheet: XLSXWriter.Sheet(name: "Тепловая карта", header: ["Тема (\(measure.title))"] + columnTitles, rows: rows))
        }
        let legend = "Тема × \(columns == .week ? "неделя" : "территория"): \(measure.title); чем темнее клетка, тем больше; число — в клетке."
        let svg = HeatMap.svg(title: "Тепловая карта: \(measure.title)", rows: rowTitles, columns: columnTitles, cells: cells, legend: legend)
        func link(_ m: HeatMapQuery.Measure, _ c: HeatMapQuery.Columns) -> String {
            base + "/heatmap?" + QueuePage.encode(params.merging(["measure": m.rawValue, "by": c.rawValue]) { _, n in n })
        }
        let p = slice.period
        return try await WebPage.render(req, "heatmap", Context(
            layout: try await WebPage.layout(req, title: "Тепловая карта", active: "dashboard", access: access),
            periodText: columns == .week
                ? "12 недель до \(RussianDate.shortDate(p.to.addingTimeInterval(-1), in: zone))"
                : "\(RussianDate.shortDate(p.from, in: zone)) — \(RussianDate.shortDate(p.to.addingTimeInterval(-1), in: zone))",
            measures: HeatMapQuery.Measure.allCases.map { Option(title: $0.title, href: link($0, columns), active: $0 == measure) },
            columns: [Option(title: "по территориям", href: link(measure, .territory), active: columns == .territory),
                      Option(title: "по неделям", href: link(measure, .week), active: columns == .week)],
            svg: svg, filterError: filterError,
            exportXLSX: base + "/heatmap?" + QueuePage.encode(params.merging(["measure": measure.rawValue, "by": columns.rawValue, "format": "xlsx"]) { _, n in n }),
            exportCSV: base + "/heatmap?" + QueuePage.encode(params.merging(["measure": measure.rawValue, "by": columns.rawValue, "format": "csv"]) { _, n in n })))
    }
}
