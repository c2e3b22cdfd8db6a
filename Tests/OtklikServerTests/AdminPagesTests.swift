import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor
import VaporTesting

/// Administration pages: only the administrator opens them; each form writes through the API's checks.
@Suite("Веб-интерфейс: администрирование")
struct AdminPagesTests {
    static let pages = ["/m/alpha/admin", "/m/alpha/admin/settings", "/m/alpha/admin/books/organisations",
                        "/m/alpha/admin/books/blocks", "/m/alpha/admin/books/rubrics", "/m/alpha/admin/books/territories",
                        "/m/alpha/admin/users", "/m/alpha/admin/regulation", "/m/alpha/admin/calendar?year=2026",
                        "/m/alpha/admin/templates", "/m/alpha/admin/audit"]

    @Test("Страницы администрирования открывает администратор; остальным — отказ на русском", arguments: TestDB.all)
    func access(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            let admin = try await WebVisitor.signIn(app, "a.admin")
            for page in Self.pages {
                let res = try await admin.get(page)
                #expect(res.status == .ok, "\(page): \(res.status)")
            }
            let exec = try await WebVisitor.signIn(app, "a.exec.zhkh")
            for page in Self.pages {
                let res = try await exec.get(page)
                #expect(res.status == .forbidden, "\(page): \(res.status)")
                #expect(res.body.string.contains("Доступ запрещён"))
            }
            let foreign = try await WebVisitor.signIn(app, "b.admin")
            #expect(try await foreign.get("/m/alpha/admin").status == .forbidden, "администратор другого муниципалитета")
        }
    }

    @Test("Справочники и настройки: ошибка у поля с введённым, успешная запись — в справочнике и журнале", arguments: TestDB.all)
    func booksAndSettings(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let admin = try await WebVisitor.signIn(app, "a.admin")
            let path = "/m/alpha/admin/books/organisations"
            let clash = try await admin.submit(path, ["name": "Отдел дорог a", "kind": "department", "email": "roads@example.org"], csrfFrom: path)
            #expect(clash.status == .unprocessableEntity)
            #expect(clash.body.string.contains("организация с таким названием уже есть") && clash.body.string.contains("roads@example.org"))
            let ok = try await admin.submit(path, ["name": "Отдел культуры a", "kind": "department",
                                                   "parent_id": f.alpha.orgs["zhkh"]!.uuidString], csrfFrom: path)
            #expect(ok.location == path)
            let org = try await Organisation.query(on: app.db).filter(\.$name == "Отдел культуры a").first()
            #expect(org?.parentID == f.alpha.orgs["zhkh"] && org?.tenantID == f.alpha.id)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "organisation.create").count() == 1)

            let t = "/m/alpha/admin/books/territories"
            let badCoords = try await admin.submit(t, ["name": "Посёлок Новый", "kind": "settlement", "latitude": "95"], csrfFrom: t)
            #expect(badCoords.status == .unprocessableEntity)
            #expect(badCoords.body.string.contains("Посёлок Новый"))
            let renamed = try await admin.submit(t + "/" + f.alpha.territories["centre"]!.uuidString,
                                                 ["name": "Центральный район", "kind": "district", "latitude": "52.9", "longitude": "87.9"], csrfFrom: t)
            #expect(renamed.location == t)
            #expect(try await Territory.find(f.alpha.territories["centre"]!, on: app.db)?.name == "Центральный район")

            let s = "/m/alpha/admin/settings"
            let badZone = try await admin.submit(s, ["name": "Округ a", "time_zone": "Mars/Olympus", "work_start": "09:00", "work_end": "08:00"], csrfFrom: s)
            #expect(badZone.status == .unprocessableEntity)
            #expect(badZone.body.string.contains("field-error"))
            let saved = try await admin.submit(s, ["name": "Округ a", "time_zone": "Europe/Moscow", "work_start": "09:00", "work_end": "18:00"], csrfFrom: s)
            #expect(saved.location == s)
            let m = try await Municipality.find(f.alpha.id, on: app.db)!
            #expect(m.timeZone == "Europe/Moscow" && m.workingHours.startText == "09:00" && m.workingHours.endText == "18:00")
        }
    }

    @Test("Пользователь: создание с ролью и одноразовым паролем, вход с ним требует смены; роль снимается", arguments: TestDB.all)
    func users(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let admin = try await WebVisitor.signIn(app, "a.admin")
            let path = "/m/alpha/admin/users"
            let noOrg = try await admin.submit(path, ["login": "a.exec.new", "full_name": "Новый Исполнитель", "role": "executor"], csrfFrom: path)
            #expect(noOrg.status == .unprocessableEntity)
            #expect(noOrg.body.string.contains("укажите организацию") && noOrg.body.string.contains("Новый Исполнитель"))
            let created = try await admin.submit(path, ["login": "a.exec.new", "full_name": "Новый Исполнитель", "role": "executor",
                                                        "organisation_id": f.alpha.orgs["roads"]!.uuidString], csrfFrom: path)
            #expect(created.location == path)
            let page = try await admin.get(path).body.string
            guard let r = page.range(of: "Одноразовый пароль: ") else { Issue.record("нет пароля в подтверждении"); return }
            let password = String(page[r.upperBound...].prefix { $0 != " " })
            let newcomer = try await WebVisitor.signIn(app, "a.exec.new", password: password)
            #expect(try await newcomer.get("/m/alpha/inbox").location == "/password")

            let user = try await User.query(on: app.db).filter(\.$login == "a.exec.new").first()!
            let grant = try await RoleAssignment.query(on: app.db).filter(\.$userID == user.id!).first()!
            let removed = try await admin.submit("\(path)/\(user.id!.uuidString)/roles/\(grant.id!.uuidString)/remove", [:], csrfFrom: path)
            #expect(removed.location == path)
            #expect(try await RoleAssignment.query(on: app.db).filter(\.$userID == user.id!).count() == 0)
            #expect(try await admin.get(path).body.string.contains("a.exec.new"), "пользователь без ролей остаётся в списке")
        }
    }

    @Test("Регламент канала и календарь: неверный срок — ошибка у поля; день меняется и записывается в журнал; год загружается файлом", arguments: TestDB.all)
    func regulationAndCalendar(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let admin = try await WebVisitor.signIn(app, "a.admin")
            let r = "/m/alpha/admin/regulation"
            let bad = try await admin.submit(r + "/pos", ["final_answer": "через неделю"], csrfFrom: r)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("через неделю") && bad.body.string.contains("field-error"))
            let good = try await admin.submit(r + "/pos", ["final_answer": "working_days:5", "reminder_minutes": "120"], csrfFrom: r)
            #expect(good.location == r)
            let overview = try await app.call(.GET, "/api/v1/municipalities/alpha/regulation", as: .token(f.alpha.token)).json
            let pos = overview["profiles"]?.array.first { $0["key"]?.string == "pos" }
            #expect(pos?["final_answer"]?["spec"]?.string == "working_days:5" && pos?["reminder_minutes"]?.int == 120)

            let c = "/m/alpha/admin/calendar?year=2026"
            let day = try await admin.submit("/m/alpha/admin/calendar/day", ["date": "2026-12-02", "kind": "day_off"], csrfFrom: c)
            #expect(day.location == c)
            let year = try await app.call(.GET, "/api/v1/municipalities/alpha/calendar/2026", as: .token(f.alpha.token)).json
            #expect(year["source"]?.string == "imported")
            #expect(year["days"]?.array.contains { $0["date"]?.string == "2026-12-02" && $0["kind"]?.string == "day_off" } == true)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "calendar.day").count() == 1)
            let wrongDate = try await admin.submit("/m/alpha/admin/calendar/day", ["date": "2026-02-30", "kind": "day_off"], csrfFrom: c)
            #expect(try await admin.get(wrongDate.location ?? "/").body.string.contains("День не изменён"))

            // A year file as an administrator uploads it (multipart).
            let xml = #"<?xml version="1.0" encoding="UTF-8"?><calendar year="2028" lang="ru"><days><day d="01.01" t="1"/><day d="01.02" t="1"/></days></calendar>"#
            let token = WebVisitor.csrf(in: try await admin.get("/m/alpha/admin/calendar?year=2028").body.string)!
            let boundary = "----otklik-test"
            let body = ["--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(token)\r\n",
                        "--\(boundary)\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n2028\r\n",
                        "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"2028.xml\"\r\nContent-Type: text/xml\r\n\r\n\(xml)\r\n",
                        "--\(boundary)--\r\n"].joined()
            var h = admin.headers
            h.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let uploaded = try await app.call(.POST, "/m/alpha/admin/calendar/import", headers: h, body: body)
            #expect(uploaded.location == "/m/alpha/admin/calendar?year=2028", "\(uploaded.status) \(uploaded.body.string.prefix(300))")
            #expect(try await admin.get("/m/alpha/admin/calendar?year=2028").body.string.contains("Календарь 2028 года загружен"))
        }
    }
}
