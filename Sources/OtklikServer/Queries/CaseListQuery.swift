import Fluent
import FluentSQL
import Foundation
import OtklikCore
import Vapor

/// The case list's filters, parsed from query parameters with a Russian error for each bad one.
struct CaseListFilter: Sendable {
    var channels: [String] = []
    var statuses: [String] = []
    var organisationID: UUID?
    var blockID: UUID?
    var categoryID: UUID?
    var territoryID: UUID?
    var from: Date?
    var to: Date?
    var text: String?
    var urgent = false
    /// Cases whose nearest deadline has passed (judged at `now`).
    var overdue = false
    /// Drill-downs of the dashboard: cases whose clock of this kind was missed or is open past its deadline…
    var lateClock: CaseClockKind?
    /// …with these ratings, results, accepted by silence, reopened at least once.
    var ratings: [Int] = []
    var results: [String] = []
    var silence = false
    var reopened = false
    /// …marked by the risk lexicon as candidate information risks.
    var riskCandidate = false
    var sort: Sort = .received
    var limit = 50
    var cursor: CaseCursor?

    enum Sort: String, CaseIterable, Sendable {
        /// Newest first.
        case received
        /// Nearest deadline first; only cases with an open deadline.
        case deadline
    }

    static let maxLimit = 200

    static func parse(_ q: [String: String], timeZone: TimeZone) throws -> CaseListFilter {
        var f = CaseListFilter()
        var issues: [FieldIssue] = []
        func list(_ key: String, allowed: [String]) -> [String] {
            guard let raw = q[key], !raw.isEmpty else { return [] }
            let items = raw.split(separator: ",").map { $0.trimmed }
            for item in items where !allowed.contains(item) {
                issues.append(FieldIssue(key, "неизвестное значение «\(item)»; допустимо: \(allowed.joined(separator: ", "))"))
            }
            return items
        }
        func uuid(_ key: String) -> UUID? {
            guard let raw = q[key], !raw.isEmpty else { return nil }
            guard let id = UUID(uuidString: raw) else { issues.append(FieldIssue(key, "ожидался идентификатор UUID")); return nil }
            return id
        }
        func date(_ key: String, endOfDay: Bool) -> Date? {
            guard let raw = q[key], !raw.isEmpty else { return nil }
            if let d = try? TimeText.parseRFC3339(raw) { return d }
            // A bare date is a day of the municipality's calendar.
            let parts = raw.split(separator: "-")
            if parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
               CivilDate.epochDay(year: y, month: m, day: d) != nil {
                var cal = Calendar(identifier: .gregorian)
                cal.timeZone = timeZone
                if let start = cal.date(from: DateComponents(year: y, month: m, day: d)) {
                    return endOfDay ? cal.date(byAdding: .day, value: 1, to: start) : start
                }
            }
            issues.append(FieldIssue(key, "«\(raw)»: ожидалась дата ГГГГ-ММ-ДД или дата-время RFC 3339 с часовым поясом"))
            return nil
        }
        f.channels = list("channel", allowed: CaseChannel.allCases.map(\.rawValue))
        f.statuses = list("status", allowed: CaseStatus.allCases.map(\.rawValue))
        f.organisationID = uuid("organisation")
        f.blockID = uuid("block")
        f.categoryID = uuid("category")
        f.territoryID = uuid("territory")
        f.from = date("from", endOfDay: false)
        f.to = date("to", endOfDay: true)
        if let from = f.from, let to = f.to, to <= from {
            issues.append(FieldIssue("to", "конец периода раньше его начала"))
        }
        if let text = q["q"]?.trimmed, !text.isEmpty {
            if text.count > 200 { issues.append(FieldIssue("q", "строка поиска длиннее 200 символов")) }
            f.text = text
        }
        func flag(_ key: String) -> Bool {
            guard let raw = q[key]?.trimmed, !raw.isEmpty else { return false }
            switch raw.lowercased() {
            case "true", "1", "on", "yes": return true
            case "false", "0", "off", "no": return false
            default: issues.append(FieldIssue(key, "ожидалось true или false")); return false
            }
        }
        f.urgent = flag("urgent")
        f.overdue = flag("overdue")
        f.silence = flag("silence")
        f.reopened = flag("reopened")
        f.riskCandidate = flag("risk_candidate")
        f.results = list("result", allowed: CaseResult.allCases.map(\.rawValue))
        f.ratings = list("rating", allowed: ["1", "2", "3", "4", "5"]).compactMap { Int($0) }
        if let raw = q["late_clock"]?.trimmed, !raw.isEmpty {
            if let kind = CaseClockKind(rawValue: raw) { f.lateClock = kind }
            else { issues.append(FieldIssue("late_clock", "неизвестный срок «\(raw)»; допустимо: \(CaseClockKind.allCases.map(\.rawValue).joined(separator: ", "))")) }
        }
        if let raw = q["sort"]?.trimmed, !raw.isEmpty {
            if let s = Sort(rawValue: raw) { f.sort = s }
            else { issues.append(FieldIssue("sort", "неизвестное значение «\(raw)»; допустимо: received, deadline")) }
        }
        if let raw = q["limit"] {
            if let n = Int(raw), (1...maxLimit).contains(n) { f.limit = n }
            else { issues.append(FieldIssue("limit", "ожидалось число от 1 до \(maxLimit)")) }
        }
        if let raw = q["cursor"], !raw.isEmpty {
            if let c = CaseCursor(encoded: raw), c.byDeadline == (f.sort == .deadline) { f.cursor = c }
            else { issues.append(FieldIssue("cursor", "курсор повреждён или от другой сортировки; начните список сначала")) }
        }
        if !issues.isEmpty { throw Problem.validation(issues, detail: "Неверные параметры фильтра") }
        return f
    }
}

/// Keyset position in the list: newest first by (received_at, number), or nearest deadline first by
/// (next_due_at, number). The deadline form starts with «d» and keeps the instant exactly.
struct CaseCursor: Sendable, Equatable {
    var receivedAt: Int64
    var number: Int
    var deadline: Double?

    var byDeadline: Bool { deadline != nil }

    init(receivedAt: Int64, number: Int) { self.receivedAt = receivedAt; self.number = number }
    init(deadline: Date, number: Int) { receivedAt = 0; self.number = number; self.deadline = deadline.timeIntervalSince1970 }

    init?(encoded: String) {
        var b64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let n = Int(parts[1]) else { return nil }
        if parts[0].hasPrefix("d") {
            guard let d = Double(parts[0].dropFirst()), d.isFinite else { return nil }
            self.init(deadline: Date(timeIntervalSince1970: d), number: n)
        } else {
            guard let t = Int64(parts[0]) else { return nil }
            self.init(receivedAt: t, number: n)
        }
    }

    var encoded: String {
        let text = deadline.map { "d\($0):\(number)" } ?? "\(receivedAt):\(number)"
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Runs the list query within what the tenant access allows.
enum CaseQueries {
    static func scoped(_ access: TenantAccess, on db: any Database) -> QueryBuilder<CaseRecord> {
        scoped(tenantID: access.tenantID, visibleOrganisationIDs: access.visibleOrganisationIDs, on: db)
    }

    /// The cases of a tenant, limited to some organisations for executors (nil: all of them).
    static func scoped(tenantID: UUID, visibleOrganisationIDs: Set<UUID>?, on db: any Database) -> QueryBuilder<CaseRecord> {
        let q = CaseRecord.query(on: db).filter(\.$tenantID == tenantID)
        if let visible = visibleOrganisationIDs {
            q.filter(\.$organisationID ~~ Array(visible))
        }
        return q
    }

    static func list(_ f: CaseListFilter, access: TenantAccess, now: Date, on db: any Database) async throws -> CasePage {
        let (page, next) = try await records(f, access: access, now: now, on: db)
        return CasePage(items: page.map { CaseDTO($0, showPersonalData: access.seesPersonalData) }, next_cursor: next)
    }

    /// One page of cases and the cursor of the next one (nil at the end).
    static func records(_ f: CaseListFilter, access: TenantAccess, now: Date, on db: any Database) async throws -> ([CaseRecord], String?) {
        let q = scoped(access, on: db)
        if !f.channels.isEmpty { q.filter(\.$channel ~~ f.channels) }
        if !f.statuses.isEmpty { q.filter(\.$status ~~ f.statuses) }
        if let id = f.organisationID {
            q.filter(\.$organisationID ~~ Array(try await Trees.descendants(Organisation.self, of: [id], tenantID: access.tenantID, on: db)))
        }
        if let id = f.blockID { q.filter(\.$blockID == id) }
        if let id = f.categoryID {
            q.filter(\.$categoryID ~~ Array(try await Trees.descendants(Rubric.self, of: [id], tenantID: access.tenantID, on: db)))
        }
        if let id = f.territoryID {
            q.filter(\.$territoryID ~~ Array(try await Trees.descendants(Territory.self, of: [id], tenantID: access.tenantID, on: db)))
        }
        if let from = f.from { q.filter(\.$receivedAt >= from) }
        if let to = f.to { q.filter(\.$receivedAt < to) }
        if let text = f.text {
            q.filter(.sql(embed: "\(ident: "search_text") LIKE \(bind: SearchText.likePattern(containing: text)) ESCAPE '\\'"))
        }
        if f.urgent { q.filter(\.$urgent == true) }
        if f.overdue { q.filter(\.$nextDueAt < now) }
        if f.silence { q.filter(\.$acceptedBySilence == true) }
        if f.reopened { q.filter(\.$reopenCount > 0) }
        if f.riskCandidate { q.filter(\.$riskCandidate == true) }
        if !f.results.isEmpty { q.filter(\.$result ~~ f.results) }
        if !f.ratings.isEmpty { q.filter(\.$feedbackRating ~~ f.ratings) }
        if let kind = f.lateClock {
            q.filter(.sql(embed: "\(ident: "id") IN (SELECT \(ident: "case_id") FROM \(ident: "case_clocks") WHERE \(ident: "kind") = \(bind: kind.rawValue) AND (\(ident: "outcome") = 'missed' OR (\(ident: "stopped_at") IS NULL AND \(ident: "due_at") < \(bind: now))))"))
        }
        switch f.sort {
        case .received:
            if let c = f.cursor {
                let t = Date(timeIntervalSince1970: Double(c.receivedAt))
                q.group(.or) { or in
                    or.filter(\.$receivedAt < t)
                    or.group(.and) { and in and.filter(\.$receivedAt == t).filter(\.$number < c.number) }
                }
            }
            q.sort(\.$receivedAt, .descending).sort(\.$number, .descending)
        case .deadline:
            q.filter(\.$nextDueAt != nil)
            if let c = f.cursor, let d = c.deadline {
                let t = Date(timeIntervalSince1970: d)
                q.group(.or) { or in
                    or.filter(\.$nextDueAt > t)
                    or.group(.and) { and in and.filter(\.$nextDueAt == t).filter(\.$number > c.number) }
                }
            }
            q.sort(\.$nextDueAt, .ascending).sort(\.$number, .ascending)
        }
        let rows = try await q.limit(f.limit + 1).all()
        let page = Array(rows.prefix(f.limit))
        guard rows.count > f.limit, let last = page.last else { return (page, nil) }
        switch f.sort {
        case .received:
            return (page, CaseCursor(receivedAt: Int64(last.receivedAt.timeIntervalSince1970.rounded(.down)), number: last.number).encoded)
        case .deadline:
            return (page, CaseCursor(deadline: last.nextDueAt!, number: last.number).encoded)
        }
    }
}

/// Reference-book models that form a tree within a tenant.
protocol TreeNode: TenantOwned {
    var parentID: UUID? { get }
}
extension Rubric: TreeNode {}
extension Territory: TreeNode {}
extension Organisation: TreeNode {}
