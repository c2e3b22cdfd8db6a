import Fluent
import OtklikCore
import Vapor

/// Answer templates: `/api/v1/municipalities/{m}/answer-templates`. Everyone in the municipality reads
/// them; the administrator edits.
struct AnswerTemplatesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("answer-templates")
        r.get(use: list)
        r.post(use: create)
        r.patch(":id", use: update)
        r.delete(":id", use: delete)
    }

    func list(req: Request) async throws -> [AnswerTemplates.DTO] {
        try await AnswerTemplates.list(tenantID: try req.tenant.tenantID, on: req.db).map(AnswerTemplates.DTO.init)
    }

    func create(req: Request) async throws -> Response {
        let t = try await AnswerTemplates.save(try req.jsonObject(), existing: nil, access: try req.tenant, now: req.now, on: req.db)
        return try await AnswerTemplates.DTO(t).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> AnswerTemplates.DTO {
        let access = try req.tenant
        let t = try await AnswerTemplates.find(try id(req), access: access, on: req.db)
        return AnswerTemplates.DTO(try await AnswerTemplates.save(try req.jsonObject(), existing: t, access: access, now: req.now, on: req.db))
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        try await AnswerTemplates.delete(try await AnswerTemplates.find(try id(req), access: access, on: req.db), access: access, on: req.db)
        return .noContent
    }

    private func id(_ req: Request) throws -> UUID {
        try req.uuidParameter(notFound: "Шаблон ответа не найден.")
    }
}
extension AnswerTemplates.DTO: Content {}
