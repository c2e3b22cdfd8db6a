import Foundation
@testable import OtklikCore
import Testing

@Suite("Почта: адреса, письмо в MIME, ответы SMTP")
struct MailTests {
    @Test("адреса: обычные принимаются, всё, что может внедрить команду или заголовок, — нет", arguments: [
        ("ispolnitel@zhkh.example", true),
        ("  mcu@alpha.example ", true),
        ("first.last+tag@mail.admin.example", true),
        ("почта@администрация.рф", true),
        ("no-at-sign.example", false),
        ("two@@at.example", false),
        ("user@localhost", false),
        ("user@.example", false),
        ("user@example..org", false),
        ("a b@example.org", false),
        ("mcu@alpha.example>\r\nRCPT TO:<all@example.org", false),
        ("<mcu@alpha.example>", false),
        ("mcu@alpha.example\n", true),   // trailing whitespace is trimmed, not kept
        ("", false),
    ])
    func addresses(raw: String, valid: Bool) {
        #expect((MailAddress(raw) != nil) == valid, "\(raw.debugDescription)")
    }

    @Test("письмо: заголовки ASCII, тема и имя в RFC 2047, тело base64 строками по 76, CRLF")
    func rendering() throws {
        let m = MailMessage(from: MailAddress("mcu@alpha.example")!, fromName: "МЦУ Альфа", to: MailAddress("ispolnitel@zhkh.example")!,
                            subject: "Обращение №17 назначено вам", body: "Здравствуйте!\nСрок: 23.11.2026 12:00.",
                            date: try TimeText.parseRFC3339("2026-11-23T05:00:00Z"), messageID: "abc@alpha.example")
        let text = m.rendered()
        #expect(text.utf8.allSatisfy { $0 < 0x80 }, "письмо целиком в ASCII")
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.contains("To: <ispolnitel@zhkh.example>"))
        #expect(lines.contains("Date: Mon, 23 Nov 2026 05:00:00 +0000"))
        #expect(lines.contains("Message-ID: <abc@alpha.example>"))
        #expect(lines.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(lines.contains("From: =?utf-8?B?" + Data("МЦУ Альфа".utf8).base64EncodedString() + "?= <mcu@alpha.example>"))
        #expect(lines.allSatisfy { $0.count <= 78 }, "строки не длиннее 78 знаков")
        let body = text.components(separatedBy: "\r\n\r\n")[1].replacingOccurrences(of: "\r\n", with: "")
        #expect(String(decoding: Data(base64Encoded: body)!, as: UTF8.self) == "Здравствуйте!\r\nСрок: 23.11.2026 12:00.")
    }

    @Test("длинная русская тема делится на слова по 75 знаков, буквы не разрезаются")
    func longSubject() {
        let subject = String(repeating: "Нарушен срок «Окончательный ответ» по обращению №123456 ", count: 3)
        let encoded = MailMessage.encodedWord(subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 })
        let decoded = words.map { w in String(decoding: Data(base64Encoded: String(w.dropFirst(10).dropLast(2)))!, as: UTF8.self) }.joined()
        #expect(decoded == subject)
        #expect(MailMessage.encodedWord("Plain ASCII") == "Plain ASCII")
    }

    @Test("раздел DATA: точка в начале строки удваивается, в конце — строка из одной точки")
    func dotStuffing() {
        #expect(MailMessage.dataSection("a\r\n.b\r\n") == "a\r\n..b\r\n.\r\n")
        #expect(MailMessage.dataSection("a") == "a\r\n.\r\n")
    }

    @Test("ответы SMTP: многострочный EHLO, расширения, ошибки формата")
    func replies() throws {
        var a = SMTPReply.Assembler()
        #expect(try a.add("250-relay.example Hello\r") == nil)
        #expect(try a.add("250-STARTTLS") == nil)
        #expect(try a.add("250-AUTH PLAIN LOGIN") == nil)
        let r = try #require(try a.add("250 SIZE 1000"))
        #expect(r.code == 250 && r.lines.count == 4)
        #expect(r.extensions["AUTH"] == ["PLAIN", "LOGIN"] && r.extensions["STARTTLS"] == [])
        #expect(try a.add("221") == SMTPReply(code: 221, lines: [""]))
        #expect(try a.add("550 5.1.1 unknown")?.isPermanentFailure == true)
        #expect(try a.add("421 try later")?.isPermanentFailure == false)
        #expect(throws: SMTPReply.LineError.self) { try a.add("hello") }
        var b = SMTPReply.Assembler()
        _ = try b.add("250-first")
        #expect(throws: SMTPReply.LineError.self, "код поменялся посреди ответа") { try b.add("354 second") }
    }

    @Test("AUTH PLAIN: \\0имя\\0пароль в base64 (UTF-8)")
    func authPlain() {
        #expect(SMTPAuth.plain(user: "otklik", password: "секрет") == Data([0] + Array("otklik".utf8) + [0] + Array("секрет".utf8)).base64EncodedString())
    }

    @Test("виды уведомлений: список через запятую, неизвестное слово названо")
    func notificationKinds() throws {
        #expect(try NotificationKind.parseList(" overdue, escalation,overdue ").get() == [.overdue, .escalation])
        #expect(try NotificationKind.parseList("").get() == [])
        guard case .failure(let bad) = NotificationKind.parseList("overdue,чепуха") else { Issue.record("принято неизвестное"); return }
        #expect(bad.word == "чепуха")
        #expect(!NotificationKind.operatorAlerts.contains(.assigned))
    }
}
