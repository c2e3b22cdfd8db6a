import Fluent
import Foundation
import SQLKit

/// Per-municipality running numbers (risks, meetings, assignments): one row per counter, bumped in the
/// caller's transaction, so numbers are never reused and never skipped by a rolled-back write.
enum TenantCounters {
    static func next(_ counter: String, tenantID: UUID, on tx: any Database) async throws -> Int {
        let sql = tx as! any SQLDatabase
        try await sql.insert(into: "tenant_counters").columns("tenant_id", "name", "value")
            .values(SQLBind(tenantID), SQLBind(counter), SQLBind(0)).ignoringConflicts(with: ["tenant_id", "name"]).run()
        return try await sql.update("tenant_counters")
            .set(SQLIdentifier("value"), to: SQLBinaryExpression(SQLIdentifier("value"), .add, SQLBind(1)))
            .where("tenant_id", .equal, tenantID).where("name", .equal, counter)
            .returning("value").first(decodingColumn: "value", as: Int.self) ?? 1
    }
}
