import Fluent
import Foundation
import OtklikCore

/// The administrator's entries of the translation tables (foreign value → ours), with checks that the
/// target exists in this municipality.
enum ValueMappings {
    struct DTO: Codable, Sendable {
        var id: UUID
        var kind: String
        var kind_title: String
        var foreign_value: String
        var target: String
        var target_title: String?
        var updated_at: String
        var updated_by: String
    }

    static func dto(_ m: ImportValueMapping, titles: [String: String] = [:]) -> DTO {
        DTO(id: m.id!, kind: m.kind, kind_title: ImportMappings.Kind(rawValue: m.kind)?.title ?? m.kind,
            foreign_value: m.foreignValue, target: m.target, target_title: titles[m.target] ?? targetTitle(m),
            updated_at: TimeText.formatRFC3339(m.updatedAt), updated_by: m.updatedBy)
    }

    private static func targetTitle(_ m: ImportValueMapping) -> String? {
        switch ImportMappings.Kind(rawValue: m.kind) {
        case .status?: CaseStatus(rawValue: m.target)?.title
        case .result?: CaseResult(rawValue: m.target)?.title
        case .platform?: Platform(rawValue: m.target)?.title
        default: nil
        }
    }

    /// Names of the municipality's rubrics, organisations and territories by id (for listing).
    static func bookTitles(tenantID: UUID, on db: any Database) async throws -> [String: String] {
        var out: [String: String] = [:]
        for r in try await Rubric.query(on: db).filter(\.$tenantID == tenantID).all() { if let id = r.id { out[id.uuidString] = r.name } }
        for o in try await Organisation.query(on: db).filter(\.$tenantID == tenantID).all() { if let id = o.id { out[id.uuidString] = o.name } }
        for t in try await Territory.query(on: db).filter(\.$tenantID == tenantID).all() { if let id = t.id { out[id.uuidString] = t.name } }
        return out
    }

    static func list(tenantID: UUID, kind: ImportMappings.Kind?, on db: any Database) async throws -> [ImportValueMapping] {
        var q = ImportValueMapping.query(on: db).filter(\.$tenantID == tenantID)
        if let kind { q = q.filter(\.$kind == kind.rawValue) }
        return try await q.sort(\.$kind).sort(\.$foreignKey).all()
    }

    /// Creates or replaces the entry for (kind, foreign value).
    static func put(_ payload: [String: JSONValue], access: TenantAccess, now: Date, on db: any Database) async throws -> ImportValueMapping {
        try access.requireAdministration()
        var reader = PayloadReader(payload)
        let kind = reader.oneOf("kind", ImportMappings.Kind.self, required: true)
        let foreign = reader.string("foreign_value", required: true, max: 500)
        var target = reader.string("target", required: true, max: 100)
        try reader.check()
        guard let kind, let foreign, let rawTarget = target else { throw Problem.validation(reader.issues) }
        // Targets of the books are ids of this municipality; the rest are our enumerations.
        var scratch = ImportMappings()
        switch kind {
        case .category, .organisation, .territory:
            guard let id = UUID(uuidString: rawTarget), try await exists(kind, id, tenantID: access.tenantID, on: db) else {
                throw Problem.validation([FieldIssue("target", "в справочнике этого муниципального образования нет такой записи")])
            }
            target = id.uuidString
        default:
            if let reason = scratch.set(kind, foreign: foreign, target: rawTarget) {
                throw Problem.validation([FieldIssue("target", reason)])
            }
        }
        let key = SearchText.normalize(foreign)
        let existing = try await ImportValueMapping.query(on: db).filter(\.$tenantID == access.tenantID)
            .filter(\.$kind == kind.rawValue).filter(\.$foreignKey == key).first()
        let before = existing.map { dto($0) }
        let m = existing ?? ImportValueMapping()
        if existing == nil { m.id = TimeOrderedUUID.make(at: now); m.tenantID = access.tenantID; m.kind = kind.rawValue; m.foreignKey = key }
        m.foreignValue = foreign
        m.target = target!
        m.updatedAt = now
        m.updatedBy = access.principal.label
        try await db.transaction { tx in
            if existing == nil { try await m.create(on: tx) } else { try await m.update(on: tx) }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal,
                                   action: existing == nil ? "import_mapping.create" : "import_mapping.update",
                                   entity: "import_mapping", entityID: m.id?.uuidString, before: before, after: dto(m))
        }
        return m
    }

    static func delete(_ id: UUID, access: TenantAccess, on db: any Database) async throws {
        try access.requireAdministration()
        guard let m = try await ImportValueMapping.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound("Запись таблицы соответствий не найдена.")
        }
        try await Audit.deleting(m, entity: "import_mapping", before: dto(m), access: access, on: db)
    }

    private static func exists(_ kind: ImportMappings.Kind, _ id: UUID, tenantID: UUID, on db: any Database) async throws -> Bool {
        switch kind {
        case .category: try await Rubric.query(on: db).filter(\.$tenantID == tenantID).filter(\.$id == id).count() > 0
        case .organisation: try await Organisation.query(on: db).filter(\.$tenantID == tenantID).filter(\.$id == id).count() > 0
        case .territory: try await Territory.query(on: db).filter(\.$tenantID == tenantID).filter(\.$id == id).count() > 0
        default: false
        }
    }
}
