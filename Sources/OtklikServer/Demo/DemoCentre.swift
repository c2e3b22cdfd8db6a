import Fluent
import Foundation
import OtklikCore
import Vapor

/// The demo centre's personal composition, linked to the demo's accounts (fictional people and posts).
struct DemoCentre {
    let app: Application
    let tenantID: UUID
    let now: Date

    static let composition: [(login: String, name: String, position: String, role: CentreRole)] = [
        ("demo.curator", "Лебедева И. В. (демо)", "управляющий делами администрации", .curator),
        ("demo.coordinator", "Киселёв С. А. (демо)", "первый заместитель главы округа", .coordinator),
        ("demo.mcu", "Васильев В. Н. (демо)", "заведующий отделом информационного обеспечения", .head),
        ("demo.pos", "Кузнецова С. В. (демо)", "ведущий специалист, ответственный за ПОС", .channelResponsible),
        ("demo.im", "Михайлов С. Ю. (демо)", "специалист, ответственный за «Инцидент Менеджмент»", .channelResponsible),
        ("demo.risk", "Андреева О. П. (демо)", "специалист по информационной политике", .member),
        ("demo.block.housing", "Шенгоф Н. В. (демо)", "заместитель главы по ЖКХ", .blockLead),
        ("demo.block.roads", "Шацкий А. А. (демо)", "заместитель главы по дорожному хозяйству", .blockLead),
    ]

    func load() async throws {
        let db = app.db
        guard let m = try await Municipality.find(tenantID, on: db), let admin = try await User.query(on: db).filter(\.$login == "demo.admin").first() else { return }
        let access = TenantAccess(tenantID: tenantID, slug: m.slug, name: m.name, timeZone: m.timeZone, roles: [.administrator], visibleOrganisationIDs: nil,
                                  principal: Principal(kind: .user, userID: admin.id, tokenID: nil, label: admin.fullName,
                                                       grants: [.init(role: .administrator, tenantID: tenantID)]))
        let members = CentreMembers(db: db, access: access, now: now)
        let yearStart = LocalDay(year: members.today.year, month: 1, day: 1)!
        var ids: [CentreRole: UUID] = [:]
        for entry in Self.composition {
            let user = try await User.query(on: db).filter(\.$login == entry.login).first()
            let saved = try await members.save(["full_name": .string(entry.name), "position": .string(entry.position), "role": .string(entry.role.rawValue),
                                                "from_on": .string(yearStart.iso), "user_id": user.map { .string($0.id!.uuidString) } ?? .null], existing: nil)
            ids[entry.role] = ids[entry.role] ?? saved.id
        }
        // Decree 004: the head of the МЦУ replaces the curator in absence.
        if let curatorID = ids[.curator], let headID = ids[.head], let curator = try await CentreMemberRecord.find(curatorID, on: db) {
            _ = try await members.save(["version": .number(Double(curator.version)), "substitute_id": .string(headID.uuidString)], existing: curator)
        }
    }
}
