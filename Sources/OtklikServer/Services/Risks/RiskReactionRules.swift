import Fluent
import Foundation
import OtklikCore
import SQLKit

/// The first-reaction deadline per criticality: REGULATIONS.md's defaults, which a municipality's
/// administrator may change (every change audited).
enum RiskReactionRules {
    static func load(tenantID: UUID, on db: any Database) async throws -> [RiskCriticality: ClockRule] {
        struct Row: Decodable { var criticality: String; var rule: String }
        let rows = try await (db as! any SQLDatabase).select().columns("criticality", "rule").from("risk_reaction_rules")
            .where("tenant_id", .equal, tenantID).all(decoding: Row.self)
        var out = Dictionary(uniqueKeysWithValues: RiskCriticality.allCases.map { ($0, $0.defaultReaction) })
        for row in rows {
            if let level = RiskCriticality(rawValue: row.criticality), case .success(let rule) = ClockRule.parse(spec: row.rule) {
                out[level] = rule
            }
        }
        return out
    }

    /// Replaces the rules given; a rule equal to the default is stored all the same (the choice is explicit).
    static func save(_ rules: [RiskCriticality: ClockRule], tenantID: UUID, by label: String, now: Date, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for (level, rule) in rules {
            try await sql.delete(from: "risk_reaction_rules").where("tenant_id", .equal, tenantID).where("criticality", .equal, level.rawValue).run()
            try await sql.insert(into: "risk_reaction_rules").columns("tenant_id", "criticality", "rule", "updated_at", "updated_by")
                .values(SQLBind(tenantID), SQLBind(level.rawValue), SQLBind(rule.spec), SQLBind(now), SQLBind(label)).run()
        }
    }

    /// When the first reaction is due for a risk of `level` noticed at `start`, and when to remind
    /// (half-way: 2 h before a 4-hour deadline, 15 min before a 30-minute one).
    static func clock(_ level: RiskCriticality, from start: Date, rules: [RiskCriticality: ClockRule], schedule: WorkSchedule) -> (due: Date, remind: Date) {
        let due = schedule.deadline(rules[level] ?? level.defaultReaction, from: start).due
        return (due, start.addingTimeInterval(max(0, due.timeIntervalSince(start)) / 2))
    }
}
