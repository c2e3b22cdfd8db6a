@testable import OtklikCore
import Testing

@Suite("VK Callback API: разбор событий")
struct VKCallbackTests {
    private func read(_ json: String, group: Int = 77, secret: String = "s3cret") throws(VKCallback.Refusal) -> VKCallback.Event {
        try VKCallback.read(Array(json.utf8), groupID: group) { $0 == secret }
    }

    @Test("подтверждение адреса — без секрета; чужое сообщество и неверный секрет — отказ")
    func handshakeAndSecret() throws {
        #expect(try read(#"{"type":"confirmation","group_id":77}"#) == .confirmation)
        #expect(throws: VKCallback.Refusal.wrongGroup(expected: 77, got: 78)) { try read(#"{"type":"confirmation","group_id":78}"#) }
        #expect(throws: VKCallback.Refusal.wrongSecret) {
            try read(#"{"type":"wall_reply_new","group_id":77,"secret":"guess","object":{"id":1,"post_id":2,"from_id":5,"text":"x"}}"#)
        }
        #expect(throws: VKCallback.Refusal.wrongSecret) { try read(#"{"type":"message_new","group_id":77,"object":{}}"#) }
        #expect(throws: VKCallback.Refusal.self) { try read("не json") }
    }

    @Test("комментарий жителя → обращение госпаблика со ссылкой на пост; номер из id VK")
    func comment() throws {
        let e = try read(#"{"type":"wall_reply_new","group_id":77,"secret":"s3cret","event_id":"abc","object":{"id":501,"from_id":9001,"date":1763700000,"text":" Когда починят фонарь? ","post_id":42,"owner_id":-77}}"#)
        guard case .intake(let r) = e else { Issue.record("ожидалась регистрация: \(e)"); return }
        #expect(r["channel"] == .string("official_pages") && r["platform"] == .string("vk") && r["publication_kind"] == .string("comment"))
        #expect(r["external_id"] == .string("vk77_wall-77_42_r501"))
        #expect(r["source_url"] == .string("https://vk.com/wall-77_42?reply=501"))
        #expect(r["text"] == .string("Когда починят фонарь?"))
        #expect(r["received_at"] == .string("2025-11-21T04:40:00Z"))
    }

    @Test("сообщение: новый и старый формат; ответы сообщества и пустые тексты — только «ok»")
    func messagesAndIgnored() throws {
        let new = try read(#"{"type":"message_new","group_id":77,"secret":"s3cret","object":{"message":{"id":7,"from_id":9001,"date":1763700000,"text":"Нет воды"},"client_info":{}}}"#)
        let old = try read(#"{"type":"message_new","group_id":77,"secret":"s3cret","object":{"id":7,"from_id":9001,"date":1763700000,"text":"Нет воды"}}"#)
        #expect(new == old)
        guard case .intake(let r) = new else { Issue.record("\(new)"); return }
        #expect(r["external_id"] == .string("vk77_msg7") && r["publication_kind"] == .string("direct_message"))
        for json in [#"{"type":"wall_reply_new","group_id":77,"secret":"s3cret","object":{"id":1,"post_id":2,"from_id":-77,"text":"Ответ администрации"}}"#,
                     #"{"type":"wall_reply_new","group_id":77,"secret":"s3cret","object":{"id":1,"post_id":2,"from_id":5,"text":"  "}}"#,
                     #"{"type":"group_join","group_id":77,"secret":"s3cret","object":{"user_id":5}}"#] {
            guard case .ignored = try read(json) else { Issue.record("должно быть пропущено: \(json)"); continue }
        }
    }
}
