import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Заседания МЦУ»: the list with the form of a new meeting; a meeting's page with participants, agenda,
/// decisions (and votes when by correspondence), the stages and the protocol. Forms call the same
/// `Meetings` service as the API; a refused form comes back with what was typed.
struct MeetingPages {
    struct Row: Encodable { var href: String; var number: Int; var when: String; var form: String; var status: String; var place: String? }
    struct ListContext: Encodable {
        var layout: Layout
        var rows: [Row]
        var mayManage: Bool
        var values: [String: String]
        var errors: [String: String]
    }

    func list(req: Request) async throws -> Response {
        try await renderList(req, values: [:], errors: [:], status: .ok)
    }

    private func renderList(_ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let s = Meetings(db: req.db, access: access, now: req.now)
        let rows = try await s.list().map { m in
            Row(href: "/m/\(access.slug)/meetings/\(m.id!.uuidString)", number: m.number, when: RussianDate.dateTime(m.startsAt, in: access.zone),
                form: m.meetingForm.title, status: m.meetingStatus.title, place: m.place)
        }
        return try await WebPage.render(req, "meetings", ListContext(
            layout: try await WebPage.layout(req, title: "Заседания МЦУ", active: "centre", access: access),
            rows: rows, mayManage: access.governs, values: values, errors: errors), status: status)
    }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        var body: [String: JSONValue] = [:]
        if let when = form["starts_at"] {
            guard let d = (try? TimeText.parseRussianLocal(when, in: access.zone)) ?? nil else {
                return try await renderList(req, values: form.typed, errors: ["starts_at": "дата и время вида 10.12.2026 10:00"], status: .unprocessableEntity)
            }
            body["starts_at"] = .string(TimeText.formatRFC3339(d))
        }
        for key in ["form", "place"] { if let v = form[key] { body[key] = .string(v) } }
        do {
            let m = try await Meetings(db: req.db, access: access, now: req.now).create(body)
            return WebPage.redirect(req, to: "/m/\(access.slug)/meetings/\(m.id!.uuidString)", flash: "Заседание № \(m.number) запланировано: участники — действующий состав МЦУ.")
        } catch let problem as Problem where [403, 422].contains(problem.statusCode) {
            return try await renderList(req, values: form.typed, errors: WebPage.fieldErrors(problem), status: problem.status)
        }
    }

    // MARK: one meeting

    struct Context: Encodable {
        var layout: Layout
        var detail: MeetingView.Detail
        var when: String
        var planned: Bool
        var draft: Bool
        var held: Bool
        var correspondence: Bool
        var organisations: [Choice]
        var members: [Choice]
        /// People of the municipality for the decision's executor and control officer.
        var people: [Choice]
        var absent: [String: Bool]
        var invited: String
        var values: [String: String]
        var errors: [String: String]
        var openForm: String
        /// The agenda item whose decision form was refused (shown open again).
        var openItem: String
    }

    func show(req: Request) async throws -> Response {
        try await render(req, values: [:], errors: [:], openForm: "", status: .ok)
    }

    private func render(_ req: Request, values: [String: String], errors: [String: String], openForm: String, status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let s = Meetings(db: req.db, access: access, now: req.now)
        let id = try req.uuidParameter("id", notFound: Meetings.notFound)
        var detail = try await MeetingView.load(id, s)
        for i in detail.items.indices {
            for k in detail.items[i].decisions.indices { detail.items[i].decisions[k].due_on = LocalDay(detail.items[i].decisions[k].due_on)?.russian ?? detail.items[i].decisions[k].due_on }
        }
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let members = detail.participants.filter { $0.kind == "member" }
        var absent: [String: Bool] = [:]
        for p in members where !p.present { absent[p.member_id?.uuidString ?? ""] = true }
        let stage = MeetingStatus(rawValue: detail.meeting.status) ?? .planned
        return try await WebPage.render(req, "meeting", Context(
            layout: try await WebPage.layout(req, title: "Заседание № \(detail.meeting.number)", active: "centre", access: access),
            detail: detail, when: (try? TimeText.parseRFC3339(detail.meeting.starts_at)).map { RussianDate.dateTime($0, in: access.zone) } ?? "",
            planned: stage == .planned, draft: stage == .planned || stage == .held, held: stage == .held,
            correspondence: detail.meeting.form == MeetingForm.correspondence.rawValue,
            organisations: ReferenceOptions.options(books.organisations, selected: values["organisation_id"].flatMap(UUID.init(uuidString:)), empty: "— выберите —"),
            members: members.map { Choice(value: $0.member_id?.uuidString ?? "", title: $0.name, selected: $0.present) },
            people: try await Self.people(access, books: books, on: req.db),
            absent: absent, invited: detail.participants.filter { $0.kind == "invited" }.map(\.name).joined(separator: "\n"),
            values: values, errors: errors, openForm: openForm, openItem: openForm == "decisions" ? (values["item_id"] ?? "") : ""), status: status)
    }

    /// Every form of the meeting's page: `what` names the service call.
    func change(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("id", notFound: Meetings.notFound)
        let what = req.parameters.get("what") ?? ""
        let form = try req.form
        let s = Meetings(db: req.db, access: access, now: req.now, notifiers: req.application.notifiers)
        do {
            let message: String
            switch what {
            case "items":
                let links = (form.raw("links") ?? "").split(whereSeparator: { $0 == "," || $0.isNewline }).map { String($0).trimmed }.filter { !$0.isEmpty }
                try await s.addItem(id, ["title": form["title"].map(JSONValue.string) ?? .null, "speaker": form["speaker"].map(JSONValue.string) ?? .null,
                                         "notes": form["notes"].map(JSONValue.string) ?? .null, "links": .array(links.map(JSONValue.string))])
                message = "Вопрос включён в повестку."
            case "participants":
                let present = Set(form.values["present"] ?? [])
                let all = (form.values["member"] ?? [])
                let invited = (form.raw("invited") ?? "").split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
                try await s.setParticipants(id, ["absent": .array(all.filter { !present.contains($0) }.map(JSONValue.string)), "invited": .array(invited.map(JSONValue.string))])
                message = "Участники сохранены."
            case "decisions":
                var body: [String: JSONValue] = [:]
                for key in ["item_id", "text", "organisation_id", "due_on", "executor_user_id", "control_user_id"] { if let v = form[key] { body[key] = .string(v) } }
                if let co = form["co_executor"] { body["co_executors"] = .array([.string(co)]) }
                try await s.addDecision(id, body)
                message = "Решение внесено в проект протокола."
            case "votes":
                func n(_ k: String) -> JSONValue { form[k].flatMap { Int($0) }.map { .number(Double($0)) } ?? (form[k].map(JSONValue.string) ?? .null) }
                try await s.recordVotes(id, ["decision_id": form["decision_id"].map(JSONValue.string) ?? .null, "yes": n("yes"), "no": n("no"), "abstain": n("abstain")])
                message = "Итоги голосования внесены."
            case "hold": try await s.hold(id); message = "Заседание проведено: оформите решения и подпишите протокол."
            case "cancel": try await s.cancel(id); message = "Заседание отменено."
            case "sign":
                let numbers = try await s.sign(id)
                message = "Протокол подписан." + (numbers.isEmpty ? " Принятых решений нет." : " Поручения на контроле: № " + numbers.map(String.init).joined(separator: ", ") + ".")
            default: throw Problem.notFound("Неизвестное действие.")
            }
            return WebPage.redirect(req, to: "/m/\(access.slug)/meetings/\(id.uuidString)", flash: message)
        } catch let problem as Problem where [403, 409, 422].contains(problem.statusCode) {
            return try await render(req, values: form.typed, errors: WebPage.fieldErrors(problem), openForm: what,
                                    status: problem.status)
        }
    }

    func protocolDocument(req: Request) async throws -> Response {
        let access = try req.tenant
        let (data, m) = try await Meetings(db: req.db, access: access, now: req.now).protocolDocument(try req.uuidParameter("id", notFound: Meetings.notFound))
        return Download.attachment(data, contentType: Download.docx, fileName: "protokol-mcu-\(m.number)-\(LocalDay(m.startsAt, in: access.zone).iso).docx")
    }

    /// The centre's staff and the organisations' people, each once, «— не назначен —» first.
    static func people(_ access: TenantAccess, books: ReferenceOptions, on db: any Database) async throws -> [Choice] {
        var seen = Set<String>()
        let all = try await RiskPages.staff(access, selected: nil, on: db)
            + (try await ReferenceOptions.executors(tenantID: access.tenantID, books: books, selected: nil, empty: "", on: db)).dropFirst()
        return all.filter { seen.insert($0.value).inserted }
    }
}
