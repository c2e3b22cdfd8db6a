import Fluent
import Foundation
import OtklikCore

/// A tenant's mapping profiles. The shipped ones (ПОС, «Инцидент Менеджмент») are copied into the
/// tenant on first use, so an administrator edits the tenant's copy and an upgrade never overwrites it.
enum ImportProfiles {
    struct DTO: Codable, Sendable {
        var id: UUID
        var name: String
        var kind: String
        var kind_title: String
        var channel: String
        var columns: [String: [String]]
        var keep: [String]
        var empty_markers: [String]
        var version: Int
        var updated_at: String
        var updated_by: String
    }

    static func dto(_ r: ImportProfileRecord) -> DTO {
        let p = profile(r)
        return DTO(id: r.id!, name: r.name, kind: r.kind, kind_title: p.kind.title, channel: r.channel, columns: p.columns,
                   keep: p.keep, empty_markers: p.emptyMarkers, version: r.version,
                   updated_at: TimeText.formatRFC3339(r.updatedAt), updated_by: r.updatedBy)
    }

    static func profile(_ r: ImportProfileRecord) -> ImportProfile {
        (try? JSONDecoder().decode(ImportProfile.self, from: Data(r.definitionJSON.utf8)))
            ?? ImportProfile(name: r.name, kind: .generic, channel: CaseChannel(rawValue: r.channel) ?? .manualMonitoring, columns: [:])
    }

    static func list(tenantID: UUID, now: Date, on db: any Database) async throws -> [ImportProfileRecord] {
        var rows = try await ImportProfileRecord.query(on: db).filter(\.$tenantID == tenantID).sort(\.$name).all()
        if rows.isEmpty {
            for p in ImportProfile.builtIn {
                let r = record(p, tenantID: tenantID, now: now, by: "поставка Otklik")
                try await r.create(on: db)
                rows.append(r)
            }
        }
        return rows
    }

    static func find(_ id: UUID, tenantID: UUID, on db: any Database) async throws -> ImportProfileRecord {
        guard let r = try await ImportProfileRecord.query(on: db).filter(\.$tenantID == tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound("Профиль загрузки не найден.")
        }
        return r
    }

    private static func record(_ p: ImportProfile, tenantID: UUID, now: Date, by: String) -> ImportProfileRecord {
        let r = ImportProfileRecord()
        r.id = TimeOrderedUUID.make(at: now)
        r.tenantID = tenantID
        r.version = 1
        apply(p, to: r, now: now, by: by)
        return r
    }

    private static func apply(_ p: ImportProfile, to r: ImportProfileRecord, now: Date, by: String) {
        r.name = p.name
        r.kind = p.kind.rawValue
        r.channel = p.channel.rawValue
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        r.definitionJSON = String(decoding: (try? encoder.encode(p)) ?? Data("{}".utf8), as: UTF8.self)
        r.updatedAt = now
        r.updatedBy = by
    }

    /// Creates or updates a profile from the API's JSON; `version` must match on update (stale edits lose).
    static func save(_ payload: [String: JSONValue], existing: ImportProfileRecord?, access: TenantAccess, now: Date,
                     on db: any Database) async throws -> ImportProfileRecord {
        try access.requireAdministration()
        var reader = PayloadReader(payload)
        let base = existing.map(profile) ?? .generic
        let name = reader.string("name", required: existing == nil, max: 200) ?? base.name
        let kind = reader.oneOf("kind", ImportProfile.Kind.self) ?? base.kind
        let channel = reader.oneOf("channel", CaseChannel.self) ?? base.channel
        var p = ImportProfile(name: name, kind: kind, channel: channel, columns: [:], keep: base.keep, emptyMarkers: base.emptyMarkers)
        p.columns = base.columns
        if let columns = payload["columns"] {
            guard case .object(let members) = columns else {
                throw Problem.validation([FieldIssue("columns", "ожидался объект «поле → список заголовков»")])
            }
            var out: [String: [String]] = [:]
            for (key, value) in members {
                var sub = PayloadReader(["v": value])
                let names = sub.strings("v", maxCount: 20, maxLength: 300)
                reader.issues += sub.issues.map { FieldIssue("columns.\(key)", $0.reason) }
                if !names.isEmpty { out[key] = names }
            }
            p.columns = out
        }
        if reader.has("keep") { p.keep = reader.strings("keep", maxCount: 200, maxLength: 300) }
        if reader.has("empty_markers") { p.emptyMarkers = reader.strings("empty_markers", maxCount: 20, maxLength: 20) }
        if let existing {
            let version = reader.int("version", range: 1...Int.max, required: true)
            if let version, version != existing.version {
                throw Problem.conflict("Профиль уже изменил \(existing.updatedBy): обновите страницу и внесите правку заново.")
            }
        }
        reader.issues += p.validationIssues()
        let clash = try await ImportProfileRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$name == p.name).all()
            .contains { $0.id != existing?.id }
        if clash { reader.issues.append(FieldIssue("name", "профиль с таким названием уже есть")) }
        try reader.check()
        let before = existing.map(dto)
        let r = existing ?? record(p, tenantID: access.tenantID, now: now, by: access.principal.label)
        if existing != nil {
            apply(p, to: r, now: now, by: access.principal.label)
            r.version += 1
        }
        try await db.transaction { tx in
            if existing == nil { try await r.create(on: tx) } else { try await r.update(on: tx) }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal,
                                   action: existing == nil ? "import_profile.create" : "import_profile.update",
                                   entity: "import_profile", entityID: r.id?.uuidString, before: before, after: dto(r))
        }
        return r
    }

    static func delete(_ r: ImportProfileRecord, access: TenantAccess, on db: any Database) async throws {
        try access.requireAdministration()
        let used = try await ImportRun.query(on: db).filter(\.$profileID == r.id!).count()
        if used > 0 {
            throw Problem.conflict("По профилю «\(r.name)» уже загружались файлы (\(used)); удалить его нельзя, измените его или создайте новый.")
        }
        try await Audit.deleting(r, entity: "import_profile", before: dto(r), access: access, on: db)
    }
}
