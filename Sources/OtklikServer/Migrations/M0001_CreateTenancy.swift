import Fluent
import SQLKit

/// Regions, municipalities (tenants) and the per-tenant counters that number cases.
struct M0001_CreateTenancy: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("regions")
            .id()
            .field("name", .string, .required)
            .field("code", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema("municipalities")
            .id()
            .field("region_id", .uuid, .references("regions", "id"))
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .field("oktmo", .string)
            .field("time_zone", .string, .required)
            .field("work_start_minute", .int, .required)
            .field("work_end_minute", .int, .required)
            .field("is_demo", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
        // Numbers are handed out by one UPDATE … RETURNING, so concurrent intakes never share a number.
        try await database.schema("tenant_counters")
            .field("tenant_id", .uuid, .required, .references("municipalities", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("value", .int64, .required)
            .unique(on: "tenant_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("tenant_counters").delete()
        try await database.schema("municipalities").delete()
        try await database.schema("regions").delete()
    }
}
