import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Классификатор обращений»: the municipality's trained models with their held-out figures per class,
/// «Обучить сейчас», and the settings of auto-apply and retraining.
struct ClassifierPage {
    struct ModelView: Encodable {
        var title: String
        var trainedAt: String
        var trainedBy: String
        var trigger: String
        var examples: Int
        var classes: Int
        var accuracy: String
        var macroF1: String
        var duration: String
        var warnings: [String]
        var rows: [RowView]
    }
    struct RowView: Encodable { var name: String; var precision: String; var recall: String; var f1: String; var support: Int }
    struct Context: Encodable {
        var layout: Layout
        var models: [ModelView]
        var missing: [String]
        var underWay: Bool
        var underWayText: String
        var pollURL: String
        var lastError: [String]
        var mayManage: Bool
        var trainAction: String
        var forms: [AdminForm]
        var threshold: String
        var minimumExamples: Int
        var version: Int
    }

    func show(req: Request) async throws -> Response { try await render(req, failed: nil) }

    func train(req: Request) async throws -> Response {
        let access = try req.tenant
        do {
            _ = try await TextTraining.start(req, targets: LabelTarget.allCases, wait: false)
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/classifier",
                                    flash: "Обучение началось. Оно идёт в фоне; страница обновится, когда модели будут готовы.")
        } catch let problem as Problem where problem.statusCode == 409 || problem.statusCode == 403 {
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/classifier", flash: problem.detail ?? problem.title, error: true)
        }
    }

    func save(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        var body: [String: JSONValue] = ["auto_apply": .bool(form.has("auto_apply")),
                                         "version": form["version"].flatMap(Double.init).map(JSONValue.number) ?? .null]
        let rawPercent = (form["threshold"] ?? "").replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "%", with: "")
            .trimmingCharacters(in: .whitespaces)
        guard let percent = Double(rawPercent), (50...99).contains(percent) else {
            return try await render(req, failed: (form, Problem.validation([FieldIssue("threshold", "укажите число от 50 до 99 (процентов)")])),
                                    status: .unprocessableEntity)
        }
        body["threshold"] = .number(percent / 100)
        body["retrain_days"] = form["retrain_days"].map { Double($0).map(JSONValue.number) ?? .string($0) } ?? .null
        do {
            _ = try await APIBridge.call(req, body: body) { sub in try await TextModelsController().saveSettings(req: sub) }
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/classifier", flash: "Настройки классификатора сохранены.")
        } catch let problem as Problem where problem.statusCode == 422 || problem.statusCode == 409 {
            return try await render(req, failed: (form, problem), status: problem.status)
        }
    }

    private func render(_ req: Request, failed: (FormFields, Problem)?, status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.tenant
        let overview = try await TextModelsController.overview(access, now: req.now, on: req.db)
        let zone = access.zone
        let percent = { (x: Double?) in x.map(KPISheet.percent) ?? "—" }
        let ratio = { (x: Double) in String(format: "%.2f", x).replacingOccurrences(of: ".", with: ",") }
        let models = overview.models.map { m in
            ModelView(title: m.title, trainedAt: RussianDate.dateTime(m.trained_at, in: zone), trainedBy: m.trained_by,
                      trigger: ["schedule": "по расписанию", "manual": "вручную", "demo": "демо-данные"][m.trigger] ?? m.trigger,
                      examples: m.examples, classes: m.classes, accuracy: percent(m.holdout_accuracy), macroF1: m.holdout_macro_f1.map(ratio) ?? "—",
                      duration: String(format: "%.1f с", Double(m.duration_ms) / 1000).replacingOccurrences(of: ".", with: ","),
                      warnings: m.warnings,
                      rows: m.report.sorted { $0.support > $1.support }.map {
                          RowView(name: $0.name ?? "(удалено из справочника)", precision: ratio($0.precision), recall: ratio($0.recall),
                                  f1: ratio($0.f1), support: $0.support)
                      })
        }
        let trained = Set(overview.models.map(\.target))
        let s = overview.settings
        let thresholdText = String(Int((s.threshold * 100).rounded()))
        var form = AdminForm(id: "classifier", action: "/m/\(access.slug)/admin/classifier/settings", submit: "Сохранить", fields: [
            AdminField(name: "auto_apply", label: "Применять подсказку автоматически, если уверенность не ниже порога", kind: .checkbox,
                       checked: s.auto_apply),
            AdminField(name: "threshold", label: "Порог уверенности, %", kind: .number, value: thresholdText,
                       hint: "от 50 до 99; применяется только к новым обращениям без категории, блока или организации"),
            AdminField(name: "retrain_days", label: "Переобучать каждые (дней)", kind: .number, value: String(s.retrain_days),
                       hint: "на закрытых обращениях; 0 — только вручную"),
        ])
        if let (typed, problem) = failed { form = form.refilled(typed, problem: problem) }
        var underWayText = ""
        if s.training_under_way, let started = s.training_started_at {
            underWayText = "Идёт обучение: начато \(RussianDate.dateTime(started, in: zone))\(s.training_by.map { ", \($0)" } ?? ""). Страница обновится сама."
        }
        return try await WebPage.render(req, "admin/classifier", Context(
            layout: try await WebPage.layout(req, title: "Классификатор обращений", active: "admin", access: access),
            models: models, missing: LabelTarget.allCases.filter { !trained.contains($0.rawValue) }.map(\.title),
            underWay: s.training_under_way, underWayText: underWayText,
            pollURL: "/api/v1/municipalities/\(access.slug)/text-models",
            lastError: (s.last_error ?? "").split(separator: "\n").map(String.init), mayManage: TextSettings.mayManage(access),
            trainAction: "/m/\(access.slug)/admin/classifier/train", forms: [form], threshold: thresholdText,
            minimumExamples: ClassifierTraining.minimumExamples, version: s.version), status: status)
    }
}
