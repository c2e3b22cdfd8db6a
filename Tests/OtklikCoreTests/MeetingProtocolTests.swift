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
