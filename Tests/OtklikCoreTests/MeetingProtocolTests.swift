import Foundation
@testable import OtklikCore
import Testing

@Suite("Протокол заседания и поручения: голоса, переходы, текст протокола")
struct MeetingProtocolTests {
    @Test("Большинство поданных голосов", arguments: [(2, 1, 0, true), (1, 1, 1, false), (2, 2, 0, false), (3, 0, 2, true), (0, 0, 0, false)])
    func majority(yes: Int, no: Int, abstain: Int, adopted: Bool) {
        #expect(Votes(yes: yes, no: no, abstain: abstain).adopted == adopted)
    }

    @Test("Голосов не больше участников и не меньше нуля")
    func voteIssues() {
        #expect(Votes.issues(yes: 3, no: 1, abstain: 0, voters: 3).first?.reason.contains("больше, чем участников") == true)
        #expect(Votes.issues(yes: -1, no: 0, abstain: 0, voters: 3).first?.reason.contains("отрицательным") == true)
        #expect(Votes.issues(yes: 2, no: 1, abstain: 0, voters: 3).isEmpty)
    }

    @Test("Поручение: отчёт, принять, вернуть, продлить, снять", arguments: [
        (AssignmentAction.report, AssignmentStatus.onControl, AssignmentStatus?.some(.reported)),
        (.accept, .onControl, nil), (.accept, .reported, .done), (.return, .reported, .onControl),
        (.extend, .reported, .reported), (.extend, .done, nil), (.remove, .onControl, .removed), (.report, .removed, nil),
    ])
    func transitions(action: AssignmentAction, from: AssignmentStatus, to: AssignmentStatus?) {
        #expect(action.next(from: from) == to)
    }

    @Test("Текст протокола: повестка, СЛУШАЛИ/РЕШИЛИ с исполнителем и сроком, непринятое отдельно, подписи")
    func text() {
        let p = MeetingProtocol.Input(
            municipality: "Демо-округ", number: 4, day: LocalDay("2026-12-10")!, time: "10:00", place: "зал", form: .inPerson,
            chair: "Лебедева И. В.", chairRole: "куратор МЦУ", secretary: "Киселева С. А.", present: ["Лебедева И. В. — управляющий делами"],
            invited: [], items: [.init(title: "О воде", speaker: "Андреев А. А.", notes: nil, decisions: [
                .init(text: "Восстановить подачу.", executor: "Водоканал", deadline: "15.12.2026", votes: nil, adopted: true),
                .init(text: "Купить цистерну.", executor: "УЖКХ", deadline: "20.12.2026", votes: Votes(yes: 1, no: 2, abstain: 0), adopted: false)])])
        let xml = MeetingProtocol.docx(p).parts().map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
        for part in ["ПРОТОКОЛ № 4", "10.12.2026, 10:00, зал. Заседание проведено в очной форме.", "Председательствовал: Лебедева И. В. — куратор МЦУ.",
                     "1. О воде", "СЛУШАЛИ: Андреев А. А.", "1.1. Восстановить подачу. Ответственный: Водоканал. Срок: 15.12.2026.",
                     "Не принято: Купить цистерну. (голосовали: за — 1, против — 2, воздержались — 0).", "Секретарь  ____________________  Киселева С. А."] {
            #expect(xml.contains(part), "нет «\(part)»")
        }
    }
}

@Suite("Файл итогов голосований и общественных обсуждений")
struct PollFileTests {
    static let header = ["Вопрос", "Вариант", "Голосов", "Всего", "Территория", "Начало", "Окончание"]

    @Test("Строки группируются по вопросу, итог сверяется")
    func reads() throws {
        let polls = try PollFile.read(header: Self.header, rows: [
            (2, ["Где благоустроить сквер?", "У школы", "120", "200", "Центр", "01.11.2026", "15.11.2026"]),
            (3, ["Где благоустроить сквер?", "У реки", "80", "200", "", "", ""]),
            (4, ["", "", "", "", "", "", ""]),
            (5, ["Нужен ли новый маршрут автобуса?", "Да", "1 500", "", "", "", ""]),
        ]).get()
        #expect(polls.count == 2 && polls[0].total == 200 && polls[0].territory == "Центр" && polls[0].to == LocalDay("2026-11-15"))
        #expect(polls[1].options.map(\.votes) == [1_500])
    }

    @Test("Отрицательные голоса, неверный итог, повтор варианта, нет столбцов — по строкам")
    func problems() {
        guard case .failure(let p) = PollFile.read(header: Self.header, rows: [
            (2, ["Q", "A", "-5", "", "", "", ""]),
            (3, ["Q2", "A", "10", "30", "", "", ""]),
            (4, ["Q2", "B", "10", "30", "", "", ""]),
            (5, ["Q2", "B", "1", "", "", "", ""]),
            (6, ["Q3", "A", "1", "", "", "20.11.2026", "10.11.2026"]),
        ]) else { Issue.record("принято"); return }
        let text = p.issues.map(\.description)
        #expect(text.contains { $0.hasPrefix("строка 2") && $0.contains("отрицательным") })
        #expect(text.contains { $0.hasPrefix("строка 5") && $0.contains("повторяется") })
        #expect(text.contains { $0.hasPrefix("строка 6") && $0.contains("раньше, чем началось") })
        #expect(text.contains { $0.contains("сумма голосов 20 не равна итогу 30") })
        guard case .failure(let cols) = PollFile.read(header: ["Имя", "Число"], rows: []) else { Issue.record("принято"); return }
        #expect(cols.issues[0].reason.contains("«Вопрос», «Вариант» и «Голосов»"))
    }
}
