import Foundation

/// One request of VK's Callback API for a community (госпаблик), read without any I/O: the handshake,
/// the secret check, and new wall comments and messages turned into intake records of the «госпаблики»
/// channel. Record numbers come from VK's own ids, so a repeated delivery is the same case (VK retries
/// until it hears «ok»).
public enum VKCallback {
    public enum Event: Sendable, Equatable {
        /// VK checks the address: answer with the community's confirmation string.
        case confirmation
        /// A resident's comment or message: register it.
        case intake([String: JSONValue])
        /// Anything else (our own replies, edits, empty texts, other event types): acknowledge only.
        case ignored(String)
    }

    public enum Refusal: Error, Sendable, Equatable {
        case malformed(String)
        case wrongGroup(expected: Int, got: Int?)
        case wrongSecret

        public var russian: String {
            switch self {
            case .malformed(let why): "запрос VK не разобран: \(why)"
            case .wrongGroup(let expected, let got): "событие для сообщества \(got.map(String.init) ?? "без номера"), а настроено \(expected)"
            case .wrongSecret: "секретный ключ не совпадает: запрос не от VK или ключ в настройках устарел"
            }
        }
    }

    /// Reads the body. `secretMatches` compares the sent secret with the stored one (in constant time,
    /// by the caller); the confirmation request carries no secret and is answered regardless.
    public static func read(_ body: [UInt8], groupID: Int, secretMatches: (String?) -> Bool) throws(Refusal) -> Event {
        let json: JSONValue
        do { json = try JSONParser.parse(body) } catch { throw .malformed("не JSON (\(error))") }
        guard case .object(let o) = json, case .string(let type)? = o["type"] else { throw .malformed("нет поля type") }
        let group = int(o["group_id"])
        guard group == groupID else { throw .wrongGroup(expected: groupID, got: group) }
        if type == "confirmation" { return .confirmation }
        guard secretMatches(string(o["secret"])) else { throw .wrongSecret }
        guard case .object(let object)? = o["object"] else { return .ignored("событие \(type) без объекта") }
        switch type {
        case "wall_reply_new":
            return comment(object, groupID: groupID)
        case "message_new":
            // API 5.103+: {message, client_info}; older versions send the message itself.
            if case .object(let message)? = object["message"] { return self.message(message, groupID: groupID) }
            return message(object, groupID: groupID)
        default:
            return .ignored("событие \(type) не регистрируется")
        }
    }

    private static func comment(_ c: [String: JSONValue], groupID: Int) -> Event {
        guard let id = int(c["id"]), let post = int(c["post_id"]), let from = int(c["from_id"]) else {
            return .ignored("комментарий без id, post_id или from_id")
        }
        if from == -groupID { return .ignored("ответ самого сообщества") }
        let text = (string(c["text"]) ?? "").trimmed
        guard !text.isEmpty else { return .ignored("комментарий без текста") }
        let owner = int(c["owner_id"]) ?? -groupID
        return .intake(record(externalID: "vk\(groupID)_wall\(owner)_\(post)_r\(id)", date: int(c["date"]), text: text,
                              url: "https://vk.com/wall\(owner)_\(post)?reply=\(id)", from: from, kind: .comment))
    }

    private static func message(_ m: [String: JSONValue], groupID: Int) -> Event {
        guard let id = int(m["id"]) ?? int(m["conversation_message_id"]), let from = int(m["from_id"]) else {
            return .ignored("сообщение без id или from_id")
        }
        if from == -groupID || from < 0 { return .ignored("сообщение от сообщества") }
        let text = (string(m["text"]) ?? "").trimmed
        guard !text.isEmpty else { return .ignored("сообщение без текста") }
        return .intake(record(externalID: "vk\(groupID)_msg\(id)", date: int(m["date"]), text: text,
                              url: "https://vk.com/gim\(groupID)?sel=\(from)", from: from, kind: .directMessage))
    }

    private static func record(externalID: String, date: Int?, text: String, url: String, from: Int,
                               kind: PublicationKind) -> [String: JSONValue] {
        var r: [String: JSONValue] = [
            "channel": .string(CaseChannel.officialPages.rawValue),
            "external_id": .string(externalID),
            "text": .string(text),
            "source_url": .string(url),
            "platform": .string(Platform.vk.rawValue),
            "publication_kind": .string(kind.rawValue),
            "author": .object(["name": .string("Пользователь VK id\(from)"), "profile_url": .string("https://vk.com/id\(from)")]),
        ]
        if let date { r["received_at"] = .string(TimeText.formatRFC3339(Date(timeIntervalSince1970: TimeInterval(date)))) }
        return r
    }

    private static func int(_ v: JSONValue?) -> Int? {
        switch v {
        case .number(let n)?: n == n.rounded() && abs(n) < 1e15 ? Int(n) : nil
        case .string(let s)?: Int(s)
        default: nil
        }
    }

    private static func string(_ v: JSONValue?) -> String? {
        if case .string(let s)? = v { return s }
        return nil
    }
}
