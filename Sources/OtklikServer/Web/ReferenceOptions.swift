import Fluent
import Foundation
import OtklikCore

/// One choice of a `<select>`.
struct Choice: Encodable, Sendable {
    var value: String
    var title: String
    var selected: Bool
}

/// A municipality's reference books as the pages need them: names by id and tree-ordered choices.
struct ReferenceOptions: Sendable {
    struct Node: Sendable { var id: UUID; var parentID: UUID?; var name: String }
    var organisations: [Node] = []
    var rubrics: [Node] = []
    var territories: [Node] = []
    var blocks: [Node] = []
    var names: [UUID: String] = [:]

    static func load(tenantID: UUID, on db: any Database) async throws -> ReferenceOptions {
        var r = ReferenceOptions()
        r.organisations = try await Organisation.query(on: db).filter(\.$tenantID == tenantID).sort(\.$name).all()
            .map { Node(id: $0.id!, parentID: $0.parentID, name: $0.name) }
        r.rubrics = try await Rubric.query(on: db).filter(\.$tenantID == tenantID).sort(\.$name).all()
            .map { Node(id: $0.id!, parentID: $0.parentID, name: $0.name) }
        r.territories = try await Territory.query(on: db).filter(\.$tenantID == tenantID).sort(\.$name).all()
            .map { Node(id: $0.id!, parentID: $0.parentID, name: $0.name) }
        r.blocks = try await ThematicBlock.query(on: db).filter(\.$tenantID == tenantID).sort(\.$name).all()
            .map { Node(id: $0.id!, parentID: nil, name: $0.name) }
        for n in r.organisations + r.rubrics + r.territories + r.blocks { r.names[n.id] = n.name }
        return r
    }

    func name(_ id: UUID?) -> String? { id.flatMap { names[$0] } }

    /// Tree order, children indented under their parent, with an empty first choice.
    static func options(_ nodes: [Node], selected: UUID?, empty: String) -> [Choice] {
        var children: [UUID?: [Node]] = [:]
        let ids = Set(nodes.map(\.id))
        for n in nodes { children[n.parentID.flatMap { ids.contains($0) ? $0 : nil }, default: []].append(n) }
        var out = [Choice(value: "", title: empty, selected: selected == nil)]
        func walk(_ parent: UUID?, depth: Int) {
            guard depth < 8 else { return }
            for n in children[parent] ?? [] {
                out.append(Choice(value: n.id.uuidString, title: String(repeating: "  ", count: depth) + (depth > 0 ? "— " : "") + n.name,
                                  selected: n.id == selected))
                walk(n.id, depth: depth + 1)
            }
        }
        walk(nil, depth: 0)
        return out
    }

    /// Executors and organisation heads of the municipality, «Name (Organisation)», each person once.
    static func executors(tenantID: UUID, books: ReferenceOptions, selected: UUID?, empty: String,
                          on db: any Database) async throws -> [Choice] {
        let grants = try await RoleAssignment.query(on: db).filter(\.$tenantID == tenantID)
            .filter(\.$role ~~ [Role.executor.rawValue, Role.organisationHead.rawValue]).all()
        let users = try await User.query(on: db).filter(\.$id ~~ grants.map(\.userID)).filter(\.$isActive == true).all()
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id!, $0.fullName) })
        var seen = Set<UUID>()
        var out = [Choice(value: "", title: empty, selected: selected == nil)]
        for g in grants.sorted(by: { (names[$0.userID] ?? "") < (names[$1.userID] ?? "") }) where seen.insert(g.userID).inserted {
            guard let name = names[g.userID] else { continue }
            out.append(Choice(value: g.userID.uuidString, title: name + (books.name(g.organisationID).map { " (\($0))" } ?? ""),
                              selected: g.userID == selected))
        }
        return out
    }

    static func options<E: RawRepresentable & CaseIterable>(_ type: E.Type, selected: String?, empty: String,
                                                            title: (E) -> String) -> [Choice] where E.RawValue == String {
        [Choice(value: "", title: empty, selected: selected == nil)]
            + E.allCases.map { Choice(value: $0.rawValue, title: title($0), selected: $0.rawValue == selected) }
    }
}
