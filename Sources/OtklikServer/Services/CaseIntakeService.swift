import Fluent
import FluentSQLiteDriver
import Foundation
import OtklikCore
import SQLKit

/// Registers cases from any source: one from the API, a batch of up to 10 000, or an import file in
/// chunks. Idempotent by (tenant, channel, external_id): an item already known returns the existing case.
/// Valid items of a batch are stored together in one transaction; invalid ones are reported, never stored.
struct CaseIntakeService {
    let db: any Database
    let tenantID: UUID
    let actor: IntakeActor
    var now: Date = Date()
    /// Who hears of what auto-rules ask to notify about (the in-app inbox unless the caller passes more).
    var notifiers: [any Notifier] = [InAppNotifier()]

    static let maxBatch = 10_000
    /// Rows per INSERT statement: 40 binds a row keeps us below SQLite's and PostgreSQL's bind limits.
    static let rowsPerStatement = 400

    /// - Parameter states: for imports, what the source says about each item now (aligned with `outcomes`).
    func intake(_ outcomes: [CaseDraftParser.Outcome], states: [SourceState?]? = nil) async throws -> [IntakeOutcome] {
        let book = try await ReferenceBook.load(tenantID: tenantID, on: db)
        let regulation = try await TenantRegulation.load(tenantID: tenantID, on: db)
        var results = [IntakeOutcome?](repeating: nil, count: outcomes.count)
        var rows: [(index: Int, row: CaseColumns.Row)] = []
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .invalid(let issues):
                results[index] = .rejected(issues)
            case .valid(let draft):
                var (row, issues) = resolve(draft, book: book)
                if let state = states?[index] {
                    row.state = state
                    if let ref = state.organisationRef, let id = UUID(uuidString: ref) { row.organisationID = id }
                }
                if issues.isEmpty { rows.append((index, row)) } else { results[index] = .rejected(issues) }
            }
        }
        let ruleHits = try await AutoRuleStage(db: db, tenantID: tenantID, zone: regulation.schedule.zone).apply(to: &rows, book: book)
        try await AutoClassifier(db: db, tenantID: tenantID).apply(to: &rows, book: book)
        try await RiskStage(db: db, tenantID: tenantID).apply(to: &rows)
        // A race with a concurrent intake of the same external id surfaces as a unique violation:
        // the retry's lookup then finds the other writer's case.
        var attempt = 0
        while true {
            do {
                let stored = try await store(rows, regulation: regulation)
                for (index, outcome) in stored { results[index] = outcome }
                var created: [UUID: Int] = [:]
                for (_, outcome) in stored { if case .created(let id, let number) = outcome { created[id] = number } }
                if !ruleHits.isEmpty {
                    try await AutoRuleStage.record(ruleHits, created: created, tenantID: tenantID, notifiers: notifiers, now: now, on: db)
                }
                try await RiskStage.notify(rows.map(\.row), created: created, tenantID: tenantID, notifiers: notifiers, now: now, on: db)
                return results.map { $0! }
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 3 {
                attempt += 1
            }
        }
    }

    private func resolve(_ draft: CaseDraft, book: ReferenceBook) -> (CaseColumns.Row, [FieldIssue]) {
        var row = CaseColumns.Row(id: TimeOrderedUUID.make(at: now), number: 0, draft: draft)
        var issues: [FieldIssue] = []
        if let ref = draft.location.territoryRef {
            switch book.territory(ref) {
            case .success(let id): row.territoryID = id
            case .failure(let issue): issues.append(issue)
            }
        }
        if let ref = draft.categoryRef {
            switch book.rubric(ref) {
            case .success(let info): row.setCategory(info)
            case .failure(let issue): issues.append(issue)
            }
        }
        return (row, issues)
    }

    private func store(_ candidates: [(index: Int, row: CaseColumns.Row)], regulation: TenantRegulation) async throws -> [(Int, IntakeOutcome)] {
        guard !candidates.isEmpty else { return [] }
        let tenantID = self.tenantID, actor = self.actor, now = self.now
        return try await db.withConnection { conn in
          // Tuning must precede the transaction (SQLite refuses some pragmas inside one), on the same connection.
          if let sqlite = conn as? any SQLiteDatabase { try await SQLiteTuning.apply(sqlite) }
          return try await conn.transaction { tx in
            let sql = tx as! any SQLDatabase
            // First statement is a write, so SQLite takes the write lock before reading (no stale snapshot).
            try await sql.insert(into: "tenant_counters").columns("tenant_id", "name", "value")
                .values(tenantID, "case", 0).ignoringConflicts(with: ["tenant_id", "name"]).run()

            var out: [(Int, IntakeOutcome)] = []
            let existing = try await Self.existingCases(for: candidates.map(\.row.draft), tenantID: tenantID, sql: sql)
            var seen: [String: (UUID, Int)] = existing
            var fresh: [(index: Int, row: CaseColumns.Row)] = []
            var pendingDuplicates: [(index: Int, key: String)] = []
            for candidate in candidates {
                guard let key = Self.sourceKey(candidate.row.draft) else { fresh.append(candidate); continue }
                if let known = seen[key] {
                    if existing[key] != nil { out.append((candidate.index, .existing(id: known.0, number: known.1))) }
                    else { pendingDuplicates.append((candidate.index, key)) }
                    continue
                }
                seen[key] = (candidate.row.id, 0)
                fresh.append(candidate)
            }
            guard !fresh.isEmpty else { return out }

            let top = try await sql.update("tenant_counters")
                .set(SQLIdentifier("value"), to: SQLBinaryExpression(SQLIdentifier("value"), .add, SQLBind(fresh.count)))
                .where("tenant_id", .equal, tenantID).where("name", .equal, "case")
                .returning("value").first(decodingColumn: "value", as: Int.self) ?? fresh.count
            var numbered: [String: Int] = [:]
            for i in fresh.indices {
                fresh[i].row.number = top - fresh.count + 1 + i
                if let key = Self.sourceKey(fresh[i].row.draft) { numbered[key] = fresh[i].row.number }
            }
            // Numbers are known now: the history can name the similar case a new one joins.
            try await DuplicateStage(tenantID: tenantID, now: now).link(&fresh, on: tx)
            // The regulation's clocks start at receipt; their deadlines are computed now and kept.
            var clockRows: [[SQLCell]] = []
            clockRows.reserveCapacity(fresh.count * 2)
            for i in fresh.indices {
                let d = fresh[i].row.draft
                let profile = regulation.profile(channel: d.channel.rawValue, regime: d.legalRegime.rawValue,
                                                 categoryID: fresh[i].row.categoryID, urgent: d.urgent)
                let planned = ClockPlanner.atIntake(profile, receivedAt: d.receivedAt, sourceDeadline: d.sourceDeadline,
                                                    schedule: regulation.schedule)
                // An imported case may already be further on at its source: those clocks stop at once.
                var open: [(CaseClockKind, Date)] = []
                for p in planned {
                    let stop = fresh[i].row.state.flatMap { SourceClockRule.stop(p.kind, due: p.due, state: $0, now: now) }
                    if stop == nil { open.append((p.kind, p.due)) }
                    clockRows.append(ClockStore.cells(p, caseID: fresh[i].row.id, tenantID: tenantID, stopped: stop))
                }
                fresh[i].row.nextDueAt = ClockStore.nextDue(open)
            }
            try await BulkInsert.run(on: tx, table: "cases", columns: CaseColumns.all,
                                     rows: fresh.map { CaseColumns.values($0.row, tenantID: tenantID, now: now) },
                                     rowsPerStatement: Self.rowsPerStatement)
            try await BulkInsert.run(on: tx, table: "case_events", columns: CaseColumns.eventColumns, rows: fresh.map { item in
                let d = item.row.draft
                var details = ["channel": d.channel.rawValue, "source": actor.source]
                if let ext = d.externalID { details["external_id"] = ext }
                if let status = item.row.state?.status { details["source_status"] = status }
                return [.uuid(TimeOrderedUUID.make(at: now)), .uuid(tenantID), .uuid(item.row.id),
                        .text(CaseEventKind.received.rawValue), .uuid(actor.userID), .text(actor.label), .date(now), .null,
                        .text(JSONText.object(details))]
            }, rowsPerStatement: Self.rowsPerStatement)
            let autoEvents: [[SQLCell]] = fresh.flatMap { item in
                item.row.autoEvents.map { e in
                    [.uuid(TimeOrderedUUID.make(at: now)), .uuid(tenantID), .uuid(item.row.id), .text(e.kind), .null,
                     .text(e.actorLabel), .date(now), .null, .text(JSONText.object(e.details))]
                }
            }
            try await BulkInsert.run(on: tx, table: "case_events", columns: CaseColumns.eventColumns, rows: autoEvents,
                                     rowsPerStatement: Self.rowsPerStatement)
            try await BulkInsert.run(on: tx, table: "case_clocks", columns: ClockStore.columns, rows: clockRows,
                                     rowsPerStatement: Self.rowsPerStatement)
            for item in fresh { out.append((item.index, .created(id: item.row.id, number: item.row.number))) }
            for dup in pendingDuplicates {
                let first = seen[dup.key]!
                out.append((dup.index, .existing(id: first.0, number: numbered[dup.key] ?? first.1)))
            }
            return out
          }
        }
    }

    static func sourceKey(_ draft: CaseDraft) -> String? {
        draft.externalID.map { draft.channel.rawValue + "\u{1F}" + $0 }
    }

    /// Cases of this tenant that already carry one of the drafts' (channel, external id). Queried per
    /// channel so that the whole unique index (tenant_id, channel, external_id) serves the lookup.
    static func existingCases(for drafts: [CaseDraft], tenantID: UUID, sql: any SQLDatabase) async throws -> [String: (UUID, Int)] {
        var idsByChannel: [String: Set<String>] = [:]
        for d in drafts { if let ext = d.externalID { idsByChannel[d.channel.rawValue, default: []].insert(ext) } }
        return try await existingCases(idsByChannel: idsByChannel, tenantID: tenantID, sql: sql)
    }

    /// The same lookup by channel → external ids (an import's preview counts rows already known).
    static func existingCases(idsByChannel: [String: Set<String>], tenantID: UUID, sql: any SQLDatabase) async throws -> [String: (UUID, Int)] {
        var found: [String: (UUID, Int)] = [:]
        struct Hit: Decodable { var id: UUID; var number: Int; var external_id: String }
        for (channel, ids) in idsByChannel {
            for chunk in Array(ids).chunked(500) {
                let hits = try await sql.select().columns("id", "number", "external_id").from("cases")
                    .where("tenant_id", .equal, tenantID)
                    .where("channel", .equal, channel)
                    .where("external_id", .in, Array(chunk))
                    .all(decoding: Hit.self)
                for hit in hits { found[channel + "\u{1F}" + hit.external_id] = (hit.id, hit.number) }
            }
        }
        return found
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
