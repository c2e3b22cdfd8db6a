/// A place in the personal composition of the МЦУ (decrees 001, 004): who the centre is made of.
/// Not the same as a user's access role: a member may have no account, and an account holder is not
/// necessarily a member.
public enum CentreRole: String, CaseIterable, Sendable, Codable {
    case curator, coordinator, head
    case channelResponsible = "channel_responsible"
    case blockLead = "block_lead"
    case member
    /// Invited to meetings by the centre, with a vote only if the centre says so (decree 004 §3.1).
    case expert

    public var title: String {
        switch self {
        case .curator: "куратор МЦУ"
        case .coordinator: "координатор МЦУ"
        case .head: "руководитель МЦУ"
        case .channelResponsible: "ответственный по каналу"
        case .blockLead: "руководитель отраслевого блока"
        case .member: "член МЦУ"
        case .expert: "приглашённый эксперт"
        }
    }

    /// Held by one person at a time.
    public var isSingle: Bool { self == .curator || self == .coordinator || self == .head }
    /// The order of the decrees' appendices: leadership first.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }

    public init?(text: String) {
        let t = text.trimmed.lowercased()
        guard let r = Self.allCases.first(where: { $0.rawValue == t || $0.title == t }) else { return nil }
        self = r
    }
}

/// The composition on a given day, and who chairs: the curator holds the meetings; in the curator's
/// absence the МЦУ head does (decree 004 §3.2), or the substitute named on the curator's entry.
public struct Composition: Sendable {
    public struct Member: Sendable, Equatable {
        public var id: String
        public var fullName: String
        public var position: String
        public var role: CentreRole
        public var from: LocalDay
        public var to: LocalDay?
        public var substituteID: String?

        public init(id: String, fullName: String, position: String, role: CentreRole, from: LocalDay, to: LocalDay?, substituteID: String? = nil) {
            self.id = id; self.fullName = fullName; self.position = position; self.role = role
            self.from = from; self.to = to; self.substituteID = substituteID
        }

        public func serves(on day: LocalDay) -> Bool { from <= day && (to.map { day <= $0 } ?? true) }
    }

    public var members: [Member]
    public init(_ members: [Member]) { self.members = members }

    /// Members serving on `day`, in the appendices' order (role, then name).
    public func on(_ day: LocalDay) -> [Member] {
        members.filter { $0.serves(on: day) }.sorted { ($0.role.rank, $0.fullName) < ($1.role.rank, $1.fullName) }
    }

    /// Who chairs a meeting on `day` when the members in `absent` are away.
    public func chair(on day: LocalDay, absent: Set<String>) -> Member? {
        let serving = on(day)
        guard let curator = serving.first(where: { $0.role == .curator }) else {
            return serving.first { $0.role == .head && !absent.contains($0.id) }
        }
        if !absent.contains(curator.id) { return curator }
        if let sub = curator.substituteID, let s = serving.first(where: { $0.id == sub }), !absent.contains(s.id) { return s }
        return serving.first { $0.role == .head && !absent.contains($0.id) }
    }

    /// A single role held by two people on overlapping days: the other entry, or nil.
    public func conflict(with candidate: Member) -> Member? {
        guard candidate.role.isSingle else { return nil }
        return members.first { m in
            m.id != candidate.id && m.role == candidate.role
                && m.from <= (candidate.to ?? LocalDay(year: 2100, month: 12, day: 31)!)
                && candidate.from <= (m.to ?? LocalDay(year: 2100, month: 12, day: 31)!)
        }
    }

    /// The printable composition, as the decrees' appendices: «Фамилия И.О. — должность, роль».
    public static func docx(municipality: String, day: LocalDay, members: [Member], basis: String?) -> DOCXWriter {
        var blocks: [DOCXWriter.Block] = [
            .title("Состав муниципального центра управления"),
            .paragraph(municipality, bold: true),
            .paragraph("по состоянию на \(day.russian)" + (basis.map { " (\($0))" } ?? "")),
        ]
        let rows = members.map { m in [m.fullName, "—", m.position.isEmpty ? m.role.title : "\(m.position), \(m.role.title)"] }
        blocks.append(rows.isEmpty ? .paragraph("Состав не утверждён: в Отклике нет действующих членов МЦУ на эту дату.")
                                   : .table(header: ["Фамилия, инициалы", "", "Должность, роль в МЦУ"], rows: rows, widths: [4, 1, 9]))
        return DOCXWriter(title: "Состав МЦУ: \(municipality)", author: "Отклик", blocks: blocks)
    }
}
