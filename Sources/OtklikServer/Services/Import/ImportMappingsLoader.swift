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
        var names: [String: String?] = [:]
        for r in rubrics {
            guard let id = r.id?.uuidString else { continue }
            var path = [r.name], cursor = r.parentID, steps = 0
            while let p = cursor, let parent = byID[p], steps < 5 { path.insert(parent.name, at: 0); cursor = parent.parentID; steps += 1 }
            m.categories[SearchText.normalize(path.joined(separator: " / "))] = id
            let key = SearchText.normalize(r.name)
            names[key] = names[key] == nil ? id : .some(nil)
        }
        for (key, id) in names { if let id, m.categories[key] == nil { m.categories[key] = id } }

        var orgs: [String: String?] = [:]
        for o in try await Organisation.query(on: db).filter(\.$tenantID == tenantID).all() {
            guard let id = o.id?.uuidString else { continue }
            for name in [o.name, o.shortName].compactMap({ $0 }) {
                let key = SearchText.normalize(name)
                orgs[key] = orgs[key] == nil ? id : .some(nil)
            }
        }
        for (key, id) in orgs { if let id { m.organisations[key] = id } }

        var territories: [String: String?] = [:]
        for t in try await Territory.query(on: db).filter(\.$tenantID == tenantID).all() {
            guard let id = t.id?.uuidString else { continue }
            let key = SearchText.normalize(t.name)
            territories[key] = territories[key] == nil ? id : .some(nil)
        }
        for (key, id) in territories { if let id { m.territories[key] = id } }

        for entry in try await ImportValueMapping.query(on: db).filter(\.$tenantID == tenantID).all() {
            guard let kind = ImportMappings.Kind(rawValue: entry.kind) else { continue }
            _ = m.set(kind, foreign: entry.foreignValue, target: entry.target)
        }
        return m
    }
}
