/// Every role named in the decrees (see PRODUCT.md), plus the deployment's own administrator.
public enum Role: String, CaseIterable, Sendable, Codable {
    case platformAdmin = "platform_admin"      // runs the deployment: regions and municipalities
    case regionalCentre = "regional_centre"    // ЦУР: reads every municipality of its region
    case head                                  // Глава муниципального образования
    case curator                               // Куратор МЦУ
    case coordinator                           // Координатор МЦУ
    case mcuHead = "mcu_head"                  // Руководитель МЦУ
    case administrator                         // Администратор МЦУ / технический оператор
    case channelOperator = "channel_operator"  // Ответственный за ПОС / «Инцидент Менеджмент»
    case riskOfficer = "risk_officer"          // Ответственный за инфориски и госпаблики
    case analyst
    case editor                                // Редактор / SMM-менеджер
    case blockLead = "block_lead"              // Руководитель отраслевого блока
    case organisationHead = "organisation_head" // руководитель ответственного получателя
    case executor                              // исполнитель ответственного получателя

    public var title: String {
        switch self {
        case .platformAdmin: "Администратор платформы"
        case .regionalCentre: "Региональный центр (ЦУР)"
        case .head: "Глава муниципального образования"
        case .curator: "Куратор МЦУ"
        case .coordinator: "Координатор МЦУ"
        case .mcuHead: "Руководитель МЦУ"
        case .administrator: "Администратор МЦУ"
        case .channelOperator: "Ответственный за ПОС / «Инцидент Менеджмент»"
        case .riskOfficer: "Ответственный за инфориски и госпаблики"
        case .analyst: "Аналитик"
        case .editor: "Редактор / SMM-менеджер"
        case .blockLead: "Руководитель отраслевого блока"
        case .organisationHead: "Руководитель ответственного получателя"
        case .executor: "Исполнитель"
        }
    }

    public enum Scope: Sendable { case platform, region, municipality }

    public var scope: Scope {
        switch self {
        case .platformAdmin: .platform
        case .regionalCentre: .region
        default: .municipality
        }
    }

    /// Roles whose assignment names the organisation the holder works for; it limits what they see.
    public var requiresOrganisation: Bool { self == .executor || self == .organisationHead }
    /// A block lead's assignment names the block they lead.
    public var requiresBlock: Bool { self == .blockLead }

    /// Personal data (author's name and contacts) only for roles that answer the author.
    public var seesPersonalData: Bool {
        switch self {
        case .mcuHead, .channelOperator, .riskOfficer, .editor, .organisationHead, .executor: true
        default: false
        }
    }

    /// Roles that may register cases by hand or through the API.
    public var mayRegisterCases: Bool {
        switch self {
        case .mcuHead, .administrator, .channelOperator, .riskOfficer: true
        default: false
        }
    }

    /// Roles that manage a municipality's reference books, users and tokens.
    public var administersMunicipality: Bool { self == .administrator || self == .platformAdmin }

    /// Roles limited to the cases of their own organisation (and its subdivisions).
    public var limitedToOwnOrganisation: Bool { requiresOrganisation }
}
