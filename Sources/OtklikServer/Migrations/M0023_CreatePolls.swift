import Fluent
import SQLKit

/// Results of ПОС «Голосования», public discussions and the centre's own questions, linked to a topic and
/// a roadmap so that they stand next to the complaints in the picture of the municipality's problems.
struct M0023_CreatePolls: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("polls")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("kind", .string, .required)          // vote | discussion | own
            .field("question", .string, .required)
            .field("territory", .string)
            .field("from_on", .string)
            .field("to_on", .string)
            .field("category_id", .uuid, .references("rubrics", "id"))
            .field("roadmap_id", .uuid, .references("roadmaps", "id"))
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("poll_options")
            .id()
            .field("poll_id", .uuid, .required, .references("polls", "id"))
            .field("position", .int, .required)
            .field("text", .string, .required)
            .field("votes", .int, .required)
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX idx_poll_options ON poll_options (poll_id, position)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("poll_options").delete()
        try await database.schema("polls").delete()
    }
}
