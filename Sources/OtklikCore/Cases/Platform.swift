/// The platform a publication lives on (a channel such as «Инцидент Менеджмент» spans several).
public enum Platform: String, CaseIterable, Sendable, Codable {
    case vk, ok, telegram, max, pos, website, email, phone, other

    public var title: String {
        switch self {
        case .vk: "ВКонтакте"
        case .ok: "Одноклассники"
        case .telegram: "Telegram"
        case .max: "MAX"
        case .pos: "ПОС (Госуслуги)"
        case .website: "Сайт"
        case .email: "Электронная почта"
        case .phone: "Телефон"
        case .other: "Другое"
        }
    }
}
