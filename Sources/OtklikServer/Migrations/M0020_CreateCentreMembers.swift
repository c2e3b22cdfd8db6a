import Fluent
import SQLKit

/// The personal composition of the МЦУ: who holds which place from which day to which day, and who
/// substitutes for them.
struct M0020_CreateCentreMembers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("centre_members")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("user_id", .uuid, .references("users", "id"))
            .field("full_name", .string, .required)
            .field("position", .string, .required)
            .field("role", .string, .required)
            .field("from_on", .string, .required)     // local day, YYYY-MM-DD
            .field("to_on", .string)
            .field("substitute_id", .uuid)
            .field("version", .int, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX idx_centre_members_tenant ON centre_members (tenant_id, role)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("centre_members").delete()
    }
}
