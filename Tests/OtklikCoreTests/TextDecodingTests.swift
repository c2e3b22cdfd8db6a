import Foundation
@testable import OtklikCore
import Testing

@Suite("Кодировки файлов")
struct TextDecodingTests {
    @Test("UTF-8 с BOM и без, UTF-16")
    func unicode() throws {
        #expect(try TextDecoding.decode(Array("Привет".utf8)) == ("Привет", .utf8))
        #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array("Ёж".utf8)) == ("Ёж", .utf8BOM))
        let utf16 = [UInt8]([0xFF, 0xFE]) + Array("Да".data(using: .utf16LittleEndian)!)
        #expect(try TextDecoding.decode(utf16).text == "Да")
    }

    @Test("Windows-1251 распознаётся и перекодируется, включая Ё, № и кавычки-ёлочки")
    func cp1251() throws {
        // «Ёжик № 5» in Windows-1251: « = AB, Ё = A8, ж = E6, и = E8, к = EA, № = B9, » = BB.
        let bytes: [UInt8] = [0xAB, 0xA8, 0xE6, 0xE8, 0xEA, 0x20, 0xB9, 0x20, 0x35, 0xBB]
        let (text, encoding) = try TextDecoding.decode(bytes)
        #expect(encoding == .cp1251)
        #expect(text == "«Ёжик № 5»")
    }

    @Test("Двоичные данные и чужие кодовые страницы не выдаются за текст")
    func unknown() {
        #expect(throws: TextDecoding.DecodeError.self) { try TextDecoding.decode([0x50, 0x4B, 0x03, 0x04, 0x00, 0x9C, 0x81, 0x00]) }
        // Latin-1 accented text: high bytes that are not Russian letters in cp1251 terms.
        #expect(throws: TextDecoding.DecodeError.self) { try TextDecoding.decode([0x63, 0x61, 0x66, 0x82, 0x85, 0x93, 0x94, 0x96]) }
    }

    @Test("Таблица Windows-1251: все русские буквы по порядку")
    func alphabet() {
        let upper = (0xC0...0xDF).map { UInt8($0) }, lower = (0xE0...0xFF).map { UInt8($0) }
        #expect(TextDecoding.decodeCP1251(upper) == "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")
        #expect(TextDecoding.decodeCP1251(lower) == "абвгдежзийклмнопрстуфхцчшщъыьэюя")
    }
}
