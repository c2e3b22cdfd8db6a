@testable import OtklikCore
import Testing

@Suite("Профиль из образца: выбор столбцов")
struct ColumnPickTests {
    @Test("выбор добавляет заголовок первым к полю и убирает его отовсюду; неизменённый выбор ничего не трогает")
    func applying() {
        let base = ImportProfile.generic
        let picked = base.applying([
            ("№ п/п", .field(.externalID)),
            ("Дата", .field(.text)),          // moved from «Дата поступления; Дата» to the text
            ("Район", .keep),
            ("Категория", .skip),             // removed from the category field
            ("Текст", .field(.text)),         // unchanged: stays where it was
        ])
        #expect(picked.headers(for: .externalID) == ["№ п/п", "Номер", "Внешний номер"])
        #expect(picked.headers(for: .receivedAt) == ["Дата поступления"])
        #expect(picked.headers(for: .text) == ["Дата", "Текст"])
        #expect(picked.headers(for: .category) == ["Рубрика"])
        #expect(picked.keep == ["Район"])
    }

    @Test("ПОС хранит «Статус» и как поле, и как данные источника: выбор без изменений это сохраняет")
    func posKeepsMappedColumns() {
        let p = ImportProfile.pos
        #expect(p.pick(for: "статус ") == .field(.status))
        let same = p.applying([("Статус", .field(.status))])
        #expect(same == p)
        let dropped = p.applying([("Статус", .skip)])
        #expect(dropped.headers(for: .status).isEmpty && !dropped.keep.contains("Статус"))
    }

    @Test("значения формы", arguments: [("external_id", ColumnPick.field(.externalID)), ("keep", .keep), ("", .skip), ("мусор", .skip)])
    func formValues(raw: String, pick: ColumnPick) {
        #expect(ColumnPick(formValue: raw) == pick)
        if pick != .skip { #expect(pick.formValue == raw) }
    }

    @Test("строка заголовков новой таблицы: самая широкая из первых, а не титул над ней")
    func widestRowWhenNothingMatches() {
        let rows = [["Журнал обращений (демо)"], [], ["№ п/п", "Дата обращения", "Суть"], ["1", "10.01.2026", "Фонарь"]]
        let empty = ImportProfile(name: "Новый", kind: .generic, channel: .email, columns: [:])
        #expect(HeaderLayout.headerRowIndex(rows, profile: empty) == 2)
    }
}
