/// What a municipality's classifier learns to suggest: each is trained on its own from the closed cases.
public enum LabelTarget: String, CaseIterable, Sendable, Codable {
    case category
    case block
    case organisation

    public var title: String {
        switch self {
        case .category: "Категория"
        case .block: "Тематический блок"
        case .organisation: "Ответственная организация"
        }
    }

    /// The case column holding the label.
    public var column: String {
        switch self {
        case .category: "category_id"
        case .block: "block_id"
        case .organisation: "organisation_id"
        }
    }
}

/// When a suggestion is applied without a person: only above the municipality's threshold, and only where
/// the case has no value yet (a person's or a rule's choice is never overwritten).
public struct AutoApplyPolicy: Sendable, Equatable {
    public var enabled: Bool
    /// Calibrated confidence, 0.5…0.99.
    public var threshold: Double

    public static let thresholdRange = 0.5...0.99
    public static let `default` = AutoApplyPolicy(enabled: true, threshold: 0.9)

    public init(enabled: Bool, threshold: Double) {
        self.enabled = enabled
        self.threshold = threshold
    }

    /// The label to apply, if any.
    public func choice(_ suggestions: [TextSuggestion], current: String?) -> TextSuggestion? {
        guard enabled, current == nil, let best = suggestions.first, best.confidence >= threshold else { return nil }
        return best
    }
}
