import Fluent
import Foundation
import OtklikCore

/// Who runs the centre's meetings and controls assignments (decree 004 §3: the curator holds meetings,
/// the coordinator organises them and keeps the protocol, the head of the МЦУ runs the operations), and
/// who reads them. An organisation's people see the assignments given to their organisation and report on them.
extension TenantAccess {
    static let governors: Set<Role> = [.curator, .coordinator, .mcuHead]
    static let governanceReaders: Set<Role> = governors.union([.head, .analyst, .administrator, .platformAdmin, .regionalCentre, .blockLead,
                                                               .riskOfficer, .channelOperator, .editor])

    var governs: Bool { !roles.isDisjoint(with: Self.governors) }
    var readsGovernance: Bool { !roles.isDisjoint(with: Self.governanceReaders) }

    func requireGoverning() throws {
        guard governs else { throw Problem.forbidden("Заседания и контроль поручений ведут куратор, координатор и руководитель МЦУ.") }
    }

    func requireGovernanceReading() throws {
        guard readsGovernance else { throw Problem.forbidden("Заседания МЦУ доступны членам и сотрудникам МЦУ.") }
    }

    /// The assignments this reader may see: all, or their organisations'.
    func assignments(on db: any Database) throws -> QueryBuilder<AssignmentRecord> {
        let q = AssignmentRecord.query(on: db).filter(\.$tenantID == tenantID)
        if readsGovernance { return q }
        guard let visible = visibleOrganisationIDs, !visible.isEmpty else { throw Problem.forbidden("Поручения доступны МЦУ и исполнителям.") }
        return q.filter(\.$organisationID ~~ Array(visible))
    }
}

/// A day of the working calendar as a deadline: the end of that working day; a day off is refused with
/// the nearest working days named.
enum WorkingDeadline {
    /// The start of that working day, when a reminder is due; nil on a day off.
    static func morning(_ day: LocalDay, schedule: WorkSchedule) -> Date? {
        schedule.period(day: day.ordinal).map { Date(timeIntervalSince1970: Double($0.start)) }
    }

    static func due(_ day: LocalDay, schedule: WorkSchedule) -> Result<Date, FieldIssue.Reason> {
        if let p = schedule.period(day: day.ordinal) { return .success(Date(timeIntervalSince1970: Double(p.end))) }
        var before = day.adding(days: -1), after = day.adding(days: 1)
        for _ in 0..<30 where schedule.period(day: before.ordinal) == nil { before = before.adding(days: -1) }
        for _ in 0..<30 where schedule.period(day: after.ordinal) == nil { after = after.adding(days: 1) }
        return .failure(.init("\(day.russian) — нерабочий день по производственному календарю; ближайшие рабочие: \(before.russian) и \(after.russian)"))
    }
}
