import Foundation

/// The residents' reaction to a risk, measured by hand or by a connector: totals as seen at one moment
/// (publications on the story, comments under them, the share of negative comments, reach).
public struct RiskSnapshot: Sendable, Equatable {
    public var at: Date
    public var publications: Int
    public var comments: Int
    /// Percent of negative comments, 0…100.
    public var negativePercent: Int
    public var reach: Int?

    public init(at: Date, publications: Int, comments: Int, negativePercent: Int, reach: Int? = nil) {
        self.at = at
        self.publications = publications
        self.comments = comments
        self.negativePercent = negativePercent
        self.reach = reach
    }

    /// Negative comments, rounded to the nearest.
    public var negativeComments: Int { (comments * negativePercent + 50) / 100 }

    /// Checks what a person typed; Russian reasons per field.
    public static func issues(publications: Int, comments: Int, negativePercent: Int, reach: Int?) -> [FieldIssue] {
        var out: [FieldIssue] = []
        if publications < 0 { out.append(FieldIssue("publications", "число публикаций не может быть отрицательным")) }
        if comments < 0 { out.append(FieldIssue("comments", "число комментариев не может быть отрицательным")) }
        if !(0...100).contains(negativePercent) { out.append(FieldIssue("negative_percent", "доля негативных комментариев — от 0 до 100 %")) }
        if let reach, reach < 0 { out.append(FieldIssue("reach", "охват не может быть отрицательным")) }
        return out
    }
}

/// Decree 001: a risk is «отработан» when the story spreads no further and the social reaction is not
/// negative. Measured between the last two snapshots after the response was published: no new
/// publications and no new negative comments. One snapshot cannot show that spreading stopped.
public enum RiskReaction: Sendable, Equatable {
    case calm
    case growing(newPublications: Int, newNegativeComments: Int)
    case notEnoughData

    public static func assess(_ snapshots: [RiskSnapshot], publishedAt: Date?) -> RiskReaction {
        let sorted = snapshots.sorted { $0.at < $1.at }
        guard let publishedAt else { return .notEnoughData }
        let after = sorted.filter { $0.at >= publishedAt }
        guard let last = after.last else { return .notEnoughData }
        // The baseline is the snapshot just before the last one, even when taken before publication.
        guard let index = sorted.lastIndex(of: last), index > 0 else { return .notEnoughData }
        let previous = sorted[index - 1]
        let spread = max(0, last.publications - previous.publications)
        let negative = max(0, last.negativeComments - previous.negativeComments)
        return spread == 0 && negative == 0 ? .calm : .growing(newPublications: spread, newNegativeComments: negative)
    }

    /// Why a risk cannot be closed, or nil when it can.
    public var closingRefusal: String? {
        switch self {
        case .calm: nil
        case .notEnoughData:
            "Нельзя закрыть риск как отработанный: нужны хотя бы два замера реакции, последний — после публикации отработки, чтобы было видно, что распространение остановилось."
        case .growing(let p, let n):
            "Нельзя закрыть риск как отработанный: реакция растёт — с прошлого замера "
                + [p > 0 ? "+" + RussianPlural.count(p, one: "публикация", few: "публикации", many: "публикаций") : nil,
                   n > 0 ? "+" + RussianPlural.count(n, one: "негативный комментарий", few: "негативных комментария", many: "негативных комментариев") : nil]
                .compactMap { $0 }.joined(separator: ", ")
                + ". Внесите новый замер, когда распространение остановится, или эскалируйте риск."
        }
    }
}
