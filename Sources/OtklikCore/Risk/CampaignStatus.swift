/// A preventive campaign on a socially significant topic (decree 001, §3), from plan to result.
public enum CampaignStatus: String, CaseIterable, Sendable, Codable {
    case planned, preparing, running, done, cancelled

    public var title: String {
        switch self {
        case .planned: "запланирована"
        case .preparing: "готовится"
        case .running: "идёт"
        case .done: "проведена"
        case .cancelled: "отменена"
        }
    }

    public var isOpen: Bool { self == .planned || self == .preparing || self == .running }
}

/// A post of the content plan of the official pages.
public enum ContentPostStatus: String, CaseIterable, Sendable, Codable {
    case planned, published, cancelled

    public var title: String {
        switch self {
        case .planned: "запланирован"
        case .published: "опубликован"
        case .cancelled: "отменён"
        }
    }
}
