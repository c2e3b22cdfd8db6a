import Foundation

/// Updates of the municipality's Telegram bot (Bot API `getUpdates`) read without I/O: what to register,
/// what to answer, what to skip. A resident's message is one case; the number of the message in its chat
/// makes the case number in the source, so a repeated update is the same case.
public enum TelegramIntake {
    public struct Update: Sendable, Equatable {
        public var updateID: Int
        public var action: Action
    }

    public enum Action: Sendable, Equatable {
        /// `/start` or `/help`: greet and explain.
        case greet(chatID: Int64)
        /// A resident's text: register it and tell them the number.
        case intake(chatID: Int64, record: [String: JSONValue])
        /// Not for us (group chats, edits, stickers without text…): the reason is logged; private chats get `reply`.
        case skip(reason: String, chatID: Int64?, reply: String?)
    }

    public struct Malformed: Error, Sendable, Equatable { public var reason: String }

    public static let greeting = "Здравствуйте! Это бот администрации. Напишите, что случилось и где (адрес или ориентир) — сообщение станет обращением, и ответ придёт сюда же."
    public static let textOnly = "Пока бот принимает только текст: опишите, пожалуйста, проблему словами (фото можно приложить ссылкой)."

    /// Reads a `getUpdates` answer: `{"ok":true,"result":[…]}`.
    public static func read(_ body: [UInt8], botID: String) throws(Malformed) -> [Update] {
        let json: JSONValue
        do { json = try JSONParser.parse(body) } catch { throw Malformed(reason: "ответ Bot API не JSON") }
        guard case .object(let o) = json else { throw Malformed(reason: "ответ Bot API не объект") }
        guard case .bool(true)? = o["ok"] else {
            let d: String = if case .string(let s)? = o["description"] { s } else { "без описания" }
            throw Malformed(reason: "Bot API ответил ошибкой: \(d)")
        }
        guard case .array(let items)? = o["result"] else { throw Malformed(reason: "в ответе Bot API нет result") }
        return items.compactMap { item in
            guard case .object(let u) = item, let id = int(u["update_id"]) else { return nil }
            return Update(updateID: Int(id), action: action(u, botID: botID))
        }
    }

    static func action(_ u: [String: JSONValue], botID: String) -> Action {
        guard case .object(let m)? = u["message"] else {
            return .skip(reason: "обновление без нового сообщения (правка, канал, кнопка)", chatID: nil, reply: nil)
        }
        guard case .object(let chat)? = m["chat"], let chatID = int(chat["id"]) else {
            return .skip(reason: "сообщение без чата", chatID: nil, reply: nil)
        }
        guard case .string("private")? = chat["type"] else {
            return .skip(reason: "сообщение из группы или канала \(chatID): принимаются только личные сообщения боту", chatID: chatID, reply: nil)
        }
        guard case .string(let raw)? = m["text"], !raw.trimmed.isEmpty else {
            return .skip(reason: "сообщение без текста", chatID: chatID, reply: textOnly)
        }
        let text = raw.trimmed
        if text.hasPrefix("/start") || text.hasPrefix("/help") { return .greet(chatID: chatID) }
        guard let messageID = int(m["message_id"]) else { return .skip(reason: "сообщение без номера", chatID: chatID, reply: nil) }
        var author: [String: JSONValue] = [:]
        if case .object(let from)? = m["from"] {
            let name = [from["first_name"], from["last_name"]].compactMap { v -> String? in if case .string(let s)? = v { s } else { nil } }
                .joined(separator: " ").trimmed
            if !name.isEmpty { author["name"] = .string(name) }
            if case .string(let username)? = from["username"] { author["profile_url"] = .string("https://t.me/\(username)") }
        }
        var record: [String: JSONValue] = [
            "channel": .string(CaseChannel.telegramBot.rawValue),
            "external_id": .string(externalID(botID: botID, chatID: chatID, messageID: messageID)),
            "text": .string(text),
            "platform": .string(Platform.telegram.rawValue),
            "publication_kind": .string(PublicationKind.directMessage.rawValue),
        ]
        if !author.isEmpty { record["author"] = .object(author) }
        if let date = int(m["date"]) { record["received_at"] = .string(TimeText.formatRFC3339(Date(timeIntervalSince1970: TimeInterval(date)))) }
        return .intake(chatID: chatID, record: record)
    }

    /// «tg<bot>:<chat>:<message>» — the chat is where the answer goes back.
    public static func externalID(botID: String, chatID: Int64, messageID: Int64) -> String { "tg\(botID):\(chatID):\(messageID)" }

    /// The chat of a case registered from the bot, from its number in the source.
    public static func chatID(fromExternalID id: String) -> Int64? {
        let parts = id.split(separator: ":")
        guard parts.count == 3, parts[0].hasPrefix("tg") else { return nil }
        return Int64(parts[1])
    }

    /// The answer as the resident reads it in the chat (Telegram's limit is 4 096 characters).
    public static func answerMessage(number: Int, text: String) -> String {
        let head = "Ответ по вашему обращению №\(number):\n\n"
        let room = 4_096 - head.count
        return head + (text.count > room ? String(text.prefix(room - 1)) + "…" : text)
    }

    private static func int(_ v: JSONValue?) -> Int64? {
        if case .number(let n)? = v, n == n.rounded(), abs(n) < 9e15 { return Int64(n) }
        return nil
    }
}
