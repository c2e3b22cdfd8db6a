import Fluent
import Foundation
import OtklikCore
import SQLKit

/// The cases a figure is about: the period and the slice (channel, block, organisation, territory,
/// topic) within what the reader may see. Parsed from the same query parameters as the case list, so a
/// figure's «обращения →» link opens exactly its cases.
struct AnalyticsSlice: Sendable {
    var tenantID: UUID
    var period: AnalyticsPeriod
    var channels: [String] = []
    var blockID: UUID?
    /// Already expanded to the subtree (a department's figures include its sub-departments).
    var organisationIDs: Set<UUID>?
    var territoryIDs: Set<UUID>?
    var categoryIDs: Set<UUID>?
    /// The reader's own restriction (an executor sees their organisations only).
    var visibleOrganisationIDs: Set<UUID>?
    /// The query parameters that reproduce this slice in the case list.
    var listParameters: [String: String]

    static func parse(_ q: [String: String], access: TenantAccess, now: Date, on db: any Database) async throws -> AnalyticsSlice {
        let filter = try CaseListFilter.parse(q, timeZone: access.zone)
        let period: AnalyticsPeriod
        switch (filter.from, filter.to) {
        case (nil, nil):
            period = AnalyticsPeriod.week(containing: now, in: access.zone)
        case (let from?, nil):
            period = try checked(from, now > from ? now : from.addingTimeInterval(86_400))
        case (nil, let to?):
            period = try checked(to.addingTimeInterval(-7 * 86_400), to)
        case (let from?, let to?):
            period = try checked(from, to)
        }
        var slice = AnalyticsSlice(tenantID: access.tenantID, period: period, channels: filter.channels, blockID: filter.blockID,
                                   visibleOrganisationIDs: access.visibleOrganisationIDs, listParameters: [:])
        if let id = filter.organisationID {
            try await requireExists(Organisation.self, id, tenantID: access.tenantID, field: "organisation", what: "организация", on: db)
            slice.organisationIDs = try await Trees.descendants(Organisation.self, of: [id], tenantID: access.tenantID, on: db)
        }
        if let id = filter.territoryID {
            try await requireExists(Territory.self, id, tenantID: access.tenantID, field: "territory", what: "территория", on: db)
            slice.territoryIDs = try await Trees.descendants(Territory.self, of: [id], tenantID: access.tenantID, on: db)
        }
        if let id = filter.categoryID {
            try await requireExists(Rubric.self, id, tenantID: access.tenantID, field: "category", what: "тема", on: db)
            slice.categoryIDs = try await Trees.descendants(Rubric.self, of: [id], tenantID: access.tenantID, on: db)
        }
        if let id = filter.blockID, try await ThematicBlock.query(on: db).withDeleted().filter(\.$tenantID == access.tenantID).filter(\.$id == id).count() == 0 {
            throw Problem.validation([FieldIssue("block", "блок не найден в этом муниципальном образовании")])
        }
        var list: [String: String] = ["from": TimeText.formatRFC3339(period.from), "to": TimeText.formatRFC3339(period.to)]
        for key in ["channel", "block", "organisation", "territory", "category"] { if let v = q[key], !v.isEmpty { list[key] = v } }
        slice.listParameters = list
        return slice
    }

    /// For pages: a bad filter is reported above the page and the default week is shown instead of an
    /// error page. Returns the slice, the parameters actually applied and the message.
    static func forPage(_ params: [String: String], access: TenantAccess, now: Date,
                        on db: any Database) async throws -> (AnalyticsSlice, [String: String], String?) {
        do { return (try await parse(params, access: access, now: now, on: db), params, nil) } catch let problem as Problem where problem.statusCode == 422 {
            let message = "Фильтр не применён: " + problem.reasonsByField.values.sorted().joined(separator: "; ")
            return (try await parse([:], access: access, now: now, on: db), [:], message)
        }
    }

    private static func checked(_ from: Date, _ to: Date) throws -> AnalyticsPeriod {
        do { return try AnalyticsPeriod(from: from, to: to) } catch {
            throw Problem.validation([FieldIssue(error == .empty ? "to" : "from", error.russian)], detail: "Неверный период")
        }
    }

    private static func requireExists<M: TreeNode>(_ type: M.Type, _ id: UUID, tenantID: UUID, field: String, what: String,
                                                   on db: any Database) async throws {
        if try await M.query(on: db).withDeleted().filter(M.tenantField == tenantID).filter(\._$id == id).count() == 0 {
            throw Problem.validation([FieldIssue(field, "\(what) не найдена в этом муниципальном образовании")])
        }
    }

    /// The same slice over another period (the comparisons).
    func over(_ other: AnalyticsPeriod) -> AnalyticsSlice {
        var s = self
        s.period = other
        return s
    }

    /// WHERE conditions on the cases table (qualified, so they work in joins), received within the period.
    func conditions(table: String = "cases", period: Bool = true) -> [any SQLExpression] {
        func col(_ name: String) -> SQLColumn { SQLColumn(name, table: table) }
        var out: [any SQLExpression] = [SQLBinaryExpression(col("tenant_id"), .equal, SQLBind(tenantID))]
        if period {
            out.append(SQLBinaryExpression(col("received_at"), .greaterThanOrEqual, SQLBind(self.period.from)))
            out.append(SQLBinaryExpression(col("received_at"), .lessThan, SQLBind(self.period.to)))
        }
        if !channels.isEmpty { out.append(SQLBinaryExpression(col("channel"), .in, SQLGroupExpression(channels.map { SQLBind($0) }))) }
        if let blockID { out.append(SQLBinaryExpression(col("block_id"), .equal, SQLBind(blockID))) }
        for (name, ids) in [("organisation_id", organisationIDs), ("territory_id", territoryIDs), ("category_id", categoryIDs),
                            ("organisation_id", visibleOrganisationIDs)] {
            guard let ids else { continue }
            out.append(ids.isEmpty ? SQLRaw("1 = 0") : SQLBinaryExpression(col(name), .in, SQLGroupExpression(ids.sorted { $0.uuidString < $1.uuidString }.map { SQLBind($0) })))
        }
        return out
    }
}

extension SQLPredicateBuilder {
    /// All the slice's conditions, ANDed.
    @discardableResult
    func `where`(_ conditions: [any SQLExpression]) -> Self {
        for c in conditions { _ = self.where(c) }
        return self
    }
}
