import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Карта»: the municipality's territories shaded by volume, overdue share or dissatisfaction, circles where
/// cases with coordinates gather, each territory opening its cases; the same figures as a table that
/// downloads. An administrator loads the boundaries here from a GeoJSON file.
struct MapPage {
    struct Option: Encodable { var title: String; var href: String; var active: Bool }
    struct Row: Encodable { var name: String; var count: Int; var overdue: String; var dissatisfaction: String; var href: String }
    struct Context: Encodable {
        var layout: Layout; var periodText: String; var measures: [Option]; var svg: String; var filterError: String?
        var rows: [Row]; var located: Int; var administers: Bool; var boundaries: Int; var exportXLSX: String; var exportCSV: String
    }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        var params = ((try? req.query.decode([String: String].self)) ?? [:]).filter { !$0.value.isEmpty }
        let measure = params.removeValue(forKey: "measure").flatMap(HeatMapQuery.Measure.init(rawValue:)) ?? .volume
        let format = params.removeValue(forKey: "format")
        let (slice, applied, filterError) = try await AnalyticsSlice.forPage(params, access: access, now: req.now, on: req.db)
        params = applied
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let query = MapQuery(db: req.db)
        let territories = try await query.territories(slice, now: req.now, books: books, on: req.db)
        let clusters = try await query.clusters(slice)
        let base = "/m/\(access.slug)"
        func casesHref(_ id: UUID) -> String { base + "/cases?" + QueuePage.encode(slice.listParameters.merging(["territory": id.uuidString]) { _, n in n }) }
        func share(_ part: Int, _ whole: Int) -> Double? { whole > 0 ? Double(part) / Double(whole) : nil }
        let rows = territories.sorted { ($0.tally.count, $1.name) > ($1.tally.count, $0.name) }.map { t in
            Row(name: t.name, count: t.tally.count, overdue: share(t.tally.overdue, t.tally.count).map(KPISheet.percent) ?? "—",
                dissatisfaction: share(t.tally.unhappy, t.tally.rated).map(KPISheet.percent) ?? "нет оценок", href: casesHref(t.id))
        }
        if format != nil {
            let chosen = try TableExport.format(req)
            let sheet = XLSXWriter.Sheet(name: "Карта", header: ["Территория", "Обращений", "Просрочено сейчас", "Оценки 1–3"],
                                         rows: rows.map { [.text($0.name), .number(Double($0.count)), .text($0.overdue), .text($0.dissatisfaction)] },
                                         widths: [40, 12, 18, 14])
            return try TableExport.response(chosen, fileName: "karta-\(RussianDate.isoDate(slice.period.from, in: zone))", sheet: sheet)
        }
        let maxCount = max(territories.map(\.tally.count).max() ?? 0, 1)
        let areas = territories.map { t -> MunicipalityMap.Area in
            let tally = t.tally
            switch measure {
            case .volume:
                return .init(name: t.name, shape: t.shape, intensity: Double(tally.count) / Double(maxCount), valueText: "\(tally.count)",
                             href: casesHref(t.id), tooltip: "\(t.name): \(RussianPlural.count(tally.count, one: "обращение", few: "обращения", many: "обращений"))")
            case .overdue:
                let s = share(tally.overdue, tally.count)
                return .init(name: t.name, shape: t.shape, intensity: s ?? 0, valueText: s.map(KPISheet.percent) ?? "—",
                             href: casesHref(t.id), tooltip: "\(t.name): просрочено \(tally.overdue) из \(tally.count)")
            case .dissatisfaction:
                let s = share(tally.unhappy, tally.rated)
                return .init(name: t.name, shape: t.shape, intensity: s ?? 0, valueText: s.map(KPISheet.percent) ?? "нет оценок",
                             href: casesHref(t.id), tooltip: "\(t.name): оценки 1–3 — \(tally.unhappy) из \(tally.rated)")
            }
        }
        let config = req.application.otklikConfig
        let tiles = config.mapTileURL.map { MunicipalityMap.Tiles(template: $0, attribution: config.mapTileAttribution) }
        let located = clusters.reduce(0) { $0 + $1.count }
        let svg = MunicipalityMap.svg(title: "Карта обращений: \(measure.title)",
                                      legend: "Заливка территории — \(measure.title) (число — на территории); кружки — обращения с координатами, число — в кружке.",
                                      areas: areas, clusters: clusters, tiles: tiles)
        let p = slice.period
        func link(_ m: HeatMapQuery.Measure) -> String { base + "/map?" + QueuePage.encode(params.merging(["measure": m.rawValue]) { _, n in n }) }
        func export(_ f: String) -> String { base + "/map?" + QueuePage.encode(params.merging(["measure": measure.rawValue, "format": f]) { _, n in n }) }
        let response = try await WebPage.render(req, "map", Context(
            layout: try await WebPage.layout(req, title: "Карта", active: "dashboard", access: access),
            periodText: "\(RussianDate.shortDate(p.from, in: zone)) — \(RussianDate.shortDate(p.to.addingTimeInterval(-1), in: zone))",
            measures: HeatMapQuery.Measure.allCases.map { Option(title: $0.title, href: link($0), active: $0 == measure) },
            svg: svg, filterError: filterError, rows: rows, located: located, administers: access.administers,
            boundaries: territories.count, exportXLSX: export("xlsx"), exportCSV: export("csv")))
        if let template = config.mapTileURL, let origin = Self.origin(template) { WebPage.secure(response, imageOrigins: [origin]) }
        return response
    }

    /// «https://tiles.example:8443» of a tile URL template: the only other origin the page may load images from.
    static func origin(_ template: String) -> String? {
        guard let u = URLComponents(string: template.replacingOccurrences(of: "{z}", with: "0").replacingOccurrences(of: "{x}", with: "0")
            .replacingOccurrences(of: "{y}", with: "0")), let scheme = u.scheme, let host = u.host else { return nil }
        return "\(scheme)://\(host)" + (u.port.map { ":\($0)" } ?? "")
    }

    struct Upload: Content { var file: File? }

    /// Boundaries from a GeoJSON FeatureCollection (administrator).
    func uploadBoundaries(req: Request) async throws -> Response {
        let access = try req.tenant
        let back = "/m/\(access.slug)/map"
        guard access.administers else {
            return WebPage.redirect(req, to: back, flash: "Загружать границы территорий может только администратор МЦУ.", error: true)
        }
        guard let file = try req.content.decode(Upload.self).file, file.data.readableBytes > 0 else {
            return WebPage.redirect(req, to: back, flash: "Выберите файл границ (GeoJSON).", error: true)
        }
        do {
            let report = try await TerritoryBoundaries.load(String(buffer: file.data), access: access, req: req)
            var text = "Границы загружены: \(report.matched) — \(report.updated.joined(separator: ", "))."
            if !report.unmatched.isEmpty {
                text += " Не найдены среди территорий (пропущены): \(report.unmatched.prefix(20).joined(separator: ", "))."
            }
            return WebPage.redirect(req, to: back, flash: text)
        } catch let problem as Problem where problem.statusCode == 422 {
            return WebPage.redirect(req, to: back, flash: (problem.detail ?? "Границы не загружены") + ": "
                                    + ((problem.errors ?? []).map(\.reason).joined(separator: "; ")), error: true)
        }
    }
}
