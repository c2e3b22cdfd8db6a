import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Сигналы риска»: the four word lists, each editable (one entry per line) or reset to the shipped one.
struct RiskLexiconPage {
    struct ListView: Encodable {
        var signal: String
        var title: String
        var text: String
        var shipped: Bool
        var version: Int
        var updatedBy: String?
        var count: Int
        var error: String?
    }
    struct Context: Encodable {
        var layout: Layout
        var lists: [ListView]
        var mayManage: Bool
        var urgentScore: Int
        var riskScore: Int
        var weights: [String]
    }

    func show(req: Request) async throws -> Response { try await render(req, failed: nil) }

    func save(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let signal = req.parameters.get("signal") ?? ""
        let entries = (form.raw("entries") ?? "").split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
        var body: [String: JSONValue] = ["version": form["version"].flatMap(Double.init).map(JSONValue.number) ?? .null]
        if form["intent"] == "reset" { body["reset"] = .bool(true) } else { body["entries"] = .array(entries.map(JSONValue.string)) }
        do {
            _ = try await APIBridge.call(req, body: body, parameters: ["signal": signal]) { sub in try await RiskLexiconController().save(req: sub) }
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/risk-lexicon",
                                    flash: form["intent"] == "reset" ? "Словарь возвращён к списку по умолчанию." : "Словарь сохранён. Он действует для новых обращений.")
        } catch let problem as Problem where [409, 422].contains(problem.statusCode) {
            return try await render(req, failed: (signal, form.raw("entries") ?? "", problem), status: problem.status)
        }
    }

    private func render(_ req: Request, failed: (String, String, Problem)?, status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.tenant
        let lists = try await RiskLexiconController().list(req: req).map { l in
            var v = ListView(signal: l.signal, title: l.title, text: l.entries.joined(separator: "\n"), shipped: l.shipped,
                             version: l.version, updatedBy: l.updated_by, count: l.entries.count)
            if let (signal, typed, problem) = failed, signal == l.signal {
                v.text = typed
                v.error = problem.errors?.map(\.reason).joined(separator: "; ") ?? problem.detail ?? problem.title
            }
            return v
        }
        return try await WebPage.render(req, "admin/risk_lexicon", Context(
            layout: try await WebPage.layout(req, title: "Сигналы риска", active: "admin", access: access),
            lists: lists, mayManage: RiskLexicons.mayManage(access), urgentScore: RiskLexicon.urgentScore, riskScore: RiskLexicon.riskScore,
            weights: RiskSignal.allCases.map { "\($0.title): \($0.weight) за каждое найденное, не больше \($0.cap)" }), status: status)
    }
}
