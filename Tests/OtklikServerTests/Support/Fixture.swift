import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Vapor

/// Two municipalities of one region with books, users of several roles and an integration token.
/// Names are invented; the password is a test constant, never a product default.
struct Fixture: Sendable {
    static let password = "test-password-123"

    struct Tenant: Sendable {
        var id: UUID
        var slug: String
        var token: String
        var orgs: [String: UUID]
        var rubrics: [String: UUID]
        var territories: [String: UUID]
    }
    var alpha: Tenant
    var beta: Tenant
    var regionID: UUID

    static func make(_ app: Application) async throws -> Fixture {
        let db = app.db
        let hash = try await app.password.async.hash(password)
        let region = Region(name: "Тестовый край", code: "test")
        try await region.create(on: db)
        let otherRegion = Region(name: "Другой край", code: "other")
        try await otherRegion.create(on: db)

        func tenant(_ slug: String, prefix: String) async throws -> Tenant {
            let m = Municipality(regionID: region.id, name: "Округ \(prefix)", slug: slug, timeZone: "Asia/Novokuznetsk")
            try await Tenants.create(m, on: db)
            let id = m.id!
            var orgs: [String: UUID] = [:]
            for (key, name, parent) in [("zhkh", "Управление ЖКХ \(prefix)", nil), ("water", "Водоканал \(prefix)", "zhkh"),
                                        ("roads", "Отдел дорог \(prefix)", nil)] as [(String, String, String?)] {
                let o = Organisation(tenantID: id, parentID: parent.flatMap { orgs[$0] }, name: name, kind: .department)
                try await o.create(on: db)
                orgs[key] = o.id
            }
            let housing = try await ThematicBlock.query(on: db).filter(\.$tenantID == id).filter(\.$code == "housing").first()!
            var rubrics: [String: UUID] = [:]
            let cat = Rubric(tenantID: id, parentID: nil, level: .category, name: "ЖКХ", code: "zhkh",
                             defaultBlockID: housing.id, defaultOrganisationID: orgs["zhkh"])
            try await cat.create(on: db); rubrics["zhkh"] = cat.id
            let sub = Rubric(tenantID: id, parentID: cat.id, level: .subcategory, name: "Водоснабжение",
                             defaultOrganisationID: orgs["water"])
            try await sub.create(on: db); rubrics["water"] = sub.id
            let fact = Rubric(tenantID: id, parentID: sub.id, level: .fact, name: "Нет воды", code: "no-water")
            try await fact.create(on: db); rubrics["no-water"] = fact.id
            let roads = Rubric(tenantID: id, parentID: nil, level: .category, name: "Дороги", code: "roads",
                               defaultOrganisationID: orgs["roads"])
            try await roads.create(on: db); rubrics["roads"] = roads.id
            var territories: [String: UUID] = [:]
            let centre = Territory(tenantID: id, name: "Центр", code: "centre", kind: .district, latitude: 52.9, longitude: 87.9)
            try await centre.create(on: db); territories["centre"] = centre.id
            let micro = Territory(tenantID: id, parentID: centre.id, name: "Микрорайон Первый", kind: .microdistrict)
            try await micro.create(on: db); territories["micro"] = micro.id
            // The escalation chain of the lifecycle: organisation head → block lead → МЦУ head.
            for (login, role, org) in [("admin", Role.administrator, nil), ("operator", .channelOperator, nil),
                                       ("analyst", .analyst, nil), ("exec.zhkh", .executor, "zhkh"),
                                       ("exec.roads", .executor, "roads"), ("head", .mcuHead, nil),
                                       ("orghead.zhkh", .organisationHead, "zhkh"), ("blocklead", .blockLead, nil),
                                       ("editor", .editor, nil)] as [(String, Role, String?)] {
                let u = User(tenantID: id, login: "\(prefix).\(login)", fullName: "\(login) \(prefix)", passwordHash: hash,
                             mustChangePassword: false)
                try await u.create(on: db)
                try await RoleAssignment(userID: u.id!, tenantID: id, role: role.rawValue,
                                         organisationID: org.flatMap { orgs[$0] },
                                         blockID: role == .blockLead ? housing.id : nil).create(on: db)
            }
            let token = try await TokensController.issue(name: "Интеграция \(prefix)", role: .channelOperator,
                                                         tenantID: id, createdBy: nil, on: db).0
            return Tenant(id: id, slug: slug, token: token, orgs: orgs, rubrics: rubrics, territories: territories)
        }
        let alpha = try await tenant("alpha", prefix: "a")
        let beta = try await tenant("beta", prefix: "b")
        for (login, regionID) in [("regional", region.id), ("regional.other", otherRegion.id)] {
            let u = User(tenantID: nil, login: login, fullName: "ЦУР", passwordHash: hash, mustChangePassword: false)
            try await u.create(on: db)
            try await RoleAssignment(userID: u.id!, tenantID: nil, regionID: regionID, role: Role.regionalCentre.rawValue).create(on: db)
        }
        let platform = User(tenantID: nil, login: "platform", fullName: "Администратор платформы", passwordHash: hash, mustChangePassword: false)
        try await platform.create(on: db)
        try await RoleAssignment(userID: platform.id!, tenantID: nil, role: Role.platformAdmin.rawValue).create(on: db)
        return Fixture(alpha: alpha, beta: beta, regionID: region.id!)
    }
}

/// A valid case body with the given external id (and optional extra JSON members).
func caseJSON(_ externalID: String?, channel: String = "pos", text: String = "На улице Лесной нет воды третий день",
              receivedAt: String = "2026-11-20T09:15:00+07:00", extra: String = "") -> String {
    var members = [#""channel":"\#(channel)""#, #""text":\#(jsonString(text))"#, #""received_at":"\#(receivedAt)""#]
    if let externalID { members.append(#""external_id":"\#(externalID)""#) }
    if !extra.isEmpty { members.append(extra) }
    return "{" + members.joined(separator: ",") + "}"
}
