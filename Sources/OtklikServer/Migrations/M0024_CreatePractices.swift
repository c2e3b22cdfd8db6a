import Fluent

/// Best practices and recommendations (decrees 000, 001, 004): what the centre adopted, why (the topic
/// whose complaints motivated it) and whether it worked (the same topic's complaints before and after).
struct M0024_CreatePractices: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("practices")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("basis", .string)
            .field("category_id", .uuid, .references("rubrics", "id"))
            .field("roadmap_id", .uuid, .references("roadmaps", "id"))
            .field("adopted_on", .string)
            .field("window_days", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("practices").delete()
    }
}
