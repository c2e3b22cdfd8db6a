import Fluent
import Foundation
import NIOCore
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

/// Exports in the exact header layouts of ПОС and «Инцидент Менеджмент», with invented people.
enum ExportFixtures {
    static let posHeader = ImportProfile.posExportHeaders + ["Текст сообщения"]

    struct PosRow {
        var number: String
        var received: XLSXWriter.Cell
        var category = ["ЖКХ", "Водоснабжение", "Нет воды"]
        var organisation = "Водоканал a"
        var planned = "20.01.2026"
        var completed = "-"
        var status = "В работе"
        var decision = "-"
        var rating = "-"
        var appeal = "Нет"
        var text = "Нет холодной воды в доме по ул. Вымышленной, 1 (демонстрационный текст)"
    }

    /// An XLSX the way ПОС writes it, with a merged title row above the header.
    static func pos(_ rows: [PosRow]) throws -> Data {
        var sheetRows: [[XLSXWriter.Cell]] = []
        for r in rows {
            let cells: [String: XLSXWriter.Cell] = [
                "Номер": .text(r.number), "Номер ЕПГУ": .text("-"), "Источник": .text("Госуслуги"),
                "Верхнеуровневый ЛКО": .text("Администрация округа (вымышленная)"),
                "Категория": .text(r.category[0]), "Подкатегория": .text(r.category[1]), "Факт": .text(r.category[2]),
                "Организация, в которую поступило сообщение": .text("Администрация округа (вымышленная)"),
                "Организация, в которой находится сообщение": .text(r.organisation),
                "Дата поступления": r.received, "Дата планируемого завершения работ": .text(r.planned),
                "Дата фактического завершения работ": .text(r.completed), "Стадия": .text("Исполнение"),
                "Статус": .text(r.status), "Просрочено": .text("Нет"), "Фаст-трек": .text("Нет"), "ФЗ": .text("-"),
                "Заявитель выбрал подачу по 59-ФЗ": .text(r.appeal), "Тип решения": .text(r.decision),
                "Оценка ответа заявителем": .text(r.rating), "Повторное рассмотрение": .text("Нет"),
                "ФИО координатора": .text("Координаторова К. К."), "ФИО исполнителя": .text("Исполнителев И. И."),
                "ФИО руководителя": .text("Руководителев Р. Р."), "Текст сообщения": .text(r.text),
            ]
            sheetRows.append(posHeader.map { cells[$0] ?? .empty })
        }
        // A title line above the table, as ПОС report exports have: the header is found below it.
        let sheet = XLSXWriter.Sheet(name: "Сообщения", header: ["Выгрузка сообщений (демонстрационные данные)"],
                                     rows: [posHeader.map { .text($0) }] + sheetRows)
        return try XLSXPackage.write(XLSXWriter(sheets: [sheet], sharedStrings: true).parts())
    }

    static func serial(_ d: Int, _ m: Int, _ y: Int, _ h: Int = 0, _ min: Int = 0) -> XLSXWriter.Cell {
        .date(ExcelSerialDate.serial(year: y, month: m, day: d, seconds: h * 3600 + min * 60))
    }

    static func cp1251(_ text: String) -> Data {
        var out = Data()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 { out.append(UInt8(scalar.value)); continue }
            if let i = TextDecoding.cp1251High.firstIndex(of: UInt16(scalar.value)) { out.append(UInt8(0x80 + i)) } else { out.append(0x3F) }
        }
        return out
    }
}

extension Application {
    /// Uploads a file as the raw body of `POST …/imports`.
    func upload(_ data: Data, tenant: String, profileID: String, name: String, as caller: Caller) async throws -> TestingHTTPResponse {
        var headers = caller.headers
        headers.contentType = .binary
        let path = "/api/v1/municipalities/\(tenant)/imports?profile_id=\(profileID)&file_name=\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name)"
        return try await testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(data: data))
    }

    /// Commits a previewed run and waits for the background import to finish.
    func commitAndWait(_ runID: String, tenant: String, as caller: Caller) async throws -> JSONValue {
        let res = try await call(.POST, "/api/v1/municipalities/\(tenant)/imports/\(runID)/commit", as: caller)
        #expect(res.status == .accepted, "\(res.body.string)")
        for _ in 0..<600 {
            let run = try await call(.GET, "/api/v1/municipalities/\(tenant)/imports/\(runID)", as: caller).json
            if run["status"]?.string == "done" || run["status"]?.string == "failed" { return run }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("загрузка не завершилась")
        return .null
    }

    func profileID(_ kind: String, tenant: String, as caller: Caller) async throws -> String {
        let list = try await call(.GET, "/api/v1/municipalities/\(tenant)/import-profiles", as: caller).json
        return list.array.first { $0["kind"]?.string == kind }?["id"]?.string ?? ""
    }
}

@Suite("Загрузка выгрузок ПОС и «Инцидент Менеджмент»")
struct SpreadsheetImportTests {
    @Test("ПОС XLSX: предпросмотр, загрузка, повторная загрузка обновляет без дублей, отчёт XLSX", arguments: TestDB.all)
    func posRoundTrip(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(try TimeText.parseRFC3339("2026-01-12T03:00:00Z"))
            let op = try await app.signIn("a.operator")
            let profile = try await app.profileID("pos", tenant: "alpha", as: op)
            let rows: [ExportFixtures.PosRow] = [
                .init(number: "1001", received: ExportFixtures.serial(6, 1, 2026, 9, 30)),
                .init(number: "1002", received: .text("06.01.2026"), category: ["Дороги", "Ямы", "Яма на дороге"],
                      organisation: "Дорожная служба (нет в справочнике)", appeal: "Да"),
                .init(number: "1003", received: .text("07.01.2026 10:00"), status: "Ответ направлен", decision: "Разъяснено"),
                .init(number: "", received: .text("07.01.2026")),
                .init(number: "1005", received: .text("31.02.2026")),
                .init(number: "1006", received: .text("01.03.2027")),
            ]
            let file = try ExportFixtures.pos(rows)
            let up = try await app.upload(file, tenant: "alpha", profileID: profile, name: "pos-week.xlsx", as: op)
            #expect(up.status == .created, "\(up.body.string)")
            let preview = try #require(up.json["preview"])
            #expect(preview["format"]?.string == "XLSX")
            #expect(preview["header_line"]?.int == 2)
            #expect(preview["total_rows"]?.int == 6)
            #expect(preview["invalid_rows"]?.int == 3)
            #expect(preview["existing_rows"]?.int == 0)
            let problems = preview["problems"]!.array.map { "\($0["line"]!.int!): \($0["reason"]!.string!)" }
            #expect(problems.contains { $0.hasPrefix("6:") && $0.contains("номер") }, "\(problems)")
            #expect(problems.contains { $0.hasPrefix("7:") && $0.contains("«Дата поступления»") }, "\(problems)")
            #expect(problems.contains { $0.hasPrefix("8:") && $0.contains("в будущем") }, "\(problems)")
            let unmapped = preview["unmapped"]!.array.map { "\($0["kind"]!.string!)=\($0["value"]!.string!)" }
            #expect(unmapped.contains("organisation=Дорожная служба (нет в справочнике)"))
            #expect(unmapped.contains("category=Дороги / Ямы / Яма на дороге") == false, "рубрика «Дороги» известна по названию категории")
            #expect(preview["sample"]!.array.first?["values"]?.array.first?.string == "1001")
            #expect(try await CaseRecord.query(on: app.db).count() == 0, "предпросмотр ничего не пишет")

            let runID = up.json["id"]!.string!
            let done = try await app.commitAndWait(runID, tenant: "alpha", as: op)
            #expect(done["status"]?.string == "done", "\(done)")
            #expect(done["created"]?.int == 3 && done["rejected"]?.int == 3)
            let c1 = try #require(try await CaseRecord.query(on: app.db).filter(\.$externalID == "1001").first())
            #expect(c1.channel == "pos")
            #expect(TimeText.formatRFC3339(c1.receivedAt) == "2026-01-06T02:30:00Z", "09:30 по Новокузнецку")
            #expect(c1.categoryID == f.alpha.rubrics["no-water"])
            #expect(c1.organisationID == f.alpha.orgs["water"])
            #expect(c1.status == "in_work" && c1.sourceStatus == "В работе")
            #expect(c1.sourceFieldsJSON?.contains("Исполнителев И. И.") == true)
            let c2 = try #require(try await CaseRecord.query(on: app.db).filter(\.$externalID == "1002").first())
            #expect(c2.legalRegime == "appeal_59fz")
            #expect(c2.categoryID == f.alpha.rubrics["roads"])
            let c3 = try #require(try await CaseRecord.query(on: app.db).filter(\.$externalID == "1003").first())
            #expect(c3.status == "published" && c3.result == "explained")

            // Next day's export: 1001 is closed and rated, the rest as before.
            var next = rows.prefix(3).map { $0 }
            next[0].status = "Закрыто"; next[0].decision = "Решено"; next[0].rating = "5"; next[0].completed = "09.01.2026 15:00"
            let up2 = try await app.upload(try ExportFixtures.pos(next), tenant: "alpha", profileID: profile, name: "pos-next.xlsx", as: op)
            #expect(up2.json["preview"]?["existing_rows"]?.int == 3)
            let done2 = try await app.commitAndWait(up2.json["id"]!.string!, tenant: "alpha", as: op)
            #expect(done2["created"]?.int == 0 && done2["updated"]?.int == 1 && done2["unchanged"]?.int == 2, "\(done2)")
            #expect(try await CaseRecord.query(on: app.db).count() == 3, "никаких дублей")
            do {
                let id = try c1.requireID()
                let fresh = try #require(try await CaseRecord.find(id, on: app.db))
                #expect(fresh.status == "closed" && fresh.result == "resolved" && fresh.feedbackRating == 5)
                #expect(fresh.closedAt.map(TimeText.formatRFC3339) == "2026-01-09T08:00:00Z")
                let event = try #require(try await CaseEvent.query(on: app.db).filter(\.$caseID == id)
                    .filter(\.$kind == CaseEventKind.updatedFromSource.rawValue).first())
                #expect(event.comment?.contains("Статус: В работе → Закрыто") == true, "\(event.comment ?? "")")
                let open = try await CaseClock.query(on: app.db).filter(\.$caseID == id).filter(\.$stoppedAt == nil).count()
                #expect(open == 0, "закрытое в источнике обращение не держит сроков")
            }

            // The report: one line per row of the file, downloadable as XLSX.
            let report = try await app.call(.GET, "/api/v1/municipalities/alpha/imports/\(runID)/report.xlsx", as: op)
            #expect(report.status == .ok)
            #expect(report.headers.contentType?.subType.contains("spreadsheetml") == true)
            var source = try SpreadsheetSource.open(Data(buffer: report.body))
            let lines = try source.next(100, afterHeader: 0)
            let byOutcome = Dictionary(grouping: lines, by: { $0.cells[1] })
            #expect(byOutcome["создано"]?.count == 3 && byOutcome["отклонено"]?.count == 3)
            #expect(lines.first { $0.cells[0] == "8" }?.cells[4].contains("в будущем") == true)

            // Another municipality sees neither the run nor its report.
            let beta = try await app.signIn("b.operator")
            #expect(try await app.call(.GET, "/api/v1/municipalities/beta/imports/\(runID)", as: beta).status == .notFound)
            // A run is committed once.
            #expect(try await app.call(.POST, "/api/v1/municipalities/alpha/imports/\(runID)/commit", as: op).status == .conflict)
        }
    }

    @Test("«Инцидент Менеджмент» CSV в Windows-1251: ключ по ссылке, таблица соответствий закрывает пробел", arguments: TestDB.all)
    func incidentCSV(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(try TimeText.parseRFC3339("2026-01-12T03:00:00Z"))
            let admin = try await app.signIn("a.admin")
            let profile = try await app.profileID("incident", tenant: "alpha", as: admin)
            let csv = """
            Текст инцидента;Ссылка;Социальная сеть;Автор;Группа тем;Тема;Ведомство;Муниципальное образование;Дата создания;Статус
            "Опять не вывезли мусор во дворе; контейнеры переполнены";https://vk.com/wall-1_100;ВКонтакте;Иван Вымышленный;Благоустройство;Вывоз ТКО;Управление ЖКХ a;Округ a;10.01.2026 12:00;Новый
            Яма на въезде в посёлок;https://ok.ru/group/1/topic/2;Одноклассники;Пётр Придуманный;Дороги;Ямы;Отдел дорог a;Округ a;11.01.2026 08:15;В работе
            """
            let file = ExportFixtures.cp1251(csv)
            let up = try await app.upload(file, tenant: "alpha", profileID: profile, name: "im.csv", as: admin)
            #expect(up.status == .created, "\(up.body.string)")
            let preview = try #require(up.json["preview"])
            #expect(preview["encoding"]?.string == "Windows-1251")
            #expect(preview["warnings"]!.array.contains { $0.string?.contains("Windows-1251") == true })
            let unmapped = preview["unmapped"]!.array.map { "\($0["kind"]!.string!)=\($0["value"]!.string!)" }
            #expect(unmapped == ["category=Благоустройство / Вывоз ТКО"], "\(unmapped)")

            // The administrator maps the foreign topic group to our rubric and uploads again.
            let put = try await app.call(.PUT, "/api/v1/municipalities/alpha/import-mappings", as: admin,
                                         json: #"{"kind":"category","foreign_value":"Благоустройство","target":"\#(f.alpha.rubrics["zhkh"]!.uuidString)"}"#)
            #expect(put.status == .ok, "\(put.body.string)")
            let wrong = try await app.call(.PUT, "/api/v1/municipalities/alpha/import-mappings", as: admin,
                                           json: #"{"kind":"category","foreign_value":"Дороги","target":"\#(f.beta.rubrics["roads"]!.uuidString)"}"#)
            #expect(wrong.status == .unprocessableEntity, "рубрика чужого округа")
            let up2 = try await app.upload(file, tenant: "alpha", profileID: profile, name: "im.csv", as: admin)
            #expect(up2.json["preview"]?["unmapped"]?.array.isEmpty == true)
            let done = try await app.commitAndWait(up2.json["id"]!.string!, tenant: "alpha", as: admin)
            #expect(done["created"]?.int == 2, "\(done)")
            let vk = try #require(try await CaseRecord.query(on: app.db).filter(\.$externalID == "https://vk.com/wall-1_100").first())
            #expect(vk.channel == "incident_manager" && vk.platform == "vk" && vk.sourceURL == "https://vk.com/wall-1_100")
            #expect(vk.text.hasPrefix("Опять не вывезли мусор во дворе; контейнеры"))
            #expect(vk.categoryID == f.alpha.rubrics["zhkh"] && vk.organisationID == f.alpha.orgs["zhkh"])
            #expect(vk.authorName == "Иван Вымышленный")
        }
    }

    @Test("Негодные файлы: нет обязательного столбца, XLS, мусор, «zip-бомба», 200 000 строк — понятная причина, ничего не записано",
          arguments: TestDB.all)
    func badFiles(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            let op = try await app.signIn("a.operator")
            let profile = try await app.profileID("pos", tenant: "alpha", as: op)
            func detail(_ data: Data) async throws -> String {
                let res = try await app.upload(data, tenant: "alpha", profileID: profile, name: "bad", as: op)
                #expect(res.status == .unprocessableEntity, "\(res.body.string)")
                return res.json["detail"]?.string ?? ""
            }
            let noDate = "Номер;Категория;Статус\n1;ЖКХ;В работе\n"
            let d1 = try await detail(Data(noDate.utf8))
            #expect(d1.contains("«Дата поступления»") && d1.contains("Найдены столбцы: «Номер», «Категория», «Статус»"), "\(d1)")
            let d2 = try await detail(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 600)))
            #expect(d2.contains("XLS"), "\(d2)")
            let d3 = try await detail(Data((0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }))
            #expect(d3.contains("кодировк"), "\(d3)")
            let bombSheet = Array(repeating: UInt8(ascii: " "), count: 40_000_000)
            let bomb = try XLSXPackage.write([("xl/workbook.xml", Array(#"<workbook><sheets><sheet name="a" r:id="rId1"/></sheets></workbook>"#.utf8)),
                                              ("xl/worksheets/sheet1.xml", bombSheet)])
            let d4 = try await detail(bomb)
            #expect(d4.contains("zip-бомб"), "\(d4)")
            let d5 = try await detail(Data("PK\u{03}\u{04}обрывок".utf8))
            #expect(d5.contains("XLSX"), "\(d5)")
            // A 200 000-row export is refused as a whole with the way out, before anything is stored.
            var big = "Номер;Дата поступления\n"
            big.reserveCapacity(5_000_000)
            for i in 0..<200_000 { big += "P-\(i);10.01.2026 09:00\n" }
            // The count is written with the Russian thousands separator (a no-break space).
            let d6 = try await detail(Data(big.utf8)).replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
            #expect(d6.contains("больше 150 000 строк") && d6.contains("разделите выгрузку"), "\(d6)")
            #expect(try await ImportRun.query(on: app.db).count() == 0)
            #expect(try await CaseRecord.query(on: app.db).count() == 0)
            // An executor may not import.
            let exec = try await app.signIn("a.exec.zhkh")
            let denied = try await app.upload(Data(noDate.utf8), tenant: "alpha", profileID: profile, name: "x.csv", as: exec)
            #expect(denied.status == .forbidden)
        }
    }
}
