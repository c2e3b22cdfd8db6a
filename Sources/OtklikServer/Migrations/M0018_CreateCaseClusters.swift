import Fluent
import SQLKit

/// Clusters of similar messages (one problem, N messages): each case names its cluster by the main case's
/// id. Recent messages keep their MinHash signature (with number and place) and the keys under which a new message finds them
/// (grid cells, address, text bands); both are pruned once they are older than twice the duplicate window.
/// The keys carry one index only: they are written by the hundred thousand in an import.
struct M0018_CreateCaseClusters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cases").field("cluster_id", .uuid).update()
        try await database.schema("case_signatures")
            .field("case_id", .uuid, .identifier(auto: false))
            .field("tenant_id", .uuid, .required)
            .field("received_at", .datetime, .required)
            .field("signature", .string, .required)
            // What the comparison needs besides the text, so that it never reads the wide cases table.
            .field("number", .int, .required)
            .field("address", .string)
            .field("latitude", .double)
            .field("longitude", .double)
            .create()
        try await database.schema("case_match_keys")
            .field("tenant_id", .uuid, .required)
            .field("match_key", .int64, .required)
            .field("case_id", .uuid, .required)
            .field("received_at", .datetime, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX idx_cases_cluster ON cases (tenant_id, cluster_id) WHERE cluster_id IS NOT NULL").run()
        try await sql.raw("CREATE INDEX idx_case_signatures_received ON case_signatures (tenant_id, received_at)").run()
        try await sql.raw("CREATE INDEX idx_case_match_keys ON case_match_keys (tenant_id, match_key)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX idx_cases_cluster").run()
        try await database.schema("case_match_keys").delete()
        try await database.schema("case_signatures").delete()
        try await database.schema("cases").deleteField("cluster_id").update()
    }
}
