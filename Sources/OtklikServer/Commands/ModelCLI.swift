import Foundation
import OtklikCore

/// `otklik model train|predict|evaluate`: the text classifier offline, on any labelled CSV, without a
/// database or a server. Runs before Vapor boots (see `Sources/otklik/main.swift`).
public enum ModelCLI {
    public static let usage = """
        Использование:
          otklik model train --input FILE.csv --text-column NAME --label-column NAME --output MODEL
          otklik model predict --model MODEL --input FILE.csv --text-column NAME --output OUT.csv
          otklik model evaluate --model MODEL --input FILE.csv --text-column NAME --label-column NAME
        CSV: разделитель «;», «,» или табуляция; UTF-8 с BOM или без, Windows-1251; поля в кавычках могут
        занимать несколько строк.
        """

    struct Failure: Error { var message: String }

    /// Runs the command given after `model`; returns the process exit code.
    public static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) -> Int32 {
        do {
            guard let verb = arguments.first, !verb.hasPrefix("-") || verb == "--help" else { throw Failure(message: usage) }
            let options = try parse(Array(arguments.dropFirst()))
            switch verb {
            case "train": try train(options, out: out, err: err)
            case "predict": try predict(options, out: out)
            case "evaluate": try evaluate(options, out: out)
            case "--help", "help":
                out(usage)
            default: throw Failure(message: "Неизвестная команда «model \(verb)».\n\(usage)")
            }
            return 0
        } catch let failure as Failure {
            err("Ошибка: \(failure.message)")
            return 1
        } catch {
            err("Ошибка: \(error)")
            return 1
        }
    }

    static let known: Set<String> = ["--input", "--text-column", "--label-column", "--output", "--model", "--target", "--seed"]

    static func parse(_ args: [String]) throws -> [String: String] {
        var options: [String: String] = [:]
        var i = 0
        while i < args.count {
            let name = args[i]
            guard known.contains(name) else { throw Failure(message: "Неизвестный параметр «\(name)».\n\(usage)") }
            guard i + 1 < args.count, !args[i + 1].hasPrefix("--") else { throw Failure(message: "У параметра \(name) нет значения.") }
            options[name] = args[i + 1]
            i += 2
        }
        return options
    }

    static func required(_ options: [String: String], _ names: String...) throws -> [String] {
        let missing = names.filter { options[$0]?.isEmpty ?? true }
        guard missing.isEmpty else {
            throw Failure(message: "Не указаны параметры: \(missing.joined(separator: ", ")).\n\(usage)")
        }
        return names.map { options[$0]! }
    }

    static func table(_ path: String) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(message: "Не удаётся прочитать файл «\(path)»: его нет или нет прав на чтение.")
        }
        do { return try CSVTable(bytes: Array(data)) } catch { throw Failure(message: "«\(path)»: \(error.russian)") }
    }

    static func column(_ table: CSVTable, _ name: String, _ path: String) throws -> Int {
        do { return try table.column(name) } catch { throw Failure(message: "«\(path)»: \(error.russian)") }
    }

    static func loadModel(_ path: String) throws -> TextModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(message: "Не удаётся прочитать модель «\(path)»: файла нет или нет прав на чтение.")
        }
        do { return try ModelFile.decode(Array(data)) } catch { throw Failure(message: "«\(path)»: \(error.russian)") }
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        // Written beside the target and moved into place: a failed run never leaves half a file.
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw Failure(message: "Не удаётся записать «\(path)»: нет папки или прав на запись.")
        }
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw Failure(message: "Не удаётся записать «\(path)»: \(error.localizedDescription)")
        }
    }

    static func train(_ options: [String: String], out: (String) -> Void, err: (String) -> Void) throws {
        let v = try required(options, "--input", "--text-column", "--label-column", "--output")
        let (input, textColumn, labelColumn, output) = (v[0], v[1], v[2], v[3])
        let started = Date()
        let t = try table(input)
        let textIndex = try column(t, textColumn, input), labelIndex = try column(t, labelColumn, input)
        var trainer = ClassifierTrainer.Options()
        trainer.target = options["--target"] ?? t.header[labelIndex]
        if let seed = options["--seed"] {
            guard let s = UInt64(seed) else { throw Failure(message: "--seed должен быть целым неотрицательным числом.") }
            trainer.seed = s
        }
        out("Прочитано строк: \(t.rows.count) (\(t.encoding.rawValue), разделитель «\(t.delimiter == "\t" ? "табуляция" : String(t.delimiter))»).")
        let result: (model: TextModel, summary: ClassifierTrainer.Summary)
        do {
            result = try ClassifierTrainer.train(texts: t.rows.map { $0.fields[textIndex] }, labels: t.rows.map { $0.fields[labelIndex] },
                                                 options: trainer, progress: { print(String(format: "[%5.1f с] ", Date().timeIntervalSince(started)) + $0) })
        } catch {
            throw Failure(message: error.russian)
        }
        let bytes = ModelFile.encode(result.model)
        try write(bytes, to: output)
        let s = result.summary
        for w in s.warnings { err("Внимание: \(w)") }
        out("Обучено на \(s.examples) примерах, классов: \(s.classCounts.count), эпох: \(s.epochs).")
        if let h = s.holdout {
            out(String(format: "Проверка на отложенных %d примерах: accuracy %.3f, macro-F1 %.3f; температура калибровки %.2f.",
                       h.examples, h.accuracy, h.macroF1, s.temperature))
        }
        out(String(format: "Модель записана в «%@» (%.1f МБ) за %.1f с.", output, Double(bytes.count) / 1_048_576, Date().timeIntervalSince(started)))
    }

    static func predict(_ options: [String: String], out: (String) -> Void) throws {
        let v = try required(options, "--model", "--input", "--text-column", "--output")
        let model = try loadModel(v[0])
        let t = try table(v[1])
        let textIndex = try column(t, v[2], v[1])
        let texts = t.rows.map { $0.fields[textIndex] }
        let suggestions = predictAll(model, texts)
        let rows = zip(t.rows, suggestions).map { row, s in
            row.fields + [s?.label ?? "", s.map { String(format: "%.4f", $0.confidence) } ?? ""]
        }
        let bytes = CSVWriter.verbatim(header: t.header + ["predicted_label", "confidence"], rows: rows,
                                       delimiter: t.delimiter, byteOrderMark: t.encoding == .utf8BOM)
        try write(bytes, to: v[3])
        let empty = suggestions.filter { $0 == nil }.count
        out("Предсказано строк: \(texts.count - empty)" + (empty > 0 ? "; без предсказания (пустой текст или ни одного знакомого модели слова): \(empty)" : "") + ". Записано в «\(v[3])».")
    }

    /// The best label of each text, on all cores; nil for a text the model has nothing to say about.
    static func predictAll(_ model: TextModel, _ texts: [String]) -> [TextSuggestion?] {
        ParallelTexts.map(texts) { text, stems in model.suggest(text, top: 1, stems: &stems).first }
    }

    static func evaluate(_ options: [String: String], out: (String) -> Void) throws {
        let v = try required(options, "--model", "--input", "--text-column", "--label-column")
        let model = try loadModel(v[0])
        let t = try table(v[1])
        let textIndex = try column(t, v[2], v[1]), labelIndex = try column(t, v[3], v[1])
        let labelled = t.rows.filter { !$0.fields[labelIndex].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        guard !labelled.isEmpty else { throw Failure(message: "В столбце «\(v[3])» нет ни одной метки: оценивать не с чем.") }
        let predicted = predictAll(model, labelled.map { $0.fields[textIndex] })
        let truth = labelled.map { $0.fields[labelIndex].trimmingCharacters(in: .whitespacesAndNewlines) }
        let report = ClassificationReport(truth: truth, predicted: predicted.map { $0?.label ?? "(нет предсказания)" })
        let unknown = Set(truth).subtracting(model.labels)
        out(report.text)
        if !unknown.isEmpty {
            out("\nМетки, которых модель не знает (их примеры засчитаны как ошибки): \(unknown.sorted().map { "«\($0)»" }.joined(separator: ", ")).")
        }
    }
}
