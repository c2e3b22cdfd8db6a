import Fluent
import SQLKit

/// Users, their role assignments and API tokens.
struct M0003_CreateUsersAndAccess: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("tenant_id", .uuid, .references("municipalities", "id"))
            .field("login", .string, .required)
            .field("full_name", .string, .required)
            .field("email", .string)
            .field("password_hash", .string, .required)
            .field("must_change_password", .bool, .required)
            .field("is_active", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("last_login_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "login")
            .create()
        try await database.schema("role_assignments")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("tenant_id", .uuid, .references("municipalities", "id"))
            .field("region_id", .uuid, .references("regions", "id"))
            .field("role", .string, .required)
            .field("organisation_id", .uuid, .references("organisations", "id"))
            .field("block_id", .uuid, .references("thematic_blocks", "id"))
            .field("created_at", .datetime)
            .create()
        try await database.schema("api_tokens")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("role", .string, .required)
            .field("created_by", .uuid, .references("users", "id"))
            .field("created_at", .datetime)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "idx_role_assignments_user").on("role_assignments").column("user_id").run()
        try await sql.create(index: "idx_users_tenant").on("users").column("tenant_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").delete()
        try await database.schema("role_assignments").delete()
        try await database.schema("users").delete()
    }
}
