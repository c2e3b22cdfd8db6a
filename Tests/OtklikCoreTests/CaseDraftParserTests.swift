import Foundation
@testable import OtklikCore
import Testing

@Suite("Проверка входящего обращения")
struct CaseDraftParserTests {
    let parser = CaseDraftParser(now: try! TimeText.parseRFC3339("2026-11-21T12:00:00Z"))

    private func record(_ json: String) -> [String: JSONValue] {
        guard case .object(let o) = try! JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) else { fatalError() }
        return o
    }

    private func issues(_ json: String) -> [FieldIssue] {
        if case .invalid(let i) = parser.parse(record(json)) { return i }
        return []
    }

    @Test("Полная запись разбирается во все поля")
    func full() throws {
        let outcome = parser.parse(record("""
        {"channel":"Инцидент Менеджмент","external_id":12345,"received_at":"2026-11-20T10:00:00.700+03:00",
         "legal_regime":"appeal_59fz","title":" Яма ","text":"На дороге яма","source_url":"https://vk.com/wall-1_2",
         "platform":"VK","publication_kind":"comment",
         "author":{"name":"Пробный Житель","phone":"+7 (900) 000-00-00","email":"a@example.org","profile_url":"https://vk.com/id1"},
         "location":{"address":"ул. Лесная, 5","latitude":"56,01","longitude":92.9,"territory":"Центр"},
         "attachments":["https://example.org/1.jpg","https://example.org/1.jpg"],"source_category":"Дороги",
         "source_deadline":"2026-12-01T00:00:00Z","category":"roads","tags":["дороги"]}
        """))
        guard case .valid(let d) = outcome else { Issue.record("\(outcome)"); return }
        #expect(d.channel == .incidentManager, "канал принимается и по-русски")
        #expect(d.externalID == "12345", "числовой номер источника становится строкой")
        #expect(TimeText.formatRFC3339(d.receivedAt) == "2026-11-20T07:00:00Z")
        #expect(d.receivedAt.timeIntervalSince1970 == d.receivedAt.timeIntervalSince1970.rounded(.down), "целые секунды")
        #expect(d.legalRegime == .appeal59FZ && d.title == "Яма" && d.platform == .vk && d.publicationKind == .comment)
        #expect(d.author.phone == "+7 (900) 000-00-00" && d.location.latitude == 56.01 && d.location.territoryRef == "Центр")
        #expect(d.attachments == ["https://example.org/1.jpg"], "повторы вложений убираются")
        #expect(d.categoryRef == "roads" && d.tags == ["дороги"])
    }

    @Test("Каждая ошибка названа по полю", arguments: [
        (#"{"received_at":"2026-11-20T10:00:00Z","text":"x"}"#, ["channel"]),
        (#"{"channel":"fax","received_at":"2026-11-20T10:00:00Z","text":"x"}"#, ["channel"]),
        (#"{"channel":"pos","text":"x"}"#, ["received_at"]),
        (#"{"channel":"pos","received_at":"2026-11-20T10:00:00","text":"x"}"#, ["received_at"]),
        (#"{"channel":"pos","received_at":"2027-01-01T00:00:00Z","text":"x"}"#, ["received_at"]),
        (#"{"channel":"pos","received_at":"1999-12-31T00:00:00Z","text":"x"}"#, ["received_at"]),
        (#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"   "}"#, ["text"]),
        (#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":5}"#, ["text"]),
        (#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"x","source_url":"javascript:alert(1)"}"#, ["source_url"]),
        (#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"x","author":{"email":"нет","phone":"12"}}"#, ["author.phone", "author.email"]),
        (#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"x","location":{"latitude":56}}"#, ["location"]),
        (#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"x","location":"дом 5"}"#, ["location"]),
        (#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"x","tags":[1]}"#, ["tags[0]"]),
        (#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"x","source_deadline":"2026-11-19T10:00:00Z"}"#, ["source_deadline"]),
        (#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"x","legal_regime":"59"}"#, ["legal_regime"]),
    ])
    func errors(json: String, fields: [String]) {
        #expect(issues(json).map(\.field) == fields)
    }

    @Test("Слишком длинный текст и слишком много вложений отклоняются")
    func limits() {
        let long = String(repeating: "я", count: CaseDraft.Limits.textCharacters + 1)
        #expect(issues(#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"\#(long)"}"#).first?.reason.contains("100000") == true)
        let many = (0...CaseDraft.Limits.attachments).map { #""https://example.org/\#($0)""# }.joined(separator: ",")
        #expect(issues(#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"x","attachments":[\#(many)]}"#).map(\.field) == ["attachments"])
        // 100 000 characters exactly is still accepted.
        let max = String(repeating: "я", count: CaseDraft.Limits.textCharacters)
        #expect(issues(#"{"channel":"pos","received_at":"2026-11-20T10:00:00Z","text":"\#(max)"}"#).isEmpty)
    }

    @Test("Местные даты принимаются только когда известен часовой пояс округа")
    func localDates() {
        let json = #"{"channel":"pos","received_at":"06.01.2026 14:05","text":"x"}"#
        #expect(issues(json).map(\.field) == ["received_at"])
        let local = CaseDraftParser(now: parser.now, localTimeZone: TimeZone(identifier: "Asia/Anadyr"))
        guard case .valid(let d) = local.parse(record(json)) else { Issue.record("не принято"); return }
        #expect(TimeText.formatRFC3339(d.receivedAt) == "2026-01-06T02:05:00Z")
    }
}
