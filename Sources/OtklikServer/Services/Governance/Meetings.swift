import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// Meetings of the МЦУ: planned with an agenda and participants, held, the protocol drafted with
/// decisions (each with an executor organisation and a deadline on the working calendar; votes when held
/// by correspondence), signed — and then each adopted decision becomes an assignment under control.
struct Meetings {
    let db: any Database
    let access: TenantAccess
    let now: Date
    var notifiers: [any Notifier] = [InAppNotifier()]

    static let notFound = "Заседание не найдено в этом муниципальном образовании."

    func find(_ id: UUID) async throws -> MeetingRecord {
        try access.requireGovernanceReading()
        guard let m = try await MeetingRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound(Self.notFound)
        }
        return m
    }

    func list() async throws -> [MeetingRecord] {
        try access.requireGovernanceReading()
        return try await MeetingRecord.query(on: db).filter(\.$tenantID == access.tenantID).sort(\.$startsAt, .descending).limit(200).all()
    }

    /// Body: starts_at (RFC 3339), form, place. Participants default to the composition serving that day.
    func create(_ body: [String: JSONValue]) async throws -> MeetingRecord {
        try access.requireGoverning()
        var r = PayloadReader(body)
        let startsAt = r.date("starts_at", required: true)
        let form = r.oneOf("form", MeetingForm.self) ?? .inPerson
        let place = r.string("place", max: 300)
        try r.check()
        let day = LocalDay(startsAt!, in: access.zone)
        let members = Composition(try await CentreMemberRecord.query(on: db).filter(\.$tenantID == access.tenantID).all().map(\.member)).on(day)
        let chair = Composition(members).chair(on: day, absent: [])
        return try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            let m = MeetingRecord()
            m.id = TimeOrderedUUID.make(at: now)
            m.tenantID = access.tenantID
            m.number = try await TenantCounters.next("meeting", tenantID: access.tenantID, on: tx)
            m.form = form.rawValue
            m.status = MeetingStatus.planned.rawValue
            m.startsAt = startsAt!
            m.place = place
            m.chairMemberID = chair.flatMap { UUID(uuidString: $0.id) }
            m.version = 1
            m.createdBy = access.principal.label
            m.createdAt = now
            m.updatedAt = now
            try await m.create(on: tx)
            for member in members where member.role != .expert {
                let p = MeetingParticipantRecord()
                p.id = TimeOrderedUUID.make(at: now)
                p.meetingID = m.id!
                p.memberID = UUID(uuidString: member.id)
                p.name = "\(member.fullName) — \(member.position.isEmpty ? member.role.title : member.position)"
                p.kind = "member"
                p.present = true
                try await p.create(on: tx)
            }
            try await audit(m, "meeting.create", tx)
            return m
        }
    }

    // MARK: agenda, participants, decisions (while the protocol is not signed)

    /// Body: title, speaker, notes, links (list: «№1234», «риск 5», «группа …»).
    func addItem(_ id: UUID, _ body: [String: JSONValue]) async throws {
        try access.requireGoverning()
        var r = PayloadReader(body)
        let title = r.string("title", required: true, max: 1_000)
        let speaker = r.string("speaker", max: 300), notes = r.string("notes", max: 8_000)
        let links = r.strings("links", maxCount: 50, maxLength: 100)
        try r.check()
        try await changing(id) { m, tx in
            let count = try await MeetingItemRecord.query(on: tx).filter(\.$meetingID == m.id!).count()
            let item = MeetingItemRecord()
            item.id = TimeOrderedUUID.make(at: now)
            item.meetingID = m.id!
            item.position = count + 1
            item.title = title!
            item.speaker = speaker
            item.notes = notes
            item.linksJSON = JSONText.array(links)
            try await item.create(on: tx)
            try await audit(m, "meeting.item", tx, extra: ["title": title!])
        }
    }

    /// Body: absent (member ids), invited (names with positions), secretary_member_id, chair_member_id.
    func setParticipants(_ id: UUID, _ body: [String: JSONValue]) async throws {
        try access.requireGoverning()
        var r = PayloadReader(body)
        let absent = Set(r.strings("absent", maxCount: 200, maxLength: 64).compactMap(UUID.init(uuidString:)))
        let invited = r.strings("invited", maxCount: 50, maxLength: 300)
        let secretary = r.uuid("secretary_member_id")
        try r.check()
        let setsSecretary = r.has("secretary_member_id")
        try await changing(id) { m, tx in
            let participants = try await MeetingParticipantRecord.query(on: tx).filter(\.$meetingID == m.id!).all()
            for p in participants where p.kind == "member" {
                p.present = !(p.memberID.map(absent.contains) ?? false)
                try await p.update(on: tx)
            }
            try await MeetingParticipantRecord.query(on: tx).filter(\.$meetingID == m.id!).filter(\.$kind == "invited").delete()
            for name in invited {
                let p = MeetingParticipantRecord()
                p.id = TimeOrderedUUID.make(at: now)
                p.meetingID = m.id!
                p.name = name
                p.kind = "invited"
                p.present = true
                try await p.create(on: tx)
            }
            // The chair follows the composition: the curator, or who replaces them when absent.
            let day = LocalDay(m.startsAt, in: access.zone)
            let members = try await CentreMemberRecord.query(on: tx).filter(\.$tenantID == access.tenantID).all().map(\.member)
            m.chairMemberID = Composition(members).chair(on: day, absent: Set(absent.map(\.uuidString))).flatMap { UUID(uuidString: $0.id) }
            if setsSecretary { m.secretaryMemberID = secretary }
            try await audit(m, "meeting.participants", tx, extra: ["absent": String(absent.count), "invited": String(invited.count)])
        }
    }

    /// Body: item_id, text, organisation_id, executor_user_id, co_executors (organisation ids), due_on, control_user_id.
    func addDecision(_ id: UUID, _ body: [String: JSONValue]) async throws {
        try access.requireGoverning()
        let meeting = try await find(id)
        var r = PayloadReader(body)
        let itemID = r.uuid("item_id", required: true)
        let text = r.string("text", required: true, max: 4_000)
        let org = r.uuid("organisation_id")
        if org == nil && !r.issues.contains(where: { $0.field == "organisation_id" }) {
            r.issues.append(FieldIssue("organisation_id", "у решения должен быть исполнитель: укажите ответственную организацию"))
        }
        let executor = r.uuid("executor_user_id"), control = r.uuid("control_user_id")
        let co = r.strings("co_executors", maxCount: 20, maxLength: 64)
        let coIDs = co.compactMap(UUID.init(uuidString:))
        if coIDs.count != co.count { r.issues.append(FieldIssue("co_executors", "соисполнители — идентификаторы организаций")) }
        let due = r.day("due_on", required: true)
        let meetingDay = LocalDay(meeting.startsAt, in: access.zone)
        if let due, due < meetingDay { r.issues.append(FieldIssue("due_on", "срок \(due.russian) раньше даты заседания \(meetingDay.russian)")) }
        if let due, r.issues.isEmpty, case .failure(let why) = WorkingDeadline.due(due, schedule: try await TenantRegulation.schedule(tenantID: access.tenantID, on: db)) {
            r.issues.append(FieldIssue("due_on", why.text))
        }
        _ = try await ReferenceBooks.requireInTenant(Organisation.self, org, field: "organisation_id", what: "Организация", access: access, on: db, issues: &r.issues)
        for c in coIDs { _ = try await ReferenceBooks.requireInTenant(Organisation.self, c, field: "co_executors", what: "Организация-соисполнитель", access: access, on: db, issues: &r.issues) }
        try await ReferenceBooks.requireTenantUser(executor, field: "executor_user_id", access: access, on: db, issues: &r.issues)
        try await ReferenceBooks.requireTenantUser(control, field: "control_user_id", access: access, on: db, issues: &r.issues)
        if let itemID, try await MeetingItemRecord.query(on: db).filter(\.$meetingID == id).filter(\.$id == itemID).count() == 0 {
            r.issues.append(FieldIssue("item_id", "вопрос не из повестки этого заседания"))
        }
        try r.check()
        try await changing(id) { m, tx in
            let count = try await MeetingDecisionRecord.query(on: tx).filter(\.$itemID == itemID!).count()
            let d = MeetingDecisionRecord()
            d.id = TimeOrderedUUID.make(at: now)
            d.meetingID = m.id!
            d.itemID = itemID!
            d.position = count + 1
            d.text = text!
            d.organisationID = org!
            d.executorUserID = executor
            d.coExecutorsJSON = JSONText.array(coIDs.map(\.uuidString))
            d.dueOn = due!.iso
            d.controlUserID = control
            try await d.create(on: tx)
            try await audit(m, "meeting.decision", tx, extra: ["text": text!, "due_on": due!.iso])
        }
    }

    /// Body: decision_id, yes, no, abstain — the count of a vote (by correspondence, or in person).
    func recordVotes(_ id: UUID, _ body: [String: JSONValue]) async throws {
        try access.requireGoverning()
        var r = PayloadReader(body)
        let decisionID = r.uuid("decision_id", required: true)
        let yes = r.int("yes", range: Int.min...Int.max, required: true), no = r.int("no", range: Int.min...Int.max, required: true)
        let abstain = r.int("abstain", range: Int.min...Int.max) ?? 0
        let voters = try await MeetingParticipantRecord.query(on: db).filter(\.$meetingID == id).filter(\.$kind == "member").filter(\.$present == true).count()
        if let yes, let no { r.issues += Votes.issues(yes: yes, no: no, abstain: abstain, voters: voters) }
        if let decisionID, try await MeetingDecisionRecord.query(on: db).filter(\.$meetingID == id).filter(\.$id == decisionID).count() == 0 {
            r.issues.append(FieldIssue("decision_id", "решение не из этого заседания"))
        }
        try r.check()
        try await changing(id) { m, tx in
            guard let d = try await MeetingDecisionRecord.find(decisionID!, on: tx) else { return }
            d.votesYes = yes; d.votesNo = no; d.votesAbstain = abstain
            try await d.update(on: tx)
            try await audit(m, "meeting.votes", tx, extra: ["decision": d.text, "votes": Votes(yes: yes!, no: no!, abstain: abstain).text])
        }
    }

    // MARK: stages

    func hold(_ id: UUID) async throws {
        try access.requireGoverning()
        try await changing(id, allowed: [.planned]) { m, tx in
            guard try await MeetingItemRecord.query(on: tx).filter(\.$meetingID == m.id!).count() > 0 else {
                throw Problem.conflict("В повестке нет ни одного вопроса: добавьте вопросы, затем отметьте заседание проведённым.")
            }
            m.status = MeetingStatus.held.rawValue
            try await audit(m, "meeting.hold", tx)
        }
    }

    func cancel(_ id: UUID) async throws {
        try access.requireGoverning()
        try await changing(id, allowed: [.planned]) { m, tx in
            m.status = MeetingStatus.cancelled.rawValue
            try await audit(m, "meeting.cancel", tx)
        }
    }

    /// The curator signed the protocol: each adopted decision becomes an assignment under control,
    /// all or none. Returns the assignments' numbers.
    func sign(_ id: UUID) async throws -> [Int] {
        try access.requireGoverning()
        let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: db)
        return try await changing(id, allowed: [.held]) { m, tx in
            let decisions = try await MeetingDecisionRecord.query(on: tx).filter(\.$meetingID == m.id!).all()
            let form = m.meetingForm
            if form == .correspondence, let unvoted = decisions.first(where: { $0.votes == nil }) {
                throw Problem.conflict("Заочное заседание: по решению «\(unvoted.text.prefix(80))» не внесены итоги голосования.")
            }
            guard m.chairMemberID != nil else {
                throw Problem.conflict("Некому подписать протокол: в составе МЦУ на дату заседания нет куратора и руководителя МЦУ, или оба отсутствовали.")
            }
            var created: [Int] = []
            for d in decisions where d.adopted(form) {
                let due: Date
                switch WorkingDeadline.due(LocalDay(d.dueOn)!, schedule: schedule) {
                case .success(let date): due = date
                case .failure(let why): throw Problem.validation([FieldIssue("due_on", "решение «\(d.text.prefix(60))»: \(why.text)")])
                }
                let a = try await Assignments(db: tx, access: access, now: now, notifiers: notifiers)
                    .make(text: d.text, source: "protocol", meetingID: m.id, decisionID: d.id, organisationID: d.organisationID,
                          executorUserID: d.executorUserID, coExecutors: JSONText.decodeArray(d.coExecutorsJSON), controlUserID: d.controlUserID,
                          dueOn: LocalDay(d.dueOn)!, dueAt: due, on: tx, note: "по протоколу № \(m.number) от \(LocalDay(m.startsAt, in: access.zone).russian)")
                d.assignmentID = a.id
                try await d.update(on: tx)
                created.append(a.number)
            }
            m.status = MeetingStatus.signed.rawValue
            m.signedAt = now
            m.signedBy = access.principal.label
            try await audit(m, "meeting.sign", tx, extra: ["assignments": created.map(String.init).joined(separator: ", ")])
            return created
        }
    }

    /// The protocol DOCX (a draft until signed, the same text).
    func protocolDocument(_ id: UUID) async throws -> (Data, MeetingRecord) {
        let m = try await find(id)
        let items = try await MeetingItemRecord.query(on: db).filter(\.$meetingID == id).sort(\.$position).all()
        let decisions = try await MeetingDecisionRecord.query(on: db).filter(\.$meetingID == id).sort(\.$position).all()
        let participants = try await MeetingParticipantRecord.query(on: db).filter(\.$meetingID == id).all()
        let members = Dictionary(uniqueKeysWithValues: try await CentreMemberRecord.query(on: db).filter(\.$tenantID == access.tenantID).all().map { ($0.id!, $0) })
        let orgs = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).withDeleted().filter(\.$tenantID == access.tenantID).all().map { ($0.id!, $0.name) })
        let userIDs = Set(decisions.compactMap(\.executorUserID))
        let users = userIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await User.query(on: db).filter(\.$id ~~ Array(userIDs)).all().map { ($0.id!, $0.fullName) })
        let chair = m.chairMemberID.flatMap { members[$0] }
        let municipality = try await Municipality.find(access.tenantID, on: db)?.name ?? ""
        let time = TimeText.formatLocal(m.startsAt, in: access.zone).suffix(5)
        let input = MeetingProtocol.Input(
            municipality: municipality, number: m.number, day: LocalDay(m.startsAt, in: access.zone), time: m.meetingForm == .inPerson ? String(time) : nil,
            place: m.place, form: m.meetingForm, chair: chair?.fullName ?? "—", chairRole: chair.map { $0.member.role.title } ?? "",
            secretary: m.secretaryMemberID.flatMap { members[$0]?.fullName },
            present: participants.filter { $0.kind == "member" && $0.present }.map(\.name).sorted(),
            invited: participants.filter { $0.kind == "invited" }.map(\.name),
            items: items.map { item in
                MeetingProtocol.Item(title: item.title, speaker: item.speaker, notes: item.notes, decisions: decisions.filter { $0.itemID == item.id }.map { d in
                    let executor = (orgs[d.organisationID] ?? "—") + (d.executorUserID.flatMap { users[$0] }.map { " (\($0))" } ?? "")
                    let co = JSONText.decodeArray(d.coExecutorsJSON).compactMap { UUID(uuidString: $0).flatMap { orgs[$0] } }
                    return MeetingProtocol.Decision(text: d.text, executor: executor + (co.isEmpty ? "" : "; соисполнители: " + co.joined(separator: ", ")),
                                                    deadline: LocalDay(d.dueOn)?.russian ?? d.dueOn, votes: d.votes, adopted: d.adopted(m.meetingForm))
                })
            })
        return (try XLSXPackage.write(MeetingProtocol.docx(input).parts()), m)
    }

    // MARK: helpers

    /// Changes a meeting in one transaction; its protocol must not be signed (or the stage must be one of `allowed`).
    @discardableResult
    private func changing<T: Sendable>(_ id: UUID, allowed: Set<MeetingStatus> = [.planned, .held],
                                       _ apply: @escaping @Sendable (MeetingRecord, any Database) async throws -> T) async throws -> T {
        _ = try await find(id)
        return try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            guard let m = try await MeetingRecord.find(id, on: tx) else { throw Problem.notFound(Self.notFound) }
            guard allowed.contains(m.meetingStatus) else {
                throw Problem.conflict(m.meetingStatus == .signed ? "Протокол заседания № \(m.number) подписан: изменить его нельзя."
                                       : "Заседание № \(m.number) — «\(m.meetingStatus.title)»: это действие сейчас недоступно.")
            }
            let result = try await apply(m, tx)
            m.version += 1
            m.updatedAt = now
            try await m.update(on: tx)
            return result
        }
    }

    private func audit(_ m: MeetingRecord, _ action: String, _ tx: any Database, extra: [String: String] = [:]) async throws {
        try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: action, entity: "meeting", entityID: m.id!.uuidString,
                               after: extra.merging(["number": String(m.number), "status": m.status]) { a, _ in a })
    }
}
