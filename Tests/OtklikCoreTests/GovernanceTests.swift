import Foundation
@testable import OtklikCore
import Testing

@Suite("Состав МЦУ: кто в составе на дату, кто ведёт заседание, одна роль — один человек")
struct CompositionTests {
    static func day(_ s: String) -> LocalDay { LocalDay(s)! }
    static let members = [
        Composition.Member(id: "c", fullName: "Лебедева И. В.", position: "управляющий делами", role: .curator, from: day("2026-01-01"), to: nil, substituteID: "k"),
        Composition.Member(id: "h", fullName: "Васильев В. Н.", position: "заведующий отделом", role: .head, from: day("2026-01-01"), to: nil),
        Composition.Member(id: "k", fullName: "Киселева С. А.", position: "главный специалист", role: .coordinator, from: day("2026-01-01"), to: day("2026-06-30")),
        Composition.Member(id: "m", fullName: "Андреев А. А.", position: "начальник управления", role: .member, from: day("2026-03-01"), to: nil),
    ]

    @Test("Состав на дату — в порядке приложений к распоряжению")
    func onDay() {
        let c = Composition(Self.members)
        #expect(c.on(Self.day("2026-02-01")).map(\.id) == ["c", "k", "h"])
        #expect(c.on(Self.day("2026-07-01")).map(\.id) == ["c", "h", "m"], "полномочия координатора закончились 30.06")
    }

    @Test("Председатель: куратор; в его отсутствие — назначенный замещающий, если он в составе, иначе руководитель МЦУ")
    func chair() {
        let c = Composition(Self.members)
        #expect(c.chair(on: Self.day("2026-05-01"), absent: [])?.id == "c")
        #expect(c.chair(on: Self.day("2026-05-01"), absent: ["c"])?.id == "k", "замещающий по записи куратора")
        #expect(c.chair(on: Self.day("2026-07-01"), absent: ["c"])?.id == "h", "замещающий уже не в составе — руководитель МЦУ")
        #expect(c.chair(on: Self.day("2026-07-01"), absent: ["c", "h"]) == nil)
    }

    @Test("Второй куратор на те же даты — конфликт; после окончания полномочий первого — нет")
    func single() {
        let c = Composition(Self.members)
        var second = Composition.Member(id: "x", fullName: "Новикова Н. Н.", position: "", role: .curator, from: Self.day("2026-09-01"), to: nil)
        #expect(c.conflict(with: second)?.id == "c")
        var ended = Self.members
        ended[0].to = Self.day("2026-08-31")
        #expect(Composition(ended).conflict(with: second) == nil)
        second.role = .member
        #expect(c.conflict(with: second) == nil, "членов МЦУ может быть сколько угодно")
    }

    @Test("Документ состава: «Фамилия — должность, роль», дата")
    func document() {
        let doc = Composition.docx(municipality: "Демо-округ", day: Self.day("2026-12-10"), members: Composition(Self.members).on(Self.day("2026-12-10")), basis: nil)
        let text = doc.parts().map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
        #expect(text.contains("Состав муниципального центра управления") && text.contains("по состоянию на 10.12.2026"))
        #expect(text.contains("управляющий делами, куратор МЦУ") && !text.contains("Киселева"), "координатора на эту дату нет")
    }
}
