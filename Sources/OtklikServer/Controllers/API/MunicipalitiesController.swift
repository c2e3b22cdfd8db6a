import Fluent
import OtklikCore
import Vapor

/// Municipalities (tenants) and regions. Listing shows what the principal may open; creating a
/// municipality or a region is the platform administrator's.
struct MunicipalitiesController: RouteCollection {
    struct DTO: Content {
        var id: UUID
        var slug: String
        var name: String
        var oktmo: String?
        var region_id: UUID?
        var time_zone: String
        var work_start: String
        var work_end: String
        var is_demo: Bool
        init(_ m: Municipality) {
            id = m.id!; slug = m.slug; name = m.name; oktmo = m.oktmo; region_id = m.regionID; time_zone = m.timeZone
            work_start = m.workingHours.startText; work_end = m.workingHours.endText; is_demo = m.isDemo
        }
    }
    struct RegionDTO: Content {
        var id: UUID
        var code: String
        var name: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("municipalities", use: list)
        routes.post("municipalities", use: create)
        routes.get("regions", use: regions)
        routes.post("regions", use: createRegion)
    }

    /// Routes inside `municipalities/:municipality` (after TenantMiddleware).
    func bootTenant(routes: any RoutesBuilder) {
        routes.get(use: show)
        routes.patch(use: update)
    }

    func list(req: Request) async throws -> [DTO] {
        let principal = try req.principal()
        return try await Municipality.query(on: req.db).sort(\.$name).all()
            .filter { !principal.grants(in: $0).isEmpty }.map(DTO.init)
    }

    func show(req: Request) async throws -> DTO {
        guard let m = try await Municipality.find(try req.tenant.tenantID, on: req.db) else { throw Problem.notFound("Не найдено") }
        return DTO(m)
    }

    func create(req: Request) async throws -> Response {
        let principal = try req.principal()
        guard principal.isPlatformAdmin else {
            throw Problem.forbidden("Создавать муниципальные образования может только администратор платформы.")
        }
        let m = Municipality()
        m.isDemo = false
        m.workStartMinute = WorkingHours.standard.startMinute
        m.workEndMinute = WorkingHours.standard.endMinute
        try await apply(try req.jsonObject(), to: m, creating: true, db: req.db)
        try await req.db.transaction { tx in
            try await Tenants.create(m, on: tx)
            try await Audit.record(on: tx, tenantID: m.id, actor: principal, action: "municipality.create",
                                   entity: "municipality", entityID: m.id?.uuidString, after: DTO(m))
        }
        return try await DTO(m).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> DTO {
        let access = try req.tenant
        try access.requireAdministration()
        guard let m = try await Municipality.find(access.tenantID, on: req.db) else { throw Problem.notFound("Не найдено") }
        let before = DTO(m)
        try await apply(try req.jsonObject(), to: m, creating: false, db: req.db)
        try await req.db.transaction { tx in
            try await m.save(on: tx)
            try await Audit.record(on: tx, tenantID: m.id, actor: access.principal, action: "municipality.update",
                                   entity: "municipality", entityID: m.id?.uuidString, before: before, after: DTO(m))
        }
        return DTO(m)
    }

    private func apply(_ body: [String: JSONValue], to m: Municipality, creating: Bool, db: any Database) async throws {
        var p = PayloadReader(body)
        if let name = p.string("name", required: creating, max: 300) { m.name = name }
        if creating, let slug = p.string("slug", required: true, max: 63) {
            if let issue = MunicipalityRules.slugIssue(slug) { p.issues.append(FieldIssue("slug", issue)) }
            else if try await Municipality.query(on: db).filter(\.$slug == slug).first() != nil {
                p.issues.append(FieldIssue("slug", "код «\(slug)» уже занят"))
            }
            m.slug = slug
        } else if !creating && p.has("slug") {
            p.issues.append(FieldIssue("slug", "код в адресе не меняется: на него ссылаются интеграции"))
        }
        if p.has("oktmo") {
            let code = p.string("oktmo", max: 11)
            if let code, let issue = MunicipalityRules.oktmoIssue(code) { p.issues.append(FieldIssue("oktmo", issue)) }
            m.oktmo = code
        }
        if let zone = p.string("time_zone", required: creating, max: 64) {
            if let issue = MunicipalityRules.timeZoneIssue(zone) { p.issues.append(FieldIssue("time_zone", issue)) }
            m.timeZone = zone
        }
        if p.has("region_id") {
            let id = p.uuid("region_id")
            if let id, try await Region.find(id, on: db) == nil { p.issues.append(FieldIssue("region_id", "регион не найден")) }
            m.regionID = id
        }
        if p.has("work_start") || p.has("work_end") {
            let start = p.string("work_start", max: 5) ?? m.workingHours.startText
            let end = p.string("work_end", max: 5) ?? m.workingHours.endText
            if let issue = MunicipalityRules.workingHoursIssue(start: start, end: end) {
                p.issues.append(FieldIssue(issue.field, issue.reason))
            } else {
                m.workStartMinute = WorkingHours.minute(of: start)!
                m.workEndMinute = WorkingHours.minute(of: end)!
            }
        }
        try p.check()
    }

    func regions(req: Request) async throws -> [RegionDTO] {
        _ = try req.principal()
        return try await Region.query(on: req.db).sort(\.$name).all().map { RegionDTO(id: $0.id!, code: $0.code, name: $0.name) }
    }

    func createRegion(req: Request) async throws -> Response {
        let principal = try req.principal()
        guard principal.isPlatformAdmin else { throw Problem.forbidden("Создавать регионы может только администратор платформы.") }
        var p = PayloadReader(try req.jsonObject())
        let name = p.string("name", required: true, max: 200)
        let code = p.string("code", required: true, max: 20)
        if let code, try await Region.query(on: req.db).filter(\.$code == code).first() != nil {
            p.issues.append(FieldIssue("code", "регион с кодом «\(code)» уже есть"))
        }
        try p.check()
        let region = Region(name: name!, code: code!)
        try await req.db.transaction { tx in
            try await region.create(on: tx)
            try await Audit.record(on: tx, tenantID: nil, actor: principal, action: "region.create", entity: "region",
                                   entityID: region.id?.uuidString, after: ["name": region.name, "code": region.code])
        }
        return try await RegionDTO(id: region.id!, code: region.code, name: region.name).encodeResponse(status: .created, for: req)
    }
}

/// Creating a tenant: the municipality, its case counter and the seven default blocks of decree 004.
enum Tenants {
    static func create(_ m: Municipality, on db: any Database) async throws {
        try await m.create(on: db)
        for block in DefaultThematicBlocks.all {
            try await ThematicBlock(tenantID: m.id!, code: block.code, name: block.name).create(on: db)
        }
    }
}
