import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/meetings…` and `/assignments…`: meetings of the МЦУ, their protocol, and
/// the assignments under control.
struct MeetingsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let m = routes.grouped("meetings")
        m.get(use: list)
        m.post(use: create)
        m.get(":id", use: show)
        m.post(":id", "items", use: addItem)
        m.put(":id", "participants", use: participants)
        m.post(":id", "decisions", use: addDecision)
        m.post(":id", "votes", use: votes)
        m.post(":id", "hold", use: hold)
        m.post(":id", "sign", use: sign)
        m.post(":id", "cancel", use: cancel)
        m.get(":id", "protocol.docx", use: protocolDocument)
        let a = routes.grouped("assignments")
        a.get(use: assignments)
        a.post(use: createAssignment)
        a.get(":id", use: assignment)
        a.post(":id", "actions", ":action", use: act)
    }

    func meetings(_ req: Request) throws -> Meetings { Meetings(db: req.db, access: try req.tenant, now: req.now, notifiers: req.application.notifiers) }
    func orders(_ req: Request) throws -> Assignments { Assignments(db: req.db, access: try req.tenant, now: req.now, notifiers: req.application.notifiers) }
    func id(_ req: Request, _ what: String) throws -> UUID { try req.uuidParameter("id", notFound: what) }

    struct MeetingList: Content { var items: [MeetingView.Summary] }
    struct AssignmentList: Content { var items: [Assignments.DTO] }

    func list(req: Request) async throws -> MeetingList {
        let s = try meetings(req)
        return MeetingList(items: try await s.list().map { MeetingView.summary($0, zone: try req.tenant.zone) })
    }

    func create(req: Request) async throws -> Response {
        let s = try meetings(req)
        let m = try await s.create(try req.jsonObject())
        return try await MeetingView.load(m.id!, s).encodeResponse(status: .created, for: req)
    }

    func show(req: Request) async throws -> MeetingView.Detail { try await MeetingView.load(try id(req, Meetings.notFound), try meetings(req)) }

    func addItem(req: Request) async throws -> MeetingView.Detail {
        let s = try meetings(req), meeting = try id(req, Meetings.notFound)
        try await s.addItem(meeting, try req.jsonObject())
        return try await MeetingView.load(meeting, s)
    }

    func participants(req: Request) async throws -> MeetingView.Detail {
        let s = try meetings(req), meeting = try id(req, Meetings.notFound)
        try await s.setParticipants(meeting, try req.jsonObject())
        return try await MeetingView.load(meeting, s)
    }

    func addDecision(req: Request) async throws -> MeetingView.Detail {
        let s = try meetings(req), meeting = try id(req, Meetings.notFound)
        try await s.addDecision(meeting, try req.jsonObject())
        return try await MeetingView.load(meeting, s)
    }

    func votes(req: Request) async throws -> MeetingView.Detail {
        let s = try meetings(req), meeting = try id(req, Meetings.notFound)
        try await s.recordVotes(meeting, try req.jsonObject())
        return try await MeetingView.load(meeting, s)
    }

    func hold(req: Request) async throws -> MeetingView.Detail {
        let s = try meetings(req), meeting = try id(req, Meetings.notFound)
        try await s.hold(meeting)
        return try await MeetingView.load(meeting, s)
    }

    func sign(req: Request) async throws -> MeetingView.Detail {
        let s = try meetings(req), meeting = try id(req, Meetings.notFound)
        _ = try await s.sign(meeting)
        return try await MeetingView.load(meeting, s)
    }

    func cancel(req: Request) async throws -> MeetingView.Detail {
        let s = try meetings(req), meeting = try id(req, Meetings.notFound)
        try await s.cancel(meeting)
        return try await MeetingView.load(meeting, s)
    }

    /// «protokol-mcu-3-2026-12-10.docx».
    func protocolDocument(req: Request) async throws -> Response {
        let (data, m) = try await meetings(req).protocolDocument(try id(req, Meetings.notFound))
        return Download.attachment(data, contentType: Download.docx, fileName: "protokol-mcu-\(m.number)-\(LocalDay(m.startsAt, in: try req.tenant.zone).iso).docx")
    }

    /// `?filter=open|week|overdue|closed|all` (default open).
    func assignments(req: Request) async throws -> AssignmentList {
        let s = try orders(req)
        var out: [Assignments.DTO] = []
        for a in try await s.list((try? req.query.get(String.self, at: "filter")) ?? "open") { out.append(try await s.dto(a)) }
        return AssignmentList(items: out)
    }

    func createAssignment(req: Request) async throws -> Response {
        let s = try orders(req)
        return try await s.dto(try await s.create(try req.jsonObject())).encodeResponse(status: .created, for: req)
    }

    func assignment(req: Request) async throws -> Assignments.DTO {
        let s = try orders(req)
        return try await s.dto(try await s.find(try id(req, Assignments.notFound)))
    }

    func act(req: Request) async throws -> Assignments.DTO {
        guard let raw = req.parameters.get("action"), let action = AssignmentAction(rawValue: raw) else {
            throw Problem.notFound("Неизвестное действие с поручением; допустимо: \(AssignmentAction.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let s = try orders(req)
        return try await s.dto(try await s.act(try id(req, Assignments.notFound), action, try req.jsonObject()))
    }
}

/// A meeting as the API and its page show it.
enum MeetingView {
    struct Summary: Content {
        var id: UUID; var number: Int; var starts_at: String; var form: String; var form_title: String; var status: String; var status_title: String; var place: String?
    }
    struct Item: Content {
        struct Decision: Content {
            var id: UUID; var text: String; var organisation: String; var executor: String?; var due_on: String; var votes: String?
            var adopted: Bool; var assignment_id: UUID?
        }
        var id: UUID; var position: Int; var title: String; var speaker: String?; var notes: String?; var links: [String]
        /// The references resolved into links where they name something that exists.
        var references: [AgendaReferences.Resolved]
        var decisions: [Decision]
    }
    struct Participant: Content { var id: UUID; var member_id: UUID?; var name: String; var kind: String; var present: Bool }
    struct Detail: Content {
        var meeting: Summary
        var chair: String?
        var secretary: String?
        var participants: [Participant]
        var items: [Item]
        var assignments: [Int]
        var may_manage: Bool
        var version: Int
        var signed_at: String?
        var signed_by: String?
    }

    static func summary(_ m: MeetingRecord, zone: TimeZone) -> Summary {
        Summary(id: m.id!, number: m.number, starts_at: TimeText.formatRFC3339(m.startsAt), form: m.form, form_title: m.meetingForm.title,
                status: m.status, status_title: m.meetingStatus.title, place: m.place)
    }

    static func load(_ id: UUID, _ s: Meetings) async throws -> Detail {
        let m = try await s.find(id)
        let db = s.db
        let items = try await MeetingItemRecord.query(on: db).filter(\.$meetingID == id).sort(\.$position).all()
        let decisions = try await MeetingDecisionRecord.query(on: db).filter(\.$meetingID == id).sort(\.$position).all()
        let participants = try await MeetingParticipantRecord.query(on: db).filter(\.$meetingID == id).all()
        let orgs = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).withDeleted().filter(\.$tenantID == s.access.tenantID).all().map { ($0.id!, $0.name) })
        let users = Dictionary(uniqueKeysWithValues: try await User.query(on: db).filter(\.$id ~~ Array(Set(decisions.compactMap(\.executorUserID)))).all().map { ($0.id!, $0.fullName) })
        let numbers = try await AssignmentRecord.query(on: db).filter(\.$meetingID == id).sort(\.$number).all().map(\.number)
        func member(_ id: UUID?) async throws -> String? { guard let id else { return nil }; return try await CentreMemberRecord.find(id, on: db)?.fullName }
        var references: [UUID: [AgendaReferences.Resolved]] = [:]
        for item in items { references[item.id!] = try await AgendaReferences.resolve(JSONText.decodeArray(item.linksJSON), access: s.access, on: db) }
        return Detail(
            meeting: summary(m, zone: s.access.zone), chair: try await member(m.chairMemberID), secretary: try await member(m.secretaryMemberID),
            participants: participants.sorted { ($0.kind, $0.name) < ($1.kind, $1.name) }.map {
                .init(id: $0.id!, member_id: $0.memberID, name: $0.name, kind: $0.kind, present: $0.present)
            },
            items: items.map { item in
                .init(id: item.id!, position: item.position, title: item.title, speaker: item.speaker, notes: item.notes, links: JSONText.decodeArray(item.linksJSON),
                      references: references[item.id!] ?? [], decisions: decisions.filter { $0.itemID == item.id }.map { d in
                          .init(id: d.id!, text: d.text, organisation: orgs[d.organisationID] ?? "—", executor: d.executorUserID.flatMap { users[$0] },
                                due_on: d.dueOn, votes: d.votes?.text, adopted: d.adopted(m.meetingForm), assignment_id: d.assignmentID)
                      })
            },
            assignments: numbers, may_manage: s.access.governs, version: m.version,
            signed_at: m.signedAt.map(TimeText.formatRFC3339), signed_by: m.signedBy)
    }
}
