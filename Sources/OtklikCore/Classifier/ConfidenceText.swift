/// A confidence as a person reads it: whole percents, never a flat «100 %» or «0 %» — a model is never
/// certain, and the extremes are shown as «более 99 %» / «менее 1 %».
public enum ConfidenceText {
    public static func percent(_ p: Double) -> String {
        if p >= 0.995 { return "более 99 %" }
        if p < 0.005 { return "менее 1 %" }
        return "\(Int((p * 100).rounded())) %"
    }
}
