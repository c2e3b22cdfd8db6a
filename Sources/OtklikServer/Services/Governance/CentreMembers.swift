import Fluent
import Foundation
import OtklikCore
import Vapor

/// The МЦУ's personal composition: entries with a place, a position and dates; one curator, coordinator
/// and head at a time; a substitute who is a member too. Kept by the administrator and the centre's
/// leadership; everyone of the municipality reads it. Ending a membership keeps the entry (a protocol
/// of last year still names its participants).
struct CentreMembers {
    let db: any Database
    let access: TenantAccess
    let now: Date

    static let editors: Set<Role> = [.administrator, .mcuHead, .curator, .coordinator]
    static let notFound = "Член МЦУ не найден в этом муниципальном образовании."

    struct DTO: Content {
        var id: UUID
        var full_name: String
        var position: String
        var role: String
        var role_title: String
        var from_on: String
        var to_on: String?
        var serving: Bool
        var user_id: UUID?
        var substitute: RiskDTO.Ref?
        var version: Int
    }

    var mayEdit: Bool { !access.roles.isDisjoint(with: Self.editors) }

    func requireEditing() throws {
        guard mayEdit else { throw Problem.forbidden("Состав МЦУ ведут администратор, руководитель, куратор и координатор МЦУ.") }
    }

    var today: LocalDay { LocalDay(now, in: access.zone) }

    func all() async throws -> [CentreMemberRecord] {
        try await CentreMemberRecord.query(on: db).filter(\.$tenantID == access.tenantID).all()
            .sorted { ($0.member.role.rank, $0.fullName) < ($1.member.role.rank, $1.fullName) }
    }

    func find(_ id: UUID) async throws -> CentreMemberRecord {
        guard let m = try await CentreMemberRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound(Self.notFound)
        }
        return m
    }

    func dtos(_ records: [CentreMemberRecord]) -> [DTO] {
        let names = Dictionary(uniqueKeysWithValues: records.map { ($0.id!, $0.fullName) })
        return records.map { r in
            DTO(id: r.id!, full_name: r.fullName, position: r.position, role: r.role, role_title: r.member.role.title, from_on: r.fromOn,
                to_on: r.toOn, serving: r.member.serves(on: today), user_id: r.userID,
                substitute: r.substituteID.flatMap { id in names[id].map { .init(id: id, name: $0) } }, version: r.version)
        }
    }

    /// Creates (`existing` nil) or changes an entry: full_name, position, role, from_on, to_on, user_id, substitute_id.
    func save(_ body: [String: JSONValue], existing: CentreMemberRecord?) async throws -> CentreMemberRecord {
        try requireEditing()
        var r = PayloadReader(body)
        let creating = existing == nil
        let version = creating ? nil : r.int("version", range: 1...Int(Int32.max), required: true)
        let name = r.string("full_name", required: creating, max: 200)
        let position = r.string("position", max: 300)
        let role = r.oneOf("role", CentreRole.self, required: creating)
        let from = r.day("from_on"), to = r.day("to_on")
        let userID = r.uuid("user_id"), substituteID = r.uuid("substitute_id")
        try await ReferenceBooks.requireTenantUser(userID, field: "user_id", access: access, on: db, issues: &r.issues)
        if let substituteID {
            if substituteID == existing?.id { r.issues.append(FieldIssue("substitute_id", "член МЦУ не может замещать сам себя")) }
            else if try await CentreMemberRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == substituteID).count() == 0 {
                r.issues.append(FieldIssue("substitute_id", "замещающий должен быть членом МЦУ этого муниципального образования"))
            }
        }
        let keys = Set(body.keys)
        // The entry as it would be, checked against the others before anything is written.
        var candidate = existing?.member ?? Composition.Member(id: UUID().uuidString, fullName: "", position: "", role: .member,
                                                               from: from ?? today, to: nil)
        if let role { candidate.role = role }
        if let from { candidate.from = from }
        if keys.contains("to_on") { candidate.to = to }
        if let to = candidate.to, to < candidate.from { r.issues.append(FieldIssue("to_on", "окончание полномочий раньше их начала")) }
        if r.issues.isEmpty, let other = Composition(try await all().map(\.member)).conflict(with: candidate) {
            r.issues.append(FieldIssue("role", "\(candidate.role.title) в эти даты уже \(other.fullName) (с \(other.from.russian)\(other.to.map { " по \($0.russian)" } ?? "")): укажите дату окончания его полномочий"))
        }
        try r.check()
        let values = (name, position, candidate, userID, substituteID)
        return try await db.transaction { tx in
            let m = existing ?? CentreMemberRecord()
            if let existing {
                guard let fresh = try await CentreMemberRecord.find(existing.id!, on: tx), fresh.version == version else {
                    throw Problem.conflict("Запись состава изменили, пока вы с ней работали. Обновите страницу и повторите.")
                }
            } else {
                m.id = TimeOrderedUUID.make(at: now)
                m.tenantID = access.tenantID
                m.version = 0
                m.position = ""
            }
            let before = existing.map(Self.audit)
            if let v = values.0 { m.fullName = v }
            if keys.contains("position") || creating { m.position = values.1 ?? "" }
            m.role = values.2.role.rawValue
            m.fromOn = values.2.from.iso
            m.toOn = values.2.to?.iso
            if keys.contains("user_id") { m.userID = values.3 }
            if keys.contains("substitute_id") { m.substituteID = values.4 }
            m.version += 1
            m.updatedAt = now
            if creating { try await m.create(on: tx) } else { try await m.update(on: tx) }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: creating ? "centre_member.create" : "centre_member.update",
                                   entity: "centre_member", entityID: m.id!.uuidString, before: before, after: Self.audit(m))
            return m
        }
    }

    /// The composition on a day as a Word document ready to attach to the order.
    func docx(on day: LocalDay) async throws -> Data {
        let m = try await Municipality.find(access.tenantID, on: db)
        let serving = Composition(try await all().map(\.member)).on(day)
        return try XLSXPackage.write(Composition.docx(municipality: m?.name ?? "", day: day, members: serving, basis: nil).parts())
    }

    struct Snapshot: Encodable { var full_name: String; var position: String; var role: String; var from_on: String; var to_on: String?; var version: Int }
    static func audit(_ m: CentreMemberRecord) -> Snapshot {
        .init(full_name: m.fullName, position: m.position, role: m.role, from_on: m.fromOn, to_on: m.toOn, version: m.version)
    }
}
