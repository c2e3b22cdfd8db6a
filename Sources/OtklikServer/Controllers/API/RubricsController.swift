import Fluent
import OtklikCore
import Vapor

/// The rubricator (category → subcategory → fact): `/api/v1/municipalities/{m}/rubrics`.
struct RubricsController: RouteCollection {
    struct DTO: Content {
        var id: UUID
        var parent_id: UUID?
        var level: String
        var name: String
        var code: String?
        var default_block_id: UUID?
        var default_organisation_id: UUID?
        var archived: Bool
        init(_ r: Rubric) {
            id = r.id!; parent_id = r.parentID; level = r.level; name = r.name; code = r.code
            default_block_id = r.defaultBlockID; default_organisation_id = r.defaultOrganisationID
            archived = r.deletedAt != nil
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("rubrics")
        r.get(use: list)
        r.post(use: create)
        r.get(":id", use: show)
        r.patch(":id", use: update)
        r.delete(":id", use: archive)
    }

    func list(req: Request) async throws -> [DTO] {
        let access = try req.tenant
        return try await Rubric.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$name).all().map(DTO.init)
    }

    func show(req: Request) async throws -> DTO { DTO(try await ReferenceBooks.find(Rubric.self, req, what: "Рубрика")) }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let rubric = Rubric()
        rubric.tenantID = access.tenantID
        try await apply(try req.jsonObject(), to: rubric, creating: true, req: req)
        try await req.db.transaction { tx in
            try await rubric.create(on: tx)
            try await ReferenceBooks.audit(req, on: tx, action: "rubric.create", entity: "rubric", id: rubric.id, before: DTO?.none, after: DTO(rubric))
        }
        return try await DTO(rubric).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> DTO {
        try (try req.tenant).requireAdministration()
        let rubric = try await ReferenceBooks.find(Rubric.self, req, what: "Рубрика")
        let before = DTO(rubric)
        try await apply(try req.jsonObject(), to: rubric, creating: false, req: req)
        try await req.db.transaction { tx in
            try await rubric.save(on: tx)
            try await ReferenceBooks.audit(req, on: tx, action: "rubric.update", entity: "rubric", id: rubric.id, before: before, after: DTO(rubric))
        }
        return DTO(rubric)
    }

    func archive(req: Request) async throws -> HTTPStatus {
        let rubric = try await ReferenceBooks.find(Rubric.self, req, what: "Рубрика")
        return try await ReferenceBooks.archive(rubric, dto: DTO(rubric), entity: "rubric", req: req)
    }

    /// Level follows the parent: no parent → category, a category's child → subcategory, then fact.
    private func apply(_ body: [String: JSONValue], to rubric: Rubric, creating: Bool, req: Request) async throws {
        let access = try req.tenant
        var p = PayloadReader(body)
        if let name = p.string("name", required: creating) { rubric.name = name }
        if p.has("code") { rubric.code = p.string("code", max: 50) }
        if creating || p.has("parent_id") {
            if !creating {
                p.issues.append(FieldIssue("parent_id", "рубрику нельзя перенести на другой уровень; создайте новую"))
            } else if let parentID = p.uuid("parent_id") {
                let parent = try await ReferenceBooks.requireInTenant(Rubric.self, parentID, field: "parent_id", what: "Родительская рубрика",
                                                                      access: access, on: req.db, issues: &p.issues)
                if let parent {
                    if let level = RubricLevel(rawValue: parent.level)?.child { rubric.level = level.rawValue }
                    else { p.issues.append(FieldIssue("parent_id", "у факта не может быть дочерних рубрик")) }
                }
                rubric.parentID = parentID
            } else {
                rubric.level = RubricLevel.category.rawValue
            }
        }
        if p.has("default_block_id") {
            let id = p.uuid("default_block_id")
            _ = try await ReferenceBooks.requireInTenant(ThematicBlock.self, id, field: "default_block_id", what: "Блок",
                                                         access: access, on: req.db, issues: &p.issues)
            rubric.defaultBlockID = id
        }
        if p.has("default_organisation_id") {
            let id = p.uuid("default_organisation_id")
            _ = try await ReferenceBooks.requireInTenant(Organisation.self, id, field: "default_organisation_id", what: "Организация",
                                                         access: access, on: req.db, issues: &p.issues)
            rubric.defaultOrganisationID = id
        }
        try p.check()
    }
}
