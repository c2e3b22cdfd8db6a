import Fluent
import Foundation
import OtklikCore

/// At intake, fills what a new case lacks — category (with the block and organisation its rubric names),
/// else block, organisation — from the municipality's models when the confidence reaches its threshold.
/// Each application becomes a «Классифицировано» event by the system with the confidence and threshold.
/// Cases that arrive already closed at their source (history imports) are left as they are, so the models
/// do not learn from their own guesses.
struct AutoClassifier {
    static let actorLabel = "система (классификатор)"

    let db: any Database
    let tenantID: UUID

    func apply(to rows: inout [(index: Int, row: CaseColumns.Row)], book: ReferenceBook) async throws {
        let candidates = rows.indices.filter { i in
            let r = rows[i].row
            return r.state?.isClosed != true && (r.categoryID == nil || r.blockID == nil || r.organisationID == nil)
        }
        guard !candidates.isEmpty else { return }
        let (settings, _) = try await TextSettings.load(tenantID: tenantID, on: db)
        guard settings.policy.enabled else { return }
        let models = try await TextModelCache.shared.models(tenantID: tenantID, on: db)
        guard !models.isEmpty else { return }
        let policy = settings.policy
        let texts = candidates.map { ClassifierTraining.text(title: rows[$0].row.draft.title, body: rows[$0].row.draft.text) }
        // Top-1 per label and text, on all cores for a large batch (imports arrive in chunks of hundreds).
        let predicted: [[LabelTarget: TextSuggestion]] = ParallelTexts.map(texts, maxWorkers: texts.count >= 64 ? 8 : 1) { text, stems in
            var out: [LabelTarget: TextSuggestion] = [:]
            for (target, model) in models { out[target] = model.suggest(text, top: 1, stems: &stems).first }
            return out
        }
        for (n, i) in candidates.enumerated() {
            var row = rows[i].row
            var details: [String: String] = [:]
            var confidences: [String] = []
            if let s = policy.choice(predicted[n][.category].map { [$0] } ?? [], current: row.categoryID?.uuidString),
               case .success(let info) = book.rubric(s.label) {
                row.setCategory(info)
                details["category"] = book.names[info.id]
                confidences.append("категория — \(ConfidenceText.percent(s.confidence))")
            }
            if let s = policy.choice(predicted[n][.block].map { [$0] } ?? [], current: row.blockID?.uuidString),
               let id = UUID(uuidString: s.label), book.hasBlock(id) {
                row.blockID = id
                confidences.append("блок — \(ConfidenceText.percent(s.confidence))")
            }
            if let s = policy.choice(predicted[n][.organisation].map { [$0] } ?? [], current: row.organisationID?.uuidString),
               let id = UUID(uuidString: s.label), book.hasOrganisation(id) {
                row.organisationID = id
                confidences.append("организация — \(ConfidenceText.percent(s.confidence))")
            }
            guard !confidences.isEmpty else { continue }
            if let id = row.blockID, rows[i].row.blockID == nil { details["block"] = book.names[id] }
            if let id = row.organisationID, rows[i].row.organisationID == nil { details["organisation"] = book.names[id] }
            details["notice"] = "Подсказка классификатора применена автоматически: \(confidences.joined(separator: ", ")) (порог \(Int((policy.threshold * 100).rounded())) %)"
            row.autoEvents.append(.init(kind: CaseEventKind.classified.rawValue, actorLabel: Self.actorLabel, details: details))
            rows[i].row = row
        }
    }
}
