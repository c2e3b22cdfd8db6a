import Fluent
import Vapor

/// The ordered list of migrations. Append only: a landed migration is never edited.
enum OtklikMigrations {
    static func register(on app: Application) {
        app.migrations.add(M0001_CreateTenancy())
        app.migrations.add(M0002_CreateReferenceBooks())
        app.migrations.add(M0003_CreateUsersAndAccess())
        app.migrations.add(M0004_CreateCases())
        app.migrations.add(M0005_CreateAuditLog())
        app.migrations.add(SessionRecord.migration)
        app.migrations.add(M0006_CreateLifecycle())
        app.migrations.add(M0007_CreateWorkspace())
        app.migrations.add(M0008_CreateConnectors())
        app.migrations.add(M0009_CreateConnectorSettings())
        app.migrations.add(M0010_CreateWebhookDeliveries())
        app.migrations.add(M0011_CreateNotificationDeliveries())
        app.migrations.add(M0012_CreateAnalyticsSettings())
        app.migrations.add(M0013_CreateMemos())
        app.migrations.add(M0014_CreateAnalyticsIndexes())
        app.migrations.add(M0015_CreateTextModels())
        app.migrations.add(M0016_CreateAutoRules())
        app.migrations.add(M0017_CreateRiskSignals())
        app.migrations.add(M0018_CreateCaseClusters())
        app.migrations.add(M0019_CreateInformationRisks())
        app.migrations.add(M0020_CreateCentreMembers())
        app.migrations.add(M0021_CreateMeetingsAndAssignments())
        app.migrations.add(M0022_CreateRoadmaps())
        app.migrations.add(M0023_CreatePolls())
        app.migrations.add(M0024_CreatePractices())
    }
}
