import Fluent
import Foundation
import OtklikCore

/// A case a person names in a form field: by its number or by its id, among the cases of `query`
/// (one municipality, or what the reader may see of it).
enum CaseReference {
    static func find(_ ref: String, field: String, unreadable: String, in query: QueryBuilder<CaseRecord>) async throws -> CaseRecord {
        if let number = Int(ref) { query.filter(\.$number == number) }
        else if let id = UUID(uuidString: ref) { query.filter(\.$id == id) }
        else { throw Problem.validation([FieldIssue(field, unreadable)]) }
        guard let found = try await query.first() else {
            throw Problem.validation([FieldIssue(field, "обращение «\(ref)» не найдено в этом муниципальном образовании")])
        }
        return found
    }
}
