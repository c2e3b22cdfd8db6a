import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// Clusters of similar messages as people work with them: read one, link a case to another's cluster
/// (two clusters become one), take a case out, choose the main case, merge the others into the main as
/// duplicates, or give them all the main case's published answer. Every change bumps the cases' versions,
/// writes a history entry per case and an audit entry.
struct Clusters {
    let db: any Database
    let access: TenantAccess
    let now: Date

    /// Who may change clusters: those who run the queue (the roles of marking a duplicate).
    var mayChange: Bool { !access.roles.isDisjoint(with: CaseAction.markDuplicate.roles) }

    struct Report: Content {
        struct Skipped: Content { var number: Int; var reason: String }
        var done: [Int]
        var skipped: [Skipped]
    }

    /// The visible members of a cluster, main case first, then by receipt. Empty: no such cluster for this reader.
    func members(_ clusterID: UUID) async throws -> [CaseRecord] {
        let all = try await CaseQueries.scoped(access, on: db).filter(\.$clusterID == clusterID)
            .sort(\.$receivedAt).sort(\.$number).all()
        return all.filter { $0.id == clusterID } + all.filter { $0.id != clusterID }
    }

    func requireMembers(_ clusterID: UUID) async throws -> [CaseRecord] {
        let m = try await members(clusterID)
        guard !m.isEmpty else { throw Problem.notFound(Self.notFound) }
        return m
    }

    static let notFound = "Группа похожих обращений не найдена или недоступна вам."

    /// One cluster as its page and the API show it: the reader's members (main case first, nil when the
    /// reader may not see it) and the size of the whole cluster.
    struct Loaded {
        var members: [CaseRecord]
        var main: CaseRecord?
        var size: Int
        var open: Int { members.filter { $0.caseStatus != .closed }.count }
        var title: String { Clusters.title(main ?? members[0]) }
    }

    func load(_ clusterID: UUID) async throws -> Loaded {
        let members = try await requireMembers(clusterID)
        return Loaded(members: members, main: members.first { $0.id == clusterID },
                      size: try await sizes([clusterID])[clusterID] ?? members.count)
    }

    /// Sizes of clusters by id (all members, whoever reads: the size is a fact about the problem).
    func sizes(_ ids: Set<UUID>) async throws -> [UUID: Int] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await (db as! any SQLDatabase).select().column("cluster_id").column(SQLFunction("count", args: SQLLiteral.all), as: "n")
            .from("cases").where("tenant_id", .equal, access.tenantID)
            .where(SQLIdentifier("cluster_id"), .in, SQLBind.group(Array(ids))).groupBy("cluster_id").all()
        var out: [UUID: Int] = [:]
        for r in rows { out[try r.decode(column: "cluster_id", as: UUID.self)] = try r.decode(column: "n", as: Int.self) }
        return out
    }

    struct Summary: Content {
        var id: UUID
        var main_case_id: UUID
        var main_number: Int
        var title: String
        var size: Int
        var open: Int
        var first_received_at: Date
        var last_received_at: Date
    }

    /// Clusters with their latest message first.
    func list(limit: Int) async throws -> [Summary] {
        let sql = db as! any SQLDatabase
        var q = sql.select().column("cluster_id").column(SQLFunction("count", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("min", args: SQLIdentifier("received_at")), as: "first")
            .column(SQLFunction("max", args: SQLIdentifier("received_at")), as: "last")
            .column(SQLFunction("sum", args: SQLRaw("CASE WHEN status <> 'closed' THEN 1 ELSE 0 END")), as: "open")
            .from("cases").where("tenant_id", .equal, access.tenantID).where("cluster_id", .isNot, SQLLiteral.null)
        if let visible = access.visibleOrganisationIDs {
            q = q.where(SQLIdentifier("organisation_id"), .in, SQLBind.group(Array(visible)))
        }
        let rows = try await q.groupBy("cluster_id").having(SQLFunction("count", args: SQLLiteral.all), .greaterThan, SQLLiteral.numeric("1"))
            .orderBy(SQLIdentifier("last"), SQLDirection.descending).limit(limit).all()
        var out: [Summary] = []
        let ids = try rows.map { try $0.decode(column: "cluster_id", as: UUID.self) }
        // Titled by the main case, or, for a reader who may not see it, by their earliest visible message.
        var shown: [UUID: CaseRecord] = [:]
        for m in try await CaseQueries.scoped(access, on: db).filter(\.$clusterID ~~ ids).sort(\.$receivedAt).all() {
            let cluster = m.clusterID!
            if m.id == cluster || shown[cluster] == nil { shown[cluster] = m }
        }
        var numbers: [UUID: Int] = [:]
        for m in try await CaseRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id ~~ ids)
            .field(\.$id).field(\.$number).all() { numbers[m.id!] = m.number }
        for (r, id) in zip(rows, ids) {
            guard let main = shown[id] else { continue }
            out.append(Summary(id: id, main_case_id: id, main_number: numbers[id] ?? main.number, title: Self.title(main),
                               size: try r.decode(column: "n", as: Int.self), open: try r.decode(column: "open", as: Int?.self) ?? 0,
                               first_received_at: try r.decode(column: "first", as: Date.self),
                               last_received_at: try r.decode(column: "last", as: Date.self)))
        }
        return out
    }

    static func title(_ c: CaseRecord) -> String { title(c.title, text: c.text) }

    /// The case's title, or the first twelve words of its text.
    static func title(_ title: String?, text: String) -> String {
        if let title, !title.isEmpty { return title }
        let words = text.split(whereSeparator: \.isWhitespace).prefix(12).joined(separator: " ")
        return words.count < text.count ? words + "…" : words
    }

    // MARK: - Changes

    /// Puts `caseID` into the cluster of the case `ref` (number or id); the other case becomes the main case
    /// of a new cluster if it had none; a cluster `caseID` headed moves over whole.
    func link(_ caseID: UUID, with ref: String) async throws {
        try requireChange()
        try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            let item = try await visibleCase(caseID, on: tx)
            let other = try await findCase(ref, on: tx)
            guard other.id != item.id else {
                throw Problem.validation([FieldIssue("with", "обращение нельзя связать с самим собой")])
            }
            let target = other.clusterID ?? other.id!
            guard item.clusterID != target else {
                throw Problem.conflict("Обращения №\(item.number) и №\(other.number) уже в одной группе.")
            }
            var moving: [CaseRecord] = [item]
            if let old = item.clusterID {
                moving = try await CaseRecord.query(on: tx).filter(\.$tenantID == access.tenantID).filter(\.$clusterID == old).all()
            }
            if other.clusterID == nil {
                try await change(other, to: target, notice: "Основное обращение группы похожих (связано с №\(item.number)).", on: tx)
            }
            for m in moving {
                try await change(m, to: target, notice: "Включено в группу обращения №\(other.number)"
                                 + (m.id == item.id ? "." : " вместе со своей группой."), on: tx)
            }
        }
    }

    /// Takes a case out of its cluster. A main case hands over to the earliest remaining message; a cluster
    /// left with one message ceases to be one.
    func unlink(_ caseID: UUID) async throws {
        try requireChange()
        try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            let item = try await visibleCase(caseID, on: tx)
            guard let cluster = item.clusterID else { throw Problem.conflict("Обращение №\(item.number) не входит в группу похожих.") }
            let rest = try await CaseRecord.query(on: tx).filter(\.$tenantID == access.tenantID).filter(\.$clusterID == cluster)
                .filter(\.$id != caseID).sort(\.$receivedAt).sort(\.$number).all()
            try await change(item, to: nil, notice: "Исключено из группы похожих обращений.", on: tx)
            if rest.count == 1 {
                try await change(rest[0], to: nil, notice: "Группа распалась: в ней не осталось других обращений.", on: tx)
            } else if cluster == item.id, let heir = rest.first {
                for m in rest {
                    try await change(m, to: heir.id, notice: m.id == heir.id ? "Стало основным обращением группы." : "Основным обращением группы стало №\(heir.number).", on: tx)
                }
            }
        }
    }

    /// Makes `caseID` the main case of its cluster.
    func makeMain(_ caseID: UUID) async throws {
        try requireChange()
        try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            let item = try await visibleCase(caseID, on: tx)
            guard let cluster = item.clusterID else { throw Problem.conflict("Обращение №\(item.number) не входит в группу похожих.") }
            guard cluster != caseID else { throw Problem.conflict("Обращение №\(item.number) уже основное в своей группе.") }
            let all = try await CaseRecord.query(on: tx).filter(\.$tenantID == access.tenantID).filter(\.$clusterID == cluster).all()
            for m in all {
                try await change(m, to: caseID, notice: m.id == caseID ? "Стало основным обращением группы." : "Основным обращением группы стало №\(item.number).", on: tx)
            }
        }
    }

    /// Marks every open message of the cluster but the main one as its duplicate (one answer for all: the
    /// main case's answer reaches them when it is published). Each is the ordinary «Отметить как дубликат».
    func merge(_ clusterID: UUID, notifiers: [any Notifier]) async throws -> Report {
        try requireChange()
        let members = try await requireMembers(clusterID)
        guard let main = members.first(where: { $0.id == clusterID }) else {
            throw Problem.forbidden("Основное обращение группы вам недоступно.")
        }
        return try await each(members.filter { $0.id != clusterID }, action: .markDuplicate,
                              payload: ["duplicate_of": .string(String(main.number))], notifiers: notifiers)
    }

    /// Publishes the main case's published answer on every open message of the cluster.
    func answerAll(_ clusterID: UUID, notifiers: [any Notifier]) async throws -> Report {
        let members = try await requireMembers(clusterID)
        guard try await CaseAnswer.query(on: db).filter(\.$caseID == clusterID)
            .filter(\.$state == CaseAnswer.State.published.rawValue).first() != nil else {
            let number = members.first { $0.id == clusterID }.map { "№\($0.number) " } ?? ""
            throw Problem.conflict("У основного обращения группы \(number)ещё нет опубликованного ответа: сначала опубликуйте его.")
        }
        return try await each(members.filter { $0.id != clusterID }, action: .publishClusterAnswer, payload: [:], notifiers: notifiers)
    }

    /// One lifecycle action per case, each in its own transaction: a case that cannot take it now is
    /// reported with the reason and the others go on. Closed cases are passed over silently.
    private func each(_ cases: [CaseRecord], action: CaseAction, payload: [String: JSONValue], notifiers: [any Notifier]) async throws -> Report {
        let actor = ActionActor(access)
        guard !cases.isEmpty else { throw Problem.conflict("В группе нет других доступных вам обращений.") }
        guard cases.contains(where: { actor.may(action, on: $0) }) else {
            throw Problem.forbidden(LifecycleRefusal.roleMayNot(action: action).description)
        }
        let service = LifecycleService(db: db, tenantID: access.tenantID, notifiers: notifiers)
        var report = Report(done: [], skipped: [])
        for c in cases where c.caseStatus != .closed {
            do {
                _ = try await service.perform(action, caseID: c.id!, payload: payload, actor: actor, expectedVersion: nil, now: now)
                report.done.append(c.number)
            } catch let problem as Problem where [403, 409, 422].contains(problem.statusCode) {
                report.skipped.append(.init(number: c.number, reason: problem.detail ?? problem.title))
            }
        }
        return report
    }

    // MARK: - Helpers

    private func requireChange() throws {
        guard mayChange else {
            throw Problem.forbidden("Группы похожих обращений меняют: " + CaseAction.markDuplicate.roles.map(\.title).sorted().joined(separator: ", ") + ".")
        }
    }

    private func visibleCase(_ id: UUID, on tx: any Database) async throws -> CaseRecord {
        guard let c = try await CaseQueries.scoped(access, on: tx).filter(\.$id == id).first() else {
            throw Problem.notFound("Обращение не найдено или недоступно вам.")
        }
        return c
    }

    private func findCase(_ ref: String, on tx: any Database) async throws -> CaseRecord {
        // «№ 1234» as the number is printed on the card.
        let number = ref.replacingOccurrences(of: "№", with: "").trimmingCharacters(in: .whitespaces)
        return try await CaseReference.find(number, field: "with", unreadable: "укажите номер обращения, например 1234",
                                            in: CaseQueries.scoped(access, on: tx))
    }

    /// Sets the cluster of one case: version, history entry, audit.
    private func change(_ c: CaseRecord, to cluster: UUID?, notice: String, on tx: any Database) async throws {
        let before = c.clusterID
        c.clusterID = cluster
        c.version += 1
        c.updatedAt = now
        try await c.update(on: tx)
        let actor = ActionActor(access)
        var details = ["notice": notice]
        if let cluster { details["cluster"] = cluster.uuidString }
        try await CaseEvent(tenantID: access.tenantID, caseID: c.id!, kind: CaseEventKind.clusterChanged.rawValue,
                            actorUserID: actor.userID, actorLabel: actor.label, at: now, details: details).create(on: tx)
        try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "case.cluster", entity: "case",
                               entityID: c.id!.uuidString, before: ["cluster_id": before?.uuidString ?? ""],
                               after: ["cluster_id": cluster?.uuidString ?? ""])
    }
}
