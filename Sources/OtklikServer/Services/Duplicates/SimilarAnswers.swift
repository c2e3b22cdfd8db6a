import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// Earlier cases like this one that were answered, with their published answers: offered to whoever writes
/// the answer. Looks at the reader's visible cases of the same category (all categories when the case has
/// none), the most recently answered first, and keeps the closest by text.
enum SimilarAnswers {
    struct Item: Content {
        var case_id: UUID
        var number: Int
        var title: String
        var similarity: Double
        var answer: String
        var answered_at: Date
    }

    /// How many answered cases are compared (the newest): a bounded cost per card, about 50 ms.
    static let candidates = 1_000
    static let minimum = 0.2

    static func find(for record: CaseRecord, access: TenantAccess, limit: Int = 3, on db: any Database) async throws -> [Item] {
        guard let own = MinHashSignature(text: ClassifierTraining.text(title: record.title, body: record.text), place: record.address) else { return [] }
        let sql = db as! any SQLDatabase
        var q = sql.select()
            .column(SQLColumn("id", table: "c")).column(SQLColumn("number", table: "c")).column(SQLColumn("title", table: "c"))
            .column(SQLColumn("text", table: "c")).column(SQLColumn("address", table: "c")).column(SQLColumn("text", table: "a"), as: "answer")
            .column(SQLColumn("version", table: "a")).column(SQLColumn("created_at", table: "a"), as: "answered_at")
            .from(SQLAlias(SQLIdentifier("case_answers"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("cases"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "c"), .equal, SQLColumn("case_id", table: "a"))
            .where(SQLColumn("tenant_id", table: "a"), .equal, SQLBind(access.tenantID))
            .where(SQLColumn("tenant_id", table: "c"), .equal, SQLBind(access.tenantID))
            .where(SQLColumn("state", table: "a"), .equal, SQLBind(CaseAnswer.State.published.rawValue))
            .where(SQLColumn("id", table: "c"), .notEqual, SQLBind(record.id!))
        if let category = record.categoryID { q = q.where(SQLColumn("category_id", table: "c"), .equal, SQLBind(category)) }
        if let visible = access.visibleOrganisationIDs {
            q = q.where(SQLColumn("organisation_id", table: "c"), .in, SQLBind.group(Array(visible)))
        }
        let rows = try await q.orderBy(SQLColumn("created_at", table: "a"), SQLDirection.descending).limit(candidates).all()
        struct Row: Sendable { var id: UUID; var number: Int; var title: String?; var text: String; var address: String?; var answer: String; var version: Int; var at: Date }
        var latest: [UUID: Row] = [:]
        for r in rows {
            let row = Row(id: try r.decode(column: "id", as: UUID.self), number: try r.decode(column: "number", as: Int.self),
                          title: try r.decode(column: "title", as: String?.self), text: try r.decode(column: "text", as: String.self),
                          address: try r.decode(column: "address", as: String?.self),
                          answer: try r.decode(column: "answer", as: String.self), version: try r.decode(column: "version", as: Int.self),
                          at: try r.decode(column: "answered_at", as: Date.self))
            if row.version > (latest[row.id]?.version ?? 0) { latest[row.id] = row }
        }
        let list = Array(latest.values)
        let scores = ParallelTexts.map(list, maxWorkers: 2) { row, _ in
            MinHashSignature(text: ClassifierTraining.text(title: row.title, body: row.text), place: row.address).map(own.similarity) ?? 0
        }
        // One answer once: an answer given to a whole cluster or shared with duplicates appears under many cases.
        var seen = Set<String>()
        return zip(list, scores).filter { $0.1 >= minimum }
            .sorted { ($0.1, $0.0.at) > ($1.1, $1.0.at) }
            .filter { seen.insert($0.0.answer).inserted }
            .prefix(limit)
            .map { row, score in
                Item(case_id: row.id, number: row.number, title: Clusters.title(row.title, text: row.text), similarity: score,
                     answer: row.answer, answered_at: row.at)
            }
    }
}
