import Foundation
import OtklikCore
import Vapor

struct ImportCommandGroup: AsyncCommandGroup {
    var help: String { "Импорт данных из файлов" }
    var commands: [String: any AnyAsyncCommand] { ["cases": ImportCasesCommand()] }
}

/// `otklik import cases FILE --municipality SLUG`: JSON Lines or CSV, with a progress bar and a summary.
struct ImportCasesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "Файл .jsonl или .csv")
        var file: String
        @Option(name: "municipality", short: "m", help: "Код муниципального образования (slug)")
        var municipality: String?
        @Option(name: "channel", help: "Канал для строк без столбца channel")
        var channel: String?
        @Option(name: "format", help: "csv или jsonl (по умолчанию — по расширению)")
        var format: String?
        @Option(name: "report", help: "Записать отклонённые строки с причинами в CSV-файл")
        var report: String?
    }
    var help: String { "Импорт обращений из JSON Lines или CSV" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let console = context.console
        guard let slug = signature.municipality else {
            throw CommandFailure("Укажите муниципальное образование: --municipality КОД")
        }
        let format = try CaseFileImporter.format(for: signature.file, explicit: signature.format)
        var channel: CaseChannel?
        if let raw = signature.channel {
            guard let ch = CaseChannel(flexible: raw) else {
                throw CommandFailure("--channel: неизвестный канал «\(raw)»; допустимо: \(CaseChannel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            channel = ch
        }
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            throw CommandFailure("Файл «\(signature.file)» не найден или не читается.")
        }
        try await app.autoMigrate()
        let m = try await app.municipality(slug: slug)
        var importer = CaseFileImporter(db: app.db, tenantID: try m.requireID(),
                                        timeZone: TimeZone(identifier: m.timeZone) ?? .gmt, defaultChannel: channel)
        importer.actorLabel = "импорт из файла \(URL(fileURLWithPath: signature.file).lastPathComponent)"
        let started = Date()
        let bar = ProgressLine(console: console, title: "Импорт")
        let summary: CaseFileImporter.Summary
        do {
            summary = try await importer.run(bytes: Array(data), format: format) { done, total in bar.update(done, total) }
        } catch let error as CaseFileImporter.FileError {
            throw CommandFailure("Файл не импортирован: \(error.description)")
        }
        bar.finish()
        let seconds = Date().timeIntervalSince(started)
        console.print(ImportReport.text(summary, file: signature.file, seconds: seconds))
        if let path = signature.report {
            try ImportReport.rejectionsCSV(summary).write(toFile: path, atomically: true, encoding: .utf8)
            console.print("Отклонённые строки записаны в \(path)")
        }
        if summary.created + summary.existing == 0 && summary.rows > 0 {
            throw CommandFailure("Ни одна строка не принята.")
        }
    }
}

/// A one-line progress bar that redraws itself at most every 1 %.
final class ProgressLine: @unchecked Sendable {
    let console: any Console
    let title: String
    private var lastPercent = -1

    init(console: any Console, title: String) { self.console = console; self.title = title }

    func update(_ done: Int, _ total: Int) {
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != lastPercent else { return }
        lastPercent = percent
        let filled = percent / 4
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 25 - filled)
        console.output("\r\(title): [\(bar)] \(percent)%  \(done) из \(total)".consoleText(), newLine: false)
    }

    func finish() { console.output("".consoleText(), newLine: true) }
}

enum ImportReport {
    static func text(_ s: CaseFileImporter.Summary, file: String, seconds: Double) -> String {
        var lines = [
            "Файл: \(file) (\(s.format.rawValue.uppercased()), \(s.encoding))",
            "Строк с данными: \(s.rows)",
            "  создано:              \(s.created)",
            "  уже были (повтор):    \(s.existing)",
            "  отклонено:            \(s.rejected.count)",
            String(format: "Время: %.1f с (%.0f строк/с)", seconds, seconds > 0 ? Double(s.rows) / seconds : 0),
        ]
        for w in s.warnings { lines.append("Внимание: \(w)") }
        if !s.rejected.isEmpty {
            lines.append("Отклонённые строки:")
            for r in s.rejected.prefix(50) {
                lines.append("  строка \(r.line): " + r.issues.map(\.description).joined(separator: "; "))
            }
            if s.rejected.count > 50 { lines.append("  … и ещё \(s.rejected.count - 50); полный список: --report ФАЙЛ.csv") }
        }
        return lines.joined(separator: "\n")
    }

    static func rejectionsCSV(_ s: CaseFileImporter.Summary) -> String {
        var out = "строка;поле;причина\n"
        for r in s.rejected {
            for issue in r.issues {
                out += "\(r.line);\(quote(issue.field));\(quote(issue.reason))\n"
            }
        }
        return out
    }

    private static func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
