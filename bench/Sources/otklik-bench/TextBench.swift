import Foundation
import OtklikCore

/// The text classifier at scale: 100 000 labelled texts built from the fictional messages of the test
/// fixture (1–5 messages of one topic per text, so lengths and mixtures vary), trained and applied through
/// the real `otklik model` commands. Targets of the text-intelligence issue: training under 60 s,
/// prediction at least 5 000 texts/s. Printed next to a plain pass of the text pipeline (tokens only)
/// over the same texts in the same run.
enum TextBench {
    static let trainLimit = 60.0
    static let predictTarget = 5_000.0

    static func run(count: Int, otklik: String, work: URL) throws -> Bool {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let fixture = root.appendingPathComponent("Tests/OtklikCoreTests/Fixtures/messages-train.csv")
        let table = try CSVTable(bytes: Array(Data(contentsOf: fixture)))
        let textColumn = try table.column("текст"), labelColumn = try table.column("категория")
        var byLabel: [String: [String]] = [:]
        for row in table.rows { byLabel[row.fields[labelColumn], default: []].append(row.fields[textColumn]) }
        let labels = byLabel.keys.sorted()

        var rng = SplitMix64(seed: 7)
        func corpus(_ n: Int) -> [(String, String)] {
            (0..<n).map { _ in
                let label = labels.randomElement(using: &rng)!
                let pool = byLabel[label]!
                let parts = (0..<Int.random(in: 1...5, using: &rng)).map { _ in pool.randomElement(using: &rng)! }
                return (parts.joined(separator: " "), label)
            }
        }
        let train = corpus(count), test = corpus(count / 5)
        func write(_ rows: [(String, String)], _ name: String) throws -> URL {
            let url = work.appendingPathComponent(name)
            try Data(CSVWriter.verbatim(header: ["текст", "категория"], rows: rows.map { [$0.0, $0.1] }, delimiter: ";", byteOrderMark: true)).write(to: url)
            return url
        }
        let trainFile = try write(train, "train.csv"), testFile = try write(test, "test.csv")
        let characters = train.reduce(0) { $0 + $1.0.count }
        print("  \(count) texts of \(labels.count) topics, \(characters / count) characters on average; \(count / 5) more for the check\n")

        // Baseline: the text pipeline alone (tokens, no features, no model), one core.
        var started = Date()
        var tokens = 0
        for (text, _) in train { tokens += TextPipeline.tokens(text).count }
        let pipelineSeconds = Date().timeIntervalSince(started)

        let cli = Otklik(path: otklik, environment: ProcessInfo.processInfo.environment)
        let model = work.appendingPathComponent("model.otm")
        started = Date()
        let trainOutput = try cli.run(["model", "train", "--input", trainFile.path, "--text-column", "текст", "--label-column", "категория",
                                       "--output", model.path])
        let trainSeconds = Date().timeIntervalSince(started)

        started = Date()
        try cli.run(["model", "predict", "--model", model.path, "--input", trainFile.path, "--text-column", "текст",
                     "--output", work.appendingPathComponent("predicted.csv").path])
        let predictSeconds = Date().timeIntervalSince(started)

        let loaded = try ModelFile.decode(Array(Data(contentsOf: model)))
        started = Date()
        var stems: [String: String] = [:]
        var suggested = 0
        for (text, _) in train.prefix(20_000) where !loaded.suggest(text, top: 3, stems: &stems).isEmpty { suggested += 1 }
        let inProcessRate = Double(min(20_000, train.count)) / Date().timeIntervalSince(started)

        let evaluation = try cli.run(["model", "evaluate", "--model", model.path, "--input", testFile.path, "--text-column", "текст",
                                      "--label-column", "категория"])
        let rate = Double(count) / predictSeconds
        let trainMet = trainSeconds < trainLimit, predictMet = rate >= predictTarget
        print(String(format: "  the pipeline alone (tokens, one core)          %6.1f s   %8.0f texts/s   (%d tokens)", pipelineSeconds, Double(count) / pipelineSeconds, tokens))
        print(String(format: "  otklik model train (%d texts)             %6.1f s   = %4.1f× the pipeline pass   target < %.0f s — %@",
                     count, trainSeconds, trainSeconds / pipelineSeconds, trainLimit, trainMet ? "yes" : "NO"))
        print(String(format: "  otklik model predict (%d texts, CSV in/out) %6.1f s   %8.0f texts/s   target ≥ %.0f/s — %@",
                     count, predictSeconds, rate, predictTarget, predictMet ? "yes" : "NO"))
        print(String(format: "  in process, one core, top-3 suggestions        %8.0f texts/s", inProcessRate))
        print("\n  training output:\n" + trainOutput.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        print("\n  check on \(count / 5) other texts (otklik model evaluate):\n"
              + evaluation.split(separator: "\n").prefix(3).map { "    " + $0 }.joined(separator: "\n"))
        return trainMet && predictMet
    }
}
