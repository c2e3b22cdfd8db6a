import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/practices`: best practices with the figures that motivated them and their effect.
struct PracticesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let p = routes.grouped("practices")
        p.get(use: list)
        p.post(use: create)
    }

    struct Items: Content { var items: [Practices.DTO] }

    func list(req: Request) async throws -> Items {
        let s = Practices(db: req.db, access: try req.tenant, now: req.now)
        return Items(items: try await s.dtos(try await s.list()))
    }

    func create(req: Request) async throws -> Response {
        let s = Practices(db: req.db, access: try req.tenant, now: req.now)
        return try await s.dtos([try await s.create(try req.jsonObject())])[0].encodeResponse(status: .created, for: req)
    }
}
