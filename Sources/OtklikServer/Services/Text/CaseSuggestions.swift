import Fluent
import Foundation
import OtklikCore
import Vapor

/// The classifier's top-3 for a case, per label with a model, named from the reference books (a label
/// deleted since the training is not suggested).
enum CaseSuggestions {
    struct Item: Content, Sendable {
        var id: UUID
        var name: String
        /// Calibrated probability, 0…1.
        var confidence: Double
    }

    struct Group: Content, Sendable {
        var target: String
        var title: String
        var current: UUID?
        var suggestions: [Item]
    }

    static func build(_ record: CaseRecord, tenantID: UUID, books: ReferenceOptions, on db: any Database) async throws -> [Group] {
        let models = try await TextModelCache.shared.models(tenantID: tenantID, on: db)
        let text = ClassifierTraining.text(title: record.title, body: record.text)
        return LabelTarget.allCases.compactMap { target in
            guard let model = models[target] else { return nil }
            let current: UUID? = switch target {
            case .category: record.categoryID
            case .block: record.blockID
            case .organisation: record.organisationID
            }
            return Group(target: target.rawValue, title: target.title, current: current,
                         suggestions: named(model.suggest(text, top: 3), books: books))
        }
    }

    /// The best category for each case without one (the queue's hint), when a category model exists.
    static func categoryHints(_ records: [CaseRecord], tenantID: UUID, books: ReferenceOptions,
                              on db: any Database) async throws -> [UUID: Item] {
        let open = records.filter { $0.categoryID == nil }
        guard !open.isEmpty, let model = try await TextModelCache.shared.models(tenantID: tenantID, on: db)[.category] else { return [:] }
        var out: [UUID: Item] = [:]
        var stems: [String: String] = [:]
        for r in open {
            if let id = r.id, let best = named(model.suggest(ClassifierTraining.text(title: r.title, body: r.text), top: 3, stems: &stems), books: books).first {
                out[id] = best
            }
        }
        return out
    }

    static func named(_ suggestions: [TextSuggestion], books: ReferenceOptions) -> [Item] {
        suggestions.compactMap { s in
            guard let id = UUID(uuidString: s.label), let name = books.name(id) else { return nil }
            return Item(id: id, name: name, confidence: s.confidence)
        }
    }
}
