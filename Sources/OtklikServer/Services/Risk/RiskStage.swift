import Fluent
import Foundation
import OtklikCore

/// Intake's reading of each new message against the municipality's word lists: the score and findings
/// are kept on the case; a threat, a danger or a high score makes the case urgent (an event by the
/// system says why) and a candidate information risk, which the risk officers hear of.
struct RiskStage {
    static let actorLabel = "система (сигналы риска)"

    let db: any Database
    let tenantID: UUID

    func apply(to rows: inout [(index: Int, row: CaseColumns.Row)]) async throws {
        guard !rows.isEmpty else { return }
        let compiled = RiskLexicon.Compiled(try await RiskLexicons.load(tenantID: tenantID, on: db).lexicon)
        // History imports (closed at their source) raise no alarms about the past.
        let open = rows.indices.filter { rows[$0].row.state?.isClosed != true }
        let texts = open.map { ClassifierTraining.text(title: rows[$0].row.draft.title, body: rows[$0].row.draft.text) }
        // Import chunks are scored on all cores; a single message on this one.
        let scores = ParallelTexts.map(texts, maxWorkers: texts.count >= 64 ? 8 : 1) { text, _ in compiled.score(text) }
        for (i, a) in zip(open, scores) {
            var row = rows[i].row
            guard !a.hits.isEmpty else { continue }
            row.risk = a
            if a.raisesPriority || a.riskCandidate {
                var details = ["notice": "Сигналы риска в тексте (оценка \(a.score) из 100): \(a.explanation)"]
                if a.raisesPriority && !row.draft.urgent {
                    row.draft.urgent = true
                    details["urgent"] = "да"
                }
                if a.riskCandidate { details["risk"] = "кандидат в информационные риски" }
                row.autoEvents.append(.init(kind: CaseEventKind.riskSignal.rawValue, actorLabel: Self.actorLabel, details: details))
            }
            rows[i].row = row
        }
    }

    /// The risk officers (and the МЦУ head) hear of each new candidate.
    static func notify(_ rows: [CaseColumns.Row], created: [UUID: Int], tenantID: UUID, notifiers: [any Notifier], now: Date,
                       on db: any Database) async throws {
        let candidates = rows.filter { $0.risk?.riskCandidate == true && created[$0.id] != nil }
        guard !candidates.isEmpty else { return }
        let readers = try await Recipients.users(tenantID: tenantID, roles: [.riskOfficer, .mcuHead], on: db)
        let notes = candidates.flatMap { row in
            readers.map { user in
                OutgoingNotification(tenantID: tenantID, userID: user, kind: NotificationKind.riskCandidate.rawValue, caseID: row.id,
                                     title: "Кандидат в информационные риски: обращение №\(created[row.id]!)",
                                     body: row.risk?.explanation ?? "", at: now, eventKey: "risk_candidate/\(row.id.uuidString)")
            }
        }
        for n in notifiers { try await n.deliver(notes, on: db) }
    }
}
