import Fluent
import Foundation
import OtklikCore
import Vapor

/// The municipality's own settings: name, OKTMO, time zone and working hours (they drive every deadline).
struct SettingsPage {
    static let zones = ["Europe/Kaliningrad", "Europe/Moscow", "Europe/Volgograd", "Europe/Astrakhan", "Europe/Saratov",
                        "Europe/Ulyanovsk", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk",
                        "Asia/Barnaul", "Asia/Tomsk", "Asia/Novokuznetsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Chita",
                        "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Sakhalin", "Asia/Magadan", "Asia/Srednekolymsk",
                        "Asia/Kamchatka", "Asia/Anadyr"]

    func show(req: Request) async throws -> Response {
        try await render(req, failed: nil)
    }

    func save(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let fields = try await self.fields(req)
        do {
            _ = try await APIBridge.call(req, body: AdminForm.body(fields, form: form)) { sub in
                try await MunicipalitiesController().update(req: sub)
            }
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/settings",
                                    flash: "Настройки сохранены. Новые сроки считаются по ним; сроки открытых обращений не меняются.")
        } catch let problem as Problem where problem.statusCode == 422 {
            return try await render(req, failed: (form, problem), status: .unprocessableEntity)
        }
    }

    private func fields(_ req: Request) async throws -> [AdminField] {
        let access = try req.tenant
        guard let m = try await Municipality.find(access.tenantID, on: req.db) else { throw Problem.notFound("Не найдено") }
        let zones = Self.zones.contains(m.timeZone) ? Self.zones : Self.zones + [m.timeZone]
        let zone = { (id: String) -> String in
            let offset = (TimeZone(identifier: id)?.secondsFromGMT() ?? 0) / 3600
            return "\(id) (UTC\(offset >= 0 ? "+" : "")\(offset))"
        }
        return [
            AdminField(name: "name", label: "Название", kind: .text, value: m.name),
            AdminField(name: "oktmo", label: "ОКТМО", kind: .text, value: m.oktmo ?? "", hint: "8 или 11 цифр"),
            AdminField(name: "time_zone", label: "Часовой пояс", kind: .select, value: m.timeZone,
                       options: zones.map { Choice(value: $0, title: zone($0), selected: $0 == m.timeZone) }),
            AdminField(name: "work_start", label: "Начало рабочего дня", kind: .time, value: m.workingHours.startText),
            AdminField(name: "work_end", label: "Конец рабочего дня", kind: .time, value: m.workingHours.endText,
                       hint: "в предпраздничный день — на час раньше"),
        ]
    }

    private func render(_ req: Request, failed: (FormFields, Problem)?, status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        var form = AdminForm(id: "settings", action: "/m/\(access.slug)/admin/settings", submit: "Сохранить", fields: try await fields(req))
        if let (typed, problem) = failed { form = form.refilled(typed, problem: problem) }
        return try await WebPage.render(req, "admin/book", ReferenceBookPages.Context(
            layout: try await WebPage.layout(req, title: "Настройки муниципалитета", active: "admin", access: access),
            heading: "Настройки муниципалитета",
            intro: "Часовой пояс и рабочие часы определяют все сроки регламента и отсчёт во «Входящих».",
            columns: [], rows: [], empty: true, createForms: [form], single: true, openRow: "", books: []), status: status)
    }
}
