/// How to read one kind of foreign export: which header carries which field (several spellings each,
/// since exports drift between versions), which other columns to keep as the source's own data, and
/// the channel the cases belong to. Columns are always found by header name, never by position.
public struct ImportProfile: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case pos, incident, generic
        public var title: String {
            switch self {
            case .pos: "Выгрузка сообщений ПОС"
            case .incident: "Выгрузка «Инцидент Менеджмент»"
            case .generic: "Произвольная таблица"
            }
        }
    }

    public var name: String
    public var kind: Kind
    public var channel: CaseChannel
    /// Field raw value → accepted headers, in order of preference.
    public var columns: [String: [String]]
    /// Headers stored with the case as «данные источника» (shown on the card, compared on re-import).
    public var keep: [String]
    /// Cell values that mean "empty" in this export.
    public var emptyMarkers: [String]

    public init(name: String, kind: Kind, channel: CaseChannel, columns: [ImportField: [String]], keep: [String] = [],
                emptyMarkers: [String] = ["-", "—", "–"]) {
        self.name = name; self.kind = kind; self.channel = channel
        self.columns = Dictionary(uniqueKeysWithValues: columns.map { ($0.key.rawValue, $0.value) })
        self.keep = keep; self.emptyMarkers = emptyMarkers
    }

    public func headers(for field: ImportField) -> [String] { columns[field.rawValue] ?? [] }

    /// Fields a file must have columns for. The source number is what makes re-import safe; an export
    /// without one is keyed by the publication link when the profile maps one (see `HeaderLayout`).
    public var requiredFields: [ImportField] {
        kind == .generic ? [.externalID, .receivedAt, .text] : [.externalID, .receivedAt]
    }

    /// Problems with the profile itself, for its editor.
    public func validationIssues() -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if name.trimmed.isEmpty { issues.append(FieldIssue("name", "укажите название профиля")) }
        if name.count > 200 { issues.append(FieldIssue("name", "название длиннее 200 символов")) }
        for key in columns.keys where ImportField(rawValue: key) == nil {
            issues.append(FieldIssue("columns.\(key)", "неизвестное поле «\(key)»"))
        }
        if headers(for: .externalID).isEmpty && headers(for: .sourceURL).isEmpty {
            issues.append(FieldIssue("columns.external_id", "укажите столбец с номером в источнике (или ссылку): без него повторная загрузка создаст дубликаты"))
        }
        if headers(for: .receivedAt).isEmpty {
            issues.append(FieldIssue("columns.received_at", "укажите столбец с датой поступления"))
        }
        if headers(for: .text).isEmpty && headers(for: .category).isEmpty && headers(for: .fact).isEmpty {
            issues.append(FieldIssue("columns.text", "укажите столбец с текстом (или хотя бы с рубрикой)"))
        }
        var seen: [String: String] = [:]
        for (key, names) in columns {
            for name in names {
                let norm = SearchText.normalize(name)
                if norm.isEmpty { issues.append(FieldIssue("columns.\(key)", "пустое название столбца")); continue }
                if let other = seen[norm], other != key {
                    issues.append(FieldIssue("columns.\(key)", "столбец «\(name)» уже назначен полю «\(ImportField(rawValue: other)?.title ?? other)»"))
                }
                seen[norm] = key
            }
        }
        return issues
    }
}

extension ImportProfile {
    /// The header row of the ПОС «Выгрузка сообщений» report, in ПОС's order (fixtures and the benchmark
    /// write exports with it; the profile below finds each column by name, whatever the order).
    public static let posExportHeaders = [
        "Номер", "Номер ЕПГУ", "Источник", "Верхнеуровневый ЛКО", "Категория", "Подкатегория", "Факт",
        "Организация, в которую поступило сообщение", "Организация, в которой находится сообщение",
        "Дата поступления", "Дата планируемого завершения работ", "Дата фактического завершения работ",
        "Стадия", "Статус", "Просрочено", "Фаст-трек", "ФЗ", "Заявитель выбрал подачу по 59-ФЗ",
        "Тип решения", "Оценка ответа заявителем", "Повторное рассмотрение", "ФИО координатора",
        "ФИО исполнителя", "ФИО руководителя",
    ]

    /// The ПОС message export as ПОС writes it (headers of the «Выгрузка сообщений» report).
    public static let pos = ImportProfile(
        name: "ПОС: выгрузка сообщений", kind: .pos, channel: .pos,
        columns: [
            .externalID: ["Номер"],
            .receivedAt: ["Дата поступления"],
            .text: ["Текст сообщения", "Текст", "Описание проблемы", "Содержание"],
            .title: ["Заголовок", "Тема сообщения"],
            .category: ["Категория"],
            .subcategory: ["Подкатегория"],
            .fact: ["Факт"],
            .organisation: ["Организация, в которой находится сообщение"],
            .address: ["Адрес", "Адрес проблемы"],
            .latitude: ["Широта"],
            .longitude: ["Долгота"],
            .authorName: ["Заявитель", "ФИО заявителя"],
            .authorPhone: ["Телефон заявителя"],
            .authorEmail: ["Электронная почта заявителя"],
            .appeal59: ["Заявитель выбрал подачу по 59-ФЗ", "ФЗ"],
            .urgent: ["Фаст-трек"],
            .plannedAt: ["Дата планируемого завершения работ"],
            .completedAt: ["Дата фактического завершения работ"],
            .status: ["Статус"],
            .result: ["Тип решения"],
            .rating: ["Оценка ответа заявителем"],
        ],
        keep: ["Номер ЕПГУ", "Источник", "Верхнеуровневый ЛКО", "Организация, в которую поступило сообщение",
               "Организация, в которой находится сообщение", "Стадия", "Статус", "Просрочено", "Фаст-трек", "ФЗ",
               "Заявитель выбрал подачу по 59-ФЗ", "Тип решения", "Оценка ответа заявителем",
               "Повторное рассмотрение", "ФИО координатора", "ФИО исполнителя", "ФИО руководителя",
               "Дата планируемого завершения работ", "Дата фактического завершения работ"]
    )

    /// The social-network incident export of «Инцидент Менеджмент».
    public static let incident = ImportProfile(
        name: "Инцидент Менеджмент: выгрузка инцидентов", kind: .incident, channel: .incidentManager,
        columns: [
            .externalID: ["ID инцидента", "Номер инцидента", "ID"],
            .receivedAt: ["Дата создания", "Дата публикации", "Дата поступления"],
            .text: ["Текст инцидента", "Текст сообщения", "Текст"],
            .sourceURL: ["Ссылка на публикацию", "Ссылка"],
            .platform: ["Социальная сеть", "Соцсеть"],
            .authorName: ["Автор"],
            .authorProfileURL: ["Ссылка на автора", "Профиль автора"],
            .category: ["Группа тем"],
            .subcategory: ["Тема"],
            .organisation: ["Ведомство", "Ответственное ведомство"],
            .territory: ["Населённый пункт", "Территория"],
            .plannedAt: ["Срок ответа"],
            .completedAt: ["Дата ответа", "Дата закрытия"],
            .status: ["Статус"],
        ],
        keep: ["Муниципальное образование", "Ведомство", "Статус", "Группа тем", "Тема", "Дата ответа", "Срок ответа"]
    )

    /// The starting point of an administrator's own profile: API field names and their Russian titles.
    public static let generic = ImportProfile(
        name: "Произвольная таблица", kind: .generic, channel: .manualMonitoring,
        columns: [
            .externalID: ["Номер", "Внешний номер"],
            .receivedAt: ["Дата поступления", "Дата"],
            .text: ["Текст"],
            .category: ["Категория", "Рубрика"],
            .address: ["Адрес"],
            .authorName: ["Автор"],
            .sourceURL: ["Ссылка"],
        ]
    )

    public static let builtIn: [ImportProfile] = [.pos, .incident]
}
