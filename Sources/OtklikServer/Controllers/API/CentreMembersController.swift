import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/centre-members…`: the МЦУ's personal composition and its printable list.
struct CentreMembersController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let m = routes.grouped("centre-members")
        m.get(use: list)
        m.post(use: create)
        m.get("composition.docx", use: composition)
        m.patch(":id", use: edit)
    }

    struct Items: Content { var items: [CentreMembers.DTO] }

    func service(_ req: Request) throws -> CentreMembers { CentreMembers(db: req.db, access: try req.tenant, now: req.now) }

    /// `?on=2026-12-10`: only those serving that day; without it, every entry (past ones too).
    func list(req: Request) async throws -> Items {
        let s = try service(req)
        var records = try await s.all()
        if let raw = try? req.query.get(String.self, at: "on") {
            guard let day = LocalDay(raw) else { throw Problem.validation([FieldIssue("on", "дата вида 2026-12-10")]) }
            records = records.filter { $0.member.serves(on: day) }
        }
        return Items(items: s.dtos(records))
    }

    func create(req: Request) async throws -> Response {
        let s = try service(req)
        let m = try await s.save(try req.jsonObject(), existing: nil)
        return try await s.dtos(try await s.all()).first { $0.id == m.id }!.encodeResponse(status: .created, for: req)
    }

    func edit(req: Request) async throws -> CentreMembers.DTO {
        let s = try service(req)
        let existing = try await s.find(try req.uuidParameter("id", notFound: CentreMembers.notFound))
        let m = try await s.save(try req.jsonObject(), existing: existing)
        return s.dtos(try await s.all()).first { $0.id == m.id }!
    }

    /// The composition on `?on=` (default today) as DOCX «sostav-mcu-2026-12-10.docx».
    func composition(req: Request) async throws -> Response {
        let s = try service(req)
        var day = s.today
        if let raw = try? req.query.get(String.self, at: "on") {
            guard let d = LocalDay(raw) else { throw Problem.validation([FieldIssue("on", "дата вида 2026-12-10")]) }
            day = d
        }
        return Download.attachment(try await s.docx(on: day), contentType: Download.docx, fileName: "sostav-mcu-\(day.iso).docx")
    }
}
