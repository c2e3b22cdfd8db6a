import Fluent
import Vapor

/// Resolves `:municipality` in the path to a tenant the principal may act in, or refuses.
struct TenantMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let principal = try request.principal()
        guard let slug = request.parameters.get("municipality"),
              let municipality = try await Municipality.query(on: request.db).filter(\.$slug == slug).first() else {
            throw Problem.notFound("Муниципальное образование «\(request.parameters.get("municipality") ?? "")» не найдено.")
        }
        guard let access = try await TenantAccess.make(principal: principal, municipality: municipality, on: request.db) else {
            throw Problem.forbidden("У вас нет ролей в муниципальном образовании «\(municipality.name)».")
        }
        request.storage[TenantAccessKey.self] = access
        return try await next.respond(to: request)
    }
}
