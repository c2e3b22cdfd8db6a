import Fluent
import Foundation
import Vapor

/// Records every write: who, when, what, before and after (as JSON of the API representation).
enum Audit {
    static func record(on db: any Database, tenantID: UUID?, actor: Principal?, actorLabel: String? = nil,
                       action: String, entity: String, entityID: String?,
                       before: (any Encodable)? = nil, after: (any Encodable)? = nil) async throws {
        let entry = AuditEntry(
            tenantID: tenantID, actorUserID: actor?.userID,
            actorLabel: actorLabel ?? actor?.label ?? "система", action: action, entity: entity,
            entityID: entityID, beforeJSON: before.flatMap(json), afterJSON: after.flatMap(json), occurredAt: Date())
        try await entry.create(on: db)
    }

    /// Deletes a tenant's record and writes `<entity>.delete` with what it was, in one transaction.
    static func deleting<M: Model, B: Encodable & Sendable>(_ model: M, entity: String, before: B, access: TenantAccess,
                                                            on db: any Database) async throws where M.IDValue == UUID {
        try await db.transaction { tx in
            try await model.delete(on: tx)
            try await record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "\(entity).delete",
                             entity: entity, entityID: model.id?.uuidString, before: before)
        }
    }

    private static func json(_ value: any Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}
