import OtklikCore

/// Fictional data of the demo municipality. Every name, street, person and link here is invented;
/// the municipality is labelled «демо» everywhere it appears.
enum DemoData {
    static let regionCode = "demo"
    static let regionName = "Демонстрационный край"
    static let slug = "svetloyarsk-demo"
    static let name = "Светлоярский муниципальный округ (демо)"
    static let timeZone = "Asia/Krasnoyarsk"

    /// (key, name, short name, kind, parent key)
    static let organisations: [(String, String, String?, OrganisationKind, String?)] = [
        ("adm", "Администрация Светлоярского муниципального округа", "Администрация", .administration, nil),
        ("zhkh", "Управление жилищно-коммунального хозяйства", "УЖКХ", .department, "adm"),
        ("roads", "Отдел дорожного хозяйства и благоустройства", "ОДХБ", .department, "adm"),
        ("transport", "Отдел транспорта и связи", "ОТС", .department, "adm"),
        ("edu", "Управление образования", "УО", .department, "adm"),
        ("social", "Управление социальной защиты населения", "УСЗН", .department, "adm"),
        ("energy", "Отдел энергетики", "ОЭ", .department, "adm"),
        ("sb", "МКУ «Служба благоустройства»", "Служба благоустройства", .institution, "roads"),
        ("water", "МУП «Светлоярский водоканал»", "Водоканал", .enterprise, "zhkh"),
        ("heat", "МУП «Тепловые сети»", "Теплосети", .enterprise, "zhkh"),
        ("school1", "МБОУ «Средняя школа № 1»", "Школа № 1", .institution, "edu"),
        ("school2", "МБОУ «Средняя школа № 2»", "Школа № 2", .institution, "edu"),
        ("kinder", "МБДОУ «Детский сад „Солнышко“»", "Детский сад «Солнышко»", .institution, "edu"),
        ("tko", "ООО «Региональный оператор ТКО» (демо)", "Регоператор ТКО", .external, nil),
        ("bus", "МУП «Пассажирское автотранспортное предприятие»", "ПАТП", .enterprise, "transport"),
    ]

    /// (name, kind, latitude, longitude, streets)
    static let territories: [(String, TerritoryKind, Double, Double, [String])] = [
        ("Центральный район", .district, 56.1205, 92.9180, ["Советская", "Мира", "Центральная", "Ленинского Комсомола"]),
        ("Заречный микрорайон", .microdistrict, 56.1342, 92.9511, ["Набережная", "Речная", "Береговая"]),
        ("Северный микрорайон", .microdistrict, 56.1418, 92.9023, ["Молодёжная", "Строителей", "Северная"]),
        ("Промышленный район", .district, 56.1061, 92.9427, ["Заводская", "Промышленная", "Энергетиков"]),
        ("посёлок Сосновка", .settlement, 56.0827, 92.8712, ["Лесная", "Сосновая", "Школьная"]),
        ("село Берёзовка", .settlement, 56.1633, 92.8544, ["Полевая", "Садовая", "Колхозная"]),
        ("посёлок Ключи", .settlement, 56.0951, 93.0108, ["Ключевая", "Горная", "Озёрная"]),
    ]

    struct Fact {
        var name: String
        var texts: [String]
        /// Relative frequency among all cases.
        var weight: Int
    }
    struct Subcategory { var name: String; var organisation: String; var facts: [Fact] }
    struct Category { var name: String; var block: String; var organisation: String; var subcategories: [Subcategory] }

    static let rubricator: [Category] = [
        Category(name: "Дороги", block: "roads", organisation: "roads", subcategories: [
            Subcategory(name: "Содержание дорог", organisation: "roads", facts: [
                Fact(name: "Ямы на дороге", texts: [
                    "на дороге {place} огромные ямы, машины бьют колёса",
                    "после дождей {place} асфальт провалился, объезжаем по встречке",
                    "ямочный ремонт {place} сделали плохо, всё снова развалилось",
                ], weight: 9),
                Fact(name: "Уборка снега с дорог", texts: [
                    "{place} не чистят снег, колея по колено, автобус не может проехать",
                    "грейдер прошёл {place} и завалил снегом выезды из дворов",
                ], weight: 5),
                Fact(name: "Отсутствие дорожной разметки", texts: [
                    "стёрлась разметка на пешеходном переходе {place}, дети переходят наугад",
                ], weight: 2),
            ]),
            Subcategory(name: "Тротуары и пешеходные зоны", organisation: "sb", facts: [
                Fact(name: "Разрушенный тротуар", texts: [
                    "тротуар {place} разбит, с коляской не пройти",
                    "на тротуаре {place} стоит вода, обойти негде",
                ], weight: 4),
            ]),
        ]),
        Category(name: "Общественный транспорт", block: "transport", organisation: "transport", subcategories: [
            Subcategory(name: "Работа маршрутов", organisation: "bus", facts: [
                Fact(name: "Нарушение расписания", texts: [
                    "автобус № {n} по утрам не приходит по расписанию, люди опаздывают на работу",
                    "вечерний рейс № {n} отменили без предупреждения, как добираться домой?",
                ], weight: 5),
                Fact(name: "Состояние остановок", texts: [
                    "остановка {place} без навеса и скамейки, пожилые люди стоят под дождём",
                ], weight: 2),
            ]),
        ]),
        Category(name: "Жилищно-коммунальное хозяйство", block: "housing", organisation: "zhkh", subcategories: [
            Subcategory(name: "Водоснабжение и водоотведение", organisation: "water", facts: [
                Fact(name: "Отсутствие холодной воды", texts: [
                    "{place} нет холодной воды уже {days}, никаких объявлений не было",
                    "опять отключили воду {place}, когда дадут? подвоз воды не организован",
                ], weight: 6),
                Fact(name: "Качество питьевой воды", texts: [
                    "из крана {place} течёт ржавая вода с запахом, пить невозможно",
                ], weight: 3),
                Fact(name: "Засор канализации", texts: [
                    "во дворе {place} переполнен канализационный колодец, стоки текут по двору",
                ], weight: 2),
            ]),
            Subcategory(name: "Теплоснабжение", organisation: "heat", facts: [
                Fact(name: "Слабое отопление", texts: [
                    "в квартирах {place} холодно, батареи еле тёплые, дома +16",
                    "после начала отопительного сезона {place} так и не дали тепло",
                ], weight: 5),
            ]),
            Subcategory(name: "Управление многоквартирными домами", organisation: "zhkh", facts: [
                Fact(name: "Протечка кровли", texts: [
                    "протекает крыша в доме {place}, вода льётся на пятый этаж",
                ], weight: 3),
                Fact(name: "Уборка подъездов и дворов", texts: [
                    "в подъездах дома {place} не убирают месяц, управляющая компания не отвечает",
                ], weight: 3),
            ]),
            Subcategory(name: "Благоустройство дворов", organisation: "sb", facts: [
                Fact(name: "Детская площадка", texts: [
                    "на детской площадке {place} сломаны качели, торчат болты, дети могут травмироваться",
                ], weight: 3),
                Fact(name: "Бездомные собаки", texts: [
                    "стая собак {place} бросается на детей по дороге в школу",
                ], weight: 3),
                Fact(name: "Покос травы и сухостой", texts: [
                    "{place} трава по пояс и сухие деревья, которые могут упасть на машины",
                ], weight: 2),
            ]),
        ]),
        Category(name: "Твёрдые коммунальные отходы", block: "waste", organisation: "tko", subcategories: [
            Subcategory(name: "Вывоз ТКО", organisation: "tko", facts: [
                Fact(name: "Несвоевременный вывоз мусора", texts: [
                    "мусор {place} не вывозят {days}, контейнеры переполнены, вокруг свалка",
                    "после праздников {place} так и не вывезли мусор, бегают крысы",
                ], weight: 7),
                Fact(name: "Контейнерная площадка", texts: [
                    "контейнерная площадка {place} без ограждения, мусор разносит ветром",
                ], weight: 2),
            ]),
        ]),
        Category(name: "Образование", block: "education", organisation: "edu", subcategories: [
            Subcategory(name: "Общее образование", organisation: "edu", facts: [
                Fact(name: "Питание в школе", texts: [
                    "в школе дети жалуются на питание: холодные обеды и маленькие порции",
                ], weight: 2),
                Fact(name: "Ремонт школы", texts: [
                    "в спортзале школы протекает потолок, уроки физкультуры проходят в коридоре",
                ], weight: 2),
            ]),
            Subcategory(name: "Дошкольное образование", organisation: "kinder", facts: [
                Fact(name: "Очередь в детский сад", texts: [
                    "ребёнку три года, а места в детском саду {place} так и не дали, очередь не двигается",
                ], weight: 2),
            ]),
        ]),
        Category(name: "Социальная защита", block: "social", organisation: "social", subcategories: [
            Subcategory(name: "Меры социальной поддержки", organisation: "social", facts: [
                Fact(name: "Выплаты и льготы", texts: [
                    "подали документы на выплату многодетной семье два месяца назад, ответа нет",
                    "пенсионерке отказали в компенсации за уголь, объясните, почему",
                ], weight: 3),
            ]),
        ]),
        Category(name: "Энергетика", block: "energy", organisation: "energy", subcategories: [
            Subcategory(name: "Электроснабжение", organisation: "energy", facts: [
                Fact(name: "Отключение электроэнергии", texts: [
                    "{place} уже {days} постоянно отключают свет, сгорела техника",
                ], weight: 3),
                Fact(name: "Уличное освещение", texts: [
                    "{place} не горят фонари, вечером идти страшно",
                    "на улице {street} с осени не работает освещение, дети возвращаются из школы в темноте",
                ], weight: 5),
            ]),
        ]),
    ]

    static let openings = ["", "", "Здравствуйте! ", "Добрый день. ", "Уважаемая администрация! ", "Доброе утро. ",
                           "Обращаюсь от имени жителей. ", "Помогите, пожалуйста. "]
    static let closings = ["", " Примите меры!", " Когда это исправят?", " Просим разобраться.",
                           " Сколько можно ждать?", " Прошу ответить по существу.", " Спасибо.",
                           " Жалуемся уже не первый раз."]
    static let durations = ["третий день", "вторую неделю", "с понедельника", "целую неделю", "пятый день"]
    static let firstNames = ["Анна", "Мария", "Елена", "Ольга", "Татьяна", "Ирина", "Наталья", "Светлана",
                             "Алексей", "Сергей", "Андрей", "Дмитрий", "Михаил", "Иван", "Николай", "Владимир"]
    static let lastNames = ["Демоненко", "Пробнова", "Образцов", "Примеров", "Тестова", "Вымыслов", "Условнова",
                            "Макетов", "Черновик", "Эскизова", "Шаблонов", "Набросков"]

    /// (channel, weight, platform, publication kind)
    static let channels: [(CaseChannel, Int, [Platform], PublicationKind)] = [
        (.incidentManager, 35, [.vk, .vk, .ok, .telegram], .comment),
        (.pos, 30, [.pos], .form),
        (.regionalPlatform, 5, [.website], .form),
        (.governorPages, 3, [.vk, .telegram], .comment),
        (.manualMonitoring, 7, [.telegram, .vk], .post),
        (.officialPages, 5, [.vk, .ok], .comment),
        (.hotline, 6, [.phone], .call),
        (.email, 4, [.email], .letter),
        (.personalReception, 1, [.other], .visit),
        (.webForm, 2, [.website], .form),
        (.telegramBot, 2, [.telegram], .directMessage),
        (.open311, 1, [.website], .form),
    ]

    /// (login suffix, full name, role, organisation key, block code)
    static let users: [(String, String, Role, String?, String?)] = [
        ("head", "Глава округа (демо)", .head, nil, nil),
        ("curator", "Куратор МЦУ (демо)", .curator, nil, nil),
        ("coordinator", "Координатор МЦУ (демо)", .coordinator, nil, nil),
        ("mcu", "Руководитель МЦУ (демо)", .mcuHead, nil, nil),
        ("admin", "Администратор МЦУ (демо)", .administrator, nil, nil),
        ("pos", "Ответственный за ПОС (демо)", .channelOperator, nil, nil),
        ("im", "Ответственный за «Инцидент Менеджмент» (демо)", .channelOperator, nil, nil),
        ("risk", "Ответственный за инфориски (демо)", .riskOfficer, nil, nil),
        ("analyst", "Аналитик МЦУ (демо)", .analyst, nil, nil),
        ("editor", "Редактор / SMM (демо)", .editor, nil, nil),
        ("block.housing", "Руководитель блока ЖКХ (демо)", .blockLead, nil, "housing"),
        ("block.roads", "Руководитель блока «Дороги» (демо)", .blockLead, nil, "roads"),
        ("orghead.zhkh", "Начальник УЖКХ (демо)", .organisationHead, "zhkh", nil),
        ("exec.zhkh", "Исполнитель УЖКХ (демо)", .executor, "zhkh", nil),
        ("exec.water", "Исполнитель Водоканала (демо)", .executor, "water", nil),
        ("exec.roads", "Исполнитель ОДХБ (демо)", .executor, "roads", nil),
        ("exec.school1", "Исполнитель школы № 1 (демо)", .executor, "school1", nil),
    ]

    /// Answer templates a centre typically keeps (fictional wording).
    static let answerTemplates: [(String, String)] = [
        ("Первичный ответ: принято в работу",
         "Здравствуйте, {{имя}}! Ваше обращение №{{номер}} принято в работу и передано в {{организация}}. Ответ будет дан до {{срок}}."),
        ("Ответ: работы выполнены",
         "Уважаемый(ая) {{имя}}! По вашему обращению №{{номер}} от {{дата}} по адресу {{адрес}} работы выполнены. "
            + "Благодарим за неравнодушие. {{исполнитель}}, {{организация}}."),
        ("Ответ: работы запланированы",
         "Уважаемый(ая) {{имя}}! По вашему обращению №{{номер}} сообщаем: работы по адресу {{адрес}} включены в план и будут "
            + "выполнены в ближайшее время. {{организация}}."),
    ]
}
