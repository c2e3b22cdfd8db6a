import Fluent
import OtklikCore
import Vapor

/// Territories (settlements, districts): `/api/v1/municipalities/{m}/territories`.
struct TerritoriesController: RouteCollection {
    struct DTO: Content {
        var id: UUID
        var parent_id: UUID?
        var name: String
        var code: String?
        var kind: String
        var kind_title: String
        var latitude: Double?
        var longitude: Double?
        var has_boundary: Bool
        var archived: Bool
        init(_ t: Territory) {
            id = t.id!; parent_id = t.parentID; name = t.name; code = t.code; kind = t.kind
            kind_title = TerritoryKind(rawValue: t.kind)?.title ?? t.kind
            latitude = t.latitude; longitude = t.longitude; has_boundary = t.boundaryGeoJSON != nil
            archived = t.deletedAt != nil
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("territories")
        r.get(use: list)
        r.post(use: create)
        r.put("boundaries", use: boundaries)
        r.get(":id", use: show)
        r.patch(":id", use: update)
        r.delete(":id", use: archive)
    }

    func list(req: Request) async throws -> [DTO] {
        let access = try req.tenant
        return try await Territory.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$name).all().map(DTO.init)
    }

    /// Boundaries for many territories from one GeoJSON FeatureCollection (matched by otklik_id, code or name).
    func boundaries(req: Request) async throws -> TerritoryBoundaries.Report {
        let access = try req.tenant
        guard let text = req.body.string, !text.trimmed.isEmpty else {
            throw Problem.validation([FieldIssue("file", "пустой запрос: пришлите GeoJSON FeatureCollection")])
        }
        return try await TerritoryBoundaries.load(text, access: access, req: req)
    }

    func show(req: Request) async throws -> DTO { DTO(try await ReferenceBooks.find(Territory.self, req, what: "Территория")) }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let territory = Territory()
        territory.tenantID = access.tenantID
        territory.kind = TerritoryKind.settlement.rawValue
        try await apply(try req.jsonObject(), to: territory, creating: true, req: req)
        try await req.db.transaction { tx in
            try await territory.create(on: tx)
            try await ReferenceBooks.audit(req, on: tx, action: "territory.create", entity: "territory", id: territory.id, before: DTO?.none, after: DTO(territory))
        }
        return try await DTO(territory).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> DTO {
        try (try req.tenant).requireAdministration()
        let territory = try await ReferenceBooks.find(Territory.self, req, what: "Территория")
        let before = DTO(territory)
        try await apply(try req.jsonObject(), to: territory, creating: false, req: req)
        try await req.db.transaction { tx in
            try await territory.save(on: tx)
            try await ReferenceBooks.audit(req, on: tx, action: "territory.update", entity: "territory", id: territory.id, before: before, after: DTO(territory))
        }
        return DTO(territory)
    }

    func archive(req: Request) async throws -> HTTPStatus {
        let territory = try await ReferenceBooks.find(Territory.self, req, what: "Территория")
        return try await ReferenceBooks.archive(territory, dto: DTO(territory), entity: "territory", req: req)
    }

    private func apply(_ body: [String: JSONValue], to t: Territory, creating: Bool, req: Request) async throws {
        let access = try req.tenant
        var p = PayloadReader(body)
        if let name = p.string("name", required: creating) { t.name = name }
        if p.has("code") { t.code = p.string("code", max: 50) }
        if let kind = p.oneOf("kind", TerritoryKind.self) { t.kind = kind.rawValue }
        if p.has("latitude") || p.has("longitude") {
            t.latitude = p.double("latitude", range: -90...90)
            t.longitude = p.double("longitude", range: -180...180)
            if (t.latitude == nil) != (t.longitude == nil) {
                p.issues.append(FieldIssue("latitude", "укажите обе координаты: широту и долготу"))
            }
        }
        if p.has("boundary_geojson") {
            if let text = p.string("boundary_geojson", max: 2_000_000) {
                do { t.boundaryGeoJSON = try GeoJSONReader.shape(text).geoJSON } catch {
                    p.issues.append(FieldIssue("boundary_geojson", error.russian))
                }
            } else {
                t.boundaryGeoJSON = nil
            }
        }
        if p.has("parent_id") {
            let parent = p.uuid("parent_id")
            _ = try await ReferenceBooks.requireInTenant(Territory.self, parent, field: "parent_id", what: "Вышестоящая территория",
                                                         access: access, on: req.db, issues: &p.issues)
            if let parent, let id = t.id,
               try await Trees.wouldCycle(Territory.self, node: id, parent: parent, tenantID: access.tenantID, on: req.db) {
                p.issues.append(FieldIssue("parent_id", "территория не может входить сама в себя"))
            }
            t.parentID = parent
        }
        try p.check()
    }
}
