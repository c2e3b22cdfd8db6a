/// The posts of the alert chat («МЦУ-ПИЛОТ», decree 001) about information risks. The decree fixes the
/// report of an отработка: the response text with the platforms where it is placed, then the links to
/// the publications. The other posts follow the same plan: what happened, the risk, the details.
public enum RiskAlertText {
    /// What every post names.
    public struct Risk: Sendable {
        public var number: Int
        public var title: String
        public var municipality: String
        public var criticality: RiskCriticality
        /// Local time, already formatted: «07.12.2026 15:30».
        public var reactionDue: String?
        /// Where the card is, when the deployment has a public address.
        public var link: String?

        public init(number: Int, title: String, municipality: String, criticality: RiskCriticality, reactionDue: String? = nil, link: String? = nil) {
            self.number = number
            self.title = title
            self.municipality = municipality
            self.criticality = criticality
            self.reactionDue = reactionDue
            self.link = link
        }
    }

    public struct Source: Sendable {
        public var platform: String
        public var community: String?
        public var reach: Int?
        public var url: String

        public init(platform: String, community: String? = nil, reach: Int? = nil, url: String) {
            self.platform = platform
            self.community = community
            self.reach = reach
            self.url = url
        }
    }

    /// Telegram refuses messages over 4096 characters.
    public static let limit = 4_096

    public static func detected(_ r: Risk, description: String, topic: String?, territory: String?, responsible: String?,
                                sources: [Source]) -> String {
        var lines = ["\(r.criticality.mark) Новый информационный риск №\(r.number) · \(r.municipality)",
                     "Критичность: \(r.criticality.title)" + (r.reactionDue.map { " · первая реакция до \($0)" } ?? ""),
                     r.title]
        if !description.isEmpty { lines.append(clip(description, 800)) }
        let place = [topic.map { "Тема: \($0)" }, territory.map { "Территория: \($0)" }].compactMap { $0 }
        if !place.isEmpty { lines.append(place.joined(separator: " · ")) }
        if let responsible { lines.append("Ответственный: \(responsible)") }
        lines.append("Источники:")
        for (i, s) in sources.enumerated() {
            let about = [s.platform, s.community, s.reach.map { "охват \(grouped($0))" }].compactMap { $0 }.joined(separator: " · ")
            lines.append("\(i + 1). \(about) — \(s.url)")
        }
        return finish(lines, r)
    }

    public static func criticalityChanged(_ r: Risk, from old: RiskCriticality, reason: String) -> String {
        finish(["\(r.criticality.mark) Риск №\(r.number): критичность \(old.title) → \(r.criticality.title) · \(r.municipality)",
                "«\(r.title)»",
                "Причина: \(clip(reason, 800))"] + (r.reactionDue.map { ["Первая реакция до \($0)"] } ?? []), r)
    }

    /// Decree 001's report: the response text with its platforms, then the links to the publications.
    public static func published(_ r: Risk, response: String, platforms: [String], links: [String]) -> String {
        var lines = ["✅ Отработка информационного риска №\(r.number) · \(r.municipality)",
                     "«\(r.title)»",
                     "Текст отработки:",
                     clip(response, 2_500),
                     "Площадки: \(platforms.joined(separator: "; "))",
                     "Публикации:"]
        lines += links.enumerated().map { "\($0.offset + 1). \($0.element)" }
        return finish(lines, r)
    }

    public static func closed(_ r: Risk, summary: String, last: RiskSnapshot?, lastAt: String?) -> String {
        var lines = ["☑️ Риск №\(r.number) отработан · \(r.municipality)", "«\(r.title)»"]
        if !summary.isEmpty { lines.append("Итог: \(clip(summary, 800))") }
        if let last {
            lines.append("Последний замер" + (lastAt.map { " (\($0))" } ?? "")
                         + ": публикаций \(grouped(last.publications)), комментариев \(grouped(last.comments)), негативных \(last.negativePercent) %.")
        }
        return finish(lines, r)
    }

    public static func escalated(_ r: Risk, to whom: String, reason: String) -> String {
        finish(["⛔ Риск №\(r.number) эскалирован: \(whom) · \(r.municipality)", "«\(r.title)»", "Причина: \(clip(reason, 800))"], r)
    }

    public static func reopened(_ r: Risk, reason: String) -> String {
        finish(["↩️ Риск №\(r.number) возвращён в работу · \(r.municipality)", "«\(r.title)»", "Причина: \(clip(reason, 800))"], r)
    }

    /// A season of a recurring threat is near: time to prepare a preventive campaign.
    public static func seasonNear(threat: String, season: String, startDate: String, days: Int, municipality: String) -> String {
        let when = days <= 0 ? "начинается сегодня" : "начнётся через " + RussianPlural.count(days, one: "день", few: "дня", many: "дней")
        return ["📅 Сезонная угроза «\(threat)» · \(municipality)",
                "Сезон \(season) \(when) (\(startDate)).",
                "Подготовьте превентивную кампанию."].joined(separator: "\n")
    }

    /// A preventive campaign is planned: the topic goes to the chat (decree 001, §3).
    public static func campaign(title: String, goal: String, dates: String, channels: [String], municipality: String, link: String?) -> String {
        var lines = ["📣 Превентивная кампания «\(title)» · \(municipality)", "Цель: \(clip(goal, 800))", "Сроки: \(dates)"]
        if !channels.isEmpty { lines.append("Каналы: \(channels.joined(separator: "; "))") }
        if let link { lines.append("Карточка кампании: \(link)") }
        return lines.joined(separator: "\n")
    }

    /// 12 000 — thin spaces are not typed by anyone, a plain one reads well in a chat.
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(" ") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func clip(_ text: String, _ n: Int) -> String {
        let t = text.trimmed
        return t.count <= n ? t : String(t.prefix(n - 1)) + "…"
    }

    private static func finish(_ lines: [String], _ r: Risk) -> String {
        let text = (lines + (r.link.map { ["Карточка риска: \($0)"] } ?? [])).joined(separator: "\n")
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
