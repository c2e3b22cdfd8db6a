/// Maps the header of a case CSV file to record fields. Columns are found by name (the API's field
/// names or their Russian equivalents), never by position, so column order does not matter.
public struct CaseCSVHeader: Sendable {
    /// For each column, the record key path it fills (nil for an unknown column).
    public let keys: [[String]?]
    public let unknownColumns: [String]
    public let missingRequired: [String]

    static let aliases: [String: [String]] = {
        let table: [([String], [String])] = [
            (["channel"], ["channel", "канал"]),
            (["external_id"], ["external_id", "внешний номер", "номер в источнике", "номер", "id"]),
            (["received_at"], ["received_at", "дата поступления", "поступило"]),
            (["legal_regime"], ["legal_regime", "правовой режим", "режим"]),
            (["title"], ["title", "заголовок", "тема"]),
            (["text"], ["text", "текст", "текст сообщения", "текст обращения"]),
            (["source_url"], ["source_url", "ссылка", "ссылка на источник"]),
            (["platform"], ["platform", "платформа", "социальная сеть"]),
            (["publication_kind"], ["publication_kind", "вид публикации"]),
            (["author", "name"], ["author_name", "author.name", "автор", "заявитель", "фио заявителя"]),
            (["author", "phone"], ["author_phone", "author.phone", "телефон", "телефон заявителя"]),
            (["author", "email"], ["author_email", "author.email", "email", "e-mail", "электронная почта"]),
            (["author", "profile_url"], ["author_profile_url", "author.profile_url", "профиль автора"]),
            (["location", "address"], ["address", "location.address", "адрес"]),
            (["location", "latitude"], ["latitude", "lat", "location.latitude", "широта"]),
            (["location", "longitude"], ["longitude", "lon", "lng", "location.longitude", "долгота"]),
            (["location", "territory"], ["territory", "location.territory", "территория", "населенный пункт"]),
            (["attachments"], ["attachments", "вложения"]),
            (["source_category"], ["source_category", "категория источника"]),
            (["source_deadline"], ["source_deadline", "срок источника", "срок в источнике"]),
            (["category"], ["category", "категория", "рубрика"]),
            (["tags"], ["tags", "теги", "метки"]),
            (["urgent"], ["urgent", "срочно", "срочное", "срочность"]),
        ]
        var out: [String: [String]] = [:]
        for (path, names) in table { for name in names { out[SearchText.normalize(name)] = path } }
        return out
    }()

    /// - Parameter channelGiven: true when the importer supplies a default channel for rows without one.
    public init(columns: [String], channelGiven: Bool = false) {
        var keys: [[String]?] = []
        var unknown: [String] = []
        for column in columns {
            let name = SearchText.normalize(column.replacingOccurrences(of: "\u{FEFF}", with: ""))
            if let path = Self.aliases[name], !keys.contains(where: { $0 == path }) {
                keys.append(path)
            } else {
                keys.append(nil)
                if !name.isEmpty { unknown.append(column) }
            }
        }
        var required = ["text", "received_at"]
        if !channelGiven { required.insert("channel", at: 0) }
        self.keys = keys
        self.unknownColumns = unknown
        self.missingRequired = required.filter { r in !keys.contains { $0 == [r] } }
    }

    /// Builds the record of one row; cells beyond the header are ignored, missing cells are absent.
    public func record(from fields: [String]) -> [String: JSONValue] {
        var record: [String: JSONValue] = [:]
        for (index, path) in keys.enumerated() {
            guard let path, index < fields.count else { continue }
            let value = fields[index]
            if path.count == 1 {
                record[path[0]] = .string(value)
            } else {
                var nested: [String: JSONValue] = [:]
                if case .object(let existing)? = record[path[0]] { nested = existing }
                nested[path[1]] = .string(value)
                record[path[0]] = .object(nested)
            }
        }
        return record
    }
}
