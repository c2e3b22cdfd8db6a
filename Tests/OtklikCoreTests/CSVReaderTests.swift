@testable import OtklikCore
import Testing

@Suite("Чтение CSV")
struct CSVReaderTests {
    @Test("Кавычки, удвоенные кавычки, переносы строк внутри поля и номера строк")
    func quotedFields() throws {
        let text = "a;b;c\r\n\"x;1\";\"он сказал \"\"да\"\"\";\"две\nстроки\"\r\n\n4;5;6"
        let rows = try CSVReader(text: text).rows()
        #expect(rows == [
            .init(line: 1, fields: ["a", "b", "c"]),
            .init(line: 2, fields: ["x;1", "он сказал \"да\"", "две\nстроки"]),
            .init(line: 5, fields: ["4", "5", "6"]),   // line 4 is blank; the quoted break made line 3
        ])
    }

    @Test("Разделитель определяется по строке заголовка", arguments: [
        ("a;b;c\n1;2;3", Character(";")),
        ("a,b,c\n1,2,3", Character(",")),
        ("a\tb\tc\n1\t2\t3", Character("\t")),
        ("\"a;b\",c,d\n", Character(",")),   // the ; inside quotes does not count
        ("один столбец\nзначение", Character(";")),
    ])
    func delimiter(text: String, expected: Character) {
        #expect(CSVReader.detectDelimiter(in: text) == expected)
    }

    @Test("Незакрытая кавычка — ошибка с номером строки, где она открыта")
    func unclosedQuote() {
        #expect(throws: CSVReader.ReadError.unclosedQuote(line: 3)) {
            try CSVReader(text: "a;b\n1;2\n3;\"нет конца\n4;5\n").rows()
        }
    }

    @Test("Пустые поля и поле без перевода строки в конце файла")
    func emptyFields() throws {
        let rows = try CSVReader(text: "a;b;c\n;;\nx;;z").rows()
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["", "", ""], ["x", "", "z"]])
    }

    @Test("Кавычка внутри поля без кавычек сохраняется как текст")
    func strayQuote() throws {
        let rows = try CSVReader(text: "a;b\n12\" монитор;2").rows()
        #expect(rows[1].fields == ["12\" монитор", "2"])
    }
}
