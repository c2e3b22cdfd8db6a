/// Translation tables from a foreign system's values to ours: categories, organisations and territories
/// (to ids of the municipality's books), statuses, decision types and platforms. Keys are in
/// `SearchText` normal form. The server fills the id tables from the books (by name and by path) and
/// lays the administrator's explicit entries over them; statuses, results and platforms start from the
/// defaults below, which the administrator can override value by value.
public struct ImportMappings: Sendable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case category, organisation, territory, status, result, platform
        public var title: String {
            switch self {
            case .category: "Рубрики"
            case .organisation: "Организации"
            case .territory: "Территории"
            case .status: "Статусы"
            case .result: "Типы решения"
            case .platform: "Площадки"
            }
        }
    }

    public var categories: [String: String] = [:]
    public var organisations: [String: String] = [:]
    public var territories: [String: String] = [:]
    public var statuses: [String: CaseStatus] = Self.defaultStatuses
    public var results: [String: CaseResult] = Self.defaultResults
    public var platforms: [String: Platform] = Self.defaultPlatforms

    public init() {}

    /// Lays one explicit entry over the tables; returns a reason when the target is not valid.
    public mutating func set(_ kind: Kind, foreign: String, target: String) -> String? {
        let key = SearchText.normalize(foreign)
        guard !key.isEmpty else { return "пустое значение источника" }
        switch kind {
        case .category: categories[key] = target
        case .organisation: organisations[key] = target
        case .territory: territories[key] = target
        case .status:
            guard let s = CaseStatus(rawValue: target) else { return "неизвестный статус «\(target)»" }
            statuses[key] = s
        case .result:
            guard let r = CaseResult(rawValue: target) else { return "неизвестный тип решения «\(target)»" }
            results[key] = r
        case .platform:
            guard let p = Platform(rawValue: target) else { return "неизвестная площадка «\(target)»" }
            platforms[key] = p
        }
        return nil
    }

    static func table<T>(_ pairs: [(T, [String])]) -> [String: T] {
        var out: [String: T] = [:]
        for (value, names) in pairs { for n in names { out[SearchText.normalize(n)] = value } }
        return out
    }

    /// Statuses of ПОС and «Инцидент Менеджмент» as they appear in their exports.
    public static let defaultStatuses: [String: CaseStatus] = table([
        (.new, ["Модерация", "На модерации", "Зарегистрировано", "Новое", "Новый", "Не обработано", "Поступило", "Ожидает обработки"]),
        (.inWork, ["В работе", "На рассмотрении", "Рассматривается", "Взято в работу", "Принято в работу", "Исполнение"]),
        (.assigned, ["Назначено исполнителю", "Назначено", "Передано исполнителю", "Направлено исполнителю"]),
        (.onReview, ["На согласовании", "Ответ на согласовании", "Подготовлен ответ", "Ответ подготовлен", "Проект ответа"]),
        (.returned, ["Возвращено на доработку", "На доработке"]),
        (.published, ["Ответ направлен", "Ответ дан", "Дан ответ", "Ответ опубликован", "Отвечено", "Отвечен", "Ответ отправлен"]),
        (.awaitingFeedback, ["Ожидает оценки", "Ожидание оценки"]),
        (.reopened, ["Повторное рассмотрение", "Возвращено на повторное рассмотрение", "Переоткрыто"]),
        (.closed, ["Закрыто", "Закрыт", "Завершено", "Завершен", "Решено", "Разъяснено", "Отклонено", "Отклонен",
                   "Отклонено модератором", "Снято с рассмотрения", "Архив"]),
    ])

    public static let defaultResults: [String: CaseResult] = table([
        (.resolved, ["Решено", "Решен", "Проблема решена", "Выполнено", "Меры приняты"]),
        (.explained, ["Разъяснено", "Разъяснен", "Дано разъяснение", "Разъяснение", "Консультация"]),
        (.rejected, ["Отказано", "Отклонено", "Отклонено модератором", "Отказ", "Не подлежит рассмотрению"]),
        (.forwarded, ["Переадресовано", "Перенаправлено", "Направлено по компетенции"]),
        (.duplicate, ["Дубликат", "Дубль", "Повтор"]),
    ])

    public static let defaultPlatforms: [String: Platform] = table([
        (.vk, ["ВКонтакте", "Вконтакте", "ВК", "VK", "vk.com", "VKontakte"]),
        (.ok, ["Одноклассники", "ОК", "OK", "ok.ru"]),
        (.telegram, ["Telegram", "Телеграм", "Телеграмм", "TG", "t.me"]),
        (.max, ["MAX", "Макс"]),
        (.pos, ["ПОС", "Госуслуги"]),
        (.website, ["Сайт", "Веб-сайт", "Website", "СМИ"]),
        (.email, ["Электронная почта", "E-mail", "Email"]),
        (.phone, ["Телефон"]),
        (.other, ["Другое", "Прочее", "Иное"]),
    ])
}
