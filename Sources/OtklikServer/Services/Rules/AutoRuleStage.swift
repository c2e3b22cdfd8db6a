import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Intake's pass of the municipality's enabled auto-rules over new cases, before the classifier: each
/// rule that matches fills what is still empty and leaves an «Автоправило» entry in the history; a
/// category set by a rule brings its rubric's block and organisation when those are still empty.
struct AutoRuleStage {
    static let actorLabel = "система (автоправило)"

    let db: any Database
    let tenantID: UUID
    let zone: TimeZone

    /// Rules that fired per new case (by row id), for the counters and the notifications after storing.
    struct Hit: Sendable { var ruleID: UUID; var ruleName: String; var notifyRoles: [String] }

    func apply(to rows: inout [(index: Int, row: CaseColumns.Row)], book: ReferenceBook) async throws -> [UUID: [Hit]] {
        guard !rows.isEmpty else { return [:] }
        let records = try await AutoRuleRecord.query(on: db).filter(\.$tenantID == tenantID).filter(\.$enabled == true)
            .sort(\.$position).sort(\.$createdAt).all()
        guard !records.isEmpty else { return [:] }
        // A stored rule that no longer compiles (it cannot be saved so) is skipped rather than stopping intake.
        var usable: [AutoRuleRecord] = [], rules: [AutoRule] = []
        for r in records {
            if (try? RuleEngine.validate(r.rule)) != nil { usable.append(r); rules.append(r.rule) }
        }
        guard let engine = try? RuleEngine(rules, zone: zone) else { return [:] }
        let executorNames = try await executorNames(rules)
        var hits: [UUID: [Hit]] = [:]
        for i in rows.indices {
            var row = rows[i].row
            // Imported history (closed at its source) keeps what the source said.
            if row.state?.isClosed == true { continue }
            let d = row.draft
            let subject = RuleSubject(channel: d.channel.rawValue, platform: d.platform?.rawValue,
                                      text: ClassifierTraining.text(title: d.title, body: d.text), territoryID: row.territoryID,
                                      categoryID: row.categoryID,
                                      authorFields: [d.author.name, d.author.email, d.author.phone, d.author.profileURL].compactMap { $0 },
                                      receivedAt: d.receivedAt, sourceURL: d.sourceURL)
            var target = RuleTarget(categoryID: row.categoryID, blockID: row.blockID, organisationID: row.organisationID,
                                    executorID: row.executorID, urgent: d.urgent, tags: d.tags)
            let applied = engine.run(subject, target: &target)
            guard !applied.isEmpty else { continue }
            let categoryBefore = row.categoryID
            row.categoryID = target.categoryID
            row.blockID = target.blockID
            row.organisationID = target.organisationID
            row.executorID = target.executorID
            row.draft.urgent = target.urgent
            row.draft.tags = target.tags
            // A rule-set category brings its rubric's block and organisation; the first entry names them.
            if row.categoryID != categoryBefore, let id = row.categoryID, case .success(let info) = book.rubric(id.uuidString) {
                row.setCategory(info)
            }
            for a in applied {
                var details: [String: String] = ["rule": a.name]
                for field in a.changed {
                    switch field {
                    case "category": details["category"] = row.categoryID.flatMap { book.names[$0] }
                    case "block": details["block"] = row.blockID.flatMap { book.names[$0] }
                    case "organisation": details["organisation"] = row.organisationID.flatMap { book.names[$0] }
                    case "executor": details["executor"] = row.executorID.flatMap { executorNames[$0] }
                    case "urgent": details["urgent"] = "да"
                    case "tags": details["tags"] = row.draft.tags.joined(separator: ", ")
                    default: break
                    }
                }
                details["notice"] = "Применено автоправило «\(a.name)»" + (a.changed.isEmpty ? " (всё уже было задано)" : "")
                    + (a.stopped ? "; следующие правила не применялись" : "")
                row.autoEvents.append(.init(kind: CaseEventKind.autoRule.rawValue, actorLabel: Self.actorLabel, details: details))
                hits[row.id, default: []].append(Hit(ruleID: usable[a.index].id!, ruleName: a.name, notifyRoles: a.notifyRoles))
            }
            rows[i].row = row
        }
        return hits
    }

    private func executorNames(_ rules: [AutoRule]) async throws -> [UUID: String] {
        let ids = rules.compactMap(\.actions.executorID)
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: String] = [:]
        for u in try await User.query(on: db).filter(\.$id ~~ ids).all() { if let id = u.id { out[id] = u.fullName } }
        return out
    }

    /// After the cases are stored: the rules' counters, and the notifications they ask for.
    static func record(_ hits: [UUID: [Hit]], created: [UUID: Int], tenantID: UUID, notifiers: [any Notifier], now: Date,
                       on db: any Database) async throws {
        var perRule: [UUID: Int] = [:]
        var notes: [OutgoingNotification] = []
        var recipients: [String: [UUID]] = [:]
        for (caseID, list) in hits {
            guard let number = created[caseID] else { continue }
            for hit in list {
                perRule[hit.ruleID, default: 0] += 1
                for role in hit.notifyRoles {
                    if recipients[role] == nil {
                        if let r = Role(rawValue: role) {
                            recipients[role] = try await Recipients.users(tenantID: tenantID, roles: [r], on: db)
                        } else {
                            recipients[role] = []
                        }
                    }
                    for user in recipients[role] ?? [] {
                        notes.append(OutgoingNotification(tenantID: tenantID, userID: user, kind: NotificationKind.autoRule.rawValue,
                                                          caseID: caseID, title: "Автоправило «\(hit.ruleName)»: обращение №\(number)",
                                                          body: "Новое обращение подошло под автоправило «\(hit.ruleName)».", at: now,
                                                          eventKey: "auto_rule/\(hit.ruleID.uuidString)/\(caseID.uuidString)"))
                    }
                }
            }
        }
        let sql = db as! any SQLDatabase
        for (rule, n) in perRule {
            try await sql.update(AutoRuleRecord.schema)
                .set(SQLIdentifier("matched_count"), to: SQLBinaryExpression(SQLIdentifier("matched_count"), .add, SQLBind(n)))
                .set("last_matched_at", to: SQLBind(now)).where("id", .equal, SQLBind(rule)).run()
        }
        if !notes.isEmpty {
            // One person notified once per case, however many of their roles a rule named.
            var seen = Set<String>()
            let unique = notes.filter { seen.insert($0.dedupeKey).inserted }
            for n in notifiers { try await n.deliver(unique, on: db) }
        }
    }
}
