import Fluent
import Foundation
import OtklikCore
import Vapor

/// The regulation of every channel: what is in force (the default of REGULATIONS.md or this municipality's
/// setting) and a form per channel. A blank field keeps the default; «off» switches a clock off.
struct RegulationPage {
    struct Cell: Encodable { var label: String; var value: String }
    struct Item: Encodable { var key: String; var title: String; var customised: Bool; var cells: [Cell]; var forms: [AdminForm] }
    struct Context: Encodable { var layout: Layout; var items: [Item]; var openRow: String; var syntax: [String] }

    static let clockLabels: [(String, String)] = [
        ("take_in_work", "Взять в работу"), ("first_response", "Первичный ответ"), ("forward", "Переадресация (59-ФЗ)"),
        ("final_answer", "Окончательный ответ"), ("assignment_limit", "Предел срока исполнителя"), ("feedback_window", "Окно оценки"),
    ]

    func show(req: Request) async throws -> Response { try await render(req, failed: nil) }

    func save(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let key = req.parameters.get("key") ?? ""
        var body: [String: JSONValue] = [:]
        for (field, _) in Self.clockLabels { body[field] = form[field].map(JSONValue.string) ?? .null }
        body["silence_accepts"] = form["silence_accepts"].map { .bool($0 == "true") } ?? .null
        for field in ["max_extensions", "max_extension_days", "reminder_minutes"] {
            body[field] = form[field].map { Double($0).map(JSONValue.number) ?? .string($0) } ?? .null
        }
        do {
            _ = try await APIBridge.call(req, body: body) { sub in try await RegulationController().updateChannel(req: sub) }
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/regulation",
                                    flash: "Регламент канала сохранён. Он применяется к срокам, которые начнутся после изменения.")
        } catch let problem as Problem where problem.statusCode == 422 {
            return try await render(req, failed: (key, form, problem), status: .unprocessableEntity)
        }
    }

    private func render(_ req: Request, failed: (String, FormFields, Problem)?, status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.tenant
        try RegulationController.requireEditor(access)
        let rows = try await RegulationSetting.query(on: req.db).filter(\.$tenantID == access.tenantID).all()
        let book = try RegulationSettings.book(rows)
        var items: [Item] = []
        for key in ProfileKey.allCases {
            let p = book.channelProfile(key)
            let defaults = RegulationProfile.shipped(key)
            let stored = rows.first { $0.scope == "channel" && $0.profileKey == key.rawValue }.map(RegulationController.stored) ?? [:]
            func text(_ r: ClockRule?) -> String { r?.russian ?? "нет" }
            let rules: [String: ClockRule?] = ["take_in_work": p.takeInWork, "first_response": p.firstResponse, "forward": p.forward,
                                               "final_answer": p.finalAnswer, "assignment_limit": p.assignmentLimit,
                                               "feedback_window": p.feedbackWindow]
            let shippedRules: [String: ClockRule?] = ["take_in_work": defaults.takeInWork, "first_response": defaults.firstResponse,
                                                      "forward": defaults.forward, "final_answer": defaults.finalAnswer,
                                                      "assignment_limit": defaults.assignmentLimit, "feedback_window": defaults.feedbackWindow]
            var cells = Self.clockLabels.map { Cell(label: $0.1, value: text(rules[$0.0] ?? nil)) }
            cells.append(Cell(label: "Молчание заявителя", value: p.silenceAccepts ? "ответ принят" : "ответ не принят"))
            cells.append(Cell(label: "Переносов срока", value: p.maxExtensions.map { "\($0), до \(p.maxExtensionDays.map(String.init) ?? "—") дн." } ?? "без ограничения"))
            cells.append(Cell(label: "Напоминание", value: "за \(p.reminderMinutes) мин"))
            var fields = Self.clockLabels.map { field, label in
                AdminField(name: field, label: label, kind: .text, value: stored[field] ?? "",
                           hint: "по умолчанию: " + ((shippedRules[field] ?? nil).map { "\($0.spec) — \($0.russian)" } ?? "нет"))
            }
            let silence = stored["silence_accepts"] ?? ""
            fields.append(AdminField(name: "silence_accepts", label: "Молчание заявителя до конца окна", kind: .select, value: silence,
                                     options: [Choice(value: "", title: "по умолчанию (\(defaults.silenceAccepts ? "принято" : "не принято"))", selected: silence.isEmpty),
                                               Choice(value: "true", title: "ответ принят", selected: silence == "true"),
                                               Choice(value: "false", title: "ответ не принят", selected: silence == "false")]))
            fields.append(AdminField(name: "max_extensions", label: "Сколько раз можно перенести срок", kind: .number,
                                     value: stored["max_extensions"] ?? "", hint: "по умолчанию: \(defaults.maxExtensions.map(String.init) ?? "без ограничения")"))
            fields.append(AdminField(name: "max_extension_days", label: "Перенос не более чем на (дней)", kind: .number,
                                     value: stored["max_extension_days"] ?? "", hint: "по умолчанию: \(defaults.maxExtensionDays.map(String.init) ?? "без ограничения")"))
            fields.append(AdminField(name: "reminder_minutes", label: "Напоминать за (рабочих минут)", kind: .number,
                                     value: stored["reminder_minutes"] ?? "", hint: "по умолчанию: \(defaults.reminderMinutes)"))
            var form = AdminForm(id: key.rawValue, action: "/m/\(access.slug)/admin/regulation/\(key.rawValue)", submit: "Сохранить", fields: fields)
            if let (k, typed, problem) = failed, k == key.rawValue { form = form.refilled(typed, problem: problem) }
            items.append(Item(key: key.rawValue, title: key.title, customised: !stored.isEmpty, cells: cells, forms: [form]))
        }
        return try await WebPage.render(req, "admin/regulation", Context(
            layout: try await WebPage.layout(req, title: "Регламент каналов", active: "admin", access: access),
            items: items, openRow: failed?.0 ?? "",
            syntax: ["working_hours:60 — 60 рабочих минут (1 рабочий час)", "working_days:8 — 8 рабочих дней",
                     "calendar_days:14 — 14 календарных дней", "daily:1440 — 24 часа, все дни недели",
                     "by_local_time:18:00 — до 18:00 местного времени", "off — срок выключен", "пусто — как по умолчанию"]), status: status)
    }
}
