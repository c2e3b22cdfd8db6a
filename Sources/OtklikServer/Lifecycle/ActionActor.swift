import Foundation
import OtklikCore

/// Who performs a lifecycle action: a person with their roles in the tenant, or the deadline monitor.
struct ActionActor: Sendable {
    var userID: UUID?
    var label: String
    var roles: Set<Role>
    /// Organisations an executor is limited to (nil: every case of the tenant).
    var visibleOrganisationIDs: Set<UUID>?
    /// Blocks the actor leads (block leads review only their block's answers).
    var ledBlockIDs: Set<UUID> = []
    var isSystem: Bool

    init(_ access: TenantAccess) {
        userID = access.principal.userID
        label = access.principal.label
        roles = access.roles
        visibleOrganisationIDs = access.visibleOrganisationIDs
        ledBlockIDs = Set(access.principal.grants.filter { $0.role == .blockLead && $0.tenantID == access.tenantID }
            .compactMap(\.blockID))
        isSystem = false
    }

    init(userID: UUID?, label: String, roles: Set<Role>, visibleOrganisationIDs: Set<UUID>?) {
        self.userID = userID
        self.label = label
        self.roles = roles
        self.visibleOrganisationIDs = visibleOrganisationIDs
        self.isSystem = false
    }

    static let monitor = ActionActor(system: "система (контроль сроков)")

    private init(system label: String) {
        userID = nil
        self.label = label
        roles = []
        visibleOrganisationIDs = nil
        isSystem = true
    }

    /// Whether the actor's roles allow the action at all (the state is checked separately).
    func may(_ action: CaseAction, on c: CaseRecord) -> Bool {
        if isSystem { return action == .acceptBySilence }
        let granted = roles.intersection(action.roles)
        // A block lead alone reviews only the answers of their own block.
        if granted == [.blockLead] { return c.blockID.map(ledBlockIDs.contains) ?? false }
        if !granted.isEmpty { return true }
        // The head of the responsible organisation picks the executor inside their organisation.
        if action == .assign, roles.contains(.organisationHead), let org = c.organisationID,
           visibleOrganisationIDs?.contains(org) ?? true {
            return true
        }
        return false
    }

    var queueRole: Bool { !roles.isDisjoint(with: CaseAction.assign.roles) }
}

extension CaseRecord {
    var lifecycleState: LifecycleState {
        LifecycleState(status: CaseStatus(rawValue: status) ?? .new, hasOrganisation: organisationID != nil,
                       firstResponseGiven: firstResponseAt != nil, extensionPending: extensionRequestJSON != nil,
                       extensionsUsed: extensionsUsed, clusterMember: clusterID != nil && clusterID != id)
    }

    var caseStatus: CaseStatus { CaseStatus(rawValue: status) ?? .new }
}
