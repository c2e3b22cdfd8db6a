import Fluent
import OtklikCore
import Vapor

/// Responsible organisations: `/api/v1/municipalities/{m}/organisations`.
struct OrganisationsController: RouteCollection {
    struct DTO: Content {
        var id: UUID
        var parent_id: UUID?
        var name: String
        var short_name: String?
        var kind: String
        var kind_title: String
        var email: String?
        var phone: String?
        var archived: Bool
        init(_ o: Organisation) {
            id = o.id!; parent_id = o.parentID; name = o.name; short_name = o.shortName; kind = o.kind
            kind_title = OrganisationKind(rawValue: o.kind)?.title ?? o.kind; email = o.email; phone = o.phone
            archived = o.deletedAt != nil
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("organisations")
        r.get(use: list)
        r.post(use: create)
        r.get(":id", use: show)
        r.patch(":id", use: update)
        r.delete(":id", use: archive)
    }

    func list(req: Request) async throws -> [DTO] {
        let access = try req.tenant
        return try await Organisation.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$name).all().map(DTO.init)
    }

    func show(req: Request) async throws -> DTO { DTO(try await ReferenceBooks.find(Organisation.self, req, what: "Организация")) }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let org = Organisation()
        org.tenantID = access.tenantID
        org.kind = OrganisationKind.department.rawValue
        try await apply(try req.jsonObject(), to: org, creating: true, req: req)
        try await req.db.transaction { tx in
            try await org.create(on: tx)
            try await ReferenceBooks.audit(req, on: tx, action: "organisation.create", entity: "organisation", id: org.id,
                                           before: DTO?.none, after: DTO(org))
        }
        return try await DTO(org).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> DTO {
        let access = try req.tenant
        try access.requireAdministration()
        let org = try await ReferenceBooks.find(Organisation.self, req, what: "Организация")
        let before = DTO(org)
        try await apply(try req.jsonObject(), to: org, creating: false, req: req)
        try await req.db.transaction { tx in
            try await org.save(on: tx)
            try await ReferenceBooks.audit(req, on: tx, action: "organisation.update", entity: "organisation", id: org.id,
                                           before: before, after: DTO(org))
        }
        return DTO(org)
    }

    func archive(req: Request) async throws -> HTTPStatus {
        let org = try await ReferenceBooks.find(Organisation.self, req, what: "Организация")
        return try await ReferenceBooks.archive(org, dto: DTO(org), entity: "organisation", req: req)
    }

    private func apply(_ body: [String: JSONValue], to org: Organisation, creating: Bool, req: Request) async throws {
        let access = try req.tenant
        var p = PayloadReader(body)
        if let name = p.string("name", required: creating) { org.name = name }
        if p.has("short_name") { org.shortName = p.string("short_name", max: 100) }
        if let kind = p.oneOf("kind", OrganisationKind.self) { org.kind = kind.rawValue }
        if p.has("email") { org.email = p.string("email", max: 254) }
        if p.has("phone") { org.phone = p.string("phone", max: 40) }
        if p.has("parent_id") {
            let parent = p.uuid("parent_id")
            _ = try await ReferenceBooks.requireInTenant(Organisation.self, parent, field: "parent_id", what: "Вышестоящая организация",
                                                         access: access, on: req.db, issues: &p.issues)
            if let parent, let id = org.id,
               try await Trees.wouldCycle(Organisation.self, node: id, parent: parent, tenantID: access.tenantID, on: req.db) {
                p.issues.append(FieldIssue("parent_id", "организация не может подчиняться сама себе или своему подразделению"))
            }
            org.parentID = parent
        }
        if let name = p.issues.isEmpty ? org.name as String? : nil {
            let clash = try await Organisation.query(on: req.db).filter(\.$tenantID == access.tenantID)
                .filter(\.$name == name).all().contains { $0.id != org.id }
            if clash { p.issues.append(FieldIssue("name", "организация с таким названием уже есть")) }
        }
        try p.check()
    }
}
