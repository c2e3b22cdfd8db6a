import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Архив записок»: the weekly memos made on schedule, newest first, each downloadable as it was sent.
/// The memo covers the whole municipality, so readers limited to their organisation do not get it.
struct MemoArchivePage {
    struct Item: Encodable { var period: String; var created: String; var by: String; var href: String; var size: String }
    struct Context: Encodable { var layout: Layout; var items: [Item]; var nextText: String }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        try Self.requireWholeMunicipality(access)
        let zone = access.zone
        let memos = try await MemoRecord.query(on: req.db).filter(\.$tenantID == access.tenantID)
            .field(\.$id).field(\.$tenantID).field(\.$periodFrom).field(\.$periodTo).field(\.$createdAt).field(\.$createdBy)
            .sort(\.$periodFrom, .descending).limit(104).all()
        let items = memos.map { m in
            Item(period: "\(RussianDate.shortDate(m.periodFrom, in: zone)) — \(RussianDate.shortDate(m.periodTo.addingTimeInterval(-1), in: zone))",
                 created: RussianDate.dateTime(m.createdAt, in: zone), by: m.createdBy,
                 href: "/m/\(access.slug)/memos/\(m.id!.uuidString)", size: "")
        }
        let week = AnalyticsPeriod.week(containing: req.now, in: zone)
        let next = req.now >= week.from.addingTimeInterval(Double(MemoScheduler.hour) * 3_600) ? week.to : week.from
        return try await WebPage.render(req, "memos", Context(
            layout: try await WebPage.layout(req, title: "Архив записок", active: "dashboard", access: access), items: items,
            nextText: RussianDate.dateTime(next.addingTimeInterval(Double(MemoScheduler.hour) * 3_600), in: zone)))
    }

    func download(req: Request) async throws -> Response {
        let access = try req.tenant
        try Self.requireWholeMunicipality(access)
        let id = try req.uuidParameter(notFound: "Записка не найдена.")
        guard let m = try await MemoRecord.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound("Записка не найдена.")
        }
        return Download.attachment(m.docx, contentType: Download.docx, fileName: "zapiska-\(RussianDate.isoDate(m.periodFrom, in: access.zone)).docx")
    }

    static func requireWholeMunicipality(_ access: TenantAccess) throws {
        guard access.visibleOrganisationIDs == nil else {
            throw Problem.forbidden("Архив аналитических записок доступен сотрудникам МЦУ и руководству муниципального образования.")
        }
    }
}
