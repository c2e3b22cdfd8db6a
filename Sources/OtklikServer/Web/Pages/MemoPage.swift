import Fluent
import Foundation
import OtklikCore
import Vapor

/// The weekly memo as a printable page and as the DOCX download, for the period and slice in the address.
struct MemoPage {
    struct Table: Encodable { var header: [String]; var rows: [[String]] }
    struct Section: Encodable { var title: String; var paragraphs: [String]; var table: Table?; var bullets: [String]; var chart: String? }
    struct Context: Encodable {
        var layout: Layout; var municipality: String; var periodText: String; var previousText: String; var generated: String
        var sections: [Section]; var docxHref: String; var xlsxHref: String
    }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        let (slice, params) = try await parse(req, access)
        let input = try await MemoService.input(slice, access: access, now: req.now, on: req.db)
        let sections = WeeklyMemo.sections(input).map { s in
            Section(title: s.title, paragraphs: s.paragraphs, table: s.table.map { Table(header: $0.header, rows: $0.rows) }, bullets: s.bullets,
                    chart: s.chart.map { bars in
                        SVGChart.horizontalBars(title: s.chartDescription, bars: zip(input.topics, bars).enumerated().map { i, pair in
                            SVGChart.Bar(label: "\(i + 1). \(pair.0.name)", value: pair.1.value, comparison: pair.1.comparison,
                                         valueText: "\(pair.0.count) (было \(pair.0.previous))")
                        }, comparisonLabel: "предыдущий период")
                    })
        }
        return try await WebPage.render(req, "memo", Context(
            layout: try await WebPage.layout(req, title: "Аналитическая записка", active: "dashboard", access: access),
            municipality: input.municipality, periodText: input.periodText, previousText: input.previousText,
            generated: input.generatedText, sections: sections,
            docxHref: "/m/\(access.slug)/memo.docx" + (params.isEmpty ? "" : "?" + QueuePage.encode(params)),
            xlsxHref: "/m/\(access.slug)/memo.xlsx" + (params.isEmpty ? "" : "?" + QueuePage.encode(params))))
    }

    func docx(req: Request) async throws -> Response {
        let access = try req.tenant
        let (slice, _) = try await parse(req, access)
        return try await MemoService.download(slice, access: access, now: req.now, on: req.db)
    }

    /// Every table of the memo, one sheet each.
    func xlsx(req: Request) async throws -> Response {
        let access = try req.tenant
        let (slice, _) = try await parse(req, access)
        let input = try await MemoService.input(slice, access: access, now: req.now, on: req.db)
        let sheets = WeeklyMemo.sections(input).compactMap { s -> XLSXWriter.Sheet? in
            guard let t = s.table else { return nil }
            let name = String(s.title.drop { $0 != " " }.dropFirst().prefix(31))
            return XLSXWriter.Sheet(name: name, header: t.header, rows: t.rows.map { $0.map(XLSXWriter.Cell.text) })
        }
        return try TableExport.response(.xlsx, fileName: "zapiska-tablicy-\(RussianDate.isoDate(slice.period.from, in: access.zone))", sheets: sheets)
    }

    private func parse(_ req: Request, _ access: TenantAccess) async throws -> (AnalyticsSlice, [String: String]) {
        let params = ((try? req.query.decode([String: String].self)) ?? [:]).filter { !$0.value.isEmpty }
        return (try await AnalyticsSlice.parse(params, access: access, now: req.now, on: req.db), params)
    }
}
