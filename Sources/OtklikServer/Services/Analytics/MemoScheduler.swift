import Fluent
import Foundation
import OtklikCore
import Vapor

/// Makes each municipality's weekly memo for the week that ended, on Monday at 08:00 local time (or at the
/// first pass after it, if the server was off), keeps it in the archive and tells the head of the
/// municipality, the curator and the МЦУ head. One memo per week even with several instances: a unique
/// index decides, the loser's copy is dropped.
enum MemoScheduler {
    static let hour = 8

    static func tick(_ app: Application) async {
        do {
            for m in try await Municipality.query(on: app.db).all() {
                _ = try await makeIfDue(app, municipality: m, now: app.clock.now)
            }
        } catch {
            app.logger.warning("Аналитические записки: \(error)")
        }
    }

    /// The week whose memo is due at `now`, if its time (Monday `hour`:00 of the next week) has come.
    static func dueWeek(now: Date, zone: TimeZone) -> AnalyticsPeriod? {
        let week = AnalyticsPeriod.week(containing: now, in: zone)
        guard now >= week.from.addingTimeInterval(Double(hour) * 3_600) else { return nil }
        return week.previous
    }

    /// Returns the new memo, or nil when it is not due or exists already.
    static func makeIfDue(_ app: Application, municipality m: Municipality, now: Date) async throws -> MemoRecord? {
        let tenantID = try m.requireID()
        let zone = TimeZone(identifier: m.timeZone) ?? .gmt
        guard let week = dueWeek(now: now, zone: zone) else { return nil }
        let exists = try await MemoRecord.query(on: app.db).filter(\.$tenantID == tenantID).filter(\.$trigger == "schedule")
            .filter(\.$periodFrom == week.from).count() > 0
        if exists { return nil }
        let slice = AnalyticsSlice(tenantID: tenantID, period: week, listParameters: [:])
        let data = try MemoService.docx(try await MemoService.input(slice, tenantID: tenantID, zone: zone, now: now, on: app.db))
        let memo = MemoRecord()
        memo.id = TimeOrderedUUID.make(at: now)
        memo.tenantID = tenantID
        memo.periodFrom = week.from
        memo.periodTo = week.to
        memo.trigger = "schedule"
        memo.docx = data
        memo.createdAt = now
        memo.createdBy = "Отклик (по расписанию)"
        let span = "\(RussianDate.shortDate(week.from, in: zone)) — \(RussianDate.shortDate(week.to.addingTimeInterval(-1), in: zone))"
        let readers = try await Recipients.users(tenantID: tenantID, roles: [.head, .curator, .mcuHead], on: app.db)
        let notifiers = app.notifiers
        do {
            try await app.db.transaction { tx in
                try await memo.create(on: tx)
                let notes = readers.map { user in
                    OutgoingNotification(tenantID: tenantID, userID: user, kind: NotificationKind.memo.rawValue, caseID: nil,
                                         title: "Аналитическая записка за \(span) готова",
                                         body: "Записка — в Отклике: «Показатели» → «Архив записок».", at: now,
                                         eventKey: "memo/\(tenantID.uuidString)/\(TimeText.formatRFC3339(week.from))")
                }
                for n in notifiers { try await n.deliver(notes, on: tx) }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return nil   // another instance made it first
        }
        app.logger.info("Аналитическая записка за \(span) готова: \(m.name)")
        return memo
    }
}
