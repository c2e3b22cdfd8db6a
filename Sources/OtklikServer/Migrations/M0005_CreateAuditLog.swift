import Fluent
import SQLKit

/// The audit log of every write.
struct M0005_CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .id()
            .field("tenant_id", .uuid, .references("municipalities", "id"))
            .field("actor_user_id", .uuid)
            .field("actor_label", .string, .required)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string)
            .field("before_json", .string)
            .field("after_json", .string)
            .field("occurred_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "idx_audit_tenant_time").on("audit_log").column("tenant_id").column("occurred_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_log").delete()
    }
}
