import Foundation

/// How well predictions match the true labels: accuracy, macro-F1 (the mean of the classes' F1, so a
/// rare class counts as much as a frequent one) and precision, recall and F1 per class.
public struct ClassificationReport: Sendable, Equatable {
    public struct ClassRow: Sendable, Equatable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// True examples of the class.
        public var support: Int
        public var predicted: Int
    }

    public var examples: Int
    public var accuracy: Double
    public var macroF1: Double
    /// Classes in the truth or the predictions, most examples first.
    public var rows: [ClassRow]

    public init(truth: [String], predicted: [String]) {
        precondition(truth.count == predicted.count)
        examples = truth.count
        var support: [String: Int] = [:], guessed: [String: Int] = [:], hits: [String: Int] = [:]
        var correct = 0
        for (t, p) in zip(truth, predicted) {
            support[t, default: 0] += 1
            guessed[p, default: 0] += 1
            if t == p {
                hits[t, default: 0] += 1
                correct += 1
            }
        }
        accuracy = truth.isEmpty ? 0 : Double(correct) / Double(truth.count)
        let labels = Set(support.keys).union(guessed.keys)
        rows = labels.map { label in
            let tp = Double(hits[label] ?? 0)
            let s = support[label] ?? 0, g = guessed[label] ?? 0
            let precision = g == 0 ? 0 : tp / Double(g)
            let recall = s == 0 ? 0 : tp / Double(s)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return ClassRow(label: label, precision: precision, recall: recall, f1: f1, support: s, predicted: g)
        }.sorted { ($0.support, $1.label) > ($1.support, $0.label) }
        macroF1 = rows.isEmpty ? 0 : rows.map(\.f1).reduce(0, +) / Double(rows.count)
    }

    /// The report as the CLI prints it: figures first, then one line per class in aligned columns.
    public var text: String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        var lines = [
            "Примеров: \(examples)",
            "accuracy (доля верных): \(f(accuracy))",
            "macro-F1 (среднее F1 по классам): \(f(macroF1))",
            "",
        ]
        let width = min(48, max(5, rows.map(\.label.count).max() ?? 5))
        func pad(_ s: String, _ n: Int) -> String {
            let cut = s.count > n ? String(s.prefix(n - 1)) + "…" : s
            return cut + String(repeating: " ", count: max(0, n - cut.count))
        }
        func left(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        lines.append(pad("класс", width) + left("precision", 11) + left("recall", 9) + left("F1", 8) + left("примеров", 10) + left("предсказано", 13))
        for r in rows {
            lines.append(pad(r.label, width) + left(f(r.precision), 11) + left(f(r.recall), 9) + left(f(r.f1), 8)
                         + left(String(r.support), 10) + left(String(r.predicted), 13))
        }
        return lines.joined(separator: "\n")
    }
}
