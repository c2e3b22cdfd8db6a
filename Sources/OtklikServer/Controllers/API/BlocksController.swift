import Fluent
import OtklikCore
import Vapor

/// Thematic blocks (отраслевые блоки): `/api/v1/municipalities/{m}/blocks`.
struct BlocksController: RouteCollection {
    struct DTO: Content {
        var id: UUID
        var code: String
        var name: String
        var lead_user_id: UUID?
        var archived: Bool
        init(_ b: ThematicBlock) {
            id = b.id!; code = b.code; name = b.name; lead_user_id = b.leadUserID; archived = b.deletedAt != nil
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("blocks")
        r.get(use: list)
        r.post(use: create)
        r.get(":id", use: show)
        r.patch(":id", use: update)
        r.delete(":id", use: archive)
    }

    func list(req: Request) async throws -> [DTO] {
        let access = try req.tenant
        return try await ThematicBlock.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$name).all().map(DTO.init)
    }

    func show(req: Request) async throws -> DTO { DTO(try await ReferenceBooks.find(ThematicBlock.self, req, what: "Блок")) }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let block = ThematicBlock()
        block.tenantID = access.tenantID
        try await apply(try req.jsonObject(), to: block, creating: true, req: req)
        try await req.db.transaction { tx in
            try await block.create(on: tx)
            try await ReferenceBooks.audit(req, on: tx, action: "block.create", entity: "block", id: block.id, before: DTO?.none, after: DTO(block))
        }
        return try await DTO(block).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> DTO {
        try (try req.tenant).requireAdministration()
        let block = try await ReferenceBooks.find(ThematicBlock.self, req, what: "Блок")
        let before = DTO(block)
        try await apply(try req.jsonObject(), to: block, creating: false, req: req)
        try await req.db.transaction { tx in
            try await block.save(on: tx)
            try await ReferenceBooks.audit(req, on: tx, action: "block.update", entity: "block", id: block.id, before: before, after: DTO(block))
        }
        return DTO(block)
    }

    func archive(req: Request) async throws -> HTTPStatus {
        let block = try await ReferenceBooks.find(ThematicBlock.self, req, what: "Блок")
        return try await ReferenceBooks.archive(block, dto: DTO(block), entity: "block", req: req)
    }

    private func apply(_ body: [String: JSONValue], to block: ThematicBlock, creating: Bool, req: Request) async throws {
        let access = try req.tenant
        var p = PayloadReader(body)
        if let name = p.string("name", required: creating) { block.name = name }
        if let code = p.string("code", required: creating, max: 50) {
            let clash = try await ThematicBlock.query(on: req.db).filter(\.$tenantID == access.tenantID)
                .filter(\.$code == code).all().contains { $0.id != block.id }
            if clash { p.issues.append(FieldIssue("code", "блок с кодом «\(code)» уже есть")) }
            block.code = code
        }
        if p.has("lead_user_id") {
            let lead = p.uuid("lead_user_id")
            if let lead, try await User.query(on: req.db).filter(\.$id == lead).filter(\.$tenantID == access.tenantID).first() == nil {
                p.issues.append(FieldIssue("lead_user_id", "пользователь не найден в этом муниципальном образовании"))
            }
            block.leadUserID = lead
        }
        try p.check()
    }
}
