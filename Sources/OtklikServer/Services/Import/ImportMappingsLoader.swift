import Fluent
import Foundation
import OtklikCore

/// Builds a tenant's translation tables: our own books by name (rubrics also by their path
/// «Категория / Подкатегория / Факт», since ПОС exports the same three levels), then the
/// administrator's explicit entries on top. A name two nodes share is left out: it would be a guess.
enum ImportMappingsLoader {
    static func load(tenantID: UUID, on db: any Database) async throws -> ImportMappings {
        var m = ImportMappings()
        let rubrics = try await Rubric.query(on: db).filter(\.$tenantID == tenantID).all()
        let byID = Dictionary(uniqueKeysWithValues: rubrics.compactMap { r in r.id.map { ($0, r) } })
        for r in rubrics {
            guard let id = r.id?.uuidString else { continue }
            var path = [r.name], cursor = r.parentID, steps = 0
            while let p = cursor, let parent = byID[p], steps < 5 { path.insert(parent.name, at: 0); cursor = parent.parentID; steps += 1 }
            m.categories[SearchText.normalize(path.joined(separator: " / "))] = id
        }
        // A bare name matches only when no path says it already (a fact's name equal to a category's path).
        m.categories.merge(unique(rubrics.compactMap { r in r.id.map { ($0, [r.name]) } })) { path, _ in path }
        m.organisations = unique(try await Organisation.query(on: db).filter(\.$tenantID == tenantID).all()
            .compactMap { o in o.id.map { ($0, [o.name, o.shortName].compactMap { $0 }) } })
        m.territories = unique(try await Territory.query(on: db).filter(\.$tenantID == tenantID).all()
            .compactMap { t in t.id.map { ($0, [t.name]) } })

        for entry in try await ImportValueMapping.query(on: db).filter(\.$tenantID == tenantID).all() {
            guard let kind = ImportMappings.Kind(rawValue: entry.kind) else { continue }
            _ = m.set(kind, foreign: entry.foreignValue, target: entry.target)
        }
        return m
    }

    /// Normalised name → id, leaving out names that two different records share.
    private static func unique(_ named: [(UUID, [String])]) -> [String: String] {
        var seen: [String: String?] = [:]
        for (id, names) in named {
            for name in names {
                let key = SearchText.normalize(name)
                // A record whose short name equals its name is not ambiguous with itself.
                if let earlier = seen[key] { if earlier != id.uuidString { seen[key] = .some(nil) } }
                else { seen[key] = id.uuidString }
            }
        }
        return seen.compactMapValues { $0 }
    }
}
