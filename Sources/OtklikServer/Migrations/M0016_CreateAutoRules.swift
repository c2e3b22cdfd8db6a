import Fluent
import SQLKit

/// The municipalities' auto-rules (автоправила), in their order, with how often each has fired.
struct M0016_CreateAutoRules: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("auto_rules")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("position", .int, .required)
            .field("name", .string, .required)
            .field("enabled", .bool, .required)
            .field("stop", .bool, .required)
            .field("conditions_json", .string, .required)
            .field("actions_json", .string, .required)
            .field("version", .int, .required)
            .field("matched_count", .int, .required)
            .field("last_matched_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("created_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "idx_auto_rules_tenant_position").on("auto_rules").column("tenant_id").column("position").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("auto_rules").delete()
    }
}
