import Fluent
import OtklikCore
import Vapor

/// API tokens for integrations: `/api/v1/municipalities/{m}/api-tokens` (administrators).
struct TokensController: RouteCollection {
    struct DTO: Content {
        var id: UUID
        var name: String
        var prefix: String
        var role: String
        var created_at: String?
        var last_used_at: String?
        var revoked: Bool
        /// The token itself, present only in the response that creates it.
        var token: String?
        init(_ t: ApiToken, token: String? = nil) {
            id = t.id!; name = t.name; prefix = t.prefix; role = t.role
            created_at = t.createdAt.map(TimeText.formatRFC3339); last_used_at = t.lastUsedAt.map(TimeText.formatRFC3339)
            revoked = t.revokedAt != nil; self.token = token
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("api-tokens")
        r.get(use: list)
        r.post(use: create)
        r.delete(":id", use: revoke)
    }

    func list(req: Request) async throws -> [DTO] {
        let access = try req.tenant
        try access.requireAdministration()
        return try await ApiToken.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$createdAt).all().map { DTO($0) }
    }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        var p = PayloadReader(try req.jsonObject())
        let name = p.string("name", required: true, max: 100)
        let role = p.oneOf("role", Role.self) ?? .channelOperator
        if role.scope != .municipality || role.requiresOrganisation || role.requiresBlock {
            p.issues.append(FieldIssue("role", "токену можно дать роль уровня муниципального образования без привязки к организации"))
        }
        try p.check()
        let (token, record) = try await Self.issue(name: name!, role: role, tenantID: access.tenantID,
                                                   createdBy: access.principal.userID, on: req.db)
        try await Audit.record(on: req.db, tenantID: access.tenantID, actor: access.principal, action: "api_token.create",
                               entity: "api_token", entityID: record.id?.uuidString, after: DTO(record))
        return try await DTO(record, token: token).encodeResponse(status: .created, for: req)
    }

    static func issue(name: String, role: Role, tenantID: UUID, createdBy: UUID?, on db: any Database) async throws -> (String, ApiToken) {
        let token = ApiTokens.generate()
        let record = ApiToken(tenantID: tenantID, name: name, tokenHash: ApiTokens.hash(token),
                              prefix: String(token.prefix(10)), role: role.rawValue, createdBy: createdBy)
        try await record.create(on: db)
        return (token, record)
    }

    func revoke(req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        try access.requireAdministration()
        guard let id = req.parameters.get("id", as: UUID.self),
              let token = try await ApiToken.query(on: req.db).filter(\.$id == id).filter(\.$tenantID == access.tenantID).first() else {
            throw Problem.notFound("Токен не найден.")
        }
        if token.revokedAt == nil {
            token.revokedAt = Date()
            try await req.db.transaction { tx in
                try await token.save(on: tx)
                try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "api_token.revoke",
                                       entity: "api_token", entityID: token.id?.uuidString, after: DTO(token))
            }
        }
        return .noContent
    }
}
