import Foundation

/// Trains a `TextModel` on labelled texts: features on both cores, TF-IDF from the training texts,
/// multinomial logistic regression by stochastic gradient descent with L2 regularisation, then a
/// temperature fitted on a held-out tenth so that the confidence means what it says, and a final fit on
/// all examples. Deterministic for a given seed.
public enum ClassifierTrainer {
    public struct Options: Sendable {
        public var bits = FeatureHasher.defaultBits
        public var epochs: Int? = nil
        public var regularization: Float = 1e-6
        public var learningRate: Float = 0.5
        public var seed: UInt64 = 2026
        /// Below this many examples there is no held-out part: confidences are not calibrated.
        public var minimumForCalibration = 200
        public var target = "label"

        public init() {}
    }

    public enum Problem: Error, Equatable, Sendable {
        case noExamples(skippedEmptyText: Int, skippedEmptyLabel: Int)
        case oneClass(String, examples: Int)
        case tooManyClasses(Int)

        public var russian: String {
            switch self {
            case .noExamples(let text, let label):
                "Не из чего учиться: нет ни одной строки, где есть и текст, и метка (без текста: \(text), без метки: \(label))."
            case .oneClass(let label, let n):
                "Для обучения нужны хотя бы два разных значения метки, а у всех \(n) примеров метка «\(label)». Модели нечего различать: добавьте примеры других классов."
            case .tooManyClasses(let n):
                "Слишком много разных меток: \(n) (допускается не больше \(ClassifierTrainer.maximumClasses)). Проверьте, что столбец меток выбран верно и в нём не текст обращения."
            }
        }
    }

    public static let maximumClasses = 1_000

    /// What happened besides the model: skipped rows, warnings, the held-out figures.
    public struct Summary: Sendable {
        public var examples: Int
        public var skippedEmptyText: Int
        public var skippedEmptyLabel: Int
        public var classCounts: [(label: String, count: Int)]
        public var warnings: [String]
        public var holdout: ClassificationReport?
        public var temperature: Double
        public var epochs: Int
    }

    public static func train(texts: [String], labels: [String], options: Options = Options(),
                             progress: (@Sendable (String) -> Void)? = nil) throws(Problem) -> (model: TextModel, summary: Summary) {
        precondition(texts.count == labels.count)
        let hasher = FeatureHasher(bits: options.bits)
        progress?("Признаки текстов: \(texts.count)…")
        let allCounts = extract(texts, hasher: hasher)
        var keep: [Int] = []
        var emptyText = 0, emptyLabel = 0
        for i in texts.indices {
            let label = labels[i].trimmingCharacters(in: .whitespacesAndNewlines)
            if label.isEmpty { emptyLabel += 1; continue }
            if allCounts[i].isEmpty { emptyText += 1; continue }
            keep.append(i)
        }
        guard !keep.isEmpty else { throw .noExamples(skippedEmptyText: emptyText, skippedEmptyLabel: emptyLabel) }
        let cleanLabels = keep.map { labels[$0].trimmingCharacters(in: .whitespacesAndNewlines) }
        var counts: [String: Int] = [:]
        for l in cleanLabels { counts[l, default: 0] += 1 }
        guard counts.count >= 2 else { throw .oneClass(cleanLabels[0], examples: keep.count) }
        guard counts.count <= maximumClasses else { throw .tooManyClasses(counts.count) }
        let classes = counts.keys.sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let y = cleanLabels.map { classIndex[$0]! }
        let docs = keep.map { allCounts[$0] }
        let epochs = options.epochs ?? (docs.count >= 50_000 ? 4 : docs.count >= 10_000 ? 6 : 12)

        var warnings: [String] = []
        let singles = classes.filter { counts[$0] == 1 }
        if !singles.isEmpty {
            let names = singles.prefix(5).map { "«\($0)»" }.joined(separator: ", ") + (singles.count > 5 ? " и ещё \(singles.count - 5)" : "")
            warnings.append("По одному примеру у классов \(names): модель вряд ли научится их узнавать, добавьте примеров.")
        }
        if emptyText > 0 { warnings.append("Пропущено строк без текста (или только из цифр и знаков): \(emptyText).") }
        if emptyLabel > 0 { warnings.append("Пропущено строк без метки: \(emptyLabel).") }

        // Calibration: fit on 90 %, choose the temperature on the other 10 % (classes with one example
        // stay in training), then fit again on everything with the same settings.
        var temperature = 1.0
        var holdoutReport: ClassificationReport?
        if docs.count >= options.minimumForCalibration {
            var rng = SplitMix64(seed: options.seed ^ 0x484F_4C44)
            var held: [Int] = [], fit: [Int] = []
            for i in Array(docs.indices).shuffled(using: &rng) {
                if counts[cleanLabels[i]]! >= 2 && held.count * 10 < docs.count {
                    held.append(i)
                } else {
                    fit.append(i)
                }
            }
            if held.count >= 20 {
                progress?("Обучение на \(fit.count) примерах, проверка на \(held.count)…")
                let trial = fitModel(docs: fit.map { docs[$0] }, y: fit.map { y[$0] }, classes: classes.count,
                                     hasher: hasher, epochs: epochs, options: options)
                let logits = held.map { TextModel.logits(TextModel.vector(docs[$0], idf: trial.idf), weights: trial.weights, bias: trial.bias, scale: 1) }
                let truth = held.map { y[$0] }
                temperature = fitTemperature(logits: logits, truth: truth)
                let predicted = logits.map { l in l.indices.max { l[$0] < l[$1] }! }
                holdoutReport = ClassificationReport(truth: truth.map { classes[$0] }, predicted: predicted.map { classes[$0] })
            } else {
                warnings.append("Слишком мало примеров для проверки на отложенной части: уверенность не откалибрована.")
            }
        } else {
            warnings.append("Примеров меньше \(options.minimumForCalibration): уверенность не откалибрована, качество не оценено.")
        }
        progress?("Обучение на всех \(docs.count) примерах…")
        let final = fitModel(docs: docs, y: y, classes: classes.count, hasher: hasher, epochs: epochs, options: options)
        let formatter = ISO8601DateFormatter()
        let metadata = TextModel.Metadata(
            target: options.target, labels: classes, trainedAt: formatter.string(from: Date()), examples: docs.count,
            classCounts: counts, temperature: temperature, holdoutAccuracy: holdoutReport?.accuracy,
            holdoutMacroF1: holdoutReport?.macroF1, pipeline: TextModel.Metadata.currentPipeline)
        let model = TextModel(metadata: metadata, hasher: hasher, idf: final.idf, weights: final.weights, bias: final.bias)
        let summary = Summary(examples: docs.count, skippedEmptyText: emptyText, skippedEmptyLabel: emptyLabel,
                              classCounts: counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) },
                              warnings: warnings, holdout: holdoutReport, temperature: temperature, epochs: epochs)
        return (model, summary)
    }

    /// Raw feature counts of every text, computed on all cores.
    public static func extract(_ texts: [String], hasher: FeatureHasher) -> [[(key: UInt32, count: Float)]] {
        ParallelTexts.map(texts) { text, stems in hasher.counts(text, stems: &stems) }
    }

    struct Fit {
        var idf: [Float]
        var weights: [Float]
        var bias: [Float]
    }

    /// Smoothed IDF from the documents' buckets: ln((1 + N) / (1 + df)) + 1, zero for unseen buckets.
    static func inverseDocumentFrequency(_ docs: [[(key: UInt32, count: Float)]], size: Int) -> [Float] {
        var df = [Int32](repeating: 0, count: size)
        for doc in docs {
            var last = -1
            for (key, _) in doc {
                let bucket = Int(key >> 1)
                if bucket != last { df[bucket] += 1; last = bucket }
            }
        }
        let n = Float(docs.count)
        return df.map { $0 == 0 ? 0 : logf((1 + n) / (1 + Float($0))) + 1 }
    }

    static func fitModel(docs: [[(key: UInt32, count: Float)]], y: [Int], classes k: Int, hasher: FeatureHasher,
                         epochs: Int, options: Options) -> Fit {
        let size = 1 << hasher.bits
        let idf = inverseDocumentFrequency(docs, size: size)
        let vectors = docs.map { TextModel.vector($0, idf: idf) }
        var weights = [Float](repeating: 0, count: size * k)
        var bias = [Float](repeating: 0, count: k)
        var rng = SplitMix64(seed: options.seed)
        var order = Array(vectors.indices)
        let lambda = options.regularization, eta0 = options.learningRate
        var scale: Float = 1
        var step: Float = 0
        var probabilities = [Float](repeating: 0, count: k)
        var active: [(Int, Float)] = []
        active.reserveCapacity(k)
        weights.withUnsafeMutableBufferPointer { w in
            for _ in 0..<epochs {
                order.shuffle(using: &rng)
                for i in order {
                    let v = vectors[i]
                    let eta = eta0 / (1 + eta0 * lambda * step)
                    step += 1
                    // Scores and softmax.
                    for c in 0..<k { probabilities[c] = bias[c] }
                    for j in 0..<v.indices.count {
                        let base = Int(v.indices[j]) * k
                        let x = v.values[j] * scale
                        for c in 0..<k { probabilities[c] += x * w[base + c] }
                    }
                    var top = probabilities[0]
                    for c in 1..<k where probabilities[c] > top { top = probabilities[c] }
                    var sum: Float = 0
                    for c in 0..<k {
                        probabilities[c] = expf(probabilities[c] - top)
                        sum += probabilities[c]
                    }
                    // Gradient of the log-loss; classes the example barely touches are skipped.
                    active.removeAll(keepingCapacity: true)
                    for c in 0..<k {
                        let g = probabilities[c] / sum - (c == y[i] ? 1 : 0)
                        if abs(g) > 1e-3 { active.append((c, g)) }
                    }
                    scale *= 1 - eta * lambda
                    guard !active.isEmpty else { continue }
                    let factor = eta / scale
                    for j in 0..<v.indices.count {
                        let base = Int(v.indices[j]) * k
                        let x = v.values[j] * factor
                        for (c, g) in active { w[base + c] -= g * x }
                    }
                    for (c, g) in active { bias[c] -= eta * g * 0.1 }
                    if scale < 1e-4 {
                        for f in 0..<w.count { w[f] *= scale }
                        scale = 1
                    }
                }
            }
            for f in 0..<w.count { w[f] *= scale }
        }
        return Fit(idf: idf, weights: weights, bias: bias)
    }

    /// The temperature T minimising the held-out negative log-likelihood of softmax(logits / T), by
    /// golden-section search on log T in [0.05, 20].
    static func fitTemperature(logits: [[Float]], truth: [Int]) -> Double {
        func loss(_ logT: Double) -> Double {
            let t = exp(logT)
            var total = 0.0
            for (l, y) in zip(logits, truth) {
                let p = TextModel.softmax(l, temperature: t)
                total -= log(max(p[y], 1e-12))
            }
            return total / Double(max(1, truth.count))
        }
        var a = log(0.05), b = log(20.0)
        let ratio = (sqrt(5.0) - 1) / 2
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = loss(c), fd = loss(d)
        for _ in 0..<40 {
            if fc < fd {
                b = d; d = c; fd = fc
                c = b - ratio * (b - a); fc = loss(c)
            } else {
                a = c; c = d; fc = fd
                d = a + ratio * (b - a); fd = loss(d)
            }
        }
        return exp((a + b) / 2)
    }
}
