import Foundation
import Vapor

extension Request {
    /// A UUID path parameter; a missing or malformed one means the record is not found, said in Russian.
    func uuidParameter(_ name: String = "id", notFound message: String) throws -> UUID {
        guard let id = parameters.get(name, as: UUID.self) else { throw Problem.notFound(message) }
        return id
    }
}
