/// Where a case came from. Stored as the raw value; the Russian title is what users see.
public enum CaseChannel: String, CaseIterable, Sendable, Codable {
    case pos                        // Платформа обратной связи (Госуслуги)
    case incidentManager = "incident_manager"  // «Инцидент Менеджмент» (social networks)
    case regionalPlatform = "regional_platform"
    case governorPages = "governor_pages"
    case manualMonitoring = "manual_monitoring"
    case officialPages = "official_pages"      // госпаблики
    case hotline
    case email
    case personalReception = "personal_reception"
    case webForm = "web_form"
    case telegramBot = "telegram_bot"
    case open311

    public var title: String {
        switch self {
        case .pos: "ПОС"
        case .incidentManager: "Инцидент Менеджмент"
        case .regionalPlatform: "Региональная платформа"
        case .governorPages: "Страницы губернатора"
        case .manualMonitoring: "Ручной мониторинг пабликов и чатов"
        case .officialPages: "Госпаблики"
        case .hotline: "Горячая линия"
        case .email: "Электронная почта"
        case .personalReception: "Личный приём"
        case .webForm: "Веб-форма центра"
        case .telegramBot: "Telegram-бот"
        case .open311: "Open311"
        }
    }

    /// Accepts the raw value and, for people typing CSV files by hand, the Russian title.
    public init?(flexible text: String) {
        let key = text.trimmed
        if let exact = CaseChannel(rawValue: key.lowercased()) { self = exact; return }
        let folded = SearchText.normalize(key)
        guard let match = CaseChannel.allCases.first(where: { SearchText.normalize($0.title) == folded }) else {
            return nil
        }
        self = match
    }
}
