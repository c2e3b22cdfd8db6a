import Foundation
@testable import OtklikCore
import Testing

@Suite("Разбор JSON")
struct JSONParserTests {
    @Test("Значения, экранирование, суррогатные пары")
    func values() throws {
        let v = try JSONParser.parse(#" {"a": [1, -2.5e2, true, false, null], "b": "кв\"а\u0434\n\ud83d\ude00", "c": {}} "#)
        #expect(v == .object([
            "a": .array([.number(1), .number(-250), .bool(true), .bool(false), .null]),
            "b": .string("кв\"ад\n😀"),
            "c": .object([:]),
        ]))
    }

    @Test("Совпадает с JSONSerialization на записях обращений")
    func agreesWithFoundation() throws {
        let text = #"{"channel":"pos","text":"Нет воды\tв «доме» № 5 \\ 😀","n":12345678,"lat":56.012345,"tags":["а","б"],"x":null}"#
        let ours = try JSONParser.parse(text)
        let theirs = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == theirs)
        #expect(try JSONParser.parse(ours.jsonText) == ours, "вывод читается обратно")
    }

    @Test("Ошибки называют место", arguments: [
        (#"{"a":1,}"#, 7),
        (#"{"a" 1}"#, 5),
        (#"[1 2]"#, 3),
        (#"{"a":"без конца"#, 15),   // the string runs to the end of the text
        (#"{"a":01}"#, 6),
        (#"{"a":tru}"#, 5),
        (#""\x""#, 3),
        ("{\"a\":\"\u{01}\"}", 6),
        (#"{} []"#, 3),
        ("", 0),
    ])
    func errors(text: String, offset: Int) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("принято: \(text)")
        } catch {
            #expect(error.offset == offset, "\(text): \(error.reason)")
        }
    }

    @Test("Слишком глубокая вложенность отклоняется, а не роняет процесс")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
    }

    @Test("Обрезка пробелов, включая неразрывный и переводы строк")
    func trim() {
        #expect("\u{00A0} \n Текст  с пробелами \t\r\n".trimmed == "Текст  с пробелами")
        #expect("   ".trimmed == "")
        #expect("а".trimmed == "а")
    }
}
