import Fluent
import Foundation
import OtklikCore
import Vapor

/// What the current principal may do inside one municipality. Built once per request by
/// `TenantMiddleware`; every query of tenant data goes through it.
struct TenantAccess: Sendable {
    let tenantID: UUID
    let slug: String
    let name: String
    let timeZone: String
    let roles: Set<Role>
    /// nil: every case of the tenant; otherwise only cases of these organisations (executors).
    let visibleOrganisationIDs: Set<UUID>?
    let principal: Principal

    /// The municipality's zone: every local time shown or typed is read in it.
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? .gmt }

    var seesPersonalData: Bool { roles.contains { $0.seesPersonalData } }
    var mayRegisterCases: Bool { roles.contains { $0.mayRegisterCases } }
    var administers: Bool { roles.contains { $0.administersMunicipality } }

    func requireAdministration() throws {
        guard administers else {
            throw Problem.forbidden("Изменять справочники, пользователей и токены может только администратор МЦУ.")
        }
    }

    func requireCaseRegistration() throws {
        guard mayRegisterCases else {
            throw Problem.forbidden("Регистрировать обращения могут ответственные за каналы, руководитель и администратор МЦУ.")
        }
    }

    /// Access without a request: the demo loader acting as one of its accounts, the monitor, the memo. Sees
    /// the whole municipality with `roles`; named in histories and the audit by `label`.
    static func acting(in municipality: Municipality, roles: Set<Role>, label: String, userID: UUID? = nil) -> TenantAccess {
        let tenantID = municipality.id!
        return TenantAccess(tenantID: tenantID, slug: municipality.slug, name: municipality.name, timeZone: municipality.timeZone,
                            roles: roles, visibleOrganisationIDs: nil,
                            principal: Principal(kind: .user, userID: userID, tokenID: nil, label: label,
                                                 grants: userID == nil ? [] : roles.map { .init(role: $0, tenantID: tenantID) }))
    }

    /// Builds the access of `principal` to `municipality`, or nil when they have no role there.
    static func make(principal: Principal, municipality: Municipality, on db: any Database) async throws -> TenantAccess? {
        let tenantID = try municipality.requireID()
        let grants = principal.grants(in: municipality)
        guard !grants.isEmpty else { return nil }
        let roles = Set(grants.map(\.role))
        var visible: Set<UUID>? = nil
        // Limited only if every role held here is limited: an executor who is also an operator sees all.
        if grants.allSatisfy({ $0.role.limitedToOwnOrganisation }) {
            let own = Set(grants.compactMap(\.organisationID))
            visible = try await Trees.descendants(Organisation.self, of: own, tenantID: tenantID, on: db)
        }
        return TenantAccess(tenantID: tenantID, slug: municipality.slug, name: municipality.name, timeZone: municipality.timeZone,
                            roles: roles, visibleOrganisationIDs: visible, principal: principal)
    }
}

struct TenantAccessKey: StorageKey { typealias Value = TenantAccess }

extension Request {
    var tenant: TenantAccess {
        get throws {
            guard let access = storage[TenantAccessKey.self] else {
                throw Problem(.internalServerError, "Внутренняя ошибка сервера", detail: "Муниципальное образование не определено")
            }
            return access
        }
    }
}
