import ConsoleKit
import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Импорт обращений из файлов")
struct ImportTests {
    private func importer(_ app: Application, _ f: Fixture, channel: CaseChannel? = nil) -> CaseFileImporter {
        CaseFileImporter(db: app.db, tenantID: f.alpha.id, timeZone: TimeZone(identifier: "Asia/Novokuznetsk")!,
                         defaultChannel: channel, chunkSize: 3)
    }

    @Test("JSON Lines: хорошие строки создаются, плохие отклоняются с номером строки, повтор файла ничего не дублирует", arguments: TestDB.all)
    func jsonLines(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let file = [caseJSON("J-1"), "", caseJSON("J-2", extra: #""category":"roads""#), "{не json", caseJSON("J-3", channel: "fax"),
                        "[1]", caseJSON("J-1")].joined(separator: "\n")
            var progress: [Int] = []
            let summary = try await importer(app, f).run(bytes: Array(file.utf8), format: .jsonl) { done, _ in progress.append(done) }
            #expect(summary.rows == 6)
            #expect(summary.created == 2)
            #expect(summary.existing == 1)
            #expect(summary.rejected.map(\.line) == [4, 5, 6])
            #expect(summary.rejected[0].issues[0].reason.hasPrefix("строка не является корректным JSON: ожидалось имя поля в кавычках"))
            #expect(summary.rejected[1].issues[0].field == "channel")
            #expect(progress == [0, 3, 6])
            let again = try await importer(app, f).run(bytes: Array(file.utf8), format: .jsonl)
            #expect(again.created == 0 && again.existing == 3)
            #expect(try await CaseRecord.query(on: app.db).count() == 2)
        }
    }

    @Test("CSV: столбцы по названию (в т. ч. русскому), кавычки и переносы, местное время округа", arguments: TestDB.all)
    func csv(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let file = """
            Текст;Дата поступления;Внешний номер;Неизвестная колонка;Широта;Долгота;Рубрика;Автор
            "Нет воды; совсем ""нет""
            уже сутки";06.01.2026 14:05;C-1;x;52,91;87,92;Нет воды;Пробный Житель
            Яма;2026-01-06T10:00:00Z;C-2;;;;roads;
            ;06.01.2026;C-3;;;;;
            Лишнее;06.01.2026;C-4;;;;;;;;;
            """
            let summary = try await importer(app, f, channel: .pos).run(bytes: Array(file.utf8), format: .csv)
            #expect(summary.created == 2, "\(summary.rejected)")
            #expect(summary.rejected.map(\.line) == [5, 6])
            #expect(summary.rejected[0].issues[0].field == "text")
            #expect(summary.warnings.contains { $0.contains("Неизвестная колонка") })
            let c1 = try #require(try await CaseRecord.query(on: app.db).filter(\.$externalID == "C-1").first())
            #expect(c1.text == "Нет воды; совсем \"нет\"\nуже сутки")
            #expect(c1.channel == "pos")
            #expect(c1.latitude == 52.91)
            // 14:05 in Novokuznetsk (UTC+7) is 07:05 UTC.
            #expect(TimeText.formatRFC3339(c1.receivedAt) == "2026-01-06T07:05:00Z")
            #expect(c1.organisationID == f.alpha.orgs["water"])
            #expect(c1.authorName == "Пробный Житель")
        }
    }

    @Test("CSV в Windows-1251 распознаётся; битые кавычки и нет столбцов — файл не импортируется", arguments: TestDB.all)
    func brokenFiles(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let text = "channel;text;received_at\npos;Нет света во дворе;2026-01-06T10:00:00+07:00\n"
            let cp1251 = Array(text.unicodeScalars.map { s -> UInt8 in
                switch s.value {
                case 0x410...0x44F: UInt8(s.value - 0x410 + 0xC0)
                case 0x401: 0xA8
                case 0x451: 0xB8
                default: UInt8(s.value)
                }
            })
            let decoded = try await importer(app, f).run(bytes: cp1251, format: .csv)
            #expect(decoded.created == 1)
            #expect(decoded.encoding == "Windows-1251")
            #expect(try await CaseRecord.query(on: app.db).first()?.text == "Нет света во дворе")

            await #expect(throws: CaseFileImporter.FileError.self) {
                _ = try await importer(app, f).run(bytes: Array("channel;text;received_at\npos;\"не закрыто;2026-01-06T10:00:00Z\npos;b;c\n".utf8), format: .csv)
            }
            do {
                _ = try await importer(app, f).run(bytes: Array("канал;дата\npos;2026-01-06T10:00:00Z\n".utf8), format: .csv)
                Issue.record("файл без столбца текста принят")
            } catch let error as CaseFileImporter.FileError {
                #expect(error.description.contains("нет обязательных столбцов: text"))
            }
            do {
                _ = try await importer(app, f).run(bytes: [0x50, 0x4B, 0x03, 0x04, 0x00, 0x9C, 0x81, 0x00, 0xFF], format: .csv)
                Issue.record("двоичный файл принят")
            } catch let error as CaseFileImporter.FileError {
                #expect(error.description.contains("не удалось определить кодировку"))
            }
            #expect(try await CaseRecord.query(on: app.db).count() == 1)
        }
    }

    @Test("Команда otklik import cases печатает итог и записывает отчёт об отклонённых строках", arguments: TestDB.all)
    func command(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otklik-import-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("cases.jsonl").path
            try ([caseJSON("K-1"), caseJSON("K-2"), #"{"channel":"pos"}"#].joined(separator: "\n")).write(toFile: file, atomically: true, encoding: .utf8)
            let report = dir.appendingPathComponent("rejected.csv").path
            let console = RecordingConsole()
            app.console = console
            var context = CommandContext(console: console, input: CommandInput(arguments: ["otklik", "cases", file, "--municipality", "alpha", "--report", report]))
            context.application = app
            try await ImportCommandGroup().run(using: &context)
            let out = console.text
            #expect(out.contains("создано:              2"))
            #expect(out.contains("отклонено:            1"))
            #expect(out.contains("строка 3: received_at: обязательное поле не заполнено; text: обязательное поле не заполнено"))
            #expect(out.contains("100%"))
            let csv = try String(contentsOfFile: report, encoding: .utf8)
            #expect(csv.contains("3;\"received_at\";\"обязательное поле не заполнено\""))

            var missing = CommandContext(console: console, input: CommandInput(arguments: ["otklik", "cases", file, "--municipality", "gamma"]))
            missing.application = app
            await #expect(throws: CommandFailure.self) { try await ImportCommandGroup().run(using: &missing) }
        }
    }
}

/// A console that remembers what a command printed.
final class RecordingConsole: Console, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    var userInfo: [AnySendableHashable: any Sendable] = [:]
    var size: (width: Int, height: Int) { (120, 40) }
    var text: String { lock.lock(); defer { lock.unlock() }; return buffer }

    func input(isSecure: Bool) -> String { "" }
    func output(_ text: ConsoleText, newLine: Bool) {
        lock.lock(); buffer += text.description + (newLine ? "\n" : ""); lock.unlock()
    }
    func clear(_ type: ConsoleClear) {}
    func report(error: String, newLine: Bool) { output(error.consoleText(), newLine: newLine) }
}
