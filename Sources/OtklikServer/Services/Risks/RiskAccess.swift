import Fluent
import Foundation
import OtklikCore
import Vapor

/// Who works with information risks. The risk officer (decree 004 §3.4.6) and the МЦУ's leadership run
/// the отработка; the head, analysts and the centre's staff read every risk; an organisation's people
/// read the risks their organisation answers for (they verify the facts) and may comment on them.
extension TenantAccess {
    static let riskManagers: Set<Role> = [.riskOfficer, .mcuHead, .coordinator, .curator]
    static let riskReaders: Set<Role> = riskManagers.union([.head, .analyst, .administrator, .platformAdmin, .regionalCentre,
                                                            .blockLead, .channelOperator, .editor])
    /// Campaigns, the content plan and the official pages: the risk officer, the editor / SMM, the МЦУ head.
    static let outreachEditors: Set<Role> = [.riskOfficer, .editor, .mcuHead, .coordinator]

    var managesRisks: Bool { !roles.isDisjoint(with: Self.riskManagers) }
    var readsAllRisks: Bool { !roles.isDisjoint(with: Self.riskReaders) }
    var editsOutreach: Bool { !roles.isDisjoint(with: Self.outreachEditors) }
    /// Campaigns and pages are the centre's business; an executor has nothing to do there.
    var readsOutreach: Bool { readsAllRisks }

    func requireRiskManagement() throws {
        guard managesRisks else {
            throw Problem.forbidden("Вести информационные риски может ответственный за инфориски, руководитель, координатор или куратор МЦУ.")
        }
    }

    func requireOutreachEditing() throws {
        guard editsOutreach else {
            throw Problem.forbidden("Кампании, контент-план и реестр госпабликов ведут ответственный за инфориски, редактор / SMM и руководитель МЦУ.")
        }
    }

    func requireOutreachReading() throws {
        guard readsOutreach else { throw Problem.forbidden("Раздел доступен сотрудникам МЦУ и руководству.") }
    }

    /// The risks this reader may see.
    func risks(on db: any Database) throws -> QueryBuilder<RiskRecord> {
        let q = RiskRecord.query(on: db).filter(\.$tenantID == tenantID)
        if readsAllRisks { return q }
        guard let visible = visibleOrganisationIDs, !visible.isEmpty else {
            throw Problem.forbidden("Информационные риски доступны сотрудникам МЦУ и ответственным организациям.")
        }
        return q.filter(\.$organisationID ~~ Array(visible))
    }
}

struct PublicURLKey: StorageKey { typealias Value = String }

extension Application {
    /// `OTKLIK_PUBLIC_URL`: where links in letters and chat posts point; nil — posts without links.
    var publicURL: String? {
        get { storage[PublicURLKey.self] }
        set { storage[PublicURLKey.self] = newValue }
    }
}
