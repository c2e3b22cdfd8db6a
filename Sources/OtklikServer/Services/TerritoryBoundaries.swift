import Fluent
import Foundation
import OtklikCore
import Vapor

/// Loads territory boundaries from one GeoJSON FeatureCollection, as administrators get them from a GIS:
/// each feature is matched to a territory of the municipality by its properties — `otklik_id`, then
/// `code`, then `name` (ignoring case and «ё») — and the whole file is written in one transaction, audited
/// per territory. A file with a bad geometry writes nothing; features that match nothing are listed.
enum TerritoryBoundaries {
    struct Report: Content, Sendable {
        var matched: Int
        var updated: [String]
        var unmatched: [String]
    }

    static let nameKeys = ["name", "NAME", "Name", "название", "Название", "name_ru", "NAME_RU"]

    static func load(_ text: String, access: TenantAccess, req: Request) async throws -> Report {
        try access.requireAdministration()
        let features: [GeoJSONReader.Feature]
        do { features = try GeoJSONReader.features(text) } catch {
            throw Problem.validation([FieldIssue("file", error.russian)], detail: "Границы не загружены: файл не прочитан")
        }
        let territories = try await Territory.query(on: req.db).filter(\.$tenantID == access.tenantID).all()
        func normal(_ s: String) -> String { s.trimmed.lowercased().replacingOccurrences(of: "ё", with: "е") }
        let byID = Dictionary(territories.map { ($0.id!.uuidString.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let byCode = Dictionary(territories.compactMap { t in t.code.map { (normal($0), t) } }, uniquingKeysWith: { a, _ in a })
        let byName = Dictionary(territories.map { (normal($0.name), $0) }, uniquingKeysWith: { a, _ in a })

        var assigned: [UUID: (Territory, GeoShape)] = [:]
        var unmatched: [String] = []
        for (i, f) in features.enumerated() {
            let name = nameKeys.lazy.compactMap { f.properties[$0] }.first
            let found = f.properties["otklik_id"].flatMap { byID[$0.lowercased()] }
                ?? f.properties["code"].flatMap { byCode[normal($0)] }
                ?? name.flatMap { byName[normal($0)] }
            guard let t = found, let id = t.id else {
                unmatched.append(name ?? f.properties["code"] ?? "объект №\(i + 1) без названия")
                continue
            }
            // Two features of one territory (an exclave): their polygons are joined.
            if let existing = assigned[id] {
                assigned[id] = (t, GeoShape(polygons: existing.1.polygons + f.shape.polygons))
            } else {
                assigned[id] = (t, f.shape)
            }
        }
        guard !assigned.isEmpty else {
            throw Problem.validation([FieldIssue("file", "ни одна граница не сопоставлена с территориями: укажите в свойствах объектов name (название территории) или code")],
                                     detail: "Границы не загружены")
        }
        let ordered = assigned.values.sorted { $0.0.name < $1.0.name }
        try await req.db.transaction { tx in
            for (t, shape) in ordered {
                let before = TerritoriesController.DTO(t)
                t.boundaryGeoJSON = shape.geoJSON
                try await t.save(on: tx)
                try await ReferenceBooks.audit(req, on: tx, action: "territory.boundary", entity: "territory", id: t.id,
                                               before: before, after: TerritoriesController.DTO(t))
            }
        }
        return Report(matched: ordered.count, updated: ordered.map(\.0.name), unmatched: unmatched)
    }
}
