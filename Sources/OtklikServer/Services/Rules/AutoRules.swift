import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// A municipality's auto-rules: listing in order, create, edit (stale edits refused), delete, reorder,
/// and the dry run over past cases. Every write is audited.
enum AutoRules {
    static func mayManage(_ access: TenantAccess) -> Bool { TextSettings.mayManage(access) }

    static func requireManager(_ access: TenantAccess) throws {
        guard mayManage(access) else {
            throw Problem.forbidden("Автоправила настраивают руководитель МЦУ, координатор или администратор.")
        }
    }

    static func ordered(tenantID: UUID, on db: any Database) async throws -> [AutoRuleRecord] {
        try await AutoRuleRecord.query(on: db).filter(\.$tenantID == tenantID).sort(\.$position).sort(\.$createdAt).all()
    }

    static func find(_ id: UUID, access: TenantAccess, on db: any Database) async throws -> AutoRuleRecord {
        guard let r = try await AutoRuleRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound("Автоправило не найдено в этом муниципальном образовании.")
        }
        return r
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func create(_ body: [String: JSONValue], access: TenantAccess, now: Date, on db: any Database) async throws -> AutoRuleRecord {
        try requireManager(access)
        let p = try await AutoRulePayload.read(body, tenantID: access.tenantID, on: db)
        let r = AutoRuleRecord()
        r.id = TimeOrderedUUID.make(at: now)
        r.tenantID = access.tenantID
        r.position = (try await ordered(tenantID: access.tenantID, on: db).last?.position ?? 0) + 1
        fill(r, p)
        r.version = 1
        r.matchedCount = 0
        r.createdAt = now
        r.createdBy = access.principal.label
        r.updatedAt = now
        r.updatedBy = access.principal.label
        try await db.transaction { tx in
            try await r.create(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "auto_rule.create",
                                   entity: "auto_rules", entityID: r.id?.uuidString, after: snapshot(r))
        }
        return r
    }

    static func update(_ id: UUID, _ body: [String: JSONValue], access: TenantAccess, now: Date, on db: any Database) async throws -> AutoRuleRecord {
        try requireManager(access)
        let r = try await find(id, access: access, on: db)
        var reader = PayloadReader(body)
        let version = reader.int("version", range: 0...Int.max, required: true)
        try reader.check()
        let p = try await AutoRulePayload.read(body, tenantID: access.tenantID, on: db)
        guard version == r.version else {
            throw Problem.conflict("Правило «\(r.name)» уже изменил \(r.updatedBy): обновите страницу и внесите правку заново.")
        }
        let before = snapshot(r)
        fill(r, p)
        r.version += 1
        r.updatedAt = now
        r.updatedBy = access.principal.label
        try await db.transaction { tx in
            try await r.update(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "auto_rule.update",
                                   entity: "auto_rules", entityID: r.id?.uuidString, before: before, after: snapshot(r))
        }
        return r
    }

    static func delete(_ id: UUID, access: TenantAccess, on db: any Database) async throws {
        try requireManager(access)
        let r = try await find(id, access: access, on: db)
        try await Audit.deleting(r, entity: "auto_rules", before: snapshot(r), access: access, on: db)
    }

    /// Moves a rule one place up or down (swapping with its neighbour); the order is renumbered 1…n.
    static func move(_ id: UUID, up: Bool, access: TenantAccess, now: Date, on db: any Database) async throws {
        try requireManager(access)
        _ = try await find(id, access: access, on: db)
        try await db.transaction { tx in
            var rules = try await ordered(tenantID: access.tenantID, on: tx)
            guard let i = rules.firstIndex(where: { $0.id == id }) else { return }
            let j = up ? i - 1 : i + 1
            guard rules.indices.contains(j) else { return }
            rules.swapAt(i, j)
            for (n, r) in rules.enumerated() where r.position != n + 1 {
                r.position = n + 1
                try await r.update(on: tx)
            }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "auto_rule.move",
                                   entity: "auto_rules", entityID: id.uuidString,
                                   after: ["order": rules.map(\.name).joined(separator: " → ")])
        }
    }

    static func fill(_ r: AutoRuleRecord, _ p: AutoRulePayload) {
        r.name = p.rule.name
        r.enabled = p.enabled
        r.stop = p.rule.stop
        r.conditionsJSON = encode(p.rule.conditions)
        r.actionsJSON = encode(p.rule.actions)
    }

    static func snapshot(_ r: AutoRuleRecord) -> [String: String] {
        ["name": r.name, "enabled": String(r.enabled), "stop": String(r.stop), "position": String(r.position),
         "conditions": r.conditionsJSON, "actions": r.actionsJSON]
    }
}
