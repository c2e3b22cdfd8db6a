import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/connectors`: the administrator's outside connections (VK communities…).
struct ConnectorsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let c = routes.grouped("connectors")
        c.get(use: list)
        c.post(use: create)
        c.patch(":id", use: update)
        c.delete(":id", use: delete)
        c.get(":id", "notifications", use: notifications)
        c.post(":id", "test", use: test)
    }

    /// The connector's outbox (letters, alert-chat posts), newest first.
    func notifications(req: Request) async throws -> [NotificationLog.DTO] {
        let access = try req.tenant
        let c = try await Connectors.find(try id(req), tenantID: access.tenantID, on: req.db)
        return try await NotificationLog.latest(c, access: access, on: req.db).map(NotificationLog.dto)
    }

    /// Queues a test letter to the caller or a test post to the alert chat; the outbox pass sends it.
    func test(req: Request) async throws -> Response {
        let access = try req.tenant
        let c = try await Connectors.find(try id(req), tenantID: access.tenantID, on: req.db)
        let row = try await NotificationLog.sendTest(c, access: access, now: req.now, on: req.db)
        return try await NotificationLog.dto(row).encodeResponse(status: .accepted, for: req)
    }

    func list(req: Request) async throws -> [Connectors.DTO] {
        let access = try req.tenant
        try access.requireAdministration()
        return try await Connectors.list(tenantID: access.tenantID, on: req.db).map(Connectors.dto)
    }

    func create(req: Request) async throws -> Response {
        let c = try await Connectors.save(try req.jsonObject(), existing: nil, access: try req.tenant, now: req.now, on: req.db)
        return try await Connectors.dto(c).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> Connectors.DTO {
        let access = try req.tenant
        let c = try await Connectors.find(try id(req), tenantID: access.tenantID, on: req.db)
        return Connectors.dto(try await Connectors.save(try req.jsonObject(), existing: c, access: access, now: req.now, on: req.db))
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        try await Connectors.delete(try await Connectors.find(try id(req), tenantID: access.tenantID, on: req.db), access: access, on: req.db)
        return .noContent
    }

    private func id(_ req: Request) throws -> UUID {
        try req.uuidParameter(notFound: "Подключение не найдено.")
    }
}

extension Connectors.DTO: Content {}
extension NotificationLog.DTO: Content {}
