import Fluent
import Foundation

/// Reference books that form a tree within a tenant (organisations, rubrics, territories): a few
/// hundred rows at most, so the tree is walked in memory rather than with recursive SQL.
enum Trees {
    /// The given nodes and everything below them, archived nodes included (old cases still point there).
    static func descendants<M: TreeNode>(_ type: M.Type, of roots: Set<UUID>, tenantID: UUID,
                                         on db: any Database) async throws -> Set<UUID> {
        guard !roots.isEmpty else { return [] }
        let all = try await M.query(on: db).withDeleted().filter(M.tenantField == tenantID).all()
        var children: [UUID: [UUID]] = [:]
        for node in all { if let parent = node.parentID, let id = node.id { children[parent, default: []].append(id) } }
        var result = roots
        var stack = Array(roots)
        while let next = stack.popLast() {
            for child in children[next] ?? [] where result.insert(child).inserted { stack.append(child) }
        }
        return result
    }

    /// True when making `parent` the parent of `node` would close a loop.
    static func wouldCycle<M: TreeNode>(_ type: M.Type, node: UUID, parent: UUID, tenantID: UUID,
                                        on db: any Database) async throws -> Bool {
        try await descendants(M.self, of: [node], tenantID: tenantID, on: db).contains(parent)
    }
}
