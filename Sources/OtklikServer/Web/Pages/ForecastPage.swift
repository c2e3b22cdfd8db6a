import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Прогноз»: incoming cases for the next four weeks, in total, per thematic block and per channel, each
/// with the model used and its error measured on the municipality's own past weeks.
struct ForecastPage {
    struct Row: Encodable {
        var name: String; var lastWeek: String; var values: [String]; var error: String; var model: String; var note: String?
    }
    struct Context: Encodable {
        var layout: Layout; var weekTitles: [String]; var total: Row; var blocks: [Row]; var channels: [Row]; var chart: String
        var historyText: String
    }


    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        let slice = try await AnalyticsSlice.parse([:], access: access, now: req.now, on: req.db)
        let week = AnalyticsPeriod.week(containing: req.now, in: zone).from
        let load = { try await ForecastQuery(db: req.db).history(slice, now: req.now, zone: zone) }
        let history: ForecastQuery.History
        if let cache = req.application.storage[ForecastHistoryCacheKey.self] {
            history = try await cache.history(ForecastHistoryCache.key(slice, week: week), now: req.now, load: load)
        } else {
            history = try await load()
        }
        let first = history.total.firstIndex { $0 > 0 } ?? history.total.count
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        func row(_ name: String, _ series: [Double]) -> Row {
            let s = ForecastQuery.trimmed(series, firstWeek: first)
            let last = s.last.map { String(Int($0)) } ?? "—"
            do {
                let r = try Forecast.forecast(s, horizon: 4)
                let error = r.mae.map { "±" + String(format: "%.1f", $0).replacingOccurrences(of: ".", with: ",") + " в неделю" }
                    ?? "не оценена: для проверки нужно \(Forecast.minimumWeeks + 4) недель истории"
                return Row(name: name, lastWeek: last, values: r.values.map { String(Int($0.rounded())) },
                           error: error + (r.mape.map { " (" + KPISheet.percent($0) + ")" } ?? ""), model: r.model, note: nil)
            } catch {
                return Row(name: name, lastWeek: last, values: [], error: "—", model: "—", note: error.russian)
            }
        }
        let total = row("Всего", history.total)
        let blocks = books.blocks.compactMap { b in history.byBlock[b.id].map { row(b.name, $0) } }
        let channels = history.byChannel.sorted { $0.value.reduce(0, +) > $1.value.reduce(0, +) }
            .map { row(CaseChannel(rawValue: $0.key)?.title ?? $0.key, $0.value) }
        let thisWeek = AnalyticsPeriod.week(containing: req.now, in: zone)
        let weekTitles = (0..<4).map { "неделя с " + RussianDate.shortDate(thisWeek.from.addingTimeInterval(Double($0) * 7 * 86_400), in: zone) }
        if req.query[String.self, at: "format"] != nil {
            let format = try TableExport.format(req)
            let rows: [[XLSXWriter.Cell]] = ([total] + blocks + channels).map { r in
                [.text(r.name), Int(r.lastWeek).map { .number(Double($0)) } ?? .empty]
                    + (r.note == nil ? r.values.map { Int($0).map { .number(Double($0)) } ?? .empty } : Array(repeating: .empty, count: 4))
                    + [.text(r.note ?? r.error), .text(r.model)]
            }
            return try TableExport.response(format, fileName: "prognoz-\(RussianDate.isoDate(thisWeek.from, in: zone))",
                                            sheet: XLSXWriter.Sheet(name: "Прогноз", header: ["Что", "Прошлая неделя"] + weekTitles + ["Ошибка", "Модель"],
                                                                    rows: rows, widths: [36, 14, 18, 18, 18, 18, 30, 40]))
        }
        // The last 12 weeks as they were and the 4 forecast weeks hatched.
        let recent = Array(history.total.suffix(12))
        let labels = (0..<16).map { RussianDate.shortDate(thisWeek.from.addingTimeInterval(Double($0 - 12) * 7 * 86_400), in: zone) }
        let forecastValues = total.values.compactMap(Double.init)
        let chart = SVGChart.columns(title: "Поступление: 12 прошедших недель и прогноз на 4 (штриховка)", labels: labels,
                                     values: recent + forecastValues, hatchedFrom: recent.count)
        let weeksOfHistory = history.total.count - first
        return try await WebPage.render(req, "forecast", Context(
            layout: try await WebPage.layout(req, title: "Прогноз", active: "dashboard", access: access),
            weekTitles: weekTitles, total: total, blocks: blocks, channels: channels, chart: chart,
            historyText: "История: \(RussianPlural.count(weeksOfHistory, one: "полная неделя", few: "полные недели", many: "полных недель")) (не больше 104)."))
    }
}
