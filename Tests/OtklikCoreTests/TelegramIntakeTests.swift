@testable import OtklikCore
import Testing

@Suite("Telegram-бот: разбор обновлений")
struct TelegramIntakeTests {
    @Test("ответ Bot API: ошибка, не JSON, обновления; номер в источнике несёт чат")
    func read() throws {
        #expect(throws: TelegramIntake.Malformed.self) { try TelegramIntake.read(Array(#"{"ok":false,"description":"Unauthorized"}"#.utf8), botID: "1") }
        #expect(throws: TelegramIntake.Malformed.self) { try TelegramIntake.read(Array("<html>".utf8), botID: "1") }
        let body = #"{"ok":true,"result":[{"update_id":5,"message":{"message_id":9,"date":1768186800,"chat":{"id":77,"type":"private"},"from":{"id":77,"first_name":"Анна"},"text":"Нет света"}},{"update_id":6,"edited_message":{}}]}"#
        let updates = try TelegramIntake.read(Array(body.utf8), botID: "42")
        #expect(updates.map(\.updateID) == [5, 6])
        guard case .intake(let chat, let record) = updates[0].action else { Issue.record("\(updates[0])"); return }
        #expect(chat == 77 && record["external_id"] == .string("tg42:77:9") && record["channel"] == .string("telegram_bot"))
        #expect(TelegramIntake.chatID(fromExternalID: "tg42:77:9") == 77 && TelegramIntake.chatID(fromExternalID: "B-1") == nil)
        guard case .skip = updates[1].action else { Issue.record("правка пропускается"); return }
    }

    @Test("ответ в чат не длиннее 4 096 знаков")
    func answerLength() {
        let long = TelegramIntake.answerMessage(number: 12, text: String(repeating: "я", count: 5_000))
        #expect(long.count == 4_096 && long.hasPrefix("Ответ по вашему обращению №12:") && long.hasSuffix("…"))
    }
}
