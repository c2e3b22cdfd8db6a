import Fluent
import Foundation
import OtklikCore

/// A tenant's territories and rubricator loaded once per intake batch, so that references given as an
/// id, a code or a name resolve without a query per case.
struct ReferenceBook: Sendable {
    struct RubricInfo: Sendable { var id: UUID; var blockID: UUID?; var organisationID: UUID? }

    private var territories: [String: UUID] = [:]
    private var ambiguousTerritories: Set<String> = []
    private var rubrics: [String: RubricInfo] = [:]
    private var ambiguousRubrics: Set<String> = []
    /// Names of rubrics, blocks and organisations by id (history events name what was set).
    private(set) var names: [UUID: String] = [:]
    private var blocks: Set<UUID> = []
    private var organisations: Set<UUID> = []

    static func load(tenantID: UUID, on db: any Database) async throws -> ReferenceBook {
        var book = ReferenceBook()
        for t in try await Territory.query(on: db).filter(\.$tenantID == tenantID).all() {
            guard let id = t.id else { continue }
            book.territories[id.uuidString.lowercased()] = id
            if let code = t.code { book.territories["code:" + SearchText.normalize(code)] = id }
            let key = "name:" + SearchText.normalize(t.name)
            if book.territories[key] != nil { book.ambiguousTerritories.insert(key) }
            book.territories[key] = id
        }
        for b in try await ThematicBlock.query(on: db).filter(\.$tenantID == tenantID).all() {
            guard let id = b.id else { continue }
            book.blocks.insert(id)
            book.names[id] = b.name
        }
        for o in try await Organisation.query(on: db).filter(\.$tenantID == tenantID).all() {
            guard let id = o.id else { continue }
            book.organisations.insert(id)
            book.names[id] = o.name
        }
        let all = try await Rubric.query(on: db).filter(\.$tenantID == tenantID).all()
        let byID = Dictionary(uniqueKeysWithValues: all.compactMap { r in r.id.map { ($0, r) } })
        for r in all {
            guard let id = r.id else { continue }
            book.names[id] = r.name
            // Defaults are inherited from the parent when a node has none of its own.
            var block = r.defaultBlockID, org = r.defaultOrganisationID, cursor = r.parentID
            var guardSteps = 0
            while (block == nil || org == nil), let parentID = cursor, let parent = byID[parentID], guardSteps < 5 {
                block = block ?? parent.defaultBlockID
                org = org ?? parent.defaultOrganisationID
                cursor = parent.parentID
                guardSteps += 1
            }
            let info = RubricInfo(id: id, blockID: block, organisationID: org)
            book.rubrics[id.uuidString.lowercased()] = info
            if let code = r.code { book.rubrics["code:" + SearchText.normalize(code)] = info }
            let key = "name:" + SearchText.normalize(r.name)
            if book.rubrics[key] != nil { book.ambiguousRubrics.insert(key) }
            book.rubrics[key] = info
        }
        return book
    }

    func hasBlock(_ id: UUID) -> Bool { blocks.contains(id) }
    func hasOrganisation(_ id: UUID) -> Bool { organisations.contains(id) }

    func territory(_ ref: String) -> Result<UUID, FieldIssue> {
        lookup(ref, in: territories, ambiguous: ambiguousTerritories, field: "location.territory", what: "Территория")
    }

    func rubric(_ ref: String) -> Result<RubricInfo, FieldIssue> {
        lookup(ref, in: rubrics, ambiguous: ambiguousRubrics, field: "category", what: "Рубрика")
    }

    private func lookup<T>(_ ref: String, in table: [String: T], ambiguous: Set<String>, field: String,
                           what: String) -> Result<T, FieldIssue> {
        if let v = table[ref.lowercased()] { return .success(v) }
        let norm = SearchText.normalize(ref)
        if let v = table["code:" + norm] { return .success(v) }
        let nameKey = "name:" + norm
        if ambiguous.contains(nameKey) {
            return .failure(FieldIssue(field, "\(what) «\(ref)» встречается в справочнике несколько раз; укажите код или идентификатор"))
        }
        if let v = table[nameKey] { return .success(v) }
        return .failure(FieldIssue(field, "\(what) «\(ref)» не найдена в справочнике муниципального образования"))
    }
}
