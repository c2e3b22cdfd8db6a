import Fluent
import OtklikCore
import Vapor

/// What the four reference-book controllers share: finding a row in the tenant, checking a parent,
/// and archiving with an audit entry.
protocol TenantOwned: Model where IDValue == UUID {
    var tenantID: UUID { get }
    static var tenantField: KeyPath<Self, FieldProperty<Self, UUID>> { get }
}
extension Organisation: TenantOwned { static var tenantField: KeyPath<Organisation, FieldProperty<Organisation, UUID>> { \.$tenantID } }
extension ThematicBlock: TenantOwned { static var tenantField: KeyPath<ThematicBlock, FieldProperty<ThematicBlock, UUID>> { \.$tenantID } }
extension Rubric: TenantOwned { static var tenantField: KeyPath<Rubric, FieldProperty<Rubric, UUID>> { \.$tenantID } }
extension Territory: TenantOwned { static var tenantField: KeyPath<Territory, FieldProperty<Territory, UUID>> { \.$tenantID } }

enum ReferenceBooks {
    static func find<M: TenantOwned>(_ type: M.Type, _ req: Request, what: String) async throws -> M {
        let access = try req.tenant
        guard let id = req.parameters.get("id", as: UUID.self),
              let model = try await M.query(on: req.db).filter(\M._$id == id).filter(M.tenantField == access.tenantID).first() else {
            throw Problem.notFound("\(what) не найден(а) в этом муниципальном образовании.")
        }
        return model
    }

    /// A referenced row must exist in the same tenant and not be archived.
    static func requireInTenant<M: TenantOwned>(_ type: M.Type, _ id: UUID?, field: String, what: String,
                                                access: TenantAccess, on db: any Database,
                                                issues: inout [FieldIssue]) async throws -> M? {
        guard let id else { return nil }
        let found = try await M.query(on: db).filter(\M._$id == id).filter(M.tenantField == access.tenantID).first()
        if found == nil { issues.append(FieldIssue(field, "\(what) не найден(а) в этом муниципальном образовании")) }
        return found
    }

    /// A person named in a field (an officer, an executor, a control officer) must hold a role in this municipality.
    static func requireTenantUser(_ id: UUID?, field: String, access: TenantAccess, on db: any Database, issues: inout [FieldIssue],
                                  reason: String = "пользователь не из этого муниципального образования") async throws {
        guard let id else { return }
        if try await RoleAssignment.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$userID == id).count() == 0 {
            issues.append(FieldIssue(field, reason))
        }
    }

    static func archive<M: TenantOwned, D: Encodable & Sendable>(_ model: M, dto: D, entity: String, req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        try access.requireAdministration()
        try await req.db.transaction { tx in
            try await model.delete(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "\(entity).archive",
                                   entity: entity, entityID: model.id?.uuidString, before: dto)
        }
        return .noContent
    }

    static func audit<D: Encodable & Sendable>(_ req: Request, on db: any Database, action: String, entity: String, id: UUID?,
                                    before: D?, after: D?) async throws {
        let access = try req.tenant
        try await Audit.record(on: db, tenantID: access.tenantID, actor: access.principal, action: action,
                               entity: entity, entityID: id?.uuidString, before: before, after: after)
    }
}
