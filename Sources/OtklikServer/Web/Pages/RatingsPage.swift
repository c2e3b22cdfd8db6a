import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Рейтинги»: responsible organisations, blocks and executors ranked by the composite score, each
/// component and its counts shown, movement against the previous period, workload now; the weights form
/// for those who set them.
struct RatingsPage {
    struct Cell: Encodable { var text: String; var detail: String }
    struct Row: Encodable {
        var rank: String; var movement: String; var name: String; var volume: Int; var composite: String
        var cells: [Cell]; var open: Int; var overdue: Int; var href: String
    }
    struct Level: Encodable { var title: String; var href: String; var active: Bool }
    struct Weight: Encodable { var key: String; var title: String; var value: String; var formula: String }
    struct Context: Encodable {
        var layout: Layout
        var periodText: String
        var levels: [Level]
        var levelTitle: String
        var components: [Weight]
        var rows: [Row]
        var formula: String
        var mayEdit: Bool
        var version: Int
        var filterError: String?
        var query: String
        var exportXLSX: String
        var exportCSV: String
    }

    func show(req: Request) async throws -> Response {
        try await render(req, status: .ok)
    }

    /// The table as shown, as XLSX or CSV.
    func export(req: Request) async throws -> Response {
        let access = try req.tenant
        let format = try TableExport.format(req)
        var params = ((try? req.query.decode([String: String].self)) ?? [:]).filter { !$0.value.isEmpty }
        params["format"] = nil
        let level = params.removeValue(forKey: "level").flatMap(RatingQuery.Level.init(rawValue:)) ?? .organisation
        let slice = try await AnalyticsSlice.parse(params, access: access, now: req.now, on: req.db)
        let dto = try await Ratings.build(level, slice, now: req.now, on: req.db)
        let titles = RatingSheet.componentTitles.map(\.title)
        let header = ["Место", "Движение", "Название", "Поступило", "Итоговый балл"] + titles + titles.map { $0 + ": из чего" } + ["Открыто сейчас", "Просрочено сейчас"]
        let rows: [[XLSXWriter.Cell]] = dto.rows.map { r in
            [r.rank.map { .number(Double($0)) } ?? .empty, .text(r.movement), .text(r.name), .number(Double(r.volume)),
             r.composite.map { .number($0) } ?? .empty]
                + r.components.map { c in c.score.map { .number((($0 * 1000).rounded()) / 10) } ?? .text("нет данных") }
                + r.components.map { .text($0.detail) }
                + [.number(Double(r.open_now)), .number(Double(r.overdue_now))]
        }
        return try TableExport.response(format, fileName: "reiting-\(level.rawValue)-\(RussianDate.isoDate(slice.period.from, in: access.zone))",
                                        sheet: XLSXWriter.Sheet(name: "Рейтинг", header: header, rows: rows))
    }

    func saveWeights(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        var payload: [String: JSONValue] = ["version": Int(form["version"] ?? "").map { .number(Double($0)) } ?? .null]
        for (key, _, _) in RatingSheet.componentTitles {
            let raw = (form[key] ?? "").replacingOccurrences(of: ",", with: ".")
            payload[key] = Double(raw).map(JSONValue.number) ?? .string(raw)
        }
        do {
            _ = try await Ratings.saveWeights(payload, access: access, now: req.now, on: req.db)
            return WebPage.redirect(req, to: "/m/\(access.slug)/ratings", flash: "Веса рейтинга сохранены.")
        } catch let problem as Problem where problem.statusCode == 422 || problem.statusCode == 409 {
            return WebPage.redirect(req, to: "/m/\(access.slug)/ratings",
                                    flash: "Веса не сохранены: " + (problem.statusCode == 409 ? problem.detail ?? "" : problem.reasonsByField.values.sorted().joined(separator: "; ")),
                                    error: true)
        }
    }

    private func render(_ req: Request, status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        var params = ((try? req.query.decode([String: String].self)) ?? [:]).filter { !$0.value.isEmpty }
        let level = params.removeValue(forKey: "level").flatMap(RatingQuery.Level.init(rawValue:)) ?? .organisation
        let (slice, applied, filterError) = try await AnalyticsSlice.forPage(params, access: access, now: req.now, on: req.db)
        params = applied
        let dto = try await Ratings.build(level, slice, now: req.now, on: req.db)
        let base = "/m/\(access.slug)"
        let query = QueuePage.encode(params)
        func percent(_ v: Double?) -> String { v.map(KPISheet.percent) ?? "нет данных" }
        let filterKey = level == .executor ? "executor" : level.rawValue
        let rows = dto.rows.map { r in
            Row(rank: r.rank.map(String.init) ?? "—", movement: r.movement, name: r.name, volume: r.volume,
                composite: r.composite.map { String(format: "%.1f", $0).replacingOccurrences(of: ".", with: ",") } ?? "нет данных",
                cells: r.components.map { Cell(text: percent($0.score), detail: $0.detail) }, open: r.open_now, overdue: r.overdue_now,
                href: level == .executor ? base + "/cases?" + QueuePage.encode(slice.listParameters)
                    : base + "/cases?" + QueuePage.encode(slice.listParameters.merging([filterKey: r.id]) { _, n in n }))
        }
        let weights = dto.weights
        let values = ["timeliness": weights.timeliness, "speed": weights.speed, "completeness": weights.completeness,
                      "quality": weights.quality, "satisfaction": weights.satisfaction]
        let p = slice.period
        return try await WebPage.render(req, "ratings", Context(
            layout: try await WebPage.layout(req, title: "Рейтинги", active: "ratings", access: access),
            periodText: "\(RussianDate.shortDate(p.from, in: zone)) — \(RussianDate.shortDate(p.to.addingTimeInterval(-1), in: zone)); движение — к \(RussianDate.shortDate(p.previous.from, in: zone)) — \(RussianDate.shortDate(p.from.addingTimeInterval(-1), in: zone))",
            levels: RatingQuery.Level.allCases.map { l in
                Level(title: l.title, href: base + "/ratings?" + QueuePage.encode(params.merging(["level": l.rawValue]) { _, n in n }), active: l == level)
            },
            levelTitle: level.title,
            components: RatingSheet.componentTitles.map { c in
                Weight(key: c.key, title: c.title, value: String(format: "%g", values[c.key] ?? 0), formula: c.formula)
            },
            rows: rows, formula: dto.formula,
            mayEdit: access.administers || !access.roles.isDisjoint(with: [.mcuHead, .coordinator, .curator]),
            version: weights.version, filterError: filterError, query: query,
            exportXLSX: base + "/ratings/export?" + QueuePage.encode(params.merging(["level": level.rawValue, "format": "xlsx"]) { _, n in n }),
            exportCSV: base + "/ratings/export?" + QueuePage.encode(params.merging(["level": level.rawValue, "format": "csv"]) { _, n in n })), status: status)
    }
}
