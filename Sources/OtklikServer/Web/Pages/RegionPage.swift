import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Сводка по региону» for the regional centre (ЦУР): municipalities side by side, ranked, and the
/// regional memo as DOCX.
struct RegionPage {
    struct Row: Encodable { var rank: String; var name: String; var href: String; var score: String; var cells: [String] }
    struct Context: Encodable {
        var layout: Layout; var periodText: String; var titles: [String]; var rows: [Row]; var formula: String; var docxHref: String
        var from: String; var to: String; var filterError: String?
    }
    static let columns = ["volume", "taken_on_time", "on_time_final_answer", "overdue_now", "satisfaction", "accepted_by_silence", "reopen_rate", "resolved_share"]
    static let titles = ["Поступило", "Изм. к пред. периоду", "Взяты в срок", "Ответ в срок", "Просрочено сейчас", "Оценки 4–5", "Без возражений", "Повторные", "Решено"]

    func show(req: Request) async throws -> Response {
        let principal = try req.principal()
        var params = Self.period(req)
        var filterError: String?
        var rows: [RegionalSummary.Row]
        do { rows = try await RegionalSummary.rows(params, principal: principal, now: req.now, on: req.db) } catch let p as Problem where p.statusCode == 422 {
            filterError = "Фильтр не применён: " + p.reasonsByField.values.sorted().joined(separator: "; ")
            params = [:]
            rows = try await RegionalSummary.rows([:], principal: principal, now: req.now, on: req.db)
        }
        guard !rows.isEmpty else { throw Problem.forbidden("Сводка по региону доступна региональному центру управления.") }
        let zone = TimeZone(identifier: rows[0].municipality.timeZone) ?? .gmt
        let period = rows[0].period
        let items = rows.map { r in
            Row(rank: r.rank.map(String.init) ?? "—", name: r.municipality.name, href: "/m/\(r.municipality.slug)/dashboard?" + QueuePage.encode(params),
                score: r.score.map { String(format: "%.1f", $0).replacingOccurrences(of: ".", with: ",") } ?? "нет данных",
                cells: Self.columns.flatMap { key -> [String] in
                    let f = r.figures[key]
                    return key == "volume" ? [f?.text ?? "—", KPISheet.changeText(f?.changePrevious)] : [f?.text ?? "—"]
                })
        }
        return try await WebPage.render(req, "region", Context(
            layout: try await WebPage.layout(req, title: "Сводка по региону", active: "", access: nil),
            periodText: "\(RussianDate.shortDate(period.from, in: zone)) — \(RussianDate.shortDate(period.to.addingTimeInterval(-1), in: zone))",
            titles: Self.titles, rows: items, formula: RegionalSummary.formula,
            docxHref: "/region/memo.docx" + (params.isEmpty ? "" : "?" + QueuePage.encode(params)),
            from: RussianDate.isoDate(period.from, in: zone), to: RussianDate.isoDate(period.to.addingTimeInterval(-1), in: zone), filterError: filterError))
    }

    func docx(req: Request) async throws -> Response {
        let principal = try req.principal()
        let rows = try await RegionalSummary.rows(Self.period(req), principal: principal, now: req.now, on: req.db)
        guard let first = rows.first else { throw Problem.forbidden("Сводка по региону доступна региональному центру управления.") }
        let zone = TimeZone(identifier: first.municipality.timeZone) ?? .gmt
        var region = ""
        if let id = first.municipality.regionID { region = try await Region.find(id, on: req.db)?.name ?? "" }
        let text = "\(RussianDate.shortDate(first.period.from, in: zone)) — \(RussianDate.shortDate(first.period.to.addingTimeInterval(-1), in: zone))"
        let data = try XLSXPackage.write(RegionalSummary.docx(rows, periodText: text, region: region, generated: RussianDate.dateTime(req.now, in: zone)).parts())
        return Download.attachment(data, contentType: Download.docx, fileName: "zapiska-region-\(RussianDate.isoDate(first.period.from, in: zone)).docx")
    }

    /// Only the period is taken from the address: the region's view has no slice.
    private static func period(_ req: Request) -> [String: String] {
        ((try? req.query.decode([String: String].self)) ?? [:]).filter { ($0.key == "from" || $0.key == "to") && !$0.value.isEmpty }
    }
}
