import Fluent
import Foundation
import OtklikCore
import Vapor

/// The case list with its filters, downloaded as XLSX or CSV (`/m/{m}/cases/export?format=…&…filters`):
/// up to 10 000 rows, the residents' contacts only for the roles that see personal data.
struct CaseExport {
    static let maxRows = 10_000

    func download(req: Request) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        let format = try TableExport.format(req)
        var params = (try? req.query.decode([String: String].self)) ?? [:]
        params["format"] = nil
        params["cursor"] = nil
        var filter = try CaseListFilter.parse(params, timeZone: zone)
        filter.limit = CaseListFilter.maxLimit
        var records: [CaseRecord] = []
        while records.count < Self.maxRows {
            let (page, next) = try await CaseQueries.records(filter, access: access, now: req.now, on: req.db)
            records += page
            guard let next, let cursor = CaseCursor(encoded: next) else { break }
            filter.cursor = cursor
        }
        records = Array(records.prefix(Self.maxRows))
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let personal = access.seesPersonalData
        var header = ["№", "Номер в источнике", "Поступило", "Канал", "Статус", "Результат", "Блок", "Организация", "Тема",
                      "Территория", "Адрес", "Ближайший срок", "Оценка", "Текст"]
        if personal { header += ["Автор", "Телефон", "Эл. почта"] }
        func name(_ id: UUID?) -> XLSXWriter.Cell { id.flatMap { books.names[$0] }.map(XLSXWriter.Cell.text) ?? .empty }
        func text(_ s: String?) -> XLSXWriter.Cell { s.map(XLSXWriter.Cell.text) ?? .empty }
        let rows: [[XLSXWriter.Cell]] = records.map { r in
            var row: [XLSXWriter.Cell] = [
                .number(Double(r.number)), text(r.externalID), .date(TableExport.serial(r.receivedAt, zone: zone)),
                .text(CaseChannel(rawValue: r.channel)?.title ?? r.channel), .text(CaseStatus(rawValue: r.status)?.title ?? r.status),
                text(r.result.flatMap { CaseResult(rawValue: $0)?.title }), name(r.blockID), name(r.organisationID), name(r.categoryID),
                name(r.territoryID), text(r.address), r.nextDueAt.map { .date(TableExport.serial($0, zone: zone)) } ?? .empty,
                r.feedbackRating.map { .number(Double($0)) } ?? .empty, .text(String(r.text.prefix(32_000))),
            ]
            if personal { row += [text(r.authorName), text(r.authorPhone), text(r.authorEmail)] }
            return row
        }
        return try TableExport.response(format, fileName: "obrashcheniya-\(RussianDate.isoDate(req.now, in: zone))",
                                        sheet: XLSXWriter.Sheet(name: "Обращения", header: header, rows: rows,
                                                                widths: [8, 16, 18, 18, 20, 14, 18, 28, 24, 20, 28, 18, 8, 60] + (personal ? [24, 16, 24] : [])))
    }
}
