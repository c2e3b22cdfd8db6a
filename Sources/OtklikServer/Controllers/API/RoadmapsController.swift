import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/roadmaps…`: roadmaps against root causes and their measured effect.
struct RoadmapsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("roadmaps")
        r.get(use: list)
        r.post(use: create)
        r.get(":id", use: show)
        r.post(":id", "steps", use: addStep)
        r.post(":id", "steps", "done", use: completeStep)
    }

    struct Items: Content { var items: [Roadmaps.DTO] }

    func service(_ req: Request) throws -> Roadmaps { Roadmaps(db: req.db, access: try req.tenant, now: req.now) }
    func id(_ req: Request) throws -> UUID { try req.uuidParameter("id", notFound: Roadmaps.notFound) }

    func list(req: Request) async throws -> Items {
        let s = try service(req)
        var out: [Roadmaps.DTO] = []
        for m in try await s.list() { out.append(try await s.dto(m)) }
        return Items(items: out)
    }

    func create(req: Request) async throws -> Response {
        let s = try service(req)
        return try await s.dto(try await s.create(try req.jsonObject())).encodeResponse(status: .created, for: req)
    }

    func show(req: Request) async throws -> Roadmaps.DTO {
        let s = try service(req)
        return try await s.dto(try await s.find(try id(req)))
    }

    func addStep(req: Request) async throws -> Roadmaps.DTO {
        let s = try service(req), roadmap = try id(req)
        try await s.addStep(roadmap, try req.jsonObject())
        return try await s.dto(try await s.find(roadmap))
    }

    func completeStep(req: Request) async throws -> Roadmaps.DTO {
        let s = try service(req), roadmap = try id(req)
        try await s.completeStep(roadmap, try req.jsonObject())
        return try await s.dto(try await s.find(roadmap))
    }
}
