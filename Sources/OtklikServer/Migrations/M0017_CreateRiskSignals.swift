import Fluent
import SQLKit

/// Risk signals of the text of each case (score, what was found, candidate information risk) and the
/// municipalities' own word lists per signal (absent: the shipped list).
struct M0017_CreateRiskSignals: AsyncMigration {
    static let caseColumns: [(String, DatabaseSchema.DataType, [DatabaseSchema.FieldConstraint])] = [
        ("risk_score", .int, [.required, .sql(.default(0))]),
        ("risk_signals_json", .string, []),
        ("risk_candidate", .bool, [.required, .sql(.default(false))]),
    ]

    func prepare(on database: any Database) async throws {
        for (name, type, constraints) in Self.caseColumns {
            try await database.schema("cases")
                .field(.definition(name: .key(.init(stringLiteral: name)), dataType: type, constraints: constraints)).update()
        }
        try await database.schema("risk_lexicons")
            .id()
            .field("tenant_id", .uuid, .required, .references("municipalities", "id"))
            .field("signal", .string, .required)
            .field("entries_json", .string, .required)
            .field("version", .int, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .string, .required)
            .unique(on: "tenant_id", "signal", name: "uq_risk_lexicons_tenant_signal")
            .create()
        let sql = database as! any SQLDatabase
        // The risk officer's list: candidates of a municipality, newest first.
        try await sql.raw("CREATE INDEX idx_cases_risk_candidates ON cases (tenant_id, received_at) WHERE risk_candidate").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("risk_lexicons").delete()
        try await (database as! any SQLDatabase).raw("DROP INDEX idx_cases_risk_candidates").run()
        for (name, _, _) in Self.caseColumns {
            try await database.schema("cases").deleteField(.key(.init(stringLiteral: name))).update()
        }
    }
}
