import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

@Suite("Страницы загрузки выгрузок, профилей и таблиц соответствий")
struct ImportPagesTests {
    /// The page's path of a run from the redirect after upload.
    private func runPath(_ res: TestingHTTPResponse) -> String? {
        guard let l = res.location, l.contains("/imports/") else { return nil }
        return l
    }

    @Test("Оператор: файл → предпросмотр с несопоставленным значением → администратор сопоставляет → проверка заново → загрузка → отчёт",
          arguments: TestDB.all)
    func operatorImportsInTheBrowser(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(try TimeText.parseRFC3339("2026-01-12T03:00:00Z"))
            let op = try await WebVisitor.signIn(app, "a.operator")
            let list = try await op.get("/m/alpha/imports")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("ПОС: выгрузка сообщений"), "поставляемые профили предлагаются сразу")
            let profile = try await app.profileID("pos", tenant: "alpha", as: try await app.signIn("a.operator"))
            let file = try ExportFixtures.pos([
                .init(number: "W-1", received: ExportFixtures.serial(10, 1, 2026, 9, 30)),
                .init(number: "W-2", received: ExportFixtures.serial(10, 1, 2026, 10), category: ["Благоустройство", "Ямы во дворах", "Яма"],
                      text: "Яма у дома <script>alert(1)</script> (демонстрационный текст)"),
                .init(number: "W-3", received: .text("31.02.2026")),
            ])
            let uploaded = try await op.upload("/m/alpha/imports", ["profile_id": profile],
                                               file: ("file", "pos-export.xlsx", file), csrfFrom: "/m/alpha/imports")
            let path = try #require(runPath(uploaded), "\(uploaded.status) \(uploaded.body.string.prefix(300))")
            var page = try await op.get(path).body.string
            #expect(page.contains("Предпросмотр: ничего ещё не записано"))
            #expect(page.contains("Строк с данными</dt><dd id=\"preview-total\">3</dd>"), "три строки данных под заголовком")
            #expect(page.contains("Благоустройство / Ямы во дворах / Яма"), "несопоставленная рубрика названа")
            #expect(page.contains("Попросите администратора"), "оператор не правит таблицы, ему сказано, кого просить")
            #expect(page.contains("«Дата поступления»"), "ошибка строки названа заголовком файла")
            #expect(!page.contains("<script>alert(1)</script>") && page.contains("&lt;script&gt;"), "текст заявителя экранирован")
            let count = try await CaseRecord.query(on: app.db).count()
            #expect(count == 0, "предпросмотр ничего не пишет")

            // The administrator maps the foreign rubric from the table's tab.
            let admin = try await WebVisitor.signIn(app, "a.admin")
            let tab = try await admin.get("/m/alpha/admin/import-mappings?kind=category&value=" + WebVisitor.encode("Благоустройство / Ямы во дворах / Яма"))
            #expect(tab.body.string.contains("value=\"Благоустройство / Ямы во дворах / Яма\""), "значение подставлено из ссылки предпросмотра")
            let bad = try await admin.submit("/m/alpha/admin/import-mappings", ["kind": "category", "foreign_value": "Яма", "target": ""],
                                             csrfFrom: "/m/alpha/admin/import-mappings")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("field-error"), "пустая цель — ошибка у поля")
            let saved = try await admin.submit("/m/alpha/admin/import-mappings",
                                               ["kind": "category", "foreign_value": "Благоустройство / Ямы во дворах / Яма",
                                                "target": f.alpha.rubrics["roads"]!.uuidString], csrfFrom: "/m/alpha/admin/import-mappings")
            #expect(saved.status == .seeOther, "\(saved.body.string.prefix(300))")
            #expect(try await admin.get(saved.location ?? "/").body.string.contains("теперь загружается как «Дороги»"))

            _ = try await op.submit(path + "/recheck", [:], csrfFrom: path)
            page = try await op.get(path).body.string
            #expect(!page.contains("preview-unmapped"), "после сопоставления несопоставленных значений нет")

            let committed = try await op.submit(path + "/commit", [:], csrfFrom: path)
            #expect(committed.location == path)
            let runID = String(path.split(separator: "/").last!)
            for _ in 0..<400 {
                let run = try await op.get("/api/v1/municipalities/alpha/imports/\(runID)").json
                if run["status"]?.string == "done" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            page = try await op.get(path).body.string
            #expect(page.contains("Загрузка завершена"))
            #expect(page.contains("<dd data-count=\"created\">2</dd>") && page.contains("<dd data-count=\"rejected\">1</dd>"), "две создано, одна отклонена")
            let report = try await op.get(path + "/report.xlsx")
            #expect(report.status == .ok)
            #expect(report.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            var source = try SpreadsheetSource.open(Data(buffer: report.body))
            let rows = try source.next(100, afterHeader: 0).map(\.cells)
            #expect(rows.contains { $0.count == 5 && $0[0] == "5" && $0[1] == "отклонено" && $0[4].contains("Дата поступления") },
                    "отчёт называет строку файла и причину: \(rows)")
            let mapped = try await CaseRecord.query(on: app.db).filter(\CaseRecord.$externalID == "W-2").first()
            #expect(mapped?.categoryID == f.alpha.rubrics["roads"], "рубрика взята из таблицы соответствий")
            #expect(try await op.submit(path + "/commit", [:], csrfFrom: path).location == path, "повторный запуск не делает второй загрузки")
            #expect(try await CaseRecord.query(on: app.db).count() == 2)

            // An executor has no import page.
            let exec = try await WebVisitor.signIn(app, "a.exec.zhkh")
            #expect(try await exec.get("/m/alpha/imports").status == .forbidden)
            #expect(!(try await exec.get("/m/alpha/cases").body.string.contains("Загрузка выгрузок")))
        }
    }

    @Test("Администратор строит свой профиль, выбирая столбцы образца; ошибки и чужая правка — понятные", arguments: TestDB.all)
    func administratorPicksColumns(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            app.clock.set(try TimeText.parseRFC3339("2026-01-12T03:00:00Z"))
            let admin = try await WebVisitor.signIn(app, "a.admin")
            let created = try await admin.submit("/m/alpha/admin/import-profiles",
                                                 ["name": "Обращения с сайта", "start": "generic", "channel": "email"],
                                                 csrfFrom: "/m/alpha/admin/import-profiles")
            let editor = try #require(created.location, "\(created.status) \(created.body.string.prefix(300))")
            let csv = Data("Журнал обращений с сайта (демо)\n№ п/п;Дата обращения;Суть;Район;Лишнее\n1;10.01.2026 09:00;Не горит фонарь;Центр;x\n".utf8)
            let sample = try await admin.upload(editor + "/sample", [:], file: ("file", "site.csv", csv), csrfFrom: editor)
            let html = sample.body.string
            #expect(sample.status == .ok)
            #expect(html.contains("строка заголовков №1") || html.contains("строка заголовков №2"), "строка заголовков найдена")
            for header in ["№ п/п", "Дата обращения", "Суть", "Район"] { #expect(html.contains(">\(header)</label>"), "столбец «\(header)» предложен") }

            // The page's own form as the browser would send it, with the picks changed.
            let version = try #require(Self.value(of: "version", in: html))
            var form: [String: String] = ["name": "Обращения с сайта", "channel": "email", "version": version, "empty_markers": "-",
                                          "keep": "", "sample_count": Self.value(of: "sample_count", in: html) ?? "0",
                                          "sample_line": Self.value(of: "sample_line", in: html) ?? "0"]
            for field in ImportField.allCases { form["col_" + field.rawValue] = Self.value(of: "col_" + field.rawValue, in: html) ?? "" }
            let count = Int(form["sample_count"]!)!
            for i in 0..<count { form["sample_\(i)"] = Self.value(of: "sample_\(i)", in: html) ?? "" }
            func pick(_ header: String, _ value: String) {
                if let i = (0..<count).first(where: { form["sample_\($0)"] == header }) { form["pick_\(i)"] = value }
            }
            pick("№ п/п", "external_id"); pick("Суть", "text"); pick("Район", "territory"); pick("Лишнее", "keep")

            // Without a date column the profile is refused, next to the field, and what was picked stays.
            var noDate = form
            noDate["col_received_at"] = ""
            let token = WebVisitor.csrf(in: html)
            let refused = try await admin.submit(editor, noDate, csrf: token)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("укажите столбец с датой поступления"))
            #expect(refused.body.string.contains("value=\"№ п/п\""), "выбранное в образце не потеряно")

            pick("Дата обращения", "received_at")
            let ok = try await admin.submit(editor, form, csrf: token)
            #expect(ok.status == .seeOther, "\(ok.body.string.prefix(500))")
            let id = String(editor.split(separator: "/").last!)
            let record = try #require(try await ImportProfileRecord.find(UUID(uuidString: id), on: app.db))
            let saved = ImportProfiles.profile(record)
            #expect(saved.headers(for: .externalID).first == "№ п/п")
            #expect(saved.headers(for: .receivedAt).first == "Дата обращения")
            #expect(saved.headers(for: .text).first == "Суть")
            #expect(saved.headers(for: .territory) == ["Район"])
            #expect(saved.keep == ["Лишнее"])
            #expect(saved.channel == .email)

            // The same form again is stale: the page says so and keeps the typed values.
            var stale = form
            stale["name"] = "Обращения с сайта (правка)"
            let conflict = try await admin.submit(editor, stale, csrf: token)
            #expect(conflict.status == .conflict)
            #expect(conflict.body.string.contains("Ваши правки остались в форме"))
            #expect(conflict.body.string.contains("value=\"Обращения с сайта (правка)\""))

            // The operator imports a file with this profile: found by the picked headers.
            let op = try await WebVisitor.signIn(app, "a.operator")
            let up = try await op.upload("/m/alpha/imports", ["profile_id": id], file: ("file", "site.csv", csv), csrfFrom: "/m/alpha/imports")
            let page = try await op.get(try #require(runPath(up), "\(up.body.string.prefix(300))")).body.string
            #expect(page.contains("<dd id=\"preview-total\">1</dd>"))
            #expect(page.contains("Не горит фонарь"))

            // A used profile cannot be deleted; the reason is shown.
            let del = try await admin.submit(editor + "/delete", [:], csrfFrom: editor)
            #expect(del.location == editor)
            #expect(try await admin.get(editor).body.string.contains("уже загружались файлы"))
        }
    }

    /// The value of a named input in a page (`name="…" value="…"` or a textarea's text).
    static func value(of name: String, in html: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\"") else { return nil }
        let tail = html[r.upperBound...]
        if let v = tail.range(of: "value=\""), tail[..<v.lowerBound].contains(">") == false {
            let rest = tail[v.upperBound...]
            return rest.firstIndex(of: "\"").map { Self.unescape(String(rest[..<$0])) }
        }
        return nil
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
