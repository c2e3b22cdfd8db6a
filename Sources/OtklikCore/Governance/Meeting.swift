import Foundation

/// A meeting of the МЦУ (decree 004 §3.2): in person or by correspondence; its protocol is signed by the
/// curator and sent to the officials for execution.
public enum MeetingForm: String, CaseIterable, Sendable, Codable {
    case inPerson = "in_person"
    case correspondence

    public var title: String { self == .inPerson ? "очная" : "заочная" }
    /// «заседания … в очной форме».
    public var genitive: String { self == .inPerson ? "в очной форме" : "в заочной форме (опросным путём)" }
}

public enum MeetingStatus: String, CaseIterable, Sendable, Codable {
    /// Agenda and participants are being prepared.
    case planned
    /// Held: the protocol is being drafted (decisions, votes).
    case held
    /// The protocol is signed: its decisions are assignments under control.
    case signed
    case cancelled

    public var title: String {
        switch self {
        case .planned: "запланировано"
        case .held: "проведено, протокол готовится"
        case .signed: "протокол подписан"
        case .cancelled: "отменено"
        }
    }
}

/// Votes on a decision of a meeting by correspondence (or counted in person).
public struct Votes: Sendable, Equatable {
    public var yes: Int, no: Int, abstain: Int
    public init(yes: Int, no: Int, abstain: Int) { self.yes = yes; self.no = no; self.abstain = abstain }

    public var cast: Int { yes + no + abstain }
    /// Adopted by a majority of the votes cast.
    public var adopted: Bool { yes * 2 > cast }
    public var text: String { "за — \(yes), против — \(no), воздержались — \(abstain)" }

    /// Votes cannot exceed the voters; counts are not negative.
    public static func issues(yes: Int, no: Int, abstain: Int, voters: Int) -> [FieldIssue] {
        var out: [FieldIssue] = []
        if yes < 0 || no < 0 || abstain < 0 { out.append(FieldIssue("votes", "число голосов не может быть отрицательным")) }
        else if yes + no + abstain > voters {
            out.append(FieldIssue("votes", "голосов (\(yes + no + abstain)) больше, чем участников с правом голоса (\(voters))"))
        }
        return out
    }
}

/// The protocol as a Word document ready to sign: number, date, form, chair and secretary, who was present
/// and invited, the agenda, and per item «СЛУШАЛИ / РЕШИЛИ» with each decision's executor and deadline.
public enum MeetingProtocol {
    public struct Decision: Sendable {
        public var text: String
        public var executor: String
        public var deadline: String
        public var votes: Votes?
        public var adopted: Bool
        public init(text: String, executor: String, deadline: String, votes: Votes?, adopted: Bool) {
            self.text = text; self.executor = executor; self.deadline = deadline; self.votes = votes; self.adopted = adopted
        }
    }
    public struct Item: Sendable {
        public var title: String
        public var speaker: String?
        public var notes: String?
        public var decisions: [Decision]
        public init(title: String, speaker: String?, notes: String?, decisions: [Decision]) {
            self.title = title; self.speaker = speaker; self.notes = notes; self.decisions = decisions
        }
    }
    public struct Input: Sendable {
        public var municipality: String
        public var number: Int
        public var day: LocalDay
        public var time: String?
        public var place: String?
        public var form: MeetingForm
        public var chair: String
        public var chairRole: String
        public var secretary: String?
        public var present: [String]
        public var invited: [String]
        public var items: [Item]
        public init(municipality: String, number: Int, day: LocalDay, time: String?, place: String?, form: MeetingForm, chair: String,
                    chairRole: String, secretary: String?, present: [String], invited: [String], items: [Item]) {
            self.municipality = municipality; self.number = number; self.day = day; self.time = time; self.place = place; self.form = form
            self.chair = chair; self.chairRole = chairRole; self.secretary = secretary; self.present = present; self.invited = invited; self.items = items
        }
    }

    public static func docx(_ p: Input) -> DOCXWriter {
        var b: [DOCXWriter.Block] = [
            .title("ПРОТОКОЛ № \(p.number)"),
            .paragraph("заседания муниципального центра управления", bold: true),
            .paragraph(p.municipality, bold: true),
            .paragraph([p.day.russian, p.time, p.place].compactMap { $0 }.joined(separator: ", ") + ". Заседание проведено \(p.form.genitive)."),
            .paragraph("Председательствовал: \(p.chair) — \(p.chairRole)."),
        ]
        if let s = p.secretary { b.append(.paragraph("Секретарь: \(s).")) }
        b.append(.paragraph(p.form == .inPerson ? "Присутствовали:" : "Приняли участие в заочном голосовании:", bold: true))
        b.append(.bullets(p.present.isEmpty ? ["—"] : p.present))
        if !p.invited.isEmpty {
            b.append(.paragraph("Приглашённые:", bold: true))
            b.append(.bullets(p.invited))
        }
        b.append(.heading("ПОВЕСТКА ДНЯ"))
        b.append(.bullets(p.items.enumerated().map { "\($0.offset + 1). \($0.element.title)" }))
        for (i, item) in p.items.enumerated() {
            b.append(.heading("\(i + 1). \(item.title)"))
            if let speaker = item.speaker { b.append(.paragraph("СЛУШАЛИ: \(speaker)." + (item.notes.map { " \($0)" } ?? ""))) }
            else if let notes = item.notes { b.append(.paragraph(notes)) }
            let adopted = item.decisions.filter(\.adopted)
            if adopted.isEmpty { b.append(.paragraph("Решений по вопросу не принято.")); continue }
            b.append(.paragraph("РЕШИЛИ:", bold: true))
            for (k, d) in adopted.enumerated() {
                b.append(.paragraph("\(i + 1).\(k + 1). \(d.text) Ответственный: \(d.executor). Срок: \(d.deadline)."))
                if let v = d.votes { b.append(.paragraph("Голосовали: \(v.text).", small: true)) }
            }
            for d in item.decisions where !d.adopted {
                b.append(.paragraph("Не принято: \(d.text)" + (d.votes.map { " (голосовали: \($0.text))" } ?? "") + ".", small: true))
            }
        }
        b.append(.paragraph(""))
        b.append(.paragraph("Председательствующий  ____________________  \(p.chair)"))
        if let s = p.secretary { b.append(.paragraph("Секретарь  ____________________  \(s)")) }
        return DOCXWriter(title: "Протокол № \(p.number) заседания МЦУ", author: "Отклик", blocks: b)
    }
}

/// An assignment under control (поручение): from a protocol, the memo or the head.
public enum AssignmentStatus: String, CaseIterable, Sendable, Codable {
    /// On control, not yet reported.
    case onControl = "on_control"
    /// The executor reported; the control officer accepts or returns the report.
    case reported
    /// Executed and taken off control.
    case done
    /// Taken off control without execution (a reason is recorded).
    case removed

    public var title: String {
        switch self {
        case .onControl: "на контроле"
        case .reported: "отчёт на проверке"
        case .done: "исполнено, снято с контроля"
        case .removed: "снято с контроля"
        }
    }

    public var isOpen: Bool { self == .onControl || self == .reported }
}

public enum AssignmentAction: String, CaseIterable, Sendable {
    case report, accept, `return`, extend, remove

    public var title: String {
        switch self {
        case .report: "Отчёт об исполнении"
        case .accept: "Принять отчёт и снять с контроля"
        case .return: "Вернуть отчёт на доработку"
        case .extend: "Продлить срок"
        case .remove: "Снять с контроля без исполнения"
        }
    }

    public func next(from s: AssignmentStatus) -> AssignmentStatus? {
        switch (self, s) {
        case (.report, .onControl), (.report, .reported): .reported
        case (.accept, .reported): .done
        case (.return, .reported): .onControl
        case (.extend, .onControl), (.extend, .reported): s
        case (.remove, .onControl), (.remove, .reported): .removed
        default: nil
        }
    }
}
