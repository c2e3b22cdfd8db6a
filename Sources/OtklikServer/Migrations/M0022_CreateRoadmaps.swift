import Fluent
import SQLKit

/// Roadmaps against the root causes of recurring complaints: a targeted problem (a topic, a cluster of
/// similar messages, a territory) and steps with owners, deadlines and completion dates.
struct M0022_CreateRoadmaps: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("roadmaps")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("number", .int, .required)
            .field("title", .string, .required)
            .field("goal", .string, .required)
            .field("target_kind", .string, .required)   // category | territory | cluster
            .field("target_id", .uuid, .required)
            .field("window_days", .int, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "tenant_id", "number", name: "uq_roadmaps_number")
            .create()
        try await database.schema("roadmap_steps")
            .id()
            .field("roadmap_id", .uuid, .required, .references("roadmaps", "id"))
            .field("position", .int, .required)
            .field("title", .string, .required)
            .field("organisation_id", .uuid, .references("organisations", "id"))
            .field("due_on", .string, .required)
            .field("done_on", .string)
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX idx_roadmap_steps ON roadmap_steps (roadmap_id, position)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("roadmap_steps").delete()
        try await database.schema("roadmaps").delete()
    }
}
