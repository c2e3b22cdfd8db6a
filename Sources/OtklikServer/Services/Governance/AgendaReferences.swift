import Fluent
import Foundation
import OtklikCore
import Vapor

/// What an agenda item refers to, typed as people say it — «№1234» or «обращение 1234», «группа 1234»,
/// «риск 5», «карта 2» / «дорожная карта 2», «рейтинг организаций», «поручение 7» — resolved into a link
/// when such a thing exists in the municipality (and the reader may see it); otherwise kept as text.
enum AgendaReferences {
    struct Resolved: Content { var label: String; var href: String? }

    static func resolve(_ labels: [String], access: TenantAccess, on db: any Database) async throws -> [Resolved] {
        var out: [Resolved] = []
        for label in labels {
            out.append(Resolved(label: label, href: try await href(label, access: access, on: db)))
        }
        return out
    }

    static func href(_ label: String, access: TenantAccess, on db: any Database) async throws -> String? {
        let text = label.lowercased().trimmed
        let base = "/m/\(access.slug)"
        let number = Int(text.filter(\.isNumber))
        func starts(_ words: String...) -> Bool { words.contains { text.hasPrefix($0) } }
        if starts("рейтинг") { return base + "/ratings" }
        guard let number else { return nil }
        if starts("риск") {
            return try await (try? access.risks(on: db))?.filter(\.$number == number).first().map { "\(base)/risks/\($0.id!.uuidString)" }
        }
        if starts("карта", "дорожная карта") {
            return try await RoadmapRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$number == number).first()
                .map { "\(base)/roadmaps/\($0.id!.uuidString)" }
        }
        if starts("поручение") {
            return try await (try? access.assignments(on: db))?.filter(\.$number == number).first().map { "\(base)/assignments/\($0.id!.uuidString)" }
        }
        guard let c = try await CaseQueries.scoped(access, on: db).filter(\.$number == number).first() else { return nil }
        if starts("группа") { return c.clusterID.map { "\(base)/clusters/\($0.uuidString)" } }
        if starts("№", "обращение", "#") || text.allSatisfy({ $0.isNumber }) { return "\(base)/cases/\(c.id!.uuidString)" }
        return nil
    }
}
