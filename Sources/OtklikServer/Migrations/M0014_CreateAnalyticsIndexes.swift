import Fluent
import SQLKit

/// Indexes the analytics need on a large municipality (measured by `otklik-bench analytics` on a million
/// cases): the workload of organisations, blocks and executors reads only the open cases from a covering
/// partial index instead of the whole table; the executor clocks of a period are found by kind and case.
struct M0014_CreateAnalyticsIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("""
            CREATE INDEX idx_cases_open_workload ON cases (tenant_id, organisation_id, block_id, executor_id, next_due_at, status) \
            WHERE status <> 'closed'
            """).run()
        try await sql.create(index: "idx_clocks_kind_case").on("case_clocks").column("kind").column("case_id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "idx_cases_open_workload").run()
        try await sql.drop(index: "idx_clocks_kind_case").run()
    }
}
