import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/polls…`: votes, public discussions and the centre's own questions, next to
/// the complaints, and the topics worth putting to a vote.
struct PollsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let p = routes.grouped("polls")
        p.get(use: list)
        p.post(use: create)
        p.on(.POST, "import", body: .collect(maxSize: "8mb"), use: importFile)
        p.get("suggestions", use: suggestions)
        p.patch(":id", use: link)
    }

    struct Items: Content { var items: [Polls.DTO] }
    struct Suggestions: Content { var items: [Polls.Suggestion] }

    func service(_ req: Request) throws -> Polls { Polls(db: req.db, access: try req.tenant, now: req.now) }

    func list(req: Request) async throws -> Items {
        let s = try service(req)
        return Items(items: try await s.dtos(try await s.list()))
    }

    func create(req: Request) async throws -> Response {
        let s = try service(req)
        return try await s.dtos([try await s.create(try req.jsonObject())])[0].encodeResponse(status: .created, for: req)
    }

    /// Body: the file (CSV or XLSX); `?kind=vote|discussion`.
    func importFile(req: Request) async throws -> Response {
        let s = try service(req)
        let data = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        let made = try await s.importFile(data, kind: (try? req.query.get(String.self, at: "kind")) ?? "vote")
        return try await Items(items: try await s.dtos(made)).encodeResponse(status: .created, for: req)
    }

    func suggestions(req: Request) async throws -> Suggestions { Suggestions(items: try await service(req).suggestions()) }

    func link(req: Request) async throws -> Polls.DTO {
        let s = try service(req)
        return try await s.dtos([try await s.link(try req.uuidParameter("id", notFound: "Голосование не найдено."), try req.jsonObject())])[0]
    }
}
