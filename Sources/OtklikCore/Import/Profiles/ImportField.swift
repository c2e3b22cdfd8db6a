/// What a column of a foreign export can fill in Otklik. A mapping profile names, for each field, the
/// header(s) that carry it; everything else the profile keeps goes to the case's «данные источника».
public enum ImportField: String, CaseIterable, Sendable, Codable {
    case externalID = "external_id"
    case receivedAt = "received_at"
    case text
    case title
    case category
    case subcategory
    case fact
    case organisation
    case territory
    case address
    case latitude
    case longitude
    case sourceURL = "source_url"
    case platform
    case authorName = "author_name"
    case authorPhone = "author_phone"
    case authorEmail = "author_email"
    case authorProfileURL = "author_profile_url"
    case appeal59 = "appeal_59fz"
    case urgent
    case plannedAt = "planned_at"
    case completedAt = "completed_at"
    case status
    case result
    case rating

    public var title: String {
        switch self {
        case .externalID: "Номер в источнике"
        case .receivedAt: "Дата поступления"
        case .text: "Текст"
        case .title: "Заголовок"
        case .category: "Категория (рубрика)"
        case .subcategory: "Подкатегория"
        case .fact: "Факт"
        case .organisation: "Ответственная организация"
        case .territory: "Территория"
        case .address: "Адрес"
        case .latitude: "Широта"
        case .longitude: "Долгота"
        case .sourceURL: "Ссылка на источник"
        case .platform: "Социальная сеть / площадка"
        case .authorName: "Автор"
        case .authorPhone: "Телефон автора"
        case .authorEmail: "Эл. почта автора"
        case .authorProfileURL: "Профиль автора"
        case .appeal59: "Обращение по 59-ФЗ (да/нет)"
        case .urgent: "Срочно / фаст-трек (да/нет)"
        case .plannedAt: "Плановая дата завершения"
        case .completedAt: "Фактическая дата завершения"
        case .status: "Статус в источнике"
        case .result: "Тип решения"
        case .rating: "Оценка автора (1–5)"
        }
    }

    /// Fields whose values are yes/no flags.
    public var isFlag: Bool { self == .appeal59 || self == .urgent }
}
